"""Who may open the memo form, and when: one rule (``memos.workflow.editable_by``) for the memo's page; the
service checks the stored state again."""
from types import SimpleNamespace

import pytest

from memos.choices import MemoState
from memos.workflow import editable_by
from organizations.choices import Role
from organizations.permissions import OVERSIGHT, Rights


@pytest.mark.parametrize(("role", "state", "editable"), [
    (Role.ADMIN, MemoState.DRAFT, True),
    (Role.CLERK, MemoState.RETURNED, True),
    (Role.CLERK, MemoState.PENDING, False),
    (Role.ADMIN, MemoState.APPROVED, False),
    (Role.STAFF, MemoState.DRAFT, False),
    (Role.EXECUTIVE, MemoState.DRAFT, False),
    (OVERSIGHT, MemoState.DRAFT, False),
])
def test_the_drafting_side_edits_a_draft_or_returned_memo_only(role, state, editable):
    assert editable_by(memo=SimpleNamespace(state=state), rights=Rights(role=role)) is editable
