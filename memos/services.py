"""Writes of memos: saving a memo with its comment chain, taking its number from the outgoing register, the
memo's route (send, decide, reopen; the table is ``memos.workflow``) and issuing the approved memo as a frozen
PDF (``document_issue``)."""
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Transition
from approvals.services import transition_record
from core.thai import be_year, fiscal_year_of, is_blank, thai_date
from measures.choices import ApprovalState
from measures.models import MeasurePlan, ProgressReport
from measures.services import ConcurrentEditError, approval_reopen, approval_set, refuse_if_locked
from organizations.choices import RegisterYearBasis
from organizations.models import Membership, Official, Organization
from organizations.permissions import rights_of

from . import notifications, workflow
from .choices import MemoAction, MemoState
from .issuing import issue_build, issue_freeze, seal_pdf  # noqa: F401 (seal_pdf: its callers import it from here)
from .models import Memo, MemoComment, MemoIssue, RoutingStep


class MemoLockedError(ValidationError):
    """The memo is on its route or issued: only a returned or reopened memo is changed."""

    def __init__(self):
        super().__init__(_("This memo has been sent for consideration or issued and cannot be changed now. It can "
                           "be changed when it is returned for changes, or after an executive reopens it."),
                         code="memo_locked")


def _memo_conflict() -> ConcurrentEditError:
    return ConcurrentEditError([_("this memo")])


# What ``memo_save`` sets from ``data``: the form's fields and what the memo carries (``MemoForm.memo_data``).
MEMO_FIELDS = ("department", "department_line", "document_number", "date", "subject", "addressee", "body", "closing",
               "drafter", "organization", "plan", "progress_report")
COMMENT_FIELDS = ("title", "official", "text", "date")


@dataclass(frozen=True)
class CommentInput:
    """One comment block typed on the memo form: ``id`` None for a new block; ``delete`` removes a stored one.
    The blocks are numbered in the order of the list (the order chosen on the page)."""

    id: int | None
    title: str = ""
    text: str = ""
    official: Official | None = None
    date: dt.date | None = None
    delete: bool = False


@transaction.atomic
def memo_save(*, memo: Memo, data: dict, comments: list[CommentInput], version: int | None = None,
              take_register_number: bool = False) -> Memo:
    """Save ``memo`` with ``data`` (the names of ``MEMO_FIELDS``; other keys are ignored) and its comment blocks
    typed on the form, numbered in the order of ``comments``. All or nothing; ``full_clean`` raises
    ``ValidationError``.

    ``version`` is the memo's version when the form was opened: a stored memo saved meanwhile (by a form or by
    a step of its route) is refused with ``ConcurrentEditError``, so two people never overwrite each other nor
    collide on the order of comment blocks; a new memo is refused the same way when someone stored a memo for
    the same plan or report meanwhile, and so is a block that is no longer stored. A memo on its route or issued
    (``workflow.EDITABLE_STATES``) is refused with ``MemoLockedError``, and one whose plan or report is approved
    with ``LockedError`` (issue 11).

    With ``take_register_number``, the memo then takes the next number of the outgoing register in the same
    transaction (``memo_take_number``; the typed document number is replaced). A number already taken is kept as
    stored: a form opened before it was taken cannot erase it."""
    for name in MEMO_FIELDS:
        if name in data:
            setattr(memo, name, data[name])
    if memo.pk is not None:
        stored = (Memo.objects.select_for_update().filter(pk=memo.pk)
                  .values("register_year", "register_number", "document_number", "state", "version").first())
        if stored["state"] not in workflow.EDITABLE_STATES:
            raise MemoLockedError
        if version is not None and version != stored["version"]:
            raise _memo_conflict()
        if stored["register_number"] is not None:
            memo.register_year, memo.register_number = stored["register_year"], stored["register_number"]
            memo.document_number = stored["document_number"]
        memo.version = stored["version"] + 1
    _refuse_if_attachment_locked(memo)
    if memo.pk is None and _carried_elsewhere(memo):
        raise _memo_conflict()
    memo.full_clean()
    memo.save()
    try:
        _comments_save(memo, comments)
    except IntegrityError as error:  # the last guard: two saves numbering blocks at once
        raise _memo_conflict() from error
    if take_register_number:
        memo_take_number(memo=memo)  # last: nothing after it can fail and leave a number on an unsaved memo
    return memo


