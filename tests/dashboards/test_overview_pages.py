"""The overview at any depth (issue 23 §2): its sorts by ITA, level and change read the rows with a value in the
order of an index and the others after them; the rows' count is shown; the filtered figures read one index."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, IndicatorScore
from dashboards.overview import overview_rows, trend, year_figures
from dashboards.tables import OverviewTable
from organizations.models import Organization
from tests.dashboards.test_overview import YEAR, _figure, _overview, _row_names, ranked  # noqa: F401 (fixture)
from tests.factories import OversightScopeFactory

WITH_SCORE_BY_ITA = ["องค์การบริหารส่วนตำบลอี", "เทศบาลตำบลบี", "เทศบาลตำบลเอ", "เทศบาลตำบลซี", "เทศบาลตำบลดี"]


@pytest.fixture
def national(client, ranked):  # noqa: F811 (the fixture imported above)
    client.force_login(OversightScopeFactory(province="").user)
    return client


def _without_score() -> list[str]:
    """Every organization without a score of 2569 (the seeds' five and เอฟ), by name as the database sorts."""
    return list(Organization.objects.exclude(assessments__fiscal_year=YEAR, assessments__score__isnull=False)
                .order_by("name", "pk").values_list("name", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("per_page", [2, 3, 4, 100])
def test_pages_sorted_by_ita_give_the_scored_organizations_then_the_others_by_name(national, per_page):
    expected = WITH_SCORE_BY_ITA + _without_score()
    names, page = [], 1
    while len(names) < len(expected):
        rows = _row_names(_overview(national, sort="-ita", per_page=per_page, page=page))
        assert rows, page
        names += rows
        page += 1
    assert names == expected


@pytest.mark.django_db
def test_an_ascending_sort_keeps_the_organizations_without_a_result_last(national):
    names = _row_names(_overview(national, sort="level", per_page=100))
    assert names[-len(_without_score()) + 1:] == [n for n in _without_score() if n != "เทศบาลตำบลเอฟ"]
    everyone_by_name = list(Organization.objects.order_by("name", "pk").values_list("name", flat=True))
    assert _row_names(_overview(national, sort="-change", per_page=100)) == everyone_by_name  # no change in 2569


@pytest.mark.django_db
def test_the_overview_says_how_many_organizations_the_filters_keep(national):
    everyone = Organization.objects.count()
    assert _figure(_overview(national, sort="-ita").content.decode(), "rows") == str(everyone)
    page = _overview(national, province="บุรีรัมย์").content.decode()
    assert _figure(page, "rows") == str(Organization.objects.filter(province="บุรีรัมย์").count()) == "6"
    assert "รายการนี้มี" in page


@pytest.mark.django_db
def test_a_sorted_page_reads_only_the_part_it_shows(national, django_assert_num_queries):
    # The overview's 16 queries (test_overview) and the rows' count; the first page of the scored part is one query.
    others = _without_score()
    with django_assert_num_queries(17):
        _overview(national, sort="-ita", per_page=2)
    # A page across the end of the scored part reads the rest from the other part: one query more. A page past it
    # counts the scored part first: two more.
    with django_assert_num_queries(13):  # the figures from the cache now
        assert _row_names(_overview(national, sort="-ita", per_page=2, page=3)) == \
            [WITH_SCORE_BY_ITA[4], others[0]]
    with django_assert_num_queries(14):
        assert _row_names(_overview(national, sort="-ita", per_page=2, page=4)) == others[1:3]


@pytest.mark.django_db
def test_the_export_sorted_by_ita_has_every_organization_once(national):
    content = b"".join(_overview(national, _export="csv", sort="-ita").streaming_content).decode("utf-8-sig")
    names = [line.split(",", 1)[0] for line in content.splitlines()[1:]]
    assert names == WITH_SCORE_BY_ITA + _without_score()


@pytest.mark.django_db
def test_a_filtered_overview_reads_a_fixed_number_of_queries(national, django_assert_num_queries):
    # As the unfiltered page (16 with the count), but the figures come from the rows: the framework (3), the
    # totals and levels in one query, the indicators below the target, the targets of the years and the trend.
    with django_assert_num_queries(18):
        response = _overview(national, level="ผ่านดีเยี่ยม")
    assert _figure(response.content.decode(), "assessed") == "3"


# PostgreSQL: the plans. Sorts are disabled (enable_sort) and so are sequential scans, so that a plan that still
# sorts every row has no index that could give the order: the test sees what the index makes possible, not what
# the planner prefers for six rows.

def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize(("sort", "index"), [("-ita", "assessment_year_score"), ("ita", "assessment_year_score"),
                                             ("level", "assessment_year_level"),
                                             ("-change", "assessment_year_change")])
def test_the_sorted_overview_reads_the_scored_rows_in_the_order_of_an_index(ranked, sort, index):  # noqa: F811
    user = OversightScopeFactory(province="").user
    table = OverviewTable(overview_rows(user=user, fiscal_year=YEAR), fiscal_year=YEAR, order_by=sort)
    sql, params = table.data.data.with_value[:50].query.sql_with_params()
    plan = _plan(sql, params)
    assert index in plan
    # Only the ties of a value are sorted (an incremental sort), never every organization of the year.
    assert not re.search(r"^\s*(->\s+)?Sort\s+\(", plan, re.MULTILINE), plan
    assert "Presorted Key: result." in plan, plan


def _index_columns(model, name: str) -> set[str]:
    index = next(index for index in model._meta.indexes if index.name == name)
    return {model._meta.get_field(field).column for field in index.fields}


@pytest.mark.django_db
def test_the_filtered_figures_and_trend_read_only_columns_that_one_index_holds(ranked):  # noqa: F811
    """What lets PostgreSQL answer them from the index alone (an index-only scan; on the national dataset the
    trend of 3,612 organizations fell from 13,448 visits of wide result rows to none)."""
    user = OversightScopeFactory(province="").user
    rows = overview_rows(user=user, fiscal_year=YEAR).filter(level="ผ่านดี")
    with CaptureQueriesContext(connection) as captured:
        figures = year_figures(user=user, fiscal_year=YEAR, rows=rows, filtered=True)
        points = trend(user=user, rows=rows, filtered=True)
    assert (figures.organizations, points[-1].fiscal_year, points[-1].scored) == (1, YEAR, 1)
    covered = {'"assessments_assessment"': _index_columns(Assessment, "assessment_org_year_figures"),
               '"assessments_indicatorscore"': _index_columns(IndicatorScore, "indicator_score_below")}
    reads = [q["sql"] for q in captured.captured_queries if re.search(r'FROM "assessments_(assessment|indicatorscore)"',
                                                                      q["sql"])]
    assert len(reads) == 3  # the year's totals and levels, the indicators below the target, the trend
    for sql in reads:
        for table, columns in covered.items():
            read = set(re.findall(table + r'\."(\w+)"', sql))
            assert read <= columns, (table, read - columns)
