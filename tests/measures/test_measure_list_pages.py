"""Deep pages of the measure list (issue 23 §2): a page with an offset reads the keys of the rows it skips from an
index, then its own rows, and shows exactly the rows that plain LIMIT/OFFSET paging would."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import DeferredPageQuerySet
from measures.models import Measure
from tests.factories import OversightScopeFactory
from tests.helpers.database import explain_with_indexes_only

SORTS = ["", "-organization", "fiscal_year", "-number", "title", "timeframe", "status", "-overdue"]


def _keys(response) -> list[int]:
    return [row.record["pk"] for row in response.context["table"].paginated_rows]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", SORTS)
def test_every_page_of_every_sort_shows_the_rows_of_the_whole_list_in_order(demo_client, sort):
    url = reverse("measures:measure_list")
    whole = _keys(demo_client.get(url, {"per_page": 500, "sort": sort}))
    assert len(whole) == Measure.objects.count() == 65  # the five seeds' measures
    paged = []
    for page in range(1, 5):
        paged += _keys(demo_client.get(url, {"per_page": 17, "sort": sort, "page": page}))
    assert paged == whole


@pytest.mark.django_db
def test_a_deep_page_costs_the_queries_of_the_first(demo_client, django_assert_num_queries):
    url = reverse("measures:measure_list")
    # Session, user, scopes, the top bar, the page's rows, their owners and indicators (one query), the rows' count
    # (a member's: counted on each request).
    for page in (1, 3):
        with django_assert_num_queries(7):
            response = demo_client.get(url, {"per_page": 20, "page": page})
        assert len(_keys(response)) == 20


@pytest.mark.django_db
def test_a_slice_with_an_offset_reads_the_page_by_its_keys():
    rows = DeferredPageQuerySet.of(Measure.objects.order_by("title", "pk").values("pk", "title"))
    with CaptureQueriesContext(connection) as captured:
        page = list(rows[10:15])
    assert [row["pk"] for row in page] == list(Measure.objects.order_by("title", "pk").values_list("pk", flat=True)
                                              [10:15])
    assert len(captured.captured_queries) == 1 and " IN (SELECT " in captured.captured_queries[0]["sql"]
    assert list(rows[:3]) == list(Measure.objects.order_by("title", "pk").values("pk", "title")[:3])


@pytest.mark.django_db
def test_a_member_sees_the_exact_number_of_measures_the_filters_keep(demo_client):
    url = reverse("measures:measure_list")
    page = demo_client.get(url).content.decode()
    assert 'รายการนี้มี <span data-figure="rows">65</span> มาตรการ' in page and "นับเมื่อ" not in page
    done = Measure.objects.filter(latest_status="done").count()
    assert f'<span data-figure="rows">{done}</span>' in demo_client.get(url, {"status": "done"}).content.decode()


@pytest.mark.django_db
def test_an_overseer_sees_a_count_reused_for_five_minutes_and_told_when_it_was_made(client):
    from tests.factories import OversightScopeFactory

    client.force_login(OversightScopeFactory(province="").user)
    url = reverse("measures:measure_list")
    first = client.get(url).content.decode()
    assert '<span data-figure="rows">65</span> มาตรการ' in first and "นับใหม่ทุก 5 นาที" in first
    Measure.objects.filter(number=1).delete()  # five measures gone from the list at once
    again = client.get(url).content.decode()
    assert '<span data-figure="rows">65</span> มาตรการ' in again  # the count made at the time the page states
    assert len(_keys(client.get(url, {"per_page": 100}))) < 65  # the rows themselves are current


def _keys_plan(user, query: str, page: int) -> str:
    """The plan PostgreSQL makes for the keys of ``page`` (50 a page) of ``user``'s measure list filtered by
    ``query``, with sorts, sequential scans and bitmap scans off (the seeds' few rows: the test sees what the indexes
    make possible, not what the planner prefers for few rows)."""
    from django.db.models.query import QuerySet
    from django.http import QueryDict

    from measures.filtersets import MeasureFilterSet
    from measures.selectors import measure_rows, measures_for_user

    rows = measure_rows(MeasureFilterSet(QueryDict(query), queryset=measures_for_user(user=user)).qs)
    start = (page - 1) * 50
    sql, params = QuerySet.__getitem__(rows.values_list("pk", flat=True), slice(start, start + 51)).query \
        .sql_with_params()
    return explain_with_indexes_only(sql, params)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans of PostgreSQL")
def test_the_overdue_walk_reads_only_the_measures_that_can_be_late():
    """Page 500 of the overdue measures walked every measure of every plan (index ``measure_list_walk``: 78 % done,
    384 ms p95 at 8 clients). The index ``measure_late_walk`` holds only the measures that can be late
    (``measures.models.CAN_BE_LATE``, the status half of ``overdue_condition``). (``plan_organization_walk``, each
    organization's plans from the index alone, is used on the national dataset — its plan is in
    docs/benchmarks/2026-12-06-measure-list-third-round.md — not on the seeds' few plans.)"""
    national = OversightScopeFactory(province="").user
    plan = _keys_plan(national, "overdue=yes", 3)
    assert "Index Only Scan using measure_late_walk on measures_measure" in plan, plan


@pytest.mark.django_db
def test_the_filter_form_shows_each_requests_own_filters_and_errors(demo_client):
    """The form's HTML is cached by the filters and the language: each request still shows its own values, and a
    search too short its own Thai message, in Thai or in English."""
    url = reverse("measures:measure_list")
    for _round in range(2):
        first = demo_client.get(url, {"q": "จัดซื้อ", "page": 1}).content.decode()
        assert 'value="จัดซื้อ"' in first and "ค้นหา" in first
        other = demo_client.get(url, {"q": "ประชุม", "status": "done"}).content.decode()
        assert 'value="ประชุม"' in other and 'value="จัดซื้อ"' not in other
        assert '<option value="done" selected>' in other
        short = demo_client.get(url, {"q": "ab"}).content.decode()
        assert "พิมพ์คำค้นอย่างน้อย 3 ตัวอักษรติดกัน (ไม่นับช่องว่าง) จึงจะค้นหาได้" in short
    demo_client.post(reverse("set_language"), {"language": "en", "next": url})
    english = demo_client.get(url, {"q": "ab"}).content.decode()
    assert "Type at least 3 characters in a row to search." in english and 'value="ab"' in english
