"""The notifications page (issue 22 §1): each person sees where e-mails go and turns the daily digest off or on for
themselves only."""
from django.urls import reverse

from notifications.models import Preference
from tests.factories import UserFactory

PAGE = reverse("notifications:preferences")


def test_the_page_shows_the_address_and_the_digest_on_by_default(client, staff_user):
    staff_user.email = "staff@khokma.go.th"
    staff_user.save()
    client.force_login(staff_user)
    page = client.get(PAGE).content.decode()
    assert "การแจ้งเตือนทางอีเมล" in page and "อีเมลจะส่งถึง staff@khokma.go.th" in page
    assert "checked" in page.split('name="digest"')[1].split(">")[0]
    assert not Preference.objects.exists()  # reading writes nothing


def test_a_person_turns_the_digest_off_and_on(client, staff_user):
    other = UserFactory(username="other-person")
    client.force_login(staff_user)
    response = client.post(PAGE, {}, follow=True)  # the box unticked
    assert "ท่านจะไม่ได้รับสรุปงานทางอีเมลอีก" in response.content.decode()
    assert list(Preference.objects.values_list("user", "digest")) == [(staff_user.pk, False)]
    assert "checked" not in client.get(PAGE).content.decode().split('name="digest"')[1].split(">")[0]
    response = client.post(PAGE, {"digest": "on"}, follow=True)
    assert "ท่านจะได้รับสรุปงานทางอีเมลทุกวัน" in response.content.decode()
    assert list(Preference.objects.values_list("user", "digest")) == [(staff_user.pk, True)]
    assert not Preference.objects.filter(user=other).exists()


def test_a_person_without_an_address_is_told_so(client, staff_user):
    client.force_login(staff_user)
    assert "บัญชีของท่านยังไม่มีอีเมล" in client.get(PAGE).content.decode()


def test_the_top_bar_links_the_page(client, staff_user):
    client.force_login(staff_user)
    assert f'href="{PAGE}">การแจ้งเตือนทางอีเมล</a>' in client.get(reverse("password_change")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
