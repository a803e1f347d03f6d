"""Reads of organizations, always scoped to what the user may see."""
from django.db.models import Count, QuerySet

from .models import Organization


def organizations_for_user(*, user) -> QuerySet[Organization]:
    """Organizations ``user`` is a member of (all of them for a superuser), with counts for lists.

    Every view that takes an organization slug looks it up in this queryset, so a user of another
    organization gets 404.
    """
    qs = Organization.objects.all()
    if not user.is_superuser:
        qs = qs.filter(memberships__user=user)
    return qs.annotate(
        assessment_count=Count("assessments", distinct=True), plan_count=Count("measure_plans", distinct=True)
    ).order_by("name")
