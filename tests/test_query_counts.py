"""Pages run a fixed number of queries, whatever the number of measures, steps or owners."""
import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "args", "queries"),
    [
        ("organizations:organization_list", [], 4),
        ("measures:measure_list", [], 7),
        ("organizations:organization_detail", ["pong-nam-ron"], 10),
        ("assessments:assessment_detail", ["pong-nam-ron", 2566], 20),
        ("measures:plan_detail", ["pong-nam-ron", 2567], 14),
        ("measures:plan_detail", ["mueang-phalai", 2566], 13),  # 25 measures, 52 steps
    ],
)
def test_page_query_count_is_pinned(demo_client, django_assert_num_queries, name, args, queries):
    with django_assert_num_queries(queries):
        response = demo_client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()
