"""People and roles in the portal (issue 13 §1): an organization admin adds a user with a role, invites an
existing user, changes a role and deactivates a membership, in Thai pages; the last admin cannot remove or demote
themselves; every change is in the audit log; a deactivated membership gives no right anywhere."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from measures.selectors import measures_editable_by, measures_for_departments_of, memberships_of
from organizations.choices import Role
from organizations.models import Membership, Organization, OversightScope
from organizations.permissions import rights_of
from organizations.selectors import only_organization_slug, organizations_for_user
from organizations.services import membership_add, membership_change, membership_deactivate
from tests.conftest import PASSWORD
from tests.helpers.pages import rows
from tests.helpers.people import LAST_ADMIN, text

ORG = "khok-ma"
MEMBERS = reverse("organizations:organization_members", args=[ORG])
NEW = reverse("organizations:member_create", args=[ORG])
INVITE = reverse("organizations:member_invite", args=[ORG])
User = get_user_model()


def edit_url(membership) -> str:
    return reverse("organizations:membership_edit", args=[ORG, membership.pk])


def deactivate_url(membership) -> str:
    return reverse("organizations:membership_deactivate", args=[ORG, membership.pk])


def department(name: str = "กองคลัง"):
    return Organization.objects.get(slug=ORG).departments.get(name=name)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_an_admin_adds_a_staff_user_with_an_initial_password_who_can_then_log_in(admin_client, client):
    response = admin_client.post(NEW, {
        "username": "somchai", "first_name": "สมชาย", "last_name": "ใจดี", "email": "somchai@khokma.go.th",
        "password": "Kh0kMa-initial-2569", "role": Role.STAFF, "department": department().pk})
    assert response.status_code == 302
    page = text(admin_client.get(MEMBERS))
    assert "somchai สมชาย ใจดี somchai@khokma.go.th เจ้าหน้าที่ของส่วนราชการ กองคลัง ใช้งานอยู่" in page
    user = User.objects.get(username="somchai")
    assert user.check_password("Kh0kMa-initial-2569")
    membership = Membership.objects.get(user=user)
    assert (membership.organization.slug, membership.role, membership.department.name, membership.is_active) == (
        ORG, Role.STAFF, "กองคลัง", True)
    assert mail.outbox == []
    client.logout()
    client.post(reverse("login"), {"username": "somchai", "password": "Kh0kMa-initial-2569"})
    assert client.get(reverse("organizations:organization_detail", args=[ORG])).status_code == 200


@pytest.mark.django_db
def test_an_admin_adds_a_user_who_gets_a_password_reset_email(admin_client):
    response = admin_client.post(NEW, {"username": "clerk2", "email": "clerk2@khokma.go.th", "send_reset": "on",
                                       "role": Role.CLERK})
    assert response.status_code == 302
    assert "ส่งอีเมลสำหรับตั้งรหัสผ่านไปที่ clerk2@khokma.go.th แล้ว" in text(admin_client.get(MEMBERS))
    [message] = mail.outbox
    assert message.to == ["clerk2@khokma.go.th"]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)
    assert admin_client.get(link, follow=True).status_code == 200
    assert Membership.objects.get(user__username="clerk2").role == Role.CLERK


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "field_error"), [
    ({"username": "staff-no-dept", "password": "Kh0kMa-initial-2569", "role": Role.STAFF},
     "เจ้าหน้าที่ต้องสังกัดส่วนราชการ"),
    ({"username": "nopassword", "role": Role.CLERK}, "กรุณากำหนดรหัสผ่านเริ่มต้น หรือเลือกส่งอีเมลตั้งรหัสผ่าน"),
    ({"username": "noemail", "send_reset": "on", "role": Role.CLERK}, "ต้องระบุอีเมล"),
    ({"username": "admin-khok-ma", "password": "Kh0kMa-initial-2569", "role": Role.CLERK}, "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว"),
    ({"username": "weak", "password": "123", "role": Role.CLERK}, "รหัสผ่าน"),
])
def test_a_bad_new_user_form_is_refused_in_thai_and_creates_nothing(admin_client, data, field_error):
    users, memberships = User.objects.count(), Membership.objects.count()
    response = admin_client.post(NEW, data)
    assert response.status_code == 200
    assert field_error in text(response)
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


@pytest.mark.django_db
def test_an_admin_invites_an_existing_user_by_email_and_a_member_cannot_be_invited_twice(admin_client):
    other = User.objects.create_user(username="nida", email="Nida@Example.org", password=PASSWORD)
    response = admin_client.post(INVITE, {"who": "nida@example.org", "role": Role.EXECUTIVE})
    assert response.status_code == 302
    assert Membership.objects.get(user=other, organization__slug=ORG).role == Role.EXECUTIVE
    again = admin_client.post(INVITE, {"who": "nida", "role": Role.CLERK})
    assert "nida เป็นสมาชิกของหน่วยงานนี้อยู่แล้ว" in text(again)
    assert Membership.objects.get(user=other, organization__slug=ORG).role == Role.EXECUTIVE
    unknown = admin_client.post(INVITE, {"who": "nobody@example.org", "role": Role.CLERK})
    assert "ไม่พบผู้ใช้ที่มีชื่อผู้ใช้หรืออีเมลนี้" in text(unknown)


@pytest.mark.django_db
def test_an_admin_changes_a_role_and_the_staff_department(admin_client, executive):
    membership = Membership.objects.get(user=executive)
    refused = admin_client.post(edit_url(membership), {"role": Role.STAFF})
    assert "เจ้าหน้าที่ต้องสังกัดส่วนราชการ" in text(refused)
    assert Membership.objects.get(pk=membership.pk).role == Role.EXECUTIVE
    response = admin_client.post(edit_url(membership), {"role": Role.STAFF, "department": department("กองช่าง").pk})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.department.name) == (Role.STAFF, "กองช่าง")


@pytest.mark.django_db
def test_a_deactivated_membership_is_kept_and_gives_no_right_anywhere(admin_client, staff_user):
    membership = Membership.objects.get(user=staff_user)
    organization = membership.organization
    assert admin_client.get(deactivate_url(membership)).status_code == 200
    assert admin_client.post(deactivate_url(membership)).status_code == 302
    membership = Membership.objects.get(pk=membership.pk)  # the row is kept
    assert membership.is_active is False and membership.ended_at is not None
    assert "ปิดการใช้งาน" in text(admin_client.get(MEMBERS))

    assert rights_of(user=staff_user, organization=organization).role is None
    assert not organizations_for_user(user=staff_user).exists()
    assert not measures_editable_by(user=staff_user, organization=organization).exists()
    assert not measures_for_departments_of(user=staff_user).exists()
    assert not memberships_of(user=staff_user).exists()
    assert only_organization_slug(user=staff_user) is None
    client = Client()
    client.force_login(staff_user)
    assert client.get(reverse("organizations:organization_detail", args=[ORG])).status_code == 404
    assert client.get(reverse("measures:plan_detail", args=[ORG, 2568])).status_code == 404

    # inviting the user again brings the same row back
    admin_client.post(INVITE, {"who": "staff-khok-ma", "role": Role.STAFF, "department": department().pk})
    membership.refresh_from_db()
    assert (membership.is_active, membership.ended_at) == (True, None)
    assert client.get(reverse("organizations:organization_detail", args=[ORG])).status_code == 200


@pytest.mark.django_db
def test_the_last_admin_cannot_demote_or_deactivate_themselves(admin_client, admin_user):
    membership = Membership.objects.get(user=admin_user)
    demoted = admin_client.post(edit_url(membership), {"role": Role.CLERK})
    assert demoted.status_code == 200
    assert f"admin-khok-ma {LAST_ADMIN}" in text(demoted)
    removed = admin_client.post(deactivate_url(membership))
    assert removed.status_code == 200
    assert LAST_ADMIN in text(removed)
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == (Role.ADMIN, True)


@pytest.mark.django_db
def test_an_admin_may_step_down_once_there_is_another_admin(admin_user, executive):
    mine, theirs = Membership.objects.get(user=admin_user), Membership.objects.get(user=executive)
    membership_change(membership=theirs, role=Role.ADMIN, by=admin_user)
    membership_deactivate(membership=mine, by=admin_user)
    assert not Membership.objects.get(pk=mine.pk).is_active
    with pytest.raises(Exception, match="คนสุดท้าย|last admin"):
        membership_deactivate(membership=theirs, by=executive)


@pytest.mark.django_db
def test_every_change_of_people_is_in_the_audit_log_with_who(admin_client, executive):
    membership = Membership.objects.get(user=executive)
    admin_client.post(edit_url(membership), {"role": Role.CLERK})
    admin_client.post(deactivate_url(membership))
    admin_client.post(NEW, {"username": "newbie", "password": "Kh0kMa-initial-2569", "role": Role.CLERK})
    log = rows(admin_client.get(reverse("audit:organization_audit_log", args=[ORG])).content.decode())
    by_admin = [(row[3], row[4], row[5]) for row in log if row[1] == "admin-khok-ma" and row[4].startswith("สมาชิก")]
    assert [(action, what.split(" – ")[0]) for action, what, _ in by_admin] == [
        ("สร้าง", "สมาชิก: newbie"), ("แก้ไข", "สมาชิก: mayor-khok-ma"), ("แก้ไข", "สมาชิก: mayor-khok-ma")]
    assert "บทบาท : – → เจ้าหน้าที่สารบรรณ" in by_admin[0][2]
    # (the order of the changed fields is the database's: JSONB on PostgreSQL keeps no key order)
    assert "ใช้งานอยู่ : ใช่ → ไม่ใช่" in by_admin[1][2] and "ปิดการใช้งานเมื่อ : – → " in by_admin[1][2]
    assert by_admin[2][2] == "บทบาท : ผู้บริหาร → เจ้าหน้าที่สารบรรณ"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff_user", "executive", "clerk"])
def test_members_who_are_not_admins_get_403_on_every_people_page_and_change_nothing(client, request, admin_user,
                                                                                  persona):
    target = Membership.objects.get(user=admin_user)
    client.force_login(request.getfixturevalue(persona))
    before = list(Membership.objects.order_by("pk").values())
    for url in (MEMBERS, NEW, INVITE, edit_url(target), deactivate_url(target)):
        assert client.get(url).status_code == 403, url
        response = client.post(url, {"username": "x", "password": "Kh0kMa-initial-2569", "role": Role.ADMIN,
                                     "who": "admin-khok-ma"})
        assert response.status_code == 403, url
        assert "<h1>ไม่มีสิทธิ์ดำเนินการนี้</h1>" in response.content.decode()
    assert list(Membership.objects.order_by("pk").values()) == before
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_a_membership_of_another_organization_is_404_even_for_an_admin(admin_client, outsider):
    theirs = Membership.objects.get(user=outsider)
    assert admin_client.get(edit_url(theirs)).status_code == 404
    assert admin_client.post(deactivate_url(theirs)).status_code == 404
    assert Membership.objects.get(pk=theirs.pk).is_active


@pytest.mark.django_db
def test_the_organization_page_links_the_people_pages_for_admins_only(admin_client, executive):
    detail = reverse("organizations:organization_detail", args=[ORG])
    assert f'href="{MEMBERS}"' in admin_client.get(detail).content.decode()
    client = Client()
    client.force_login(executive)
    assert f'href="{MEMBERS}"' not in client.get(detail).content.decode()


@pytest.mark.django_db
def test_services_refuse_a_department_of_another_organization(admin_user):
    khok_ma = Organization.objects.get(slug=ORG)
    foreign = Organization.objects.get(slug="ban-phran").departments.first()
    user = User.objects.create_user(username="someone")
    with pytest.raises(Exception, match="ส่วนราชการนี้เป็นของหน่วยงานอื่น|another organization"):
        membership_add(organization=khok_ma, user=user, role=Role.STAFF, department=foreign, by=admin_user)
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_the_demo_set_up_creates_a_local_superuser(capsys):
    call_command("create_demo_users")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("admin-ita-portal")
    assert "admin / admin-ita-portal" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_set_up_creates_a_staff_member_of_one_department(client, capsys):
    """A เจ้าหน้าที่ to try the portal as: staff of กองคลัง, เทศบาลตำบลโคกม้า only, who sees their department's work."""
    call_command("create_demo_users")
    staff = User.objects.get(username="staff")
    assert staff.check_password("demo-ita-portal") and not staff.is_staff
    assert list(Membership.objects.filter(user=staff).values_list(
        "organization__slug", "role", "department__name", "is_active")) == [("khok-ma", Role.STAFF, "กองคลัง", True)]
    assert "staff / demo-ita-portal" in capsys.readouterr().out
    client.force_login(staff)
    assert client.get(reverse("dashboards:organization_dashboard", args=["ban-phran"])).status_code == 404
    work = client.get(reverse("measures:my_work")).content.decode()
    assert "กองคลัง" in work


