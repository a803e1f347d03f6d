"""Deep pages of the measure list (issue 23 §2): a page with an offset reads the keys of the rows it skips from an
index, then its own rows, and shows exactly the rows that plain LIMIT/OFFSET paging would."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import DeferredPageQuerySet
from measures.models import Measure

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
    for page in (1, 3):  # session, user, scopes, the top bar, the page's rows, their owners and indicators
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
