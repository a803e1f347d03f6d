"""The measure list's CSV export (issue 23 §4): every row, with its owners' and indicators' ids, comes from one query
(``measures.selectors.export_values``) read through a cursor, their names are looked up once each, so its queries do
not grow with the rows; and it writes the same bytes as the export it replaced (two queries per chunk of 2,000
measures for owners and indicators)."""
import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Indicator
from measures.models import Measure, MeasurePlan
from measures.selectors import export_values, with_overdue
from organizations.models import Department

# The export of the five seeds and the measure of ``odd_measure`` on 6 Dec 2026, as the export before issue 23 wrote
# it (written by that code: WRITE_GOLDEN=1 on the commit before the change).
GOLDEN = Path(__file__).parent / "data" / "measures-export-2026-12-06.csv"
DAY = dt.date(2026, 12, 6)


@pytest.fixture
def on_export_day(monkeypatch):
    """Today is ``DAY`` (the overdue column is as of today)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda value=None, timezone=None: DAY)


@pytest.fixture
def odd_measure(db) -> Measure:
    """A measure whose cells test the rules: a formula-like title, three owners saved out of their order, two
    indicators saved out of their order, other owners, a timeframe phrase and dates."""
    plan = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    measure = Measure.objects.create(plan=plan, number=30, title="=SUM(A1:A9) มาตรการทดสอบ", owner_note="ชุมชน",
                                     timeframe_text="ตลอดปี", timeframe_start=dt.date(2024, 10, 1),
                                     timeframe_end=dt.date(2025, 9, 30), due_date=dt.date(2025, 9, 30))
    departments = list(Department.objects.filter(organization=plan.organization).order_by("-order", "-name")[:3])
    measure.owners.set(departments)
    measure.indicators.set(Indicator.objects.filter(framework__fiscal_year=2568, number__in=[9, 1]).order_by("-number"))
    return measure


def _export(client) -> bytes:
    response = client.get(reverse("measures:measure_list"), {"_export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_the_csv_is_byte_for_byte_the_export_of_before(demo_client, on_export_day, odd_measure):
    content = _export(demo_client)
    if os.environ.get("WRITE_GOLDEN"):
        GOLDEN.write_bytes(content)
    assert content == GOLDEN.read_bytes()
    assert content.count(b"\n") == 1 + Measure.objects.count()  # the header and 66 measures
    assert "'=SUM(A1:A9) มาตรการทดสอบ".encode() in content


@pytest.mark.django_db
def test_the_export_runs_the_same_queries_for_66_or_306_measures(demo_client, django_assert_num_queries, odd_measure):
    # Session, user, oversight scopes, then the rows with their owners' and indicators' ids: one query; the names of
    # those owners and indicators: one query each (every row fits in one chunk of 2,000). On PostgreSQL two more: the
    # exports' longer statement limit set before the rows and reset after them (core.exports).
    queries = 6 + (2 if connection.vendor == "postgresql" else 0)
    with django_assert_num_queries(queries):
        lines = _export(demo_client).count(b"\n")
    plan = odd_measure.plan
    for number in range(100, 340):
        measure = Measure.objects.create(plan=plan, number=number, title=f"มาตรการเพิ่ม {number}")
        measure.owners.set(odd_measure.owners.all())
        measure.indicators.set(odd_measure.indicators.all())
    # Creating 240 measures can take over a minute on a loaded machine; the idle-session middleware then saves the
    # session on the next request (core.middleware.session_touch: 3 more queries). One request first takes that.
    demo_client.get("/")
    with django_assert_num_queries(queries):
        assert _export(demo_client).count(b"\n") == lines + 240


@pytest.mark.django_db
def test_each_owner_and_indicator_name_is_looked_up_once_whatever_the_chunks(demo_client, monkeypatch, on_export_day,
                                                                              odd_measure):
    # Chunks of 7 rows: the 66 measures take 10 chunks; a chunk whose owners and indicators were all met before costs
    # no query. No indicator is asked for twice, nor any organization's departments (read together, ranked in their
    # organization's order). The bytes stay those of one chunk.
    whole = _export(demo_client)
    monkeypatch.setattr("measures.selectors.EXPORT_CHUNK", 7)
    with CaptureQueriesContext(connection) as queries:
        assert _export(demo_client) == whole
    looked_up = {"organizations_department": [], "assessments_indicator": []}
    for query in queries.captured_queries:
        for table, lookups in looked_up.items():
            if query["sql"].startswith(f'SELECT "{table}"."id"'):
                ids = re.search(r"IN \(([\d, ]+)\)", query["sql"]).group(1).split(", ")
                lookups.append({int(n) for n in ids})
    indicators = [id_ for ids in looked_up["assessments_indicator"] for id_ in ids]
    assert len(indicators) == len(set(indicators)), "an indicator looked up twice"
    assert set(indicators) == set(Measure.indicators.through.objects.values_list("indicator_id", flat=True))
    organizations = [set(Department.objects.filter(id__in=ids).values_list("organization", flat=True))
                     for ids in looked_up["organizations_department"]]
    assert sum(map(len, organizations)) == len(set().union(*organizations)), "an organization's departments read twice"
    assert set().union(*organizations) == set(Measure.owners.through.objects.values_list(
        "department__organization", flat=True))
    # The seeds' indicators are of several years, so each chunk meets a new one; their departments are not.
    assert len(looked_up["organizations_department"]) < -(-Measure.objects.count() // 7)


@pytest.mark.django_db
def test_an_owner_deleted_while_the_export_streams_is_left_out_not_a_failed_file(monkeypatch, odd_measure):
    # Each chunk's names are read by a statement of their own, which sees the data as it then is: a department
    # deleted after the rows were read is no longer found (here: the lookup no longer sees it). The row is written
    # without it, the rest of the file too.
    gone = odd_measure.owners.order_by("order", "name").first()
    rows = export_values(with_overdue(Measure.objects.filter(pk=odd_measure.pk)))
    filter_departments = Department.objects.filter
    monkeypatch.setattr(Department.objects, "filter",
                        lambda *args, **kwargs: filter_departments(*args, **kwargs).exclude(pk=gone.pk))
    (row,) = list(rows)
    assert row[-2] == [d.name for d in odd_measure.owners.order_by("order", "name")][1:]
    assert row[-1] == [str(odd_measure.indicators.get(number=n)) for n in (1, 9)]
