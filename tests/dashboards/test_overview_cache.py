"""The overview's cached body (issue 23 §6, issue 20 §5): it is keyed by the version of every table it reads, which
database triggers change with any write (``dashboards.versions``), and by the measure counts of its page's
organizations, read on every request. So a second request builds nothing, and any change to what the page shows —
through a service, a bulk ``update()`` or a raw statement no service knows about — shows on the very next request."""
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from assessments.models import Assessment
from assessments.services import assessment_scores_refresh
from dashboards import views
from dashboards.versions import VERSIONED_TABLES, data_version
from measures.choices import Status
from measures.models import Measure
from measures.services import measure_statuses_refresh
from oit.models import Checklist
from organizations.models import Organization, OversightScope
from tests.factories import (
    ChecklistFactory,
    MeasureFactory,
    MeasurePlanFactory,
    MembershipFactory,
    OversightScopeFactory,
)

YEAR = 2569  # the ``ranked`` organizations' year (conftest.py)
TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.I)
# Read on every request, never cached: the measure counts of the page's organizations (with their plans).
FRESH_TABLES = {"measures_measure", "measures_measureplan"}
VARIANTS = [
    {},
    {"sort": "-ita", "page": "2", "per_page": "2"},
    {"level": "ผ่านดีเยี่ยม"},
    {"oit_below": "50"},
    {"dead_links": "yes", "province": "บุรีรัมย์"},
    {"q": "เทศบาล", "sort": "-change"},
]


def _overview(client, **params):
    return client.get(reverse("dashboards:overview"), {"fiscal_year": YEAR, **params})


def _page(response) -> str:
    """The page without what differs between two requests of the same page (the CSRF token, the CSP nonce)."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'nonce="[^"]*"', "", page)


def _cell(response, name: str, column: str) -> str:
    """The text of ``column``'s cell in the row of the organization named ``name`` (the page's HTML)."""
    headers = [strip_tags(h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", _table(response), re.S)]
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", _table(response), re.S):
        cells = [" ".join(strip_tags(c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells and cells[0].startswith(name):
            return cells[headers.index(column)]
    raise AssertionError(f"no row of {name}")


def _table(response) -> str:
    return response.content.decode().split('<table class="table overview"', 1)[1].split("</table>", 1)[0]


def _figure(response, name: str) -> str:
    return response.content.decode().split(f'data-figure="{name}">', 1)[1].split("<", 1)[0]


@pytest.fixture
def national(client, ranked):
    client.force_login(OversightScopeFactory(province="").user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("params", VARIANTS)
def test_every_table_the_overview_reads_is_versioned(ranked, params):
    """Fails when the overview starts reading a table whose writes would not change the data's version."""
    ChecklistFactory(organization=ranked["a"], item_list__fiscal_year=YEAR)
    MeasureFactory(plan=MeasurePlanFactory(organization=ranked["a"], fiscal_year=YEAR))
    for user in (OversightScopeFactory(province="").user, OversightScopeFactory(province="บุรีรัมย์").user):
        request = RequestFactory().get(reverse("dashboards:overview"), {"fiscal_year": YEAR, **params})
        request.user = user
        with CaptureQueriesContext(connection) as queries:
            context, _table = views._overview_parts(request, version=None)
            views.render_to_string("dashboards/inc/overview_body.html", context, request=request)
        read = {table for query in queries.captured_queries for table in TABLE.findall(query["sql"])}
        assert {"organizations_organization", "assessments_assessment"} <= read
        assert read <= set(VERSIONED_TABLES) | FRESH_TABLES, f"not versioned: {read - set(VERSIONED_TABLES)}"


@pytest.mark.django_db
def test_every_versioned_table_has_the_triggers_and_any_write_changes_the_version(ranked):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE t.tgname = 'ita_data_version'")
            triggered = {name for (name,) in cursor.fetchall()}
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                           "AND name LIKE 'ita_data_version_%'")
            triggered = {name for (name,) in cursor.fetchall()}
    assert set(VERSIONED_TABLES) <= triggered
    OversightScopeFactory(province="สุรินทร์")
    MembershipFactory(organization=ranked["a"])
    ChecklistFactory(organization=ranked["a"], item_list__fiscal_year=YEAR)
    for table in VERSIONED_TABLES:  # one row rewritten as it was, by a raw statement, twice in one transaction
        for _ in range(2):
            before = data_version()
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET id = id WHERE id = (SELECT MIN(id) FROM {table})")
            assert data_version() != before, table


