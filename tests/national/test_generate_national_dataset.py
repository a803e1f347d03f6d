"""The generated country (issue 9, point 5): a small one (50 organizations × 2 years) on the test database."""
import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from assessments.models import Assessment, IndicatorScore, ToolPartScore
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport
from national.places import geography
from national.spec import GENERATED_SLUG_PREFIX, kind_counts, largest_remainder
from oit.models import Checklist, ChecklistEntry, Problem
from organizations.models import Membership, Organization, OversightScope

SMALL = {"organizations": 50, "years": 2, "seed": 1}


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_national_dataset", **{**SMALL, **options}, stdout=out)
    return out.getvalue()


def generated() -> Organization:
    return Organization.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX)


def fingerprint() -> list:
    """What the country says, without ids: organizations, published scores, measures and statuses."""
    return [
        list(generated().order_by("slug").values_list("slug", "name", "kind", "amphoe", "province")),
        list(Assessment.objects.filter(organization__in=generated()).order_by("organization__slug", "fiscal_year")
             .values_list("fiscal_year", "official_score", "official_level", "rank")),
        list(Measure.objects.filter(plan__organization__in=generated())
             .order_by("plan__organization__slug", "plan__fiscal_year", "number")
             .values_list("title", "timeframe_start", "timeframe_end", "timeframe_text", "latest_status")),
        list(Checklist.objects.filter(organization__in=generated()).order_by("organization__slug")
             .values_list("items_ready", "items_total", "problem_count", "dead_link_count")),
    ]


def test_kind_counts_are_the_real_proportions():
    assert kind_counts(8300) == {"sao": 5312, "tambon_municipality": 2242, "town_municipality": 190,
                                 "city_municipality": 30, "pao": 76, "other": 450}
    assert sum(kind_counts(50).values()) == 50
    assert kind_counts(50)["sao"] == 32 and kind_counts(50)["other"] == 3
    assert kind_counts(30000)["pao"] == 76  # one per province at most


def test_largest_remainder_sums_to_the_total():
    assert largest_remainder(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}


def test_geography_has_the_76_provinces_and_their_878_districts():
    import random

    districts = geography(random.Random(1))
    assert len(districts) == 76 and "นครราชสีมา" in districts and "กรุงเทพมหานคร" not in districts
    assert sum(len(amphoe) for amphoe in districts.values()) == 878
    assert all(len(set(amphoe)) == len(amphoe) and amphoe[0] == f"เมือง{p}" for p, amphoe in districts.items())


