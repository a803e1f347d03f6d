"""Every password error at once (issue 22 §7, "the first error hides a weak-password error"): a taken username, a
missing e-mail or a mismatched confirmation no longer hide "too short", "too common" and "entirely numeric", which
the person learnt only on the next try."""
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.forms import PortalSetPasswordForm
from organizations.choices import Role
from organizations.models import Membership
from organizations.services import user_prepare
from tests.helpers.forms import error_next_to

NEW = reverse("organizations:member_create", args=["khok-ma"])
WEAK = ("รหัสผ่านนี้สั้นเกินไป ต้องมีอย่างน้อย 8 ตัวอักษร", "รหัสผ่านนี้ใช้กันทั่วไปมากเกินไป",
        "รหัสผ่านนี้เป็นตัวเลขทั้งหมด")


def _weak_errors_in(message: str) -> list[str]:
    return [weak for weak in WEAK if weak in message]


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "other_field", "other_error"), [
    ({"username": "admin-khok-ma"}, "username", "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว"),
    ({"username": "newclerk", "send_reset": "on"}, "email", "ต้องระบุอีเมล"),
])
def test_a_new_user_form_shows_the_weak_password_errors_with_the_others(client, admin_user, data, other_field,
                                                                        other_error):
    client.force_login(admin_user)
    users = get_user_model().objects.count()
    page = client.post(NEW, data | {"password": "1234", "role": Role.CLERK}).content.decode()
    assert other_error in error_next_to(page, other_field)
    assert _weak_errors_in(error_next_to(page, "password")) == list(WEAK)
    assert get_user_model().objects.count() == users and not Membership.objects.filter(user__username="newclerk")


@pytest.mark.django_db
def test_changing_ones_password_shows_the_weak_password_errors_with_the_mismatch(client, admin_user):
    admin_user.set_password("Kh0kMa-before-2569")
    admin_user.save()
    client.force_login(admin_user)
    page = client.post(reverse("password_change"), {"old_password": "Kh0kMa-before-2569", "new_password1": "1234",
                                                    "new_password2": "12345"}).content.decode()
    assert error_next_to(page, "new_password2") == "รหัสผ่านทั้งสองช่องไม่ตรงกัน"
    assert _weak_errors_in(error_next_to(page, "new_password1")) == list(WEAK)
    admin_user.refresh_from_db()
    assert admin_user.check_password("Kh0kMa-before-2569")


@pytest.mark.django_db
def test_the_password_reset_form_shows_the_weak_password_errors_with_the_mismatch(admin_user):
    form = PortalSetPasswordForm(admin_user, {"new_password1": "1234", "new_password2": "4321"})
    assert not form.is_valid()
    assert form.errors["new_password2"] == ["รหัสผ่านทั้งสองช่องไม่ตรงกัน"]
    assert _weak_errors_in(" ".join(form.errors["new_password1"])) == list(WEAK)


@pytest.mark.django_db
def test_the_account_service_reports_a_malformed_username_and_a_weak_password_together():
    with pytest.raises(ValidationError) as refused:
        user_prepare(username="สม ชาย", password="1234")
    assert set(refused.value.message_dict) == {"username", "password"}
    assert _weak_errors_in(" ".join(refused.value.message_dict["password"])) == list(WEAK)
