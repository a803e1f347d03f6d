"""The overview of many organizations, ranks, oversight scopes and stored scores (issue 9 points 2, 4, 5)."""
import csv
import io
import json
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from approvals.models import Transition
from assessments.models import Assessment, IndicatorScore
from assessments.services import scores_refresh
from dashboards.overview import overview_rows, trend, year_figures
from dashboards.tables import OverviewTable
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport
from memos.models import IssuedDocument, Memo, RoutingStep
from oit.models import Checklist, ChecklistEntry, Evidence
from organizations.choices import OrganizationKind, Role
from organizations.models import Department, Membership, Official, Organization
from tests.factories import AssessmentFactory, MembershipFactory, OrganizationFactory, OversightScopeFactory
from tests.helpers.database import explain_with_indexes_only
from tests.helpers.urls import khok_ma_named_urls, khok_ma_urls

YEAR = 2569  # no seed organization has an assessment of 2569: ``ranked`` (conftest.py) is the whole year


def _text(response) -> str:
    return " ".join(unescape(strip_tags(response.content.decode())).split())


# Ranks -------------------------------------------------------------------------------------------------------


def test_ranks_are_standard_competition_ranks_within_the_kind_and_within_the_province(ranked):
    ranks = {key: Assessment.objects.values_list("rank_in_kind", "rank_in_province").get(organization=org)
             for key, org in ranked.items()}
    # Kind (tambon municipalities nationally): 95, 95, 90, 80 → 1, 1, 3, 4; the SAO is ranked among SAOs.
    # Province (Buriram, every kind): A 95, E 95, C 90, D 80 → 1, 1, 3, 4; B alone in Surin.
    assert ranks == {"a": (1, 1), "b": (1, 1), "c": (3, 3), "d": (4, 4), "e": (1, 1), "f": (None, None)}


def test_a_changed_score_moves_the_ranks_of_its_year_only(ranked):
    khok_ma_2568 = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    Assessment.objects.filter(organization=ranked["d"]).update(official_score=Decimal("96"))
    scores_refresh(fiscal_years=[YEAR])
    assert Assessment.objects.get(organization=ranked["d"]).rank_in_kind == 1
    assert Assessment.objects.get(organization=ranked["c"]).rank_in_kind == 4
    assert Assessment.objects.get(pk=khok_ma_2568.pk).rank_in_kind == khok_ma_2568.rank_in_kind == 1


def test_the_assessment_page_shows_the_computed_ranks_next_to_the_published_rank(demo_client):
    page = _text(demo_client.get(reverse("assessments:assessment_detail", args=["khok-ma", 2568])))
    assert re.search(r"คำนวณ: ลำดับที่ 1 จาก \d+ หน่วยงานประเภทเทศบาลตำบล; ลำดับที่ 1 จาก \d+ หน่วยงานในจังหวัดบุรีรัมย์",
                     page)


# The overview: figures, filters, scope ---------------------------------------------------------------------------


def _overview(client, **params):
    return client.get(reverse("dashboards:overview"), {"fiscal_year": YEAR, **params})


def _figure(page: str, name: str) -> str:
    return page.split(f'data-figure="{name}">', 1)[1].split("<", 1)[0]


def _row_names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].paginated_rows]


@pytest.mark.django_db
def test_a_national_overseer_sees_the_figures_of_the_whole_country(client, ranked):
    client.force_login(OversightScopeFactory(province="").user)
    response = _overview(client, sort="-ita")
    page = response.content.decode()
    assert (_figure(page, "assessed"), _figure(page, "mean"), _figure(page, "share")) == ("6", "91.00", "80.00 %")
    assert "เป้าหมายระดับประเทศ 80 %: บรรลุ" in _text(response)
    assert 'data-level="ผ่านดีเยี่ยม">3<' in page and 'data-level="ผ่านดี">1<' in page
    assert 'data-level="ผ่าน">0<' in page and 'data-level="ไม่ผ่าน">1<' in page
    assert 'data-indicator="9">2<' in page and 'data-indicator="1">1<' in page  # 70 and 60 < 85; 99 is not
    assert _row_names(response)[:5] == ["องค์การบริหารส่วนตำบลอี", "เทศบาลตำบลบี", "เทศบาลตำบลเอ",
                                        "เทศบาลตำบลซี", "เทศบาลตำบลดี"]  # by score, ties by name (code points)


