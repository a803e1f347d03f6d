"""Remembered page positions of an overseer's measure list (issue 23 §2, keyset pagination): a page read again, or
the page after one read, starts from the sort values of its first row rather than skipping the rows before it; it
shows exactly the rows that OFFSET paging shows while the data does not change, and current rows when it does."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import DeferredPageQuerySet
from measures.models import Measure
from tests.factories import OversightScopeFactory
from tests.helpers.pages import text

SORTS = ["", "-organization", "fiscal_year", "-number", "title", "timeframe", "status", "-overdue"]
URL = "measures:measure_list"


def _keys(response) -> list[int]:
    return [row.record["pk"] for row in response.context["table"].paginated_rows]


@pytest.fixture
def overseer(client):
    client.force_login(OversightScopeFactory(province="").user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("sort", SORTS)
def test_pages_read_again_from_their_positions_show_the_rows_of_offset_paging(overseer, sort):
    url = reverse(URL)
    whole = _keys(overseer.get(url, {"per_page": 500, "sort": sort}))
    assert len(whole) == Measure.objects.count() == 65  # the five seeds' measures
    for _round in range(2):  # the first pages every page by OFFSET; the second starts each from its position
        paged = []
        for page in range(1, 5):
            paged += _keys(overseer.get(url, {"per_page": 17, "sort": sort, "page": page}))
        assert paged == whole


@pytest.mark.django_db
def test_a_remembered_deep_page_skips_no_rows_and_says_since_when(overseer, django_assert_num_queries):
    url = reverse(URL)
    first = overseer.get(url, {"per_page": 10, "page": 3})
    assert "page-position" not in first.content.decode()  # read by OFFSET: exact, nothing to say
    # Session, user, scopes, the top bar, the page's rows, their owners and indicators (one query; the count: cached).
    with django_assert_num_queries(6), CaptureQueriesContext(connection) as captured:
        again = overseer.get(url, {"per_page": 10, "page": 3})
    assert _keys(again) == _keys(first)
    rows_sql = [q["sql"] for q in captured.captured_queries if "measures_measure" in q["sql"]
                and "timeframe_text" in q["sql"]]
    assert len(rows_sql) == 1 and "OFFSET" not in rows_sql[0] and " IN (SELECT " not in rows_sql[0]
    said = text(again.content.decode())
    assert "หน้านี้เริ่มจากตำแหน่งที่จำไว้เมื่อ" in said and "ระบบจำตำแหน่งของหน้าไว้ 5 นาที" in said
    # The page after a page read starts from the row read one ahead: no OFFSET either.
    with CaptureQueriesContext(connection) as captured:
        following = overseer.get(url, {"per_page": 10, "page": 4})
    assert not [q for q in captured.captured_queries if "OFFSET" in q["sql"]]
    everything = list(Measure.objects.order_by("plan__organization__name", "-plan__fiscal_year", "number", "pk")
                      .values_list("pk", flat=True))
    assert _keys(following) == everything[30:40]


@pytest.mark.django_db
def test_a_remembered_page_shows_current_rows(overseer):
    url = reverse(URL)
    before = _keys(overseer.get(url, {"per_page": 10, "page": 2}))
    Measure.objects.filter(pk=before[4]).delete()  # soft delete: the row leaves the list
    Measure.all_objects.filter(pk=before[0]).update(title="แก้ชื่อมาตรการแล้ว")
    again = overseer.get(url, {"per_page": 10, "page": 2})
    order = list(Measure.objects.order_by("plan__organization__name", "-plan__fiscal_year", "number", "pk")
                 .values_list("pk", flat=True))
    start = order.index(before[0])
    assert _keys(again) == order[start:start + 10]  # from the remembered first row: the deleted one gone, one more
    assert before[4] not in _keys(again) and "แก้ชื่อมาตรการแล้ว" in again.content.decode()


@pytest.mark.django_db
def test_a_members_pages_are_never_remembered(demo_client):
    url = reverse(URL)
    demo_client.get(url, {"per_page": 10, "page": 3})
    with CaptureQueriesContext(connection) as captured:
        again = demo_client.get(url, {"per_page": 10, "page": 3})
    assert "page-position" not in again.content.decode()
    assert [q for q in captured.captured_queries if "OFFSET" in q["sql"]]


@pytest.mark.django_db
def test_a_sort_on_a_column_that_may_be_null_is_read_by_offset():
    """``timeframe_end`` may be NULL: no position can be compared in it, so its slices are read by OFFSET."""
    rows = DeferredPageQuerySet.of(Measure.objects.order_by("timeframe_end", "pk").values("pk", "timeframe_end"))
    rows = rows.remembering(300)
    expected = list(Measure.objects.order_by("timeframe_end", "pk").values_list("pk", flat=True)[10:15])
    for _round in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert [row["pk"] for row in rows[10:15]] == expected
        assert "OFFSET" in captured.captured_queries[0]["sql"]
    by_title = DeferredPageQuerySet.of(Measure.objects.order_by("-title", "pk").values("pk", "title")).remembering(300)
    list(by_title[10:15])
    with CaptureQueriesContext(connection) as captured:
        assert [row["pk"] for row in by_title[10:15]] == list(
            Measure.objects.order_by("-title", "pk").values_list("pk", flat=True)[10:15])
    assert "OFFSET" not in captured.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_a_measure_added_after_a_pages_last_row_opens_the_next_page():
    """Page 3 starts after page 2's last row, not at the row read one ahead: a measure added between them since is
    shown, never skipped (as OFFSET paging would show it)."""

    def rows():
        return DeferredPageQuerySet.of(Measure.objects.order_by("title", "pk").values("pk", "title")).remembering(300)

    page_2 = list(rows()[10:21])  # ten rows and the one ahead, as LazyPaginator reads page 2 of 10
    last, ahead = page_2[9], page_2[10]
    assert last["title"] != ahead["title"]  # the seeds' titles: the boundary falls between two different ones
    added = Measure.objects.get(pk=last["pk"])
    added.pk, added.number, added.title = None, 999, last["title"]  # sorts right after ``last`` (a larger pk)
    added.save()
    with CaptureQueriesContext(connection) as captured:
        page_3 = [row["pk"] for row in rows()[20:31]]
    assert "OFFSET" not in captured.captured_queries[0]["sql"]
    assert page_3[0] == added.pk and page_3[1] == ahead["pk"]
    assert page_3 == list(Measure.objects.order_by("title", "pk").values_list("pk", flat=True)[20:31])
