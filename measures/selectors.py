"""Reads of measure plans and measures, scoped to organizations the user belongs to."""
from django.db.models import Prefetch, QuerySet

from organizations.models import Organization
from organizations.selectors import organizations_for_user

from .models import Measure, MeasurePlan, ProgressEntry, ProgressReport


def measures_for_plan(*, plan: MeasurePlan) -> list[Measure]:
    """The measures of ``plan`` in order, each with ``latest_entry`` set: its entry in the latest report
    (by period end), or None."""
    entries = ProgressEntry.objects.select_related("report").order_by("report__period_end")
    measures = list(
        plan.measures.prefetch_related(
            "steps", "owners", "indicators", "findings", Prefetch("progress_entries", queryset=entries)
        )
    )
    for measure in measures:
        reported = list(measure.progress_entries.all())
        measure.latest_entry = reported[-1] if reported else None
    return measures


def reports_for_plan(*, plan: MeasurePlan) -> QuerySet[ProgressReport]:
    """Progress reports of ``plan`` in period order, entries and their measures prefetched."""
    return plan.progress_reports.prefetch_related(
        Prefetch("entries", queryset=ProgressEntry.objects.select_related("measure"))
    )


def measures_for_user(*, user) -> QuerySet[Measure]:
    """Every measure of every organization ``user`` belongs to, for the measure list."""
    return (
        Measure.objects.filter(plan__organization__in=organizations_for_user(user=user).values("pk"))
        .select_related("plan__organization")
        .prefetch_related("owners", "indicators")
        .order_by("plan__organization__name", "-plan__fiscal_year", "number")
    )


def plan_for_organization(*, organization: Organization, fiscal_year: int) -> QuerySet[MeasurePlan]:
    """The plan of ``organization`` for ``fiscal_year`` as a queryset (empty when none)."""
    return organization.measure_plans.filter(fiscal_year=fiscal_year).select_related("assessment")
