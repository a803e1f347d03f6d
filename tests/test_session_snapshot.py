"""Transactional tests end with the database as the session set it up (``tests.helpers.database.SessionSnapshot``,
docs/benchmarks/2026-12-06-ci-time.md): what the test wrote is gone, the seed rows are back with their ids, and the
seed data the next tests read is there, on SQLite and on PostgreSQL."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from maintenance.backup import table_row_counts
from measures.models import MeasurePlan
from organizations.models import Membership, Organization
from tests.helpers.database import SessionSnapshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_snapshot_gives_back_every_row_and_id_and_drops_what_the_test_wrote():
    snapshot = SessionSnapshot()
    counts = table_row_counts(snapshot.connection)
    plans = sorted(MeasurePlan.objects.values_list("pk", "organization__slug", "fiscal_year", "title"))
    memo_type = ContentType.objects.get(app_label="memos", model="memo").pk
    assert counts["organizations_organization"] == 5 and plans  # the five seed documents

    get_user_model().objects.create_user(username="written-by-the-test", password="x")
    MeasurePlan.objects.filter(organization__slug="khok-ma").update(title="แก้ไขในการทดสอบ")
    Membership.objects.all().delete()
    ContentType.objects.create(app_label="tests", model="written")

    snapshot.restore()

    assert table_row_counts(snapshot.connection) == counts
    assert sorted(MeasurePlan.objects.values_list("pk", "organization__slug", "fiscal_year", "title")) == plans
    assert not get_user_model().objects.filter(username="written-by-the-test").exists()
    assert ContentType.objects.get_for_model(Organization) == ContentType.objects.get(
        app_label="organizations", model="organization")
    assert ContentType.objects.get(app_label="memos", model="memo").pk == memo_type
    assert not ContentType.objects.filter(app_label="tests").exists()
