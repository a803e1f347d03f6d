"""Two admins demoting each other at the same moment (issue 18 item 8) on PostgreSQL.

Before the fix each request locked its target membership first and then all the organization's admin rows:
request A held B's row and waited for A's, request B held A's row and waited for B's, and PostgreSQL broke the
cycle with ``deadlock detected`` (HTTP 500). Member changes now take one lock order (the organization's row, then
its memberships by id): one demotion passes, the other answers with the Thai "last admin" message.

Real threads, each with its own connection: PostgreSQL only (SQLite serializes whole transactions).
"""
import time

from django.test import Client

from organizations import services
from organizations.choices import Role
from organizations.models import Membership
from tests.factories import MembershipFactory
from tests.helpers.database import (
    POSTGRESQL_THREADS,
    in_threads,
    seed_data_after_the_module,  # noqa: F401 (autouse: the seeds back after the module)
)
from tests.helpers.people import LAST_ADMIN, text

pytestmark = POSTGRESQL_THREADS


def test_two_admins_demoting_each_other_at_once_one_passes_the_other_reads_the_last_admin_message(monkeypatch):
    first = MembershipFactory(role=Role.ADMIN, user__first_name="สมศรี", user__last_name="ดีงาม")
    second = MembershipFactory(role=Role.ADMIN, organization=first.organization, user__first_name="สมชาย",
                               user__last_name="ใจดี")
    slug = first.organization.slug
    check = services._refuse_last_admin

    def slow_check(membership):  # both requests reach the check before either finishes it
        time.sleep(0.3)
        return check(membership)

    monkeypatch.setattr(services, "_refuse_last_admin", slow_check)

    def demote(admin: Membership, other: Membership):
        def request():
            client = Client(raise_request_exception=False)
            client.force_login(admin.user)
            response = client.post(f"/organizations/{slug}/members/{other.pk}/edit/", {"role": Role.CLERK})
            return response.status_code, text(response) if response.status_code == 200 else ""
        return request

    answers = in_threads([demote(first, second), demote(second, first)])
    assert sorted(status for status, _page in answers) == [200, 302], answers
    refused = next(page for status, page in answers if status == 200)
    assert LAST_ADMIN in refused
    roles = sorted(Membership.objects.filter(organization=first.organization).values_list("role", flat=True))
    assert roles == [Role.ADMIN, Role.CLERK]
