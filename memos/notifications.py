"""Who is told what about a memo, by e-mail (issue 22 §1).

- a memo reaches a step of its route: the step's person (``step_recipients``), with a link to the memo;
- a memo is returned for changes: the person who sent it (``Memo.sent_by``), with the reason;
- a memo is approved or not approved: the person who sent it (the drafting side);
- its issued document is ready (the worker stored the signed PDF, ``issuing``): the sender and the approver.

The route's service calls ``memo_turn_changed`` from one place (``services._set_turn``, after every transition that
moves the turn) and ``issuing`` calls ``document_issued``; both only register work for after the commit
(``notifications.mail.after_commit``). The worker's task ``memo_mail`` then reads the memo, composes the Thai e-mails
(``templates/notifications/email/memo_*``) and sends them; a failure is logged and never reaches the person acting."""
import logging

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from approvals.models import Transition
from notifications.mail import absolute_url, after_commit, compose, deliver

from .choices import MemoState
from .models import Memo, MemoIssue, RoutingStep

logger = logging.getLogger(__name__)

STEP_REACHED, RETURNED, APPROVED, REJECTED, ISSUED = "step_reached", "returned", "approved", "rejected", "issued"


def step_recipients(*, memo: Memo, step: int) -> list:
    """The users told that ``memo`` reached ``step`` (index in ``memo.route``): the step's user and, when the
    organization's step names a substitute whose period includes today (``RoutingStep.objects.acting_on``, the
    rule ``memos.workflow.turn_of`` decides by), the substitute too. The one place that says who is told, for
    e-mails; active accounts only."""
    user_id = memo.route[step]["user_id"]
    substitutes = (RoutingStep.objects.filter(organization=memo.organization_id, order=step + 1, user=user_id)
                   .acting_on(timezone.localdate()).values("substitute"))
    return list(get_user_model().objects.filter(Q(pk=user_id) | Q(pk__in=substitutes), is_active=True)
                .order_by("pk"))


def memo_step_reached(*, memo: Memo, step: int) -> None:
    """After the commit, tell ``step_recipients`` that ``memo`` waits for them at ``step``."""
    after_commit(memo_mail, STEP_REACHED, memo.pk, step)


def memo_returned(*, memo: Memo) -> None:
    """After the commit, tell the sender that ``memo`` came back for changes, with the reason."""
    after_commit(memo_mail, RETURNED, memo.pk)


def memo_decided(*, memo: Memo) -> None:
    """After the commit, tell the sender that ``memo`` was approved (with its number) or not approved."""
    after_commit(memo_mail, APPROVED if memo.state == MemoState.APPROVED else REJECTED, memo.pk)


def document_issued(*, issue: MemoIssue) -> None:
    """After the commit, tell the sender and the approver that the issued document of ``issue`` is ready."""
    after_commit(memo_mail, ISSUED, issue.memo_id, issue.pk)


def memo_turn_changed(*, memo: Memo) -> None:
    """The e-mails of the transition ``memo`` has just made (its new ``state``, ``current_step``): called by the
    route's service once per transition."""
    if memo.state == MemoState.PENDING:
        memo_step_reached(memo=memo, step=memo.current_step)
    elif memo.state == MemoState.RETURNED:
        memo_returned(memo=memo)
    elif memo.state in (MemoState.APPROVED, MemoState.REJECTED):
        memo_decided(memo=memo)


@task()
def memo_mail(event: str, memo_id: int, extra: int | None = None) -> int:
    """The worker's task: compose and send the e-mails of ``event`` on the memo ``memo_id`` (``extra``: the step of
    ``STEP_REACHED``, the ``MemoIssue`` of ``ISSUED``). Returns how many were sent; never raises."""
    try:
        memo = Memo.objects.select_related("organization", "sent_by").get(pk=memo_id)
        users, template, context = _message(event, memo, extra)
        return deliver(compose(users=users, template=template, context=_context(memo) | context))
    except Exception:
        logger.exception("The e-mails of %s on memo %s were not sent", event, memo_id)
        return 0


def _context(memo: Memo) -> dict:
    return {"memo": memo, "organization": memo.organization.name,
            "url": absolute_url(reverse("memos:memo_detail", args=[memo.organization.slug, memo.pk]))}


def _last_comment(memo: Memo) -> str:
    last = Transition.objects.of(memo).last()
    return last.comment if last else ""


def _message(event: str, memo: Memo, extra: int | None) -> tuple[list, str, dict]:
    """(recipients, template, context) of ``event``."""
    if event == STEP_REACHED:
        return step_recipients(memo=memo, step=extra), "memo_step_reached", {"step": memo.route[extra]["title"]}
    if event == RETURNED:
        return [memo.sent_by], "memo_returned", {"reason": _last_comment(memo)}
    if event in (APPROVED, REJECTED):
        return [memo.sent_by], "memo_decided", {"approved": event == APPROVED, "comment": _last_comment(memo)}
    issue = MemoIssue.objects.select_related("requested_by").get(pk=extra, memo=memo)
    return [memo.sent_by, issue.requested_by], "memo_issued", {"issue": issue, "pdf_url": absolute_url(
        reverse("memos:memo_issued_pdf", args=[memo.organization.slug, memo.pk, issue.version]))}
