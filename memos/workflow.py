"""The route of a memo as an explicit transition table (issue 11).

A memo is drafted, sent along its organization's chain (``RoutingStep``: e.g. หัวหน้าสำนักปลัด → ปลัดเทศบาล →
นายกเทศมนตรี) and decided by each person in turn; the last one approves or does not approve. Every transition is
recorded (``MemoTransition``: who, from, to, when, comment); the services in ``memos.services`` apply this table
and nothing else decides what may happen.

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

A small table in one module rather than django-fsm-2 or viewflow: the rules that matter here are *whose turn it
is* (a row of the memo's route, not a role) and the row locks taken in one transaction with the register number and
the frozen document (the worker renders and signs it after the commit, ``memos.issuing``); a decorator-based state
field would hide neither and would add a dependency for eight lines.
"""
from dataclasses import dataclass

from organizations.permissions import OVERSIGHT

from .choices import MemoAction, MemoState

# Who may act on a memo is decided here and nowhere else (``actors_for``, ``actions_for``): the memo's page offers
# what ``actions_for`` returns, the views refuse (403) a user who is not the action's actor, and the services check
# both again under the memo's row lock (``PermissionDenied`` for the actor, ``TransitionRefused`` for the rest).
DRAFTING = "drafting"  # organization admins and clerks (``Rights.can_write_memo``)
CURRENT = "current"  # the user of the memo's current step
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


def actors_for(*, memo, user, rights) -> set[str]:
    """The sides ``user`` acts as on ``memo`` (``DRAFTING``, ``CURRENT``, ``EXECUTIVE``), with ``rights`` as
    ``organizations.permissions.rights_of`` gives them for the memo's organization. Readers only (overseers,
    users with no role in the organization) act as nobody."""
    if rights.role is None or rights.role == OVERSIGHT:
        return set()
    actors = set()
    if rights.can_write_memo:
        actors.add(DRAFTING)
    if memo.current_user_id is not None and memo.current_user_id == user.pk:
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
