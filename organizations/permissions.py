"""Who may do what in an organization (issue 3's role matrix).

| role      | read | results, analysis, plan, every measure | own department's measures | approve/reopen |
|-----------|------|----------------------------------------|---------------------------|----------------|
| admin     | yes  | yes                                    | yes                       | no             |
| staff     | yes  | no                                     | yes (and their progress)  | no             |
| executive | yes  | no                                     | no                        | yes            |
| clerk     | yes  | no                                     | no                        | no             |
| other org | 404  | 404                                    | 404                       | 404            |

Superusers may do everything. Reading is scoped by ``organizations_for_user`` (404 outside); the editing rights
are applied to querysets (``measures.selectors.measures_editable_by``), these functions answer the yes/no
questions for views and templates.
"""
from dataclasses import dataclass

from .choices import Role
from .models import Membership, Organization


def membership_of(*, user, organization: Organization) -> Membership | None:
    """The user's membership in ``organization``, or None."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organization=organization).select_related("department").first()


def role_of(*, user, organization: Organization) -> str | None:
    """The user's role (``Role`` value) in ``organization``; ``Role.ADMIN`` for superusers; None for others."""
    if user.is_superuser:
        return Role.ADMIN
    membership = membership_of(user=user, organization=organization)
    return membership.role if membership else None


def can_edit_assessments(*, user, organization: Organization) -> bool:
    """Results, analysis and plans (creating, deleting, restoring measures): organization admins."""
    return role_of(user=user, organization=organization) == Role.ADMIN


can_manage_plans = can_edit_assessments


def can_approve(*, user, organization: Organization) -> bool:
    """Approving (locking) and reopening plans and progress reports: executives (and superusers)."""
    return user.is_superuser or role_of(user=user, organization=organization) == Role.EXECUTIVE


SUPERUSER = "superuser"


@dataclass(frozen=True)
class Rights:
    """What one user may do in one organization, read with one query (``rights_of``), for pages that show
    buttons for several actions. Editing views still fetch what they change through the scoped querysets."""

    role: str | None
    department_id: int | None = None

    @property
    def can_manage(self) -> bool:
        return self.role in (Role.ADMIN, SUPERUSER)

    @property
    def can_approve(self) -> bool:
        return self.role in (Role.EXECUTIVE, SUPERUSER)

    def can_edit_measure(self, measure) -> bool:
        """Admins: every measure; staff: measures owned by their department (``measure.owners`` prefetched)."""
        if self.can_manage:
            return True
        return self.role == Role.STAFF and any(d.pk == self.department_id for d in measure.owners.all())


def rights_of(*, user, organization: Organization) -> Rights:
    """The user's ``Rights`` in ``organization`` (superusers: every right, role "superuser")."""
    if user.is_superuser:
        return Rights(role=SUPERUSER)
    membership = membership_of(user=user, organization=organization)
    return Rights(role=membership.role, department_id=membership.department_id) if membership else Rights(role=None)
