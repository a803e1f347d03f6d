"""Publishing and withdrawing a year (issue 21 §1): the services, the audit log, the command and the admin's page."""
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.selectors import organization_log
from organizations.choices import Role
from public.models import Publication
from public.services import year_publish, year_withdraw
from tests.factories import MembershipFactory, OversightScopeFactory
from tests.helpers.memos import committed
from tests.helpers.public import YEAR, YearData


@pytest.fixture
def data(db) -> YearData:
    return YearData("publishing")


def _state(organization) -> list[tuple]:
    return list(Publication.objects.filter(organization=organization)
                .values_list("fiscal_year", "published_by__username", "withdrawn_by__username"))


def test_publish_and_withdraw_are_in_the_audit_log_with_the_user(data):
    admin = MembershipFactory(organization=data.organization, role=Role.ADMIN).user
    year_publish(organization=data.organization, fiscal_year=YEAR, user=admin)
    year_withdraw(organization=data.organization, fiscal_year=YEAR, user=admin)
    entries = [e for e in organization_log(organization=data.organization)
               if e.content_type.model == "publication"]
    assert [(e.action, e.actor, sorted(e.changes_dict)) for e in reversed(entries)] == [
        (0, admin, ["fiscal_year", "id", "organization", "published_at", "published_by"]),
        (1, admin, ["withdrawn_at", "withdrawn_by"]),
    ]
    assert _state(data.organization) == [(YEAR, admin.username, admin.username)]


def test_publishing_twice_or_withdrawing_what_is_not_public_is_refused_in_thai(data):
    data.publish()
    with pytest.raises(ValidationError, match="ปีงบประมาณ 2569 เผยแพร่อยู่แล้ว"):
        data.publish()
    with pytest.raises(ValidationError, match="ปีงบประมาณ 2568 ยังไม่ได้เผยแพร่"):
        year_withdraw(organization=data.organization, fiscal_year=2568, user=None)
    with pytest.raises(ValidationError, match="ปีงบประมาณต้องเป็นปี พ.ศ."):
        year_publish(organization=data.organization, fiscal_year=2026, user=None)
    assert _state(data.organization) == [(YEAR, data.user.username, None)]


def test_the_command_publishes_and_withdraws(data, client):
    with committed():
        call_command("publish_year", "publishing", str(YEAR), stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = client.get(reverse("public:year", args=["publishing", YEAR]))
    assert page.status_code == 200 and f"ITA ของ{data.organization.name} ปีงบประมาณ 2569" in page.content.decode()
    with committed():
        call_command("publish_year", "publishing", str(YEAR), "--withdraw", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = client.get(reverse("public:year", args=["publishing", YEAR]))
    assert page.status_code == 404 and "ไม่พบหน้านี้" in page.content.decode()
    assert data.organization.name not in page.content.decode()
    assert Publication.objects.get(organization=data.organization).withdrawn_at is not None
    with pytest.raises(CommandError, match="No organization"):
        call_command("publish_year", "no-such-slug", str(YEAR))
    with pytest.raises(CommandError, match="ยังไม่ได้เผยแพร่"):
        call_command("publish_year", "publishing", str(YEAR), "--withdraw")


def test_an_admin_publishes_after_a_confirmation_and_withdraws(data, client):
    admin = MembershipFactory(organization=data.organization, role=Role.ADMIN).user
    client.force_login(admin)
    url = reverse("public:manage", args=["publishing"])
    page = client.get(url).content.decode()
    assert "<th scope=\"row\">2569</th>" in page and "ยังไม่เผยแพร่" in page
    confirm = client.post(url, {"action": "publish", "fiscal_year": YEAR}).content.decode()
    assert "เผยแพร่ปีงบประมาณ 2569?" in confirm and 'name="confirm" value="1"' in confirm
    assert _state(data.organization) == []  # nothing before the confirmation
    with committed():
        response = client.post(url, {"action": "publish", "fiscal_year": YEAR, "confirm": "1"}, follow=True)
    assert "เผยแพร่ปีงบประมาณ 2569 แล้ว" in response.content.decode()
    assert '<a href="/p/publishing/2569/">/p/publishing/2569/</a>' in response.content.decode()
    assert _state(data.organization) == [(YEAR, admin.username, None)]
    with committed():
        response = client.post(url, {"action": "withdraw", "fiscal_year": YEAR, "confirm": "1"}, follow=True)
    assert "ถอนปีงบประมาณ 2569 ออกจากหน้าสาธารณะแล้ว" in response.content.decode()
    assert _state(data.organization) == [(YEAR, admin.username, admin.username)]


@pytest.mark.parametrize("role", [Role.STAFF, Role.EXECUTIVE, Role.CLERK, "oversight"])
def test_other_members_and_overseers_read_the_page_but_cannot_publish(data, client, role):
    if role == "oversight":
        user = OversightScopeFactory(province=data.organization.province).user
    else:
        user = MembershipFactory(organization=data.organization, role=role).user
    client.force_login(user)
    url = reverse("public:manage", args=["publishing"])
    page = client.get(url).content.decode()
    assert "<th scope=\"row\">2569</th>" in page and 'value="publish"' not in page
    response = client.post(url, {"action": "publish", "fiscal_year": YEAR, "confirm": "1"})
    assert response.status_code == 403 and "ไม่มีสิทธิ์" in response.content.decode()
    assert _state(data.organization) == []


def test_another_organizations_admin_gets_404(data, client):
    other_admin = MembershipFactory(role=Role.ADMIN).user
    client.force_login(other_admin)
    url = reverse("public:manage", args=["publishing"])
    for response in (client.get(url), client.post(url, {"action": "publish", "fiscal_year": YEAR, "confirm": "1"})):
        page = response.content.decode()
        assert response.status_code == 404 and "ไม่พบหน้านี้" in page and data.organization.name not in page
    assert _state(data.organization) == []
