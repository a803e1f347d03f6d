"""The route of a memo as an explicit transition table (issue 11).

A memo is drafted, sent along its organization's chain (``RoutingStep``: e.g. หัวหน้าสำนักปลัด → ปลัดเทศบาล →
นายกเทศมนตรี) and decided by each person in turn; the last one approves or does not approve. Every transition is
recorded in the approval log (``approvals.Transition``: who, from, to, when, comment); the services in
``memos.services`` apply this table and nothing else decides what may happen.

==========  =====================  ==========  ===========================================================
action      from                   to          who
==========  =====================  ==========  ===========================================================
send        draft, returned        pending     the drafting side: organization admins and clerks
forward     pending                pending     the person of the current step, not the last step
approve     pending                approved    the person of the last step; numbers the memo
reject      pending                rejected    the person of the last step
return      pending                returned    the person of the current step (a reason is required)
reopen      approved, rejected     draft       an executive; the issued versions stay, a new one follows
==========  =====================  ==========  ===========================================================

"The person of the current step" is the step's holder (``Memo.current_user``) or, during the period the
organization's route names for that step, the holder's substitute (``turn_of``; issue 22 §3), who decides in the
step's capacity (รักษาราชการแทน / ปฏิบัติราชการแทน). The substitute is read from the organization's route as it is
now, not from the copy on the memo: a period set or ended while a memo waits applies at once.

A small table in one module rather than django-fsm-2 or viewflow: the rules that matter here are *whose turn it
is* (a row of the memo's route, not a role) and the row locks taken in one transaction with the register number and
the frozen document (the worker renders and signs it after the commit, ``memos.issuing``); a decorator-based state
field would hide neither and would add a dependency for eight lines.
"""
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from organizations.permissions import OVERSIGHT

from .choices import MemoAction, MemoState
from .models import RoutingStep

# Who may act on a memo is decided here and nowhere else (``actors_for``, ``actions_for``): the memo's page offers
# what ``actions_for`` returns, the views refuse (403) a user who is not the action's actor, and the services check
# both again under the memo's row lock (``PermissionDenied`` for the actor, ``TransitionRefused`` for the rest).
DRAFTING = "drafting"  # organization admins and clerks (``Rights.can_write_memo``)
CURRENT = "current"  # the user of the memo's current step, or their substitute in the period (``turn_of``)
EXECUTIVE = "executive"  # ``Rights.can_approve``


@dataclass(frozen=True)
class Transition:
    """One row of the table: from which states, to which state, by whom; ``step`` says where on the route the
    action is allowed ("any", "not_last", "last")."""

    sources: frozenset[str]
    target: str
    actor: str
    step: str = "any"
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    MemoAction.SEND: Transition(frozenset({MemoState.DRAFT, MemoState.RETURNED}), MemoState.PENDING, DRAFTING),
    MemoAction.FORWARD: Transition(frozenset({MemoState.PENDING}), MemoState.PENDING, CURRENT, step="not_last"),
    MemoAction.APPROVE: Transition(frozenset({MemoState.PENDING}), MemoState.APPROVED, CURRENT, step="last"),
    MemoAction.REJECT: Transition(frozenset({MemoState.PENDING}), MemoState.REJECTED, CURRENT, step="last"),
    MemoAction.RETURN: Transition(frozenset({MemoState.PENDING}), MemoState.RETURNED, CURRENT, needs_comment=True),
    MemoAction.REOPEN: Transition(frozenset({MemoState.APPROVED, MemoState.REJECTED}), MemoState.DRAFT, EXECUTIVE,
                                  needs_comment=True),
}

DECISIONS = (MemoAction.FORWARD, MemoAction.APPROVE, MemoAction.REJECT, MemoAction.RETURN)
EDITABLE_STATES = frozenset({MemoState.DRAFT, MemoState.RETURNED})  # the memo form saves only in these
PRINTED_DECISIONS = frozenset({MemoAction.FORWARD, MemoAction.APPROVE, MemoAction.REJECT})  # comment blocks


def _step_allows(rule: str, step: int, steps: int) -> bool:
    last = step == steps - 1
    return rule == "any" or (rule == "last" and last) or (rule == "not_last" and not last)


def allowed(*, action: str, state: str, step: int | None, steps: int) -> bool:
    """True when the table allows ``action`` from ``state`` at ``step`` of a route of ``steps`` steps."""
    transition = TRANSITIONS.get(action)
    if transition is None or state not in transition.sources:
        return False
    if transition.actor == CURRENT:
        return step is not None and _step_allows(transition.step, step, steps)
    return True


@dataclass(frozen=True)
class Turn:
    """How a user holds the turn of a memo's current step: the official printed under their decision
    (``official_id``), and, for a substitute, the capacity (``approvals.choices.Capacity``) and the official of the
    holder they stand in for (``acting_for_id``); ``capacity`` "" and ``acting_for_id`` None for the holder."""

    official_id: int | None
    capacity: str = ""
    acting_for_id: int | None = None


def turn_of(*, memo, user, today: dt.date | None = None) -> Turn | None:
    """Whether it is ``user``'s turn on ``memo`` and in what capacity: the holder of the current step
    (``Memo.current_user``) always; else a substitute whose period on the organization's step at that place, held
    by that person, includes ``today`` (default: today in Asia/Bangkok; ``RoutingStep.objects.acting_for``, one
    query). None when it is not their turn (no current step, someone else's, or outside the period)."""
    if memo.current_user_id is None or memo.current_step is None:
        return None
    holder_official = memo.route[memo.current_step].get("official_id")
    if memo.current_user_id == user.pk:
        return Turn(official_id=holder_official)
    step = (RoutingStep.objects.acting_for(user=user, on=today or timezone.localdate(),
                                           organization=memo.organization_id, order=memo.current_step + 1,
                                           holder=memo.current_user_id)
            .values("substitute_official_id", "capacity").first())
    if step is None:
        return None
    return Turn(official_id=step["substitute_official_id"], capacity=step["capacity"], acting_for_id=holder_official)


def actors_for(*, memo, user, rights) -> set[str]:
    """The sides ``user`` acts as on ``memo`` (``DRAFTING``, ``CURRENT``, ``EXECUTIVE``), with ``rights`` as
    ``organizations.permissions.rights_of`` gives them for the memo's organization. Readers only (overseers,
    users with no role in the organization, so also a substitute whose membership ended) act as nobody."""
    if rights.role is None or rights.role == OVERSIGHT:
        return set()
    actors = set()
    if rights.can_write_memo:
        actors.add(DRAFTING)
    if turn_of(memo=memo, user=user) is not None:
        actors.add(CURRENT)
    if rights.can_approve:
        actors.add(EXECUTIVE)
    return actors


def editable_by(*, memo, rights) -> bool:
    """Whether the memo form may be offered: the drafting side (``Rights.can_write_memo``) and a memo in one of
    ``EDITABLE_STATES``. ``services.memo_save`` checks the state again as stored, under the memo's row lock."""
    return rights.can_write_memo and memo.state in EDITABLE_STATES


def actions_for(*, memo, user, rights) -> set[str]:
    """The actions (``MemoAction``) ``user`` may take on ``memo`` now: the table allows them from the memo's state
    at its step, and ``user`` is the action's actor (``actors_for``)."""
    actors = actors_for(memo=memo, user=user, rights=rights)
    steps = len(memo.route) if memo.state == MemoState.PENDING else 0
    return {action for action, transition in TRANSITIONS.items()
            if transition.actor in actors
            and allowed(action=action, state=memo.state, step=memo.current_step, steps=steps)}
