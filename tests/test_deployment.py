"""Issue 12, points 1 and 2: production settings, response headers, sessions, Thai error pages, log-in lock-out,
password change and reset, the admin switch and the log lines."""
import datetime as dt
import logging
import os
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.helpers.deployment import run_production

# --- production settings ----------------------------------------------------------------------------------------

@pytest.mark.database_independent
def test_check_deploy_is_clean_with_the_production_settings():
    result = run_production(
        "import django, sys; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout



@pytest.mark.database_independent
def test_the_web_worker_keeps_what_django_loaded_out_of_the_garbage_collectors_walks():
    """ita_portal/wsgi.py freezes the objects of start-up (``gc.freeze``): a full collection no longer walks them."""
    result = run_production("import gc; import ita_portal.wsgi; print(gc.get_freeze_count())")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 50_000  # Django, the apps, the URL patterns: about 150,000 objects

@pytest.mark.database_independent
def test_check_deploy_fails_without_https_cookies():
    """The same check run with insecure cookies: it must be able to fail."""
    result = run_production(
        "import django, sys; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')", DJANGO_SECURE_COOKIES="0")
    assert result.returncode != 0
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE


@pytest.mark.database_independent
def test_the_admin_is_off_in_production_unless_switched_on():
    code = ("import django; django.setup(); from django.urls import resolve, Resolver404\n"
            "try:\n    resolve('/admin/'); print('ADMIN ON')\nexcept Resolver404:\n    print('ADMIN OFF')")
    assert run_production(code).stdout.strip() == "ADMIN OFF"
    assert run_production(code, ITA_ADMIN_ENABLED="1").stdout.strip() == "ADMIN ON"


# --- response headers -------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_pages_carry_the_content_security_policy_and_permissions_policy(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("organizations:organization_list"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "'unsafe-inline'" not in policy.split("style-src-attr")[0]  # no inline script, no inline <style>
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    page = response.content.decode()
    assert "onchange=" not in page and "data-autosubmit" in page  # the language chooser works under the policy


@pytest.mark.django_db
def test_the_document_preview_style_carries_the_requests_nonce(demo_client):
    response = demo_client.get(reverse("reports:document_preview", args=["pong-nam-ron", 2567, "memo"]))
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()


@pytest.mark.django_db
def test_signed_in_responses_are_never_stored_and_anonymous_pages_may_be(client, admin_user):
    assert "no-store" not in client.get(reverse("healthz")).headers.get("Cache-Control", "")
    client.force_login(admin_user)
    for url in (reverse("organizations:organization_list"), reverse("measures:measure_list") + "?_export=csv"):
        cache_control = client.get(url).headers["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


# --- sessions ---------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_session_ends_after_the_idle_time_and_activity_keeps_it(client, admin_user):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    client.force_login(admin_user)
    page = reverse("organizations:organization_list")
    client.get(page)
    session = Session.objects.get()
    expected = timezone.now() + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    assert abs((session.expire_date - expected).total_seconds()) < 120
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))  # idle too long
    response = client.get(page)
    assert response.status_code == 302 and response.headers["Location"].startswith(reverse("login"))


# --- Thai error pages and the log -------------------------------------------------------------------------------

def broken_view(request):
    raise RuntimeError("the disk is full")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_shows_the_thai_page_and_logs_path_user_and_exception(client, admin_user, caplog):
    client.raise_request_exception = False
    client.force_login(admin_user)
    handler = logging.getLogger("django.request").handlers[0]
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    assert response.status_code == 500
    assert "เกิดข้อผิดพลาดในระบบ" in response.content.decode()
    record = next(r for r in caplog.records if r.name == "django.request")
    line = handler.format(record)
    assert "GET /broken/ user=admin-khok-ma" in line and "RuntimeError: the disk is full" in line


