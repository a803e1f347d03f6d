"""Pages run a fixed number of queries, whatever the number of measures, steps or owners."""
import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "args", "queries", "heading"),
    [
        ("organizations:organization_list", [], 4, "หน่วยงานของคุณ"),
        ("measures:measure_list", [], 7, "มาตรการของหน่วยงานของคุณ"),
        ("organizations:organization_detail", ["pong-nam-ron"], 10, "เทศบาลตำบลโป่งน้ำร้อน"),
        ("assessments:assessment_detail", ["pong-nam-ron", 2566], 20, "ผลการประเมิน ITA ปีงบประมาณ 2566"),
        ("measures:plan_detail", ["pong-nam-ron", 2567], 16, "แผนมาตรการ ปีงบประมาณ 2567"),
        ("measures:plan_detail", ["mueang-phalai", 2566], 15, "แผนมาตรการ ปีงบประมาณ 2566"),  # 25 measures, 52 steps
    ],
)
def test_page_query_count_is_pinned(demo_client, django_assert_num_queries, name, args, queries, heading):
    with django_assert_num_queries(queries):
        response = demo_client.get(reverse(name, args=args))
    assert f"<h1>{heading}</h1>" in response.content.decode()
