"""What every visitor's browser asks for, in every setting: the favicon at /favicon.ico, and the Thai 404 page —
under DEBUG too, where Django would show its English technical page (issue 22 §7)."""
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.factories import MembershipFactory


@pytest.mark.django_db
def test_the_favicon_is_served_at_the_root_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content) == (settings.BASE_DIR / "static" / "root" / "favicon.ico").read_bytes()


@pytest.mark.django_db
def test_every_page_names_the_favicon(client):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_an_unknown_address_gets_the_thai_404_page_in_every_setting(client, debug):
    client.force_login(MembershipFactory().user)
    with override_settings(DEBUG=debug):
        for url in ("/no-such-page/", reverse("organizations:organization_detail", args=["no-such-organization"])):
            response = client.get(url)
            page = response.content.decode()
            assert response.status_code == 404, url
            assert "<h1>ไม่พบหน้านี้</h1>" in page, url
            assert "Page not found" not in page and "URLconf" not in page, url


@pytest.mark.django_db
def test_under_debug_an_anonymous_visitor_also_gets_the_thai_404_and_a_missing_slash_still_redirects(client):
    with override_settings(DEBUG=True):
        assert "<h1>ไม่พบหน้านี้</h1>" in client.get("/no-such-page/").content.decode()
        response = client.get("/organizations")
        assert (response.status_code, response["Location"]) == (301, "/organizations/")