@pytest.mark.django_db
def test_a_form_sent_without_its_token_gets_the_thai_page(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(reverse("password_change"), {"old_password": PASSWORD})
    assert response.status_code == 403
    page = response.content.decode()
    assert "แบบฟอร์มหมดอายุ" in page and "CSRF" not in page


# --- log-in lock-out (django-axes) ------------------------------------------------------------------------------

def login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_user_out_with_a_thai_message(client, admin_user):
    for _ in range(9):
        response = login(client, "admin-khok-ma", "wrong-password")
        assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    assert login(client, "admin-khok-ma", "wrong-password").status_code == 429  # the tenth locks
    response = login(client, "admin-khok-ma", PASSWORD)  # the right one, now refused
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "เข้าสู่ระบบผิดหลายครั้งเกินไป" in response.content.decode()
    # the name is locked at that address only (issue 18 item 3: an office behind one address is not locked out)
    assert login(Client(), "admin-khok-ma", PASSWORD, address="10.9.9.9").status_code == 302
    # an administrator unlocks it
    call_command("axes_reset_username", "admin-khok-ma", stdout=open(os.devnull, "w"))
    response = login(client, "admin-khok-ma", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin_user.pk)


@pytest.mark.django_db
def test_one_address_guessing_many_user_names_is_locked_out(client, admin_user, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10  # 100 by default (issue 18 item 3)
    for number in range(10):
        login(client, f"nobody-{number}", "wrong-password", address="10.6.6.6")
    assert login(client, "admin-khok-ma", PASSWORD, address="10.6.6.6").status_code == 429
    assert login(client, "admin-khok-ma", PASSWORD, address="10.0.0.2").status_code == 302  # elsewhere: fine


# --- password change and reset ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_user_changes_their_own_password_in_thai(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("password_change")).content.decode()
    assert "เปลี่ยนรหัสผ่าน" in page and "รหัสผ่านเก่า" in page
    refused = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "58213904", "new_password2": "58213904"}).content.decode()
    assert "รหัสผ่านนี้เป็นตัวเลขทั้งหมด" in refused  # NumericPasswordValidator, in Thai
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "ส้มตำ-ไก่ย่าง-2569", "new_password2": "ส้มตำ-ไก่ย่าง-2569"})
    assert response.headers["Location"] == reverse("password_change_done")
    assert "เปลี่ยนรหัสผ่านแล้ว" in client.get(reverse("password_change_done")).content.decode()
    assert get_user_model().objects.get(pk=admin_user.pk).check_password("ส้มตำ-ไก่ย่าง-2569")


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_through_the_emailed_link(client, admin_user):
    admin_user.email = "admin@khokma.go.th"
    admin_user.save()
    response = client.post(reverse("password_reset"), {"email": "admin@khokma.go.th"})
    assert response.headers["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.subject == "ตั้งรหัสผ่านใหม่สำหรับระบบ ITA" and "admin-khok-ma" in message.body
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "ตั้งรหัสผ่านใหม่" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "ลืมแล้ว-จำใหม่-2569",
                                                     "new_password2": "ลืมแล้ว-จำใหม่-2569"}, follow=True)
    assert "ตั้งรหัสผ่านใหม่แล้ว" in done.content.decode()
    assert get_user_model().objects.get(pk=admin_user.pk).check_password("ลืมแล้ว-จำใหม่-2569")


# --- optional second factor (TOTP, django-otp) ------------------------------------------------------------------

def current_code(device) -> str:
    from django_otp.oath import totp
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db
def test_a_user_turns_on_the_second_factor_and_log_in_then_asks_for_the_code(client, executive, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the deliberate wrong code

    client.force_login(executive)
    page = client.get(reverse("two_factor")).content.decode()
    assert "เข้าสู่ระบบสองขั้นตอน" in page and "<svg" in page  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=executive, confirmed=False)
    wrong = client.post(reverse("two_factor"), {"action": "confirm", "token": "000000"}).content.decode()
    assert "รหัสไม่ถูกต้องหรือหมดอายุ" in wrong
    assert not TOTPDevice.objects.filter(user=executive, confirmed=True).exists()
    client.post(reverse("two_factor"), {"action": "confirm", "token": current_code(device)})
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    client.logout()

    without = login(client, "mayor-khok-ma", PASSWORD)
    assert without.status_code == 200 and "กรอกรหัส 6 หลักจากแอปยืนยันตัวตน" in without.content.decode()
    assert "_auth_user_id" not in client.session
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # as if the next 30-second step had come
    device.refresh_from_db()
    response = client.post(reverse("login"), {"username": "mayor-khok-ma", "password": PASSWORD,
                                              "otp_token": current_code(device)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(executive.pk)


@pytest.mark.django_db
def test_users_without_the_second_factor_log_in_with_the_password_alone(client, admin_user):
    response = login(client, "admin-khok-ma", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin_user.pk)
