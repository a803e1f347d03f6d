"""The mail settings (issue 22 §1): Django 6.1's MAILERS, not the deprecated EMAIL_BACKEND; the address links start
with, from ITA_SITE_URL or the production host name, refused when malformed."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from ita_portal.settings.base import site_url
from tests.helpers.deployment import run_production

pytestmark = pytest.mark.database_independent  # settings parsed in this process or a child: no database


def test_the_site_address_loses_its_trailing_slash_and_must_be_http():
    assert site_url("https://ita.example.go.th/") == "https://ita.example.go.th"
    for wrong in ("ita.example.go.th", "ftp://ita.example.go.th", "https://"):
        with pytest.raises(ImproperlyConfigured, match="is not an http:// or https:// address"):
            site_url(wrong)


def test_production_links_to_its_host_and_sends_through_smtp_with_mailers():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SITE_URL, s.MAILERS['default']['BACKEND'], s.MAILERS['default']['OPTIONS']['host'], "
            "s.is_overridden('EMAIL_BACKEND'))")
    assert run_production(code).stdout.split() == [
        "https://ita.example.go.th", "django.core.mail.backends.smtp.EmailBackend", "localhost", "False"]
    assert run_production(code, ITA_SITE_URL="https://ita.nakhon.go.th/", ITA_SMTP_HOST="smtp.go.th").stdout.split()[
        ::2] == ["https://ita.nakhon.go.th", "smtp.go.th"]