@pytest.mark.django_db
def test_a_provincial_overseer_sees_exactly_their_province(client, ranked):
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    response = _overview(client)
    page = response.content.decode()
    assert (_figure(page, "assessed"), _figure(page, "mean"), _figure(page, "share")) == ("5", "90.00", "75.00 %")
    assert "เป้าหมายระดับประเทศ 80 %: ยังไม่บรรลุ" in _text(response)
    buriram = set(Organization.objects.filter(province="บุรีรัมย์").values_list("name", flat=True))
    assert set(_row_names(response)) == buriram == {
        "เทศบาลตำบลเอ", "เทศบาลตำบลซี", "เทศบาลตำบลดี", "องค์การบริหารส่วนตำบลอี", "เทศบาลตำบลเอฟ", "เทศบาลตำบลโคกม้า"}


@pytest.mark.django_db
def test_the_summaries_and_the_rows_give_the_same_figures(client, ranked):
    """A member of the Buriram organizations gets the figures computed from the rows; a provincial overseer gets
    them from the summaries per province and kind."""
    member = MembershipFactory(organization=ranked["a"]).user
    for key in "cdef":
        Membership.objects.create(user=member, organization=ranked[key], role=Role.EXECUTIVE)
    Membership.objects.create(user=member, organization=Organization.objects.get(slug="khok-ma"), role=Role.CLERK)
    overseer = OversightScopeFactory(province="บุรีรัมย์").user
    pages = []
    for user in (member, overseer):
        client.force_login(user)
        pages.append(_overview(client).content.decode())
    for name in ("assessed", "mean", "share"):
        assert _figure(pages[0], name) == _figure(pages[1], name)


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "expected", "assessed", "scored"), [
    ({"kind": OrganizationKind.SAO},
     {"องค์การบริหารส่วนตำบลอี", "องค์การบริหารส่วนตำบลบ้านพราน", "องค์การบริหารส่วนตำบลเมืองพะไล"}, 1, 1),
    ({"level": "ผ่านดี"}, {"เทศบาลตำบลซี"}, 1, 1),
    ({"amphoe": "อำเภอd"}, {"เทศบาลตำบลดี"}, 1, 1),
    ({"province": "สุรินทร์"}, {"เทศบาลตำบลบี"}, 1, 1),
    ({"q": "เอฟ"}, {"เทศบาลตำบลเอฟ"}, 1, 0),
])
def test_every_overview_filter_narrows_the_rows_and_the_figures(client, ranked, params, expected, assessed, scored):
    client.force_login(OversightScopeFactory(province="").user)
    response = _overview(client, **params)
    assert set(_row_names(response)) == expected
    assert _figure(response.content.decode(), "assessed") == str(assessed)  # those with a result of 2569
    assert f"{scored} มีคะแนน" in _text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["name", "kind", "amphoe", "province", "ita", "level", "change", "rank_in_kind",
                                    "rank_in_province"])
def test_every_sortable_overview_column_sorts_both_ways(client, ranked, column):
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    orders = [_row_names(_overview(client, sort=sort)) for sort in (column, f"-{column}")]
    assert sorted(orders[0]) == sorted(orders[1]) and len(orders[0]) == 6


@pytest.mark.django_db
def test_organizations_without_a_result_sort_last_both_ways(client, ranked):
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    for sort in ("ita", "-ita"):
        names = _row_names(_overview(client, sort=sort))
        assert set(names[-2:]) == {"เทศบาลตำบลเอฟ", "เทศบาลตำบลโคกม้า"}  # neither has a result of 2569


