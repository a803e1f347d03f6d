"""``core.tables.LeanTable`` renders the same cells as django-tables2 does, only faster."""
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django_tables2 import RequestConfig

from dashboards.overview import overview_rows
from dashboards.tables import OverviewTable
from measures.choices import Status
from measures.models import Measure
from measures.selectors import measure_rows, measures_for_user
from measures.tables import MeasureTable


def _cells(html: str) -> list[list[str]]:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [[" ".join(cell.split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)] for row in rows]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["measures", "overview"])
def test_the_lean_body_has_the_cells_django_tables2_renders(demo_user, kind):
    request = RequestFactory().get("/", {"per_page": 100})
    request.user = demo_user
    # One late measure, so that the overdue badge is among the cells compared (the seed's 2568 measures are all
    # reported without a status, which is never late).
    Measure.objects.filter(plan__organization__slug="khok-ma", number=1).update(latest_status=Status.IN_PROGRESS)
    if kind == "measures":
        table = MeasureTable(measure_rows(measures_for_user(user=demo_user)))
    else:
        table = OverviewTable(overview_rows(user=demo_user, fiscal_year=2568), fiscal_year=2568)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    context = {"table": table, "request": request}
    ours = _cells(render_to_string("inc/lean_table.html", context))
    theirs = _cells(render_to_string("django_tables2/table.html", context))
    assert ours == theirs
    assert len(ours) == (65 if kind == "measures" else 5)
    assert any("เลยกำหนด" in cell or "badge overdue" in cell for row in ours for cell in row)


def _head_and_pages(html: str) -> str:
    """The ``<thead>`` and the page links of a rendered table, whitespace between tags and in text folded."""
    head = html.split("<thead", 1)[1].split("</thead>", 1)[0]
    pages = html.split('<ul class="pagination">', 1)[1].split("</ul>", 1)[0] if "pagination" in html else ""
    folded = re.sub(r"\s+>", ">", re.sub(r">\s+", ">", re.sub(r"\s+<", "<", head + "|" + pages)))
    return re.sub(r"\s+", " ", folded)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "query"), [
    ("measures", {"per_page": 10}),  # first page: no "previous"
    ("measures", {"per_page": 10, "page": 3, "sort": "-title", "q": "มาตรการ & <ทดสอบ>"}),  # a query to escape
    ("measures", {"per_page": 10, "page": 7, "sort": "organization"}),  # the last page: no "next"
    ("measures", {"per_page": 100}),  # one page: no page links at all
    ("overview", {"per_page": 2, "page": 2, "sort": "-ita"}),
])
def test_the_lean_head_and_page_links_are_django_tables2s(demo_user, kind, query):
    request = RequestFactory().get("/", query)
    request.user = demo_user
    if kind == "measures":
        table = MeasureTable(measure_rows(measures_for_user(user=demo_user)))
    else:
        table = OverviewTable(overview_rows(user=demo_user, fiscal_year=2568), fiscal_year=2568)
    RequestConfig(request, paginate={"per_page": query["per_page"]}).configure(table)
    context = {"table": table, "request": request}
    ours = _head_and_pages(render_to_string("inc/lean_table.html", context))
    theirs = _head_and_pages(render_to_string("django_tables2/table.html", context))
    assert ours == theirs
    assert ours.count('<th') == len(table.columns) and 'class="orderable"' in ours
    if query.get("page", 1) > 1:
        assert '<li class="previous"><a href="?' in ours and "page=" in ours
    if query["per_page"] == 100:
        assert ours.endswith("|")  # no page links


def test_the_plain_select_writes_the_html_of_djangos_select():
    from django import forms

    from core.forms import PlainSelect

    choices = [("", "---------"), ("บุรีรัมย์", "บุรีรัมย์"), ("a&b", "<เอ>")]
    for value in ("", "บุรีรัมย์", "a&b"):
        ours = PlainSelect(choices=choices).render("province", value, attrs={"id": "id_province"})
        theirs = forms.Select(choices=choices).render("province", value, attrs={"id": "id_province"})
        assert ours == re.sub(r">\s+<", "><", theirs.strip()), value
