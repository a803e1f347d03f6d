"""Lock-out that stops guessing, not offices, and account help for organization admins (issue 18 item 3).

Personas: ``admin_user`` (admin of Khok Ma), ``staff_user`` (staff of Khok Ma, behind the same office address),
``outsider`` (admin of Ban Phran), and a superuser.
"""
import re
from html import unescape

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

OFFICE = "10.20.30.40"  # one municipal office behind one NAT
MEMBERS = reverse("organizations:organization_members", args=["khok-ma"])


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def login(username: str, password: str, address: str = OFFICE):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)
    return response, client


def lock(username: str, address: str = OFFICE, times: int = 10):
    for _ in range(times):
        response, _client = login(username, "wrong-password", address)
    assert response.status_code == 429


def member_url(name: str, user) -> str:
    membership = user.memberships.get(organization__slug="khok-ma")
    return reverse(f"organizations:{name}", args=["khok-ma", membership.pk])


def events(user) -> list[tuple[str, str | None]]:
    return [((entry.additional_data or {}).get("event"), entry.actor.username if entry.actor else None)
            for entry in LogEntry.objects.filter(object_id=user.pk, action=LogEntry.Action.ACCESS).order_by("pk")
            if (entry.additional_data or {}).get("event") not in {"login", "login_failed", "logout"}]


@pytest.fixture
def admin_client(admin_user):
    admin_user.first_name, admin_user.last_name = "สมศรี", "ดีงาม"
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    return client


# --- the lock: the name and the address together; a higher limit per address ----------------------------------