@pytest.mark.django_db
def test_the_overview_exports_every_row_of_the_scope_as_csv_and_xlsx(client, ranked):
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    content = b"".join(_overview(client, _export="csv", sort="-ita").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["หน่วยงาน", "ประเภท", "อำเภอ", "จังหวัด", "คะแนน ITA", "ระดับผลการประเมิน",
                       "เปลี่ยนแปลงจากปีก่อน", "ลำดับในประเภทเดียวกัน", "ลำดับในจังหวัด", "มาตรการที่ดำเนินการแล้วเสร็จ",
                       "มาตรการที่เลยกำหนด", "ข้อ OIT ที่พร้อม", "ลิงก์เสีย OIT"]
    assert rows[1][:9] == ["องค์การบริหารส่วนตำบลอี", "องค์การบริหารส่วนตำบล (อบต.)", "อำเภอe", "บุรีรัมย์", "95.00",
                           "ผ่านดีเยี่ยม", "", "1", "1"]
    assert {row[0] for row in rows[1:]} == set(Organization.objects.filter(province="บุรีรัมย์")
                                               .values_list("name", flat=True))
    response = _overview(client, _export="xlsx", sort="-ita")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == rows[0] and len(values) == len(rows)
    assert values[1][:5] == ["องค์การบริหารส่วนตำบลอี", "องค์การบริหารส่วนตำบล (อบต.)", "อำเภอe", "บุรีรัมย์", 95]


@pytest.mark.django_db
def test_the_overview_shows_the_measures_of_each_organizations_plan_of_the_year(client):
    """อบต.เมืองพะไล, plan 2566: 14 of 25 done; the 11 others are overdue since 30 Sep 2566."""
    client.force_login(OversightScopeFactory(province="นครราชสีมา").user)
    response = client.get(reverse("dashboards:overview"), {"fiscal_year": 2566})
    row = next(row for row in response.context["table"].paginated_rows if row.record.slug == "mueang-phalai")
    assert (row.get_cell("done"), strip_tags(row.get_cell("overdue_count"))) == ("14/25 (56 %)", "11")


@pytest.mark.django_db
def test_the_overview_query_count_does_not_grow_with_organizations(client, ranked, django_assert_num_queries):
    client.force_login(OversightScopeFactory(province="").user)
    # Session, user, oversight scopes, the top bar's link, the data's version (dashboards.versions), fiscal years,
    # provinces, levels, the page of organizations, the measure counts of the page's organizations; the framework
    # (3 with its rules and indicators), the summaries, the trend; the year's OIT checklist figures (issue 20 §5);
    # how many the ranks are out of (issue 22 §7); the number of rows the filters keep (issue 23 §2).
    with django_assert_num_queries(18):
        _overview(client)
    # The body from the cache (tests/dashboards/test_overview_cache.py): session, user, oversight scopes, the top
    # bar's link, the data's version and the measure counts of the page's organizations.
    with django_assert_num_queries(6):
        _overview(client)
    for n in range(30):
        AssessmentFactory(organization=OrganizationFactory(province="สุรินทร์"), fiscal_year=YEAR,
                          official_score=Decimal(80 + n % 20))
    scores_refresh(fiscal_years=[YEAR])
    with django_assert_num_queries(18):  # new summaries, a new version: computed again
        response = _overview(client)
    assert _figure(response.content.decode(), "assessed") == "36"


# Home --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_of_one_organization_lands_on_its_dashboard_and_others_on_the_overview(client, executive, demo_user):
    client.force_login(executive)
    assert client.get("/")["Location"] == reverse("dashboards:organization_dashboard", args=["khok-ma"])
    for user in (demo_user, OversightScopeFactory(province="บุรีรัมย์").user):
        client.force_login(user)
        assert client.get("/")["Location"] == reverse("dashboards:overview")


# Oversight is read only, on every URL ----------------------------------------------------------------------------

READ_ONLY = {"organizations:organization_detail", "assessments:assessment_detail", "measures:plan_detail",
             "measures:measure_detail", "measures:report_detail", "measures:evidence_download",
             "reports:document_list", "reports:document_pdf", "reports:document_preview",
             "dashboards:organization_dashboard", "dashboards:organization_summary",
             "dashboards:organization_summary_pdf", "memos:memo_detail", "memos:register",
             "memos:issued_documents", "memos:memo_issued_latest", "memos:memo_issued_pdf", "memos:memo_preview",
             "memos:memo_pdf",
             "reports:render_job_create", "reports:render_job_detail", "reports:render_job_pdf",
             "oit:readiness", "oit:readiness_pdf",
             "oit:checklist_index", "oit:checklist_detail", "oit:entry_edit", "oit:evidence_download",
             "oit:results",
             "public:manage"}  # which years are public: read by overseers, published by admins only
# Having a document prepared in the background is reading it: the POST answers with the job's page (302), and
# the job is not among the rows compared below.
READ_BY_POST = {"reports:render_job_create"}
# Pages only an organization's admins may reach, 404 for everyone else (issue 18 §4: retrying a failed issue).
ADMINS_ONLY = {"memos:memo_issue_retry"}


def _database_state() -> str:
    """Every row a page of Khok Ma could change, as text."""
    models = [Organization.objects, Department.objects, Official.objects, Membership.objects, Assessment.objects,
              IndicatorScore.objects, MeasurePlan.objects, Measure.all_objects, ProgressReport.objects,
              ProgressEntry.objects, Memo.objects, RoutingStep.objects, Transition.objects,
              IssuedDocument.objects.defer("content"), Checklist.objects, ChecklistEntry.objects, Evidence.objects]
    return json.dumps([list(manager.order_by("pk").values()) for manager in models], default=str)


@pytest.mark.django_db
def test_a_provincial_overseer_reads_every_page_of_their_province_and_changes_nothing(client):
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)  # Khok Ma is in Buriram
    urls = khok_ma_named_urls()
    before = _database_state()
    for name, url in urls.items():
        response = client.get(url)
        if name in ADMINS_ONLY:
            assert response.status_code == 404, url
        elif name in READ_ONLY:
            assert response.status_code in (200, 404), url  # 404: Khok Ma's annual report has no evidence file
            if response.status_code == 200 and "html" in response["Content-Type"]:
                # a memo's printed preview names its organization in the document's metadata (author)
                assert ("เทศบาลตำบลโคกม้า" in _text(response)
                        or '<meta name="author" content="เทศบาลตำบลโคกม้า">' in response.content.decode()), url
        else:
            assert response.status_code == 403, url
            assert "ไม่มีสิทธิ์ดำเนินการนี้" in response.content.decode(), url
        posted = client.post(url, {"title": "x", "action": "approve", "name": "x"})
        assert posted.status_code in ((302,) if name in READ_BY_POST else (200, 403, 404, 405)), url
    assert _database_state() == before


