"""Who may do what in an organization (issue 3's role matrix, first part).

Reading is for every member (``organizations_for_user``); editing the assessment of an organization is for
its organization admins.
"""
from .choices import Role
from .models import Membership, Organization


def membership_of(*, user, organization: Organization) -> Membership | None:
    """The user's membership in ``organization``, or None."""
    return Membership.objects.filter(user=user, organization=organization).first()


def can_edit_assessments(*, user, organization: Organization) -> bool:
    """True for organization admins (and superusers)."""
    if user.is_superuser:
        return True
    membership = membership_of(user=user, organization=organization)
    return membership is not None and membership.role == Role.ADMIN
