"""The last admin's refusal is said once on each page that refuses it (issue 22 §7, "the last-admin message shows
twice"), in the page's one error box, with nothing saved."""
import pytest
from django.urls import reverse

from organizations.choices import Role
from organizations.models import Membership
from tests.helpers.forms import form_errors
from tests.helpers.people import LAST_ADMIN


def _pages(client, membership):
    args = ["khok-ma", membership.pk]
    yield client.post(reverse("organizations:membership_edit", args=args), {"role": Role.CLERK})
    yield client.post(reverse("organizations:membership_edit", args=args),
                      {"role": Role.STAFF, "department": membership.organization.departments.first().pk})
    yield client.post(reverse("organizations:membership_deactivate", args=args))


@pytest.mark.django_db
@pytest.mark.parametrize("full_name", [("", ""), ("สมชาย", "ใจดี")])
def test_the_last_admin_refusal_is_said_once_per_page(client, admin_user, full_name):
    admin_user.first_name, admin_user.last_name = full_name
    admin_user.save()
    client.force_login(admin_user)
    membership = Membership.objects.get(user=admin_user)
    for response in _pages(client, membership):
        page = response.content.decode()
        assert page.count(LAST_ADMIN) == 1, page
        assert LAST_ADMIN in form_errors(page)
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == (Role.ADMIN, True)
