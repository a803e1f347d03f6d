"""``memos.workflow.actions_for``: what each persona may do to a memo in each state (issue 19 §2: one home for who
may act on a memo). The memo and the user are stand-ins with the fields the rule reads; the database is read only
for someone who is not the person of the step (are they its substitute today? ``workflow.turn_of``, issue 22 §3)."""
from types import SimpleNamespace

import pytest

from memos.choices import MemoAction, MemoState
from memos.workflow import CURRENT, DRAFTING, EXECUTIVE, actions_for, actors_for
from organizations.choices import Role
from organizations.permissions import OVERSIGHT, SUPERUSER, Rights

ROUTE = [{"title": "หัวหน้าสำนักปลัด", "user_id": 11}, {"title": "ปลัด", "user_id": 12},
         {"title": "นายก", "user_id": 13}]
ME = SimpleNamespace(pk=11)


def memo(state: str, step: int | None = None, current_user_id: int | None = None):
    return SimpleNamespace(state=state, route=ROUTE if state == MemoState.PENDING else [], current_step=step,
                           current_user_id=current_user_id, organization_id=1)


PERSONAS = {
    "admin": Rights(role=Role.ADMIN), "clerk": Rights(role=Role.CLERK), "staff": Rights(role=Role.STAFF),
    "executive": Rights(role=Role.EXECUTIVE), "superuser": Rights(role=SUPERUSER),
    "overseer": Rights(role=OVERSIGHT), "outsider": Rights(role=None),
}
# persona: (draft, returned, approved, rejected) → the actions open to them when it is nobody's turn
EXPECTED = {
    "admin": ({"send"}, {"send"}, set(), set()),
    "clerk": ({"send"}, {"send"}, set(), set()),
    "staff": (set(), set(), set(), set()),
    "executive": (set(), set(), {"reopen"}, {"reopen"}),
    "superuser": ({"send"}, {"send"}, {"reopen"}, {"reopen"}),
    "overseer": (set(), set(), set(), set()),
    "outsider": (set(), set(), set(), set()),
}
STATES = (MemoState.DRAFT, MemoState.RETURNED, MemoState.APPROVED, MemoState.REJECTED)


@pytest.mark.parametrize("persona", PERSONAS)
def test_off_the_route_each_persona_gets_what_the_table_gives_its_role(persona):
    for state, expected in zip(STATES, EXPECTED[persona], strict=True):
        assert actions_for(memo=memo(state), user=ME, rights=PERSONAS[persona]) == expected, (persona, state)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_pending_memo_is_decided_only_by_the_person_of_its_step(persona):
    rights = PERSONAS[persona]
    reader = persona in ("overseer", "outsider")
    first, last = memo(MemoState.PENDING, 0, ME.pk), memo(MemoState.PENDING, 2, ME.pk)
    first_actions = set() if reader else {MemoAction.FORWARD, MemoAction.RETURN}
    last_actions = set() if reader else {MemoAction.APPROVE, MemoAction.REJECT, MemoAction.RETURN}
    assert actions_for(memo=first, user=ME, rights=rights) == first_actions
    assert actions_for(memo=last, user=ME, rights=rights) == last_actions
    assert actions_for(memo=memo(MemoState.PENDING, 1, 12), user=ME, rights=rights) == set()  # not their turn


def test_actors_follow_the_rights_and_the_turn():
    pending = memo(MemoState.PENDING, 0, ME.pk)
    assert actors_for(memo=pending, user=ME, rights=Rights(role=Role.CLERK)) == {DRAFTING, CURRENT}
    assert actors_for(memo=pending, user=ME, rights=Rights(role=SUPERUSER)) == {DRAFTING, CURRENT, EXECUTIVE}
    assert actors_for(memo=pending, user=ME, rights=Rights(role=Role.STAFF)) == {CURRENT}
    assert actors_for(memo=pending, user=ME, rights=Rights(role=OVERSIGHT)) == set()
    assert actors_for(memo=memo(MemoState.DRAFT), user=ME, rights=Rights(role=Role.EXECUTIVE)) == {EXECUTIVE}
