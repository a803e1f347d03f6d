"""Writes of the approval log: one function, called by the services of the items that are approved
(``measures.services.approval_set``, ``memos.services``), inside their transaction."""
import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Transition


def transition_record(*, item: models.Model, action: str, from_state: str, to_state: str, user, at: dt.datetime,
                      comment: str = "", step_title: str = "", capacity: str = "") -> Transition:
    """Append one ``Transition`` of ``item`` (saved) to the log and return it. The caller has checked the
    transition against its table and holds ``item``'s row lock; this only records it. Raises ``ValidationError``
    when a text is too long for its column (``step_title`` over 200 characters). ``capacity`` is "" (in one's own
    right) or an ``approvals.choices.Capacity`` value."""
    transition = Transition(content_type=ContentType.objects.get_for_model(item), object_id=item.pk, action=action,
                            from_state=from_state, to_state=to_state, user=user, at=at, comment=comment,
                            step_title=step_title, capacity=capacity)
    transition.full_clean()
    transition.save()
    return transition
