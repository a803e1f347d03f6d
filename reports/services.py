"""Writes of memos."""
from django.db import transaction

from ita_portal.forms import forms_in_chosen_order

from .models import Memo


@transaction.atomic
def memo_save(*, memo_form, comments_formset) -> Memo:
    """Save a memo and its comment blocks from valid forms, the blocks numbered in the order chosen on the
    page (the ORDER fields, then the page order). All or nothing; ``full_clean`` raises ``ValidationError``."""
    memo = memo_form.save(commit=False)
    memo.full_clean()
    memo.save()
    comments_formset.instance = memo
    for form in comments_formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    kept = forms_in_chosen_order(comments_formset)
    # Orders are unique per memo: number the kept blocks 1001, 1002… first, then 1, 2…
    for order, form in enumerate(kept, start=1):
        comment = form.save(commit=False)
        comment.memo = memo
        comment.order = 1000 + order
        comment.save()
    for comment in memo.comments.filter(order__gt=1000):
        comment.order -= 1000
        comment.save(update_fields=["order"])
    return memo