@pytest.mark.django_db
def test_ten_wrong_passwords_lock_that_name_at_that_address_and_colleagues_behind_it_still_log_in(
        admin_user, staff_user):
    lock("admin-khok-ma")
    refused, client = login("admin-khok-ma", PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    colleague, client = login("staff-khok-ma", PASSWORD)  # same office, same address
    assert colleague.status_code == 302 and client.session["_auth_user_id"] == str(staff_user.pk)
    elsewhere, client = login("admin-khok-ma", PASSWORD, address="10.99.0.1")  # the admin, from home
    assert elsewhere.status_code == 302 and client.session["_auth_user_id"] == str(admin_user.pk)


@pytest.mark.django_db
def test_one_address_spraying_many_names_is_locked_at_the_higher_address_limit(settings, staff_user):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 30
    for number in range(29):
        login(f"guess-{number}", "wrong-password", address="10.6.6.6")
    still, _client = login("staff-khok-ma", PASSWORD, address="10.6.6.6")
    assert still.status_code == 302  # 29 failures over 29 names: under both limits
    login("guess-29", "wrong-password", address="10.6.6.6")
    refused, _client = login("staff-khok-ma", PASSWORD, address="10.6.6.6")
    assert refused.status_code == 429 and "เข้าสู่ระบบผิดหลายครั้งเกินไป" in text(refused)
    assert login("staff-khok-ma", PASSWORD, address="10.0.0.2")[0].status_code == 302  # other addresses: fine


# --- the locked-out page names who can help -------------------------------------------------------------------

WHO_HELPS = ("ผู้ดูแลระบบของหน่วยงานของท่านปลดล็อกให้ได้ที่หน้า ผู้ใช้และบทบาท "
             "หากสำนักงานทั้งสำนักงานเข้าสู่ระบบไม่ได้ โปรดติดต่อผู้ดูแลระบบกลาง")


@pytest.mark.django_db
def test_the_locked_out_page_names_who_can_help_by_role(admin_client, staff_user):
    lock("staff-khok-ma")
    page = text(login("staff-khok-ma", PASSWORD)[0])
    assert WHO_HELPS in page


@pytest.mark.django_db
def test_the_locked_out_page_tells_nothing_of_the_name_tried(admin_client, staff_user):
    """Anyone may type a name: the page must not say whether it exists, nor who administers its organization."""
    lock("staff-khok-ma")
    lock("nobody-at-all")
    member = text(login("staff-khok-ma", PASSWORD)[0])
    unknown = text(login("nobody-at-all", PASSWORD)[0])
    assert member == unknown
    assert "สมศรี" not in member and "admin-khok-ma" not in member and "โคกม้า" not in member


# --- an organization admin unlocks their members ---------------------------------------------------------------

@pytest.mark.django_db
def test_an_admin_sees_a_locked_member_on_the_people_page_and_unlocks_them(admin_client, admin_user, staff_user):
    lock("staff-khok-ma")
    page = text(admin_client.get(MEMBERS))
    assert "staff-khok-ma" in page and "ถูกล็อกการเข้าสู่ระบบ" in page
    response = admin_client.post(member_url("member_unlock", staff_user), follow=True)
    assert "staff-khok-ma เข้าสู่ระบบได้อีกครั้งแล้ว" in text(response)
    assert not AccessAttempt.objects.filter(username="staff-khok-ma").exists()
    assert events(staff_user) == [("login_unlocked", "admin-khok-ma")]
    back, client = login("staff-khok-ma", PASSWORD)
    assert back.status_code == 302 and client.session["_auth_user_id"] == str(staff_user.pk)


@pytest.mark.django_db
def test_another_organizations_admin_cannot_unlock_a_member(outsider, staff_user):
    lock("staff-khok-ma")
    client = Client()
    client.force_login(outsider)
    assert client.post(member_url("member_unlock", staff_user)).status_code == 404
    assert client.post(member_url("member_password_reset", staff_user)).status_code == 404
    assert client.post(member_url("member_second_factor_off", staff_user)).status_code == 404
    assert AccessAttempt.objects.filter(username="staff-khok-ma").exists()
    assert events(staff_user) == []


@pytest.mark.django_db
def test_a_staff_member_cannot_unlock_a_colleague(staff_user, executive):
    lock("mayor-khok-ma")
    client = Client()
    client.force_login(staff_user)
    assert client.post(member_url("member_unlock", executive)).status_code == 403
    assert AccessAttempt.objects.filter(username="mayor-khok-ma").exists()


# --- a superuser unlocks addresses ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_superuser_unlocks_a_spraying_address(settings, admin_user, staff_user):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for number in range(12):
        login(f"guess-{number}", "wrong-password", address="10.6.6.6")
    assert login("staff-khok-ma", PASSWORD, address="10.6.6.6")[0].status_code == 429
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(root)
    page = text(client.get(reverse("lockouts")))
    assert "ที่อยู่ IP ที่ถูกล็อก" in page and "10.6.6.6" in page
    response = client.post(reverse("lockouts"), {"ip_address": "10.6.6.6"}, follow=True)
    assert "ปลดล็อกที่อยู่ 10.6.6.6 แล้ว" in text(response)
    assert not AccessAttempt.objects.filter(ip_address="10.6.6.6").exists()
    assert [(e.additional_data["event"], e.object_repr, e.actor) for e in LogEntry.objects.filter(
        additional_data__event="address_unlocked")] == [("address_unlocked", "10.6.6.6", root)]
    assert login("staff-khok-ma", PASSWORD, address="10.6.6.6")[0].status_code == 302
    # an organization admin may not
    admin = Client()
    admin.force_login(admin_user)
    assert admin.get(reverse("lockouts")).status_code == 403


# --- account help: a password-reset e-mail, a lost second factor -----------------------------------------------

@pytest.mark.django_db
def test_an_admin_sends_a_member_a_password_reset_email(admin_client, staff_user):
    staff_user.email = "staff@khokma.go.th"
    staff_user.save()
    response = admin_client.post(member_url("member_password_reset", staff_user), follow=True)
    assert "ส่งอีเมลตั้งรหัสผ่านใหม่ไปที่ staff@khokma.go.th แล้ว" in text(response)
    [message] = mail.outbox
    assert message.to == ["staff@khokma.go.th"] and "staff-khok-ma" in message.body
    assert "/accounts/password/reset/" in message.body
    assert events(staff_user) == [("password_reset_sent", "admin-khok-ma")]
    log = text(admin_client.get(reverse("audit:organization_audit_log", args=["khok-ma"])))
    assert "ส่งอีเมลตั้งรหัสผ่านใหม่" in log and "staff-khok-ma" in log


@pytest.mark.django_db
def test_a_member_without_an_email_gets_no_reset_and_the_admin_is_told_why(admin_client, staff_user):
    response = admin_client.post(member_url("member_password_reset", staff_user), follow=True)
    assert "staff-khok-ma ไม่มีอีเมล จึงส่งอีเมลตั้งรหัสผ่านใหม่ไม่ได้" in text(response)
    assert mail.outbox == [] and events(staff_user) == []


@pytest.mark.django_db
def test_an_admin_turns_off_a_members_lost_second_factor(admin_client, staff_user):
    TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    page = text(admin_client.get(MEMBERS))
    assert "ปิดการเข้าสู่ระบบสองขั้นตอน" in page
    response = admin_client.post(member_url("member_second_factor_off", staff_user), follow=True)
    assert "ปิดการเข้าสู่ระบบสองขั้นตอนของ staff-khok-ma แล้ว" in text(response)
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    assert events(staff_user) == [("second_factor_off", "admin-khok-ma")]
    back, client = login("staff-khok-ma", PASSWORD)  # with the password alone now
    assert back.status_code == 302 and client.session["_auth_user_id"] == str(staff_user.pk)


@pytest.mark.django_db
def test_the_new_pages_have_no_english_left(settings, admin_client, staff_user):
    from tests.helpers.thai import english_words

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    staff_user.email = "staff@khokma.go.th"
    staff_user.save()
    TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)
    lock("staff-khok-ma")
    locked_page = login("staff-khok-ma", PASSWORD)[0].content.decode()
    members_page = admin_client.get(MEMBERS).content.decode()
    root = Client()
    root.force_login(get_user_model().objects.create_superuser("root", password=PASSWORD))
    lockouts_page = root.get(reverse("lockouts")).content.decode()
    assert "ปลดล็อกการเข้าสู่ระบบ" in members_page and "10.20.30.40" in lockouts_page
    for page in (locked_page, members_page, lockouts_page):
        assert english_words(page, {"admin", "khok", "ma", "staff", "root", "khokma"}) == set()