def _comments_save(memo: Memo, comments: list[CommentInput]) -> None:
    ids = {comment.id for comment in comments if comment.id is not None}
    stored = {c.pk: c for c in memo.comments.filter(transition__isnull=True, pk__in=ids)} if ids else {}
    if len(stored) != len(ids):  # someone deleted a block since the page was opened
        raise _memo_conflict()
    for comment in comments:
        if comment.delete and comment.id is not None:
            stored.pop(comment.id).delete()
    kept = [comment for comment in comments if not comment.delete]
    # Orders are unique per memo: number the kept blocks 1001, 1002… first, then 1, 2…
    with transaction.atomic():
        for order, item in enumerate(kept, start=1):
            block = stored[item.id] if item.id is not None else MemoComment(memo=memo)
            for name in COMMENT_FIELDS:
                setattr(block, name, getattr(item, name))
            block.order = 1000 + order
            block.save()
        for block in memo.comments.filter(order__gt=1000, transition__isnull=True):
            block.order -= 1000
            block.save(update_fields=["order"])


def _attached(memo: Memo) -> MeasurePlan | ProgressReport | None:
    return memo.plan if memo.plan_id else (memo.progress_report if memo.progress_report_id else None)


def _refuse_if_attachment_locked(memo: Memo) -> None:
    """``LockedError`` when the plan or report the memo carries is approved (its row stays locked)."""
    item = _attached(memo)
    if item is not None:
        refuse_if_locked(item)


def _carried_elsewhere(memo: Memo) -> bool:
    """True when another stored memo already carries the new memo's plan or report (the plan's or report's row
    is locked by ``_refuse_if_attachment_locked`` first, so two new memos for one plan do not both pass)."""
    if memo.plan_id:
        return Memo.objects.filter(plan_id=memo.plan_id).exists()
    if memo.progress_report_id:
        return Memo.objects.filter(progress_report_id=memo.progress_report_id).exists()
    return False


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


# --- the route (issue 11) ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActingInput:
    """A substitute of a step (issue 22 §3): the member who decides for the holder (``substitute``), the official
    printed under their decisions, the capacity (``approvals.choices.Capacity``) and the period, both days
    included."""

    substitute: object  # a User
    official: Official
    capacity: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class StepInput:
    """One step of an organization's route as typed: the comment block's title, the official printed under it,
    the user who decides, and their substitute for a period (``acting``, None without one)."""

    title: str
    official: Official
    user: object  # a User
    acting: ActingInput | None = None


@transaction.atomic
def routing_steps_set(*, organization: Organization, steps: list[StepInput]) -> list[RoutingStep]:
    """Replace ``organization``'s route by ``steps`` in order. Every official must be of the organization and every
    user and substitute an active member of it; a substitute is someone other than the step's user, with a period
    that does not end before it starts (``ValidationError``, Thai message; the model's constraints are the last
    guard). Memos already on their way keep the route they were sent with (``Memo.route``), but a substitute applies
    to the memos waiting at that step at once (``workflow.turn_of``)."""
    members = set(Membership.objects.active().filter(organization=organization)
                  .values_list("user_id", flat=True))
    for step in steps:
        if step.official.organization_id != organization.pk:
            raise ValidationError(_("The official belongs to another organization."), code="other_organization")
        for user in (step.user, step.acting.substitute if step.acting else None):
            if user is not None and user.pk not in members:
                raise ValidationError(_("%(user)s is not a member of this organization.") % {"user": user},
                                      code="not_member")
    RoutingStep.objects.filter(organization=organization).delete()
    return [_step_create(organization, order, step) for order, step in enumerate(steps, start=1)]


def _step_create(organization: Organization, order: int, step: StepInput) -> RoutingStep:
    acting = step.acting
    row = RoutingStep(organization=organization, order=order, title=step.title.strip(), official=step.official,
                      user=step.user)
    if acting is not None:
        row.substitute, row.substitute_official, row.capacity = acting.substitute, acting.official, acting.capacity
        row.acting_from, row.acting_until = acting.start, acting.end
    row.full_clean()
    row.save()
    return row


