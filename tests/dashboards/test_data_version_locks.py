"""Writers of two versioned tables in opposite orders never deadlock on the data's version (``dashboards.versions``).

The version's trigger upserts a row in the writer's transaction, which holds that row's lock until the commit. With
one row per table, a transaction writing organizations then frameworks and another writing frameworks then
organizations each held one version row and waited for the other's: PostgreSQL broke the cycle with ``deadlock
detected``, on rows the two transactions never shared. With one version row for every table the second writer
waits for the first's commit and both pass.

Real threads, each with its own connection: PostgreSQL only (SQLite serializes whole transactions).
"""
import time

from django.db import transaction

from assessments.models import Framework
from dashboards.versions import data_version
from organizations.models import Organization
from tests.helpers.database import (
    POSTGRESQL_THREADS,
    in_threads,
    seed_data_after_the_module,  # noqa: F401 (autouse: the seeds back after the module)
)

pytestmark = POSTGRESQL_THREADS


def test_two_writers_of_two_versioned_tables_in_opposite_orders_both_commit():
    """Each writer touches its own rows (no row is shared), so without the version nothing could deadlock."""
    organizations = list(Organization.objects.order_by("pk")[:2])
    frameworks = list(Framework.objects.order_by("pk")[:2])
    before = data_version()

    def touch_organization(index):
        return lambda: Organization.objects.filter(pk=organizations[index].pk).update(name=organizations[index].name)

    def touch_framework(index):
        return lambda: Framework.objects.filter(pk=frameworks[index].pk).update(target=frameworks[index].target)

    def writer(first, second):
        def run():
            with transaction.atomic():
                first()
                time.sleep(0.5)  # both hold their first write before either makes its second
                second()
            return "committed"
        return run

    answers = in_threads([writer(touch_organization(0), touch_framework(0)),
                          writer(touch_framework(1), touch_organization(1))])
    assert answers == ["committed", "committed"], answers
    assert data_version() != before