@pytest.mark.django_db
def test_a_second_request_is_the_same_page_from_the_cache(national, django_assert_num_queries):
    first = _overview(national, sort="-ita")
    # Session, user, oversight scopes, the top bar's link, the data's version, the measure counts of the page.
    with django_assert_num_queries(6):
        second = _overview(national, sort="-ita")
    assert _page(second) == _page(first)
    assert "table" not in second.context  # built from nothing
    assert _page(_overview(national, sort="ita")) != _page(first)  # another query, another body


@pytest.mark.django_db
def test_a_score_refreshed_by_the_service_shows_at_once(national, ranked):
    assert _cell(_overview(national), "เทศบาลตำบลซี", "คะแนน ITA") == "90.00"
    Assessment.objects.filter(organization=ranked["c"]).update(official_score=Decimal("97.50"))
    assessment_scores_refresh(assessment=Assessment.objects.get(organization=ranked["c"]))
    response = _overview(national)
    assert _cell(response, "เทศบาลตำบลซี", "คะแนน ITA") == "97.50"
    assert _cell(response, "เทศบาลตำบลซี", "ลำดับในประเภทเดียวกัน") == "1 จาก 4"


@pytest.mark.django_db
def test_a_score_written_around_the_services_shows_at_once(national, ranked):
    before = _overview(national, level="ผ่านดีเยี่ยม")
    assert "เทศบาลตำบลซี" not in _table(before)
    with connection.cursor() as cursor:  # a raw statement no service knows about
        cursor.execute("UPDATE assessments_assessment SET level = 'ผ่านดีเยี่ยม' WHERE organization_id = %s",
                       [ranked["c"].pk])
    assert "เทศบาลตำบลซี" in _table(_overview(national, level="ผ่านดีเยี่ยม"))


@pytest.mark.django_db
def test_checklist_counts_and_dead_links_show_at_once(national, ranked):
    checklist = ChecklistFactory(organization=ranked["a"], item_list__fiscal_year=YEAR)
    Checklist.objects.filter(pk=checklist.pk).update(items_ready=1, items_total=4)
    response = _overview(national)
    assert _cell(response, "เทศบาลตำบลเอ", "ข้อ OIT ที่พร้อม") == "1/4"
    assert _figure(response, "oit-dead") == "0"
    # As a finished readiness check leaves them (oit.results.checklist_counts_refresh: one UPDATE).
    Checklist.objects.filter(pk=checklist.pk).update(items_ready=3, dead_link_count=2, problem_count=2)
    response = _overview(national)
    assert _cell(response, "เทศบาลตำบลเอ", "ข้อ OIT ที่พร้อม") == "3/4"
    assert (_cell(response, "เทศบาลตำบลเอ", "ลิงก์เสีย OIT"), _figure(response, "oit-dead")) == ("2", "1")
    assert "เทศบาลตำบลเอ" in _table(_overview(national, dead_links="yes"))


@pytest.mark.django_db
def test_measure_statuses_show_at_once_and_only_they_are_read_again(national, ranked, django_assert_num_queries):
    plan = MeasurePlanFactory(organization=ranked["a"], fiscal_year=YEAR)
    measures = [MeasureFactory(plan=plan, number=n) for n in (1, 2)]
    measure_statuses_refresh(measures=Measure.objects.filter(plan=plan))
    assert _cell(_overview(national), "เทศบาลตำบลเอ", "มาตรการที่ดำเนินการแล้วเสร็จ") == "0/2 (0 %)"
    Measure.objects.filter(pk=measures[0].pk).update(latest_status=Status.DONE)  # no version changes
    # The counts differ from the body's: built again (18 queries with nothing cached, test_overview.py), but the
    # figures, the provinces and the ranks' totals are still cached under the data's version.
    with django_assert_num_queries(12):
        response = _overview(national)
    assert _cell(response, "เทศบาลตำบลเอ", "มาตรการที่ดำเนินการแล้วเสร็จ") == "1/2 (50 %)"
    with django_assert_num_queries(6):
        assert _page(_overview(national)) == _page(response)


@pytest.mark.django_db
def test_names_and_scopes_show_at_once(client, ranked):
    scope = OversightScopeFactory(province="สุรินทร์")
    client.force_login(scope.user)
    assert "เทศบาลตำบลบี" in _table(_overview(client)) and "เทศบาลตำบลเอ" not in _table(_overview(client))
    Organization.objects.filter(pk=ranked["b"].pk).update(name="เทศบาลตำบลบีใหม่")
    assert "เทศบาลตำบลบีใหม่" in _table(_overview(client))
    OversightScope.objects.filter(pk=scope.pk).update(province="บุรีรัมย์")
    page = _table(_overview(client))
    assert "เทศบาลตำบลเอ" in page and "เทศบาลตำบลบีใหม่" not in page
