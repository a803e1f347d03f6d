"""The top bar's menu (templates/base.html): its links depend on the language, the user's only organization and
whether they oversee anyone, and nothing else, so its HTML is built once per combination and reused (issue 23 §6);
the link to the user's only organization comes from a query of slugs (``organizations.selectors.
only_organization_slug``), or from the memberships the page has read already."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Membership
from organizations.selectors import active_memberships, only_organization_slug
from tests.factories import MembershipFactory, OrganizationFactory, OversightScopeFactory, UserFactory


def menu_of(client, user, *, language: str = "th") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    page = client.get(reverse("measures:measure_list")).content.decode()
    return page[page.index('<nav aria-label='):page.index("</nav>")]


@pytest.mark.django_db
def test_each_user_sees_the_menu_of_their_own_facts_however_often_it_is_reused(client):
    one = MembershipFactory(organization=OrganizationFactory(slug="ban-nong")).user
    other = MembershipFactory(organization=OrganizationFactory(slug="ban-khok")).user
    overseer = OversightScopeFactory(province="บุรีรัมย์").user
    two = UserFactory()
    for organization in OrganizationFactory.create_batch(2):
        MembershipFactory(user=two, organization=organization)
    dashboard = reverse("dashboards:organization_dashboard", args=["ban-nong"])
    score_import = reverse("assessments:score_import")

    for _ in range(2):  # built, then reused: the same for each user both times
        menu = menu_of(client, one)
        assert f'<a href="{dashboard}">แดชบอร์ด</a>' in menu and score_import not in menu
        assert '<nav aria-label="เมนูหลัก">' in menu and ">มาตรการ</a>" in menu
        menu = menu_of(client, other)
        assert reverse("dashboards:organization_dashboard", args=["ban-khok"]) in menu and dashboard not in menu
        menu = menu_of(client, overseer)
        assert "/dashboard/" not in menu and f'href="{score_import}">นำเข้าคะแนน</a>' in menu
        menu = menu_of(client, two)  # no single organization either, but no oversight
        assert "/dashboard/" not in menu and score_import not in menu
        english = menu_of(client, one, language="en")
        assert f'<a href="{dashboard}">Dashboard</a>' in english and ">Measures</a>" in english
        assert "มาตรการ" not in english


@pytest.mark.django_db
def test_a_new_or_ended_membership_changes_the_menu_at_once(client):
    user = UserFactory()
    assert "/dashboard/" not in menu_of(client, user)
    membership = MembershipFactory(user=user, organization=OrganizationFactory(slug="ban-mai"))
    assert reverse("dashboards:organization_dashboard", args=["ban-mai"]) in menu_of(client, user)
    Membership.objects.filter(pk=membership.pk).update(is_active=False)
    assert "/dashboard/" not in menu_of(client, user)


@pytest.mark.django_db
def test_the_only_organization_is_one_query_of_slugs_or_none_when_the_memberships_are_read():
    user = MembershipFactory(organization=OrganizationFactory(slug="ban-dong")).user
    with CaptureQueriesContext(connection) as queries:
        assert only_organization_slug(user=user) == "ban-dong"
    assert len(queries) == 1 and "organizations_department" not in queries[0]["sql"]
    active_memberships(user=user)  # a page that checks rights reads them with their organizations
    with CaptureQueriesContext(connection) as queries:
        assert only_organization_slug(user=user) == "ban-dong"
    assert len(queries) == 0
    MembershipFactory(user=user)
    fresh = type(user).objects.get(pk=user.pk)
    assert only_organization_slug(user=fresh) is None  # two organizations: no single dashboard
