"""The overview's CSV export (issue 23 §4, as the measure list's): every row, with its plan's measure counts, comes
from one query read through a cursor (``core.exports.streamed``), so its queries do not grow with the rows; and it
writes the same bytes as the export it replaced (Django's ``iterator()`` and one ``measure_counts`` query per chunk
of 2,000 organizations)."""
import datetime as dt
import os
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from organizations.models import Organization
from tests.factories import OrganizationFactory, OversightScopeFactory

# The exports of the seeds and ``ranked`` (tests/dashboards/conftest.py) on 6 Dec 2026, as the export before this
# change wrote them (written by that code: WRITE_GOLDEN=1 on the commit before the change): one file per case.
DATA = Path(__file__).parent / "data"
DAY = dt.date(2026, 12, 6)
CASES = {
    "overview-2566-by-name": {"fiscal_year": 2566},  # the seeds' plans of 2566: measures done and overdue
    "overview-2568-by-ita": {"fiscal_year": 2568, "sort": "-ita"},
    "overview-2569-by-ita": {"fiscal_year": 2569, "sort": "-ita"},  # ``ranked``: ties, and rows without a score
    "overview-2569-by-level": {"fiscal_year": 2569, "sort": "level"},
    "overview-2569-by-change-desc": {"fiscal_year": 2569, "sort": "-change"},
    "overview-2569-by-rank-in-kind": {"fiscal_year": 2569, "sort": "rank_in_kind"},
    "overview-2568-by-oit-ready": {"fiscal_year": 2568, "sort": "-oit_ready"},
    "overview-2568-buriram": {"fiscal_year": 2568, "province": "บุรีรัมย์"},
}


@pytest.fixture
def national(client, ranked, monkeypatch):
    """A national overseer on ``DAY`` (the overdue counts are as of today)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda value=None, timezone=None: DAY)
    client.force_login(OversightScopeFactory(province="").user)
    return client


def _export(client, **params) -> bytes:
    response = client.get(reverse("dashboards:overview"), {"_export": "csv", **params})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_the_csv_is_byte_for_byte_the_export_of_before(national, case):
    content = _export(national, **CASES[case])
    golden = DATA / f"{case}.csv"
    if os.environ.get("WRITE_GOLDEN"):
        golden.write_bytes(content)
    assert content == golden.read_bytes()
    rows = Organization.objects.filter(province="บุรีรัมย์") if "province" in CASES[case] else Organization.objects
    assert content.count(b"\n") == 1 + rows.count()


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["name", "-ita"])
def test_the_export_runs_the_same_queries_for_11_or_2511_organizations(national, django_assert_num_queries, sort):
    # Session, user, the fiscal years, oversight scopes, the province choices and the levels (the filters), then the
    # rows with their measure counts: one query (before: the rows, then one count query per 2,000 rows; sorted by
    # ITA, each part of ``NullsLastRows`` apart). On PostgreSQL two more: the exports' longer statement limit set
    # and reset.
    queries = 7 + (2 if connection.vendor == "postgresql" else 0)
    with django_assert_num_queries(queries):
        lines = _export(national, fiscal_year=2569, sort=sort).count(b"\n")
    OrganizationFactory.create_batch(2500)
    with django_assert_num_queries(queries):
        assert _export(national, fiscal_year=2569, sort=sort).count(b"\n") == lines + 2500
