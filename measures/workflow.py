"""The approval of a plan or a progress report as an explicit transition table, like the memo's route
(``memos.workflow``).

=========  =========  =========  ============================================================================
action     from       to         who
=========  =========  =========  ============================================================================
approve    draft      approved   an executive (one click), or the last person of the route of a memo carrying it
reopen     approved   draft      an executive (one click, or the reopen of a memo carrying it)
=========  =========  =========  ============================================================================

An approved item is locked: nothing of it changes until it is reopened (``services.refuse_if_locked``). Who may
act is checked by the views (``organizations.permissions``: ``can_approve``) and by the memo's route; this table
says only which transitions exist. ``services.approval_set`` applies it and records each transition in the
approval log (``approvals.Transition``)."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import ApprovalAction, ApprovalState

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {  # action → (from states, to state)
    ApprovalAction.APPROVE: (frozenset({ApprovalState.DRAFT}), ApprovalState.APPROVED),
    ApprovalAction.REOPEN: (frozenset({ApprovalState.APPROVED}), ApprovalState.DRAFT),
}


class ApprovalRefused(ValidationError):
    """The action is not open to the plan or report in its state (the table above); Thai message."""

    def __init__(self, *, action: str, state: str):
        message = (_("This has already been approved; someone may have approved it since you opened the page.")
                   if action == ApprovalAction.APPROVE else
                   _("This is not approved, so there is nothing to reopen; someone may have reopened it since you "
                     "opened the page."))
        super().__init__(message, code="approval_refused")
        self.action, self.state = action, state


def approval_target(*, action: str, state: str) -> str:
    """The state ``action`` leads to from ``state``. Raises ``ApprovalRefused`` (a ``ValidationError`` with a Thai
    message) when the table has no such transition: approving an approved item, reopening a draft, an unknown
    action."""
    sources, target = TRANSITIONS.get(action, (frozenset(), ""))
    if state not in sources:
        raise ApprovalRefused(action=action, state=state)
    return target
