"""Who may do what in an organization (issue 3's role matrix).

| role      | read | results, analysis, plan, every measure | own department's measures | approve/reopen | memo |
|-----------|------|----------------------------------------|---------------------------|----------------|------|
| admin     | yes  | yes                                    | yes                       | no             | yes  |
| staff     | yes  | no                                     | yes (and their progress)* | no             | no   |
| executive | yes  | no                                     | no                        | yes            | no   |
| clerk     | yes  | no                                     | no                        | no             | yes  |
| other org | 404  | 404                                    | 404                       | 404            | 404  |

| oversight | yes  | no                                     | no                        | no             | no   |

* staff also add measures owned by their department and start a plan's progress round (issue 13 §2).

Overseers (``OversightScope``: a province or the whole country) read every organization in scope and change
nothing. Superusers may do everything. Reading is scoped by ``organizations_for_user`` (404 outside). ``rights_of``
answers the yes/no questions for views and templates with one query; the editing views fetch what they change
through scoped querysets (``measures.selectors.measures_editable_by`` applies the same rule for measures).
"""
from dataclasses import dataclass

from .choices import Role
from .models import Membership, Organization
from .selectors import active_memberships, oversight_of

SUPERUSER = "superuser"
OVERSIGHT = "oversight"


def membership_of(*, user, organization: Organization) -> Membership | None:
    """The user's active membership in ``organization``, or None (``selectors.active_memberships``: read once per
    request)."""
    return next((m for m in active_memberships(user=user) if m.organization_id == organization.pk), None)


@dataclass(frozen=True)
class Rights:
    """What one user may do in one organization (the table above)."""

    role: str | None
    department_id: int | None = None

    @property
    def can_manage(self) -> bool:
        """Results, analysis, plans, any measure and progress row, departments and officials."""
        return self.role in (Role.ADMIN, SUPERUSER)

    @property
    def can_approve(self) -> bool:
        """Approving (locking) and reopening plans and progress reports."""
        return self.role in (Role.EXECUTIVE, SUPERUSER)

    @property
    def can_write_memo(self) -> bool:
        return self.can_manage or self.role == Role.CLERK

    @property
    def can_add_measure(self) -> bool:
        """Admins; staff too, for a measure their department owns (issue 13 §2; the owner rules are
        ``measures.services.measure_owners_check``)."""
        return self.can_manage or (self.role == Role.STAFF and self.department_id is not None)

    @property
    def can_start_report(self) -> bool:
        """Starting a plan's progress round (6-month, annual): admins and staff, so that staff need not wait for an
        admin to fill in their rows (issue 13 §2). Editing an existing report's title and period stays with
        admins (``can_manage``)."""
        return self.can_add_measure

    def takes_own_department_away(self, *, before, after) -> bool:
        """Whether owners ``before`` → ``after`` (departments or their ids) drop the editor's own department: staff
        would lose the right to edit the measure, so ``measures.services.measure_save`` asks for confirmation first."""
        ids = {getattr(d, "pk", d) for d in before}, {getattr(d, "pk", d) for d in after}
        return self.department_id is not None and self.department_id in ids[0] and self.department_id not in ids[1]

    def can_edit_measure(self, measure) -> bool:
        """Admins: every measure; staff: measures owned by their department (``measure.owners`` prefetched)."""
        if self.can_manage:
            return True
        return self.role == Role.STAFF and any(d.pk == self.department_id for d in measure.owners.all())


def rights_of(*, user, organization: Organization) -> Rights:
    """The user's ``Rights`` in ``organization`` (superusers: every right, role "superuser"; overseers of its
    province or of the country: role "oversight", reading only)."""
    if user.is_superuser:
        return Rights(role=SUPERUSER)
    membership = membership_of(user=user, organization=organization)
    if membership:
        return Rights(role=membership.role, department_id=membership.department_id)
    oversight = oversight_of(user=user)
    if oversight.national or organization.province in oversight.provinces:
        return Rights(role=OVERSIGHT)
    return Rights(role=None)
