"""Writes of memos: saving a memo with its comment chain, and taking its number from the outgoing register."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ita_portal.forms import forms_in_chosen_order
from ita_portal.thai import be_year, fiscal_year_of
from organizations.choices import RegisterYearBasis
from organizations.models import Organization

from .models import Memo


@transaction.atomic
def memo_save(*, memo_form, comments_formset) -> Memo:
    """Save a memo and its comment blocks from valid forms, the blocks numbered in the order chosen on the
    page (the ORDER fields, then the page order). All or nothing; ``full_clean`` raises ``ValidationError``.

    When the form's ``take_register_number`` box is ticked, the memo then takes the next number of the outgoing
    register in the same transaction (``memo_take_number``; the typed document number is replaced). A number
    already taken is kept as stored: a form opened before it was taken cannot erase it."""
    memo = memo_form.save(commit=False)
    if memo.pk is not None:
        stored = (Memo.objects.select_for_update().filter(pk=memo.pk)
                  .values("register_year", "register_number", "document_number").first())
        if stored and stored["register_number"] is not None:
            memo.register_year, memo.register_number = stored["register_year"], stored["register_number"]
            memo.document_number = stored["document_number"]
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
    if memo_form.cleaned_data.get("take_register_number"):
        memo_take_number(memo=memo)  # last: nothing after it can fail and leave a number on an unsaved memo
    return memo


def register_year_of(day: dt.date, basis: str) -> int:
    """The BE year of the outgoing register in which a letter dated ``day`` is numbered: the calendar year
    (2024-12-31 → 2567), or with ``basis`` "fiscal" the fiscal year (month ≥ 10 counts in the next year:
    2024-10-01 → 2568). thai-documents.md §1 (document number) and §3."""
    return fiscal_year_of(day) if basis == RegisterYearBasis.FISCAL else be_year(day.year)


@transaction.atomic
def memo_take_number(*, memo: Memo) -> Memo:
    """Give ``memo`` the next number of its organization's outgoing register (ทะเบียนหนังสือส่ง) and save it.

    The register runs per organization and per BE year (``register_year_of``: the year of ``memo.date``, calendar
    or fiscal by ``organization.register_year_basis``), from 1: number = the largest taken in that year + 1.
    Sets ``register_year``, ``register_number`` and ``document_number = f"{prefix}/{number}"`` with the
    organization's ``document_number_prefix`` (Arabic digits stored, e.g. "กส 74601/12"; documents print Thai
    digits). The memo's row, then the organization's row are locked (``select_for_update``) until the
    transaction ends, so two memos never take one number and one memo never takes two; the unique constraint
    ``memo_unique_register_number`` is the last guard. An unsaved memo is saved whole; a saved one only in those
    three fields. Rule source: thai-documents.md §1, row "document number (ที่)".

    Raises ``ValidationError`` (Thai message) when the memo already has a register number (also when another
    request took one since it was read) or the organization has no document number prefix.
    """
    # Locks taken in one order, memo then organization (memo_save locks the memo first too): no deadlock.
    stored = None
    if memo.pk is not None:
        stored = (Memo.objects.select_for_update().filter(pk=memo.pk)
                  .values_list("register_number", flat=True).first())
    organization = Organization.objects.select_for_update().get(pk=memo.organization_id)
    if memo.register_number is not None or stored is not None:
        raise ValidationError(_("This memo already has a number from the outgoing register; it is not given "
                                "a second one."), code="number_taken")
    prefix = organization.document_number_prefix.strip()
    if not prefix:
        raise ValidationError(_("Set the organization's document number prefix (organization settings) before "
                                "taking a number from the outgoing register."), code="no_prefix")
    year = register_year_of(memo.date, organization.register_year_basis)
    last = (Memo.objects.filter(organization_id=organization.pk, register_year=year)
            .aggregate(last=Max("register_number"))["last"])
    memo.register_year, memo.register_number = year, (last or 0) + 1
    memo.document_number = f"{prefix}/{memo.register_number}"
    if memo.pk is None:
        memo.save()
    else:
        memo.save(update_fields=["register_year", "register_number", "document_number"])
    return memo
