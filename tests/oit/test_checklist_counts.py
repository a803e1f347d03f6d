"""The overview's stored counts of a checklist (``Checklist.items_total``, ``items_ready``, ``problem_count``)
follow the services that change them: making a checklist, saving an entry's status, finishing a readiness run."""
import pytest
from django.utils import timezone

from oit.checklists import checklist_create, entry_update
from oit.choices import EntryStatus, ProblemKind, RunStatus
from oit.models import Checklist, Problem, ReadinessRun
from oit.readiness import readiness_check
from organizations.models import Organization
from organizations.permissions import rights_of
from tests.factories import UserFactory
from tests.helpers.oit import YEAR, oit_item_list

pytestmark = pytest.mark.django_db


def test_the_stored_counts_follow_creation_status_and_the_readiness_run():
    organization = Organization.objects.get(slug="khok-ma")
    oit_item_list()
    admin = UserFactory(is_superuser=True)
    checklist = checklist_create(organization=organization, fiscal_year=YEAR, user=admin)
    stored = Checklist.objects.values_list("items_total", "items_ready", "problem_count")
    total = checklist.entries.count()
    assert total > 1 and stored.get(pk=checklist.pk) == (total, 0, 0)

    entry = checklist.entries.order_by("item__order").first()
    entry_update(entry=entry, rights=rights_of(user=admin, organization=organization), user=admin,
                 data={"url": "", "where": "", "status": EntryStatus.READY, "is_public": True}, evidence=[])
    assert stored.get(pk=checklist.pk) == (total, 1, 0)

    run = ReadinessRun.objects.create(checklist=checklist, status=RunStatus.QUEUED, requested_at=timezone.now())
    readiness_check(run)
    problems = Problem.objects.filter(run=run).count()
    assert problems >= total  # no URL anywhere yet: at least one problem per item
    assert Problem.objects.filter(run=run, kind=ProblemKind.NO_URL).count() == total
    assert stored.get(pk=checklist.pk) == (total, 1, problems)