@pytest.mark.django_db
@pytest.mark.parametrize(("province", "organizations", "measures"), [
    ("", "หน่วยงานทั้งหมด", "มาตรการของหน่วยงานทั้งหมด"),
    ("บุรีรัมย์", "หน่วยงานในความกำกับดูแลของท่าน", "มาตรการของหน่วยงานในความกำกับดูแลของท่าน"),
], ids=["national", "provincial"])
def test_headings_never_say_your_organizations_to_an_overseer(client, province, organizations, measures):
    overseer = User.objects.create_user(username="overseer", password=PASSWORD)
    OversightScope.objects.create(user=overseer, province=province)
    client.force_login(overseer)
    for url, heading in ((reverse("organizations:organization_list"), organizations),
                         (reverse("measures:measure_list"), measures)):
        page = client.get(url).content.decode()
        assert f"<h1>{heading}</h1>" in page, url
        assert "หน่วยงานของคุณ" not in page, url


@pytest.mark.django_db
def test_a_member_still_reads_your_organizations(client, executive):
    client.force_login(executive)
    assert "<h1>หน่วยงานของคุณ</h1>" in client.get(reverse("organizations:organization_list")).content.decode()
    assert "<h1>มาตรการของหน่วยงานของคุณ</h1>" in client.get(reverse("measures:measure_list")).content.decode()
