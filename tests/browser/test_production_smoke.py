"""Smoke test of the production stack (issue 12): gunicorn with the production settings on PostgreSQL, static
files collected and served by WhiteNoise, behind a (simulated) TLS proxy: log in, open a page, download a PDF.

PostgreSQL only (the production database); gunicorn reads the test database, so the test's rows are committed
(``transactional_db``) and the module's seed data is put back afterwards (``tests/browser/conftest.py``)."""
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from organizations.choices import Role
from organizations.models import Organization
from tests.factories import MembershipFactory

PASSWORD = "ส้มตำ-ไก่ย่าง-2569"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A client that keeps cookies and says, as the proxy of deploy/nginx.conf does, that the request was HTTPS."""

    def __init__(self, port: int):
        self.port, self.cookies = port, SimpleCookie()

    def request(self, method: str, path: str, body: dict | None = None, https: bool = True):
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())}
        if https:
            headers |= {"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1{path}"}
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection_.request(method, path, body=data, headers=headers)
        response = connection_.getresponse()
        content = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        connection_.close()
        return response, content


@pytest.fixture
def production_server(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the production stack runs on PostgreSQL")
    database = settings.DATABASES["default"]
    url = (f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
           f"{database['PORT'] or 5432}/{database['NAME']}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ITA_"))} | {
        "DJANGO_SETTINGS_MODULE": "ita_portal.settings.production",
        "DJANGO_SECRET_KEY": "smoke-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "DATABASE_URL": url, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"), "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=settings.BASE_DIR,
                   env=env, check=True, timeout=300)
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")
    server = subprocess.Popen([str(bin_dir / "gunicorn"), "ita_portal.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", "1", "--timeout", "120"], cwd=settings.BASE_DIR, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            try:
                if Browser(port).request("GET", "/healthz", https=False)[0].status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail((tmp_path / "gunicorn.log").read_text())
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.django_db(transaction=True)
def test_gunicorn_with_the_production_settings_logs_in_opens_a_page_and_serves_a_pdf(production_server):
    organization = Organization.objects.get(slug="pong-nam-ron")
    membership = MembershipFactory(organization=organization, role=Role.ADMIN)
    # Hashed as production hashes (the test settings' MD5 hasher is not among production's hashers).
    membership.user.password = PBKDF2PasswordHasher().encode(PASSWORD, "smoke-salt", iterations=1000)
    membership.user.save()
    browser = Browser(production_server)

    plain, _ = browser.request("GET", "/accounts/login/", https=False)
    assert plain.status == 301 and plain.headers["Location"].startswith("https://")

    response, page = browser.request("GET", "/accounts/login/")
    assert response.status == 200 and "เข้าสู่ระบบ" in page.decode()
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.decode()).group(1)
    response, _ = browser.request("POST", "/accounts/login/", {
        "csrfmiddlewaretoken": token, "username": membership.user.username, "password": PASSWORD})
    assert response.status == 302, _
    assert "Secure" in response.msg.get_all("Set-Cookie")[-1]

    response, page = browser.request("GET", "/organizations/pong-nam-ron/")
    text = page.decode()
    assert response.status == 200 and f"<h1>{organization.name}</h1>" in text
    assert "no-store" in response.headers["Cache-Control"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', text).group(1)  # hashed name
    response, css = browser.request("GET", stylesheet)
    assert response.status == 200 and b"font-family" in css
    assert "immutable" in response.headers["Cache-Control"] or "max-age=315360000" in response.headers[
        "Cache-Control"]

    response, pdf = browser.request("GET", "/organizations/pong-nam-ron/plans/2567/documents/memo.pdf")
    assert response.status == 200 and response.headers["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