@pytest.mark.django_db
def test_an_overseer_of_another_province_gets_404_on_every_url_of_khok_ma(client):
    client.force_login(OversightScopeFactory(province="นครราชสีมา").user)
    for url in khok_ma_urls():
        for response in (client.get(url), client.post(url, {"title": "x", "action": "approve"})):
            assert response.status_code == 404, url
            assert "<h1>ไม่พบหน้านี้</h1>" in response.content.decode(), url


@pytest.mark.django_db
def test_a_provincial_overseer_lists_and_exports_only_their_provinces_organizations_and_measures(client):
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    organizations = client.get(reverse("organizations:organization_list"))
    assert [row.record.slug for row in organizations.context["table"].paginated_rows] == ["khok-ma"]
    measures = client.get(reverse("measures:measure_list"), {"per_page": 200})
    listed = {row.record["plan__organization__slug"] for row in measures.context["table"].paginated_rows}
    assert listed == {"khok-ma"}
    content = b"".join(client.get(reverse("measures:measure_list"), {"_export": "csv"}).streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 1 + Measure.objects.filter(plan__organization__slug="khok-ma").count()
    assert {row[0] for row in rows[1:]} == {"เทศบาลตำบลโคกม้า"}


@pytest.mark.django_db
def test_the_trend_says_how_many_organizations_each_point_averages(client, ranked):
    """A year's mean over one organization is not a trend: under each year the charts say how many it averages."""
    client.force_login(OversightScopeFactory(province="").user)
    page = _overview(client).content.decode()
    scored = dict(Assessment.objects.filter(score__isnull=False).values("fiscal_year").annotate(
        n=Count("pk")).values_list("fiscal_year", "n"))
    assert scored[YEAR] == 5
    charts = page.split('id="h-trend"', 1)[1].split('id="trend-note"', 1)[0]
    for year, n in scored.items():
        assert charts.count(f">{n} หน่วยงาน</text>") >= 2, year  # the mean and the share chart
    assert "ใต้ปีแต่ละปีระบุจำนวนหน่วยงาน" in " ".join(strip_tags(page.split('id="trend-note"', 1)[1]).split())


# Pages at any depth (issue 23 §2): the sorts by ITA, level and change read the rows with a value in the order of an
# index and the others after them; the rows' count is shown; the filtered figures read one index. -------------------

WITH_SCORE_BY_ITA = ["องค์การบริหารส่วนตำบลอี", "เทศบาลตำบลบี", "เทศบาลตำบลเอ", "เทศบาลตำบลซี", "เทศบาลตำบลดี"]


@pytest.fixture
def national(client, ranked):
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
    # The overview's 17 queries (test_overview, with the ranks' totals) and the rows' count; the first page of the
    # scored part is one query.
    others = _without_score()
    with django_assert_num_queries(18):
        _overview(national, sort="-ita", per_page=2)
    # A page after the first counts the scored part first (an index-only count), then reads what it shows of each
    # part: one query more across the end of the scored part, and past it only the other part's rows — never the
    # scored rows it skips (core.pagination.NullsLastRows; by change, page 166 of the country: 256 → 370 ms
    # before). None of the rows past it has a rank, so the ranks' totals are not read.
    # The figures, the provinces and the ranks' totals from the cache now (under the data's version).
    with django_assert_num_queries(13):
        assert _row_names(_overview(national, sort="-ita", per_page=2, page=3)) == \
            [WITH_SCORE_BY_ITA[4], others[0]]
    with CaptureQueriesContext(connection) as queries:
        assert _row_names(_overview(national, sort="-ita", per_page=2, page=4)) == others[1:3]
    scored_rows = [q["sql"] for q in queries.captured_queries
                   if "ORDER BY" in q["sql"] and re.search(r'"score" IS NOT NULL', q["sql"])]
    assert scored_rows == [] and len(queries.captured_queries) == 12


@pytest.mark.django_db
def test_the_export_sorted_by_ita_has_every_organization_once(national):
    content = b"".join(_overview(national, _export="csv", sort="-ita").streaming_content).decode("utf-8-sig")
    names = [line.split(",", 1)[0] for line in content.splitlines()[1:]]
    assert names == WITH_SCORE_BY_ITA + _without_score()


@pytest.mark.django_db
def test_a_filtered_overview_reads_a_fixed_number_of_queries(national, django_assert_num_queries):
    # As the unfiltered page (18 with the data's version, the count and the ranks' totals), but the figures come
    # from the rows: the framework (3), the totals, levels and indicators below the target in one query (the stored
    # mask), the targets of the years and the trend.
    with django_assert_num_queries(19):
        response = _overview(national, level="ผ่านดีเยี่ยม")
    assert _figure(response.content.decode(), "assessed") == "3"


# PostgreSQL: the plans. Sorts are disabled (enable_sort) and so are sequential scans, so that a plan that still
# sorts every row has no index that could give the order: the test sees what the index makes possible, not what
# the planner prefers for six rows.

_plan = explain_with_indexes_only


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
@pytest.mark.parametrize(("sort", "index"), [("-ita", "assessment_year_score"), ("ita", "assessment_year_score"),
                                             ("level", "assessment_year_level"),
                                             ("-change", "assessment_year_change")])
def test_the_sorted_overview_reads_the_scored_rows_in_the_order_of_an_index(ranked, sort, index):
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
def test_the_filtered_figures_and_trend_read_only_columns_that_one_index_holds(ranked):
    """What lets PostgreSQL answer them from the index alone (an index-only scan; on the national dataset the
    trend of 3,612 organizations fell from 13,448 visits of wide result rows to none)."""
    user = OversightScopeFactory(province="").user
    rows = overview_rows(user=user, fiscal_year=YEAR).filter(level="ผ่านดี")
    with CaptureQueriesContext(connection) as captured:
        figures = year_figures(user=user, fiscal_year=YEAR, rows=rows, filtered=True)
        points = trend(user=user, rows=rows, filtered=True)
    assert (figures.organizations, points[-1].fiscal_year, points[-1].scored) == (1, YEAR, 1)
    covered = {'"assessments_assessment"': _index_columns(Assessment, "assessment_org_year_figures_2")}
    reads = [q["sql"] for q in captured.captured_queries if re.search(r'FROM "assessments_(assessment|indicatorscore)"',
                                                                      q["sql"])]
    # The year's totals, levels and indicators below the target (the stored mask, Assessment.indicators_below: no
    # indicator score is read), and the trend.
    assert len(reads) == 2 and "indicatorscore" not in " ".join(reads)
    for sql in reads:
        for table, columns in covered.items():
            read = set(re.findall(table + r'\."(\w+)"', sql))
            assert read <= columns, (table, read - columns)