@pytest.mark.django_db
def test_it_generates_a_small_country_with_stored_values_filled():
    seeds_before = list(Organization.objects.annotate(a=Count("assessments"), p=Count("measure_plans"))
                        .order_by("slug").values_list("slug", "a", "p"))
    output = generate()

    organizations = generated()
    assert Counter(organizations.values_list("kind", flat=True)) == {k: n for k, n in kind_counts(50).items() if n}
    assert organizations.values("province").distinct().count() > 10
    assert all(o.departments.count() >= 3 for o in organizations)
    assessments = Assessment.objects.filter(organization__in=organizations)
    assert assessments.count() == 100
    assert set(assessments.values_list("fiscal_year", flat=True)) == {2568, 2569}
    assert IndicatorScore.objects.filter(assessment__in=assessments).count() == 1000
    assert ToolPartScore.objects.filter(assessment__in=assessments).count() == 200  # EIT parts from 2566
    assert assessments.filter(official_score__isnull=False).count() > 80  # published for most
    # Stored by scores_refresh: computed, effective, ranks.
    assert not assessments.filter(computed_score__isnull=True).exists()
    assert not assessments.filter(score__isnull=True).exists()
    assert not assessments.filter(level="").exists()
    assert not assessments.filter(rank_in_kind__isnull=True).exists()
    assert assessments.filter(fiscal_year=2569, score_change__isnull=False).count() == 50

    plans = MeasurePlan.objects.filter(organization__in=organizations)
    assert plans.count() == 100
    measures = Measure.objects.filter(plan__in=plans)
    assert 9 <= measures.count() / 100 <= 11  # about 10 measures per plan
    for plan in plans.annotate(measure_count=Count("measures", distinct=True)):
        reports = ProgressReport.objects.filter(plan=plan)
        assert sorted(reports.values_list("round", flat=True)) == ["annual", "six_month"]
        for report in reports:
            assert report.entries.count() == plan.measure_count
        assert 8 <= plan.measure_count <= 12
    assert measures.filter(timeframe_end__isnull=True).exclude(timeframe_text="").exists()  # phrases only
    assert measures.filter(timeframe_end__isnull=False).exists()
    assert measures.filter(steps__isnull=False).distinct().count() == measures.count()
    assert measures.filter(owners__isnull=False).distinct().count() == measures.count()
    statuses = Counter(ProgressEntry.objects.filter(measure__in=measures).values_list("status", flat=True))
    assert statuses["done"] and statuses["in_progress"] and statuses["not_started"]
    # Stored by measure_statuses_refresh: the latest status (from the annual report) and the due date.
    assert not measures.filter(latest_status__isnull=True).exists()
    assert not measures.filter(due_date__isnull=True).exists()
    phrase_only = measures.filter(timeframe_end__isnull=True).select_related("plan").first()
    assert phrase_only.due_date == dt.date(phrase_only.plan.fiscal_year - 543, 9, 30)

    # OIT checklists of the last year (issue 20 §5): 26 items each, statuses of every kind, stored counts.
    checklists = Checklist.objects.filter(organization__in=organizations)
    assert checklists.count() == 50 and set(checklists.values_list("fiscal_year", flat=True)) == {2569}
    assert set(checklists.values_list("items_total", flat=True)) == {26}
    entries = ChecklistEntry.objects.filter(checklist__in=checklists)
    assert set(entries.values_list("status", flat=True)) == {"not_started", "in_progress", "ready", "submitted"}
    assert entries.filter(owners__isnull=False).distinct().count() == entries.count() == 50 * 26
    for checklist in checklists:
        assert checklist.items_ready == checklist.entries.filter(status__in=["ready", "submitted"]).count()
    assert checklists.filter(dead_link_count__gt=0).exists() and checklists.filter(problem_count=0).exists()
    assert sum(checklists.values_list("problem_count", flat=True)) == Problem.objects.filter(
        entry__checklist__in=checklists).count()
    assert "oit_checklistentry" in output

    assert list(Organization.objects.exclude(slug__startswith=GENERATED_SLUG_PREFIX)
                .annotate(a=Count("assessments"), p=Count("measure_plans"))
                .order_by("slug").values_list("slug", "a", "p")) == seeds_before  # the seeds are untouched
    assert OversightScope.objects.get(user__username="bench-national").province == ""
    assert OversightScope.objects.get(user__username="bench-province").province == "นครราชสีมา"
    executive = Membership.objects.get(user__username="bench-executive")
    assert executive.role == "executive" and executive.organization.slug.startswith(GENERATED_SLUG_PREFIX)
    assert "measures_progressentry" in output and "National dataset generated in" in output


@pytest.mark.django_db
def test_it_refuses_to_run_again_and_replace_gives_the_same_country():
    generate()
    first = fingerprint()
    with pytest.raises(CommandError, match="already holds 50 generated organizations"):
        generate()
    output = generate(replace=True)
    assert "Deleted 50 generated organizations" in output
    assert fingerprint() == first  # same seed, same country
    assert generated().count() == 50
    assert Membership.objects.filter(user__username="bench-executive").count() == 1


@pytest.mark.django_db
def test_another_seed_gives_another_country():
    generate()
    first = fingerprint()
    generate(replace=True, seed=2)
    assert fingerprint()[0] != first[0]


@pytest.mark.django_db
def test_the_default_password_is_only_used_under_local_settings(settings):
    settings.DEMO_USERS_ENABLED = False
    with pytest.raises(CommandError, match="--bench-password"):
        generate()
    assert not generated().exists()