class TransitionRefused(ValidationError):
    """The action is not open to the memo in its state (the table of ``memos.workflow``); Thai message."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This action is not possible for the memo in its present state; someone may "
                                      "have acted on it since you opened the page."), code="transition_refused")


def _locked_memo(memo: Memo) -> Memo:
    """``memo`` read again with its row locked until the transaction ends: the state every transition checks."""
    return Memo.objects.select_for_update(of=("self",)).select_related(
        "organization", "plan", "progress_report__plan").get(pk=memo.pk)


def _apply(memo: Memo, *, user, action: str, comment: str, version: int | None,
           ) -> tuple[Memo, Transition, workflow.Turn | None]:
    """Check ``action`` against the table, the actor and ``version`` (when given), then record the transition
    and move the memo; the memo's row is locked. Returns the locked memo, the transition and, for a decision of the
    current step, how ``user`` holds the turn (``workflow.turn_of``: in their own right or as a substitute, whose
    capacity the transition records)."""
    memo = _locked_memo(memo)
    transition = workflow.TRANSITIONS[action]
    rights = rights_of(user=user, organization=memo.organization)
    if transition.actor not in workflow.actors_for(memo=memo, user=user, rights=rights):
        raise PermissionDenied(_refusal(memo, user))
    if version is not None and version != memo.version:
        raise TransitionRefused()
    if action not in workflow.actions_for(memo=memo, user=user, rights=rights):
        raise TransitionRefused()
    comment = comment.strip()
    if transition.needs_comment and is_blank(comment):  # nothing visible: only spaces and format characters
        raise TransitionRefused(_("Give a reason."))
    step = memo.route[memo.current_step] if memo.state == MemoState.PENDING else None
    turn = workflow.turn_of(memo=memo, user=user) if transition.actor == workflow.CURRENT else None
    record = transition_record(item=memo, action=action, from_state=memo.state, to_state=transition.target, user=user,
                               step_title=step["title"] if step else "", comment=comment, at=timezone.now(),
                               capacity=turn.capacity if turn else "")
    memo.state = transition.target
    memo.version += 1
    return memo, record, turn


def _refusal(memo: Memo, user) -> str:
    """The Thai message for someone who may not act: a substitute of the current step outside their period is told
    the period (Buddhist-era dates), anyone else that it is not their turn."""
    step = (RoutingStep.objects.standing_in(user=user, organization=memo.organization_id,
                                            order=(memo.current_step or 0) + 1, holder=memo.current_user_id)
            .values("acting_from", "acting_until").first()) if memo.current_user_id else None
    if step is None:
        return _("It is not your turn to act on this memo.")
    return _("You act for this step only from %(start)s to %(end)s.") % {
        "start": thai_date(step["acting_from"], thai_digits=False), "end": thai_date(step["acting_until"],
                                                                                     thai_digits=False)}


def _set_turn(memo: Memo, step: int | None) -> None:
    memo.current_step = step
    memo.current_user_id = memo.route[step]["user_id"] if step is not None else None
    memo.save(update_fields=["state", "version", "route", "current_step", "current_user", "sent_by"])
    notifications.memo_turn_changed(memo=memo)  # e-mails, after the commit (memos/notifications.py)


@transaction.atomic
def memo_send(*, memo: Memo, user, comment: str = "", version: int | None = None) -> Memo:
    """The drafting side sends ``memo`` (draft or returned) to the first step of its organization's route, which
    is copied onto the memo. The comment blocks of an earlier round of the route are taken off the memo (the
    trail keeps them). Raises ``TransitionRefused`` (no route set, wrong state), ``PermissionDenied``."""
    memo, _record, _turn = _apply(memo, user=user, action=MemoAction.SEND, comment=comment, version=version)
    route = [{"title": s.title, "official_id": s.official_id, "user_id": s.user_id}
             for s in RoutingStep.objects.filter(organization=memo.organization).order_by("order")]
    if not route:
        raise TransitionRefused(_("The organization has not set the route of its memos yet: an administrator sets "
                                  "it on the routing page."))
    MemoComment.objects.filter(memo=memo, transition__isnull=False).delete()
    memo.route, memo.sent_by = route, user
    _set_turn(memo, 0)
    return memo


@transaction.atomic
def memo_decide(*, memo: Memo, user, action: str, comment: str, version: int | None = None,
                today: dt.date | None = None) -> Memo:
    """The person whose turn it is (the step's holder, or their substitute in the period: ``workflow.turn_of``)
    decides on ``memo`` with their own ``comment`` (ความเห็น / คำสั่ง); the approval log records in what capacity:

    - ``forward`` to the next step, ``approve`` or ``reject`` (the last step only): the decision is printed on
      the memo as a comment block (the step's title, the comment, its official, dated ``today``);
    - ``return`` for changes, to the drafting side, with a reason (required); no block is printed.

    Approving approves and locks the plan or report the memo carries (``measures.services.approval_set``), numbers
    the memo and freezes its document (``document_issue``), all in this transaction: the memo's row, then the
    plan's or report's, then the organization's (register number) are locked in that order. Rendering and signing
    happen after the commit, in the worker (``memos.issuing``). Raises ``PermissionDenied`` (not this
    user's turn), ``TransitionRefused`` (state, step, missing reason, a ``version`` older than the memo's)."""
    if action not in workflow.DECISIONS:
        raise TransitionRefused()
    memo, record, turn = _apply(memo, user=user, action=action, comment=comment, version=version)
    step = memo.current_step
    if action in workflow.PRINTED_DECISIONS:
        # Decisions are numbered from 501, apart from the blocks typed on the form (1…, and 1001… while the form
        # renumbers them), which the form may still edit on a returned memo. A substitute's block names their own
        # official and the holder's, for the capacity line (``MemoComment.capacity_line``).
        last = memo.comments.filter(transition__isnull=False).aggregate(last=Max("order"))["last"] or 500
        MemoComment.objects.create(memo=memo, order=last + 1, title=memo.route[step]["title"],
                                   official_id=turn.official_id, acting_for_id=turn.acting_for_id, text=record.comment,
                                   date=today or timezone.localdate(), transition=record)
    if action == MemoAction.FORWARD:
        _set_turn(memo, step + 1)
        return memo
    _set_turn(memo, None)
    if action == MemoAction.APPROVE:
        item = _attached(memo)
        if item is not None:
            refuse_if_locked(item)  # approved another way meanwhile (one-click): refused, nothing is kept
            approval_set(item=item, user=user, approved=True, note=_("memo %(subject)s") % {"subject": memo.subject})
        document_issue(memo=memo, user=user)
    return memo


@transaction.atomic
def memo_reopen(*, memo: Memo, user, reason: str, version: int | None = None) -> Memo:
    """An executive reopens an approved or rejected memo, with a reason: it goes back to draft, the plan or
    report it carries is reopened too (recorded in the approval log), and everything issued stays; the next
    approval issues a new version. Raises ``PermissionDenied``, ``TransitionRefused``."""
    memo, _record, _turn = _apply(memo, user=user, action=MemoAction.REOPEN, comment=reason, version=version)
    _set_turn(memo, None)
    item = _attached(memo)
    if item is not None and type(item).objects.filter(pk=item.pk, state=ApprovalState.APPROVED).exists():
        approval_set(item=item, user=user, approved=False, note=_("memo %(subject)s") % {"subject": memo.subject})
    return memo


def attachment_memos_reopen(*, item: MeasurePlan | ProgressReport, user) -> None:
    """The approved memos that carry ``item`` (a plan or a report) are reopened through the route, so the trail
    records it. Registered with ``measures.services.reopen_handler_register`` (``MemosConfig.ready``)."""
    field = "plan" if isinstance(item, MeasurePlan) else "progress_report"
    for memo in Memo.objects.filter(**{field: item}, state=MemoState.APPROVED):
        memo_reopen(memo=memo, user=user, reason=_("Reopened with the document it carries."))


def attachment_reopen(*, item: MeasurePlan | ProgressReport, user) -> None:
    """Reopen a plan or report (the one-click reopen of its page): the approved memos that carry it are reopened
    through the route, so the trail records it; then the item itself (in the approval log). The same as
    ``measures.services.approval_reopen``, which runs ``attachment_memos_reopen`` first."""
    approval_reopen(item=item, user=user)


@transaction.atomic
def document_issue(*, memo: Memo, user) -> MemoIssue:
    """Issue ``memo`` (approved), inside the approval's transaction: give it the next number of the outgoing
    register unless it has one (``memo_take_number``: no gap, no duplicate) and freeze what the memo and its
    attachment print now as the next version (``issuing.issue_freeze``). After the commit the background worker
    renders that snapshot once, passes it through ``seal_pdf`` and stores the bytes with their SHA-256 as the
    ``IssuedDocument`` (``issuing.memo_issue_run``); downloads serve these bytes, nothing re-renders them. Returns
    the ``MemoIssue`` (queued). Raises ``ValidationError`` from ``memo_take_number`` (no prefix)."""
    if memo.register_number is not None:  # re-approved after a reopen: the same number, the next version
        return issue_freeze(memo=memo, user=user)
    # The document is built before the organization's row is locked for the number (it prints a placeholder
    # there): parallel approvals in one organization wait for each other only while a number is taken.
    built = issue_build(memo=memo, numbered_later=True)
    memo_take_number(memo=memo)
    return issue_freeze(memo=memo, user=user, built=built)
