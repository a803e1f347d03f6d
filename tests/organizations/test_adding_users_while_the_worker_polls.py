"""Issue 18 item 1: adding users on a SQLite file database while the background worker polls it.

What `make run` runs, for real: the development server (``runserver``, threaded) and ``manage.py db_worker``, two
processes on one SQLite file, with the local settings and so the real password hasher (PBKDF2, about a second a
hash; the test settings hash with MD5 and never saw this). Before issue 18, every user added through the page
failed with ``OperationalError: database is locked`` (HTTP 500): the request read, hashed the password inside its
transaction, then tried to write while the worker waited for its exclusive lock.

The file database is a copy (SQLite's backup API) of the test session's database: migrated, with the seeds.
"""
import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent.parent


def _free_address() -> str:
    """A port nothing listens on now (another run of the suite on this machine may hold any fixed one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


ADDRESS = os.environ.get("ITA_TEST_SERVER_ADDRESS") or _free_address()
NEW_PASSWORD = "Kh0k-ma-tamnan-2568"

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite default database (item 1)")


def _environment(database: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    # The local settings, as `make run`: Django's default PASSWORD_HASHERS (PBKDF2 first), the database task backend.
    env.update(DJANGO_SETTINGS_MODULE="ita_portal.settings.local", DATABASE_URL=f"sqlite:///{database}",
               PYTHONUNBUFFERED="1", DJANGO_MEDIA_ROOT=str(database.parent / "media"))
    return env


CREATE_ADMIN = f"""
from django.contrib.auth import get_user_model
from organizations.models import Membership, Organization
user = get_user_model().objects.create_user(username="admin-khok-ma", password={PASSWORD!r})
Membership.objects.create(user=user, organization=Organization.objects.get(slug="khok-ma"), role="admin")
"""


class Browser:
    """A cookie-keeping client of the running server that sends Django's CSRF token with every form."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def _wait_for(url: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stdout.read()}")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer in 60 s")


@pytest.fixture(scope="module")
def file_database(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """A SQLite file holding the test session's database (migrated, seeds loaded) and an admin of Khok Ma whose
    password was hashed with PBKDF2. Module-scoped, so that the copy is made before a test's transaction opens
    (SQLite's backup API waits for the locks of an open transaction on the same connection)."""
    path = tmp_path_factory.mktemp("file-database") / "db.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
    made = subprocess.run([sys.executable, "manage.py", "shell", "-c", CREATE_ADMIN], cwd=ROOT,
                          env=_environment(path), capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    return path


@pytest.mark.django_db  # the session's test database is what the file copies
def test_five_users_added_on_the_page_are_all_saved_while_the_worker_polls(file_database):
    env = _environment(file_database)
    worker = subprocess.Popen(  # polls ten times a second: every hash overlaps a poll
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", ADDRESS, "--noreload"], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://{ADDRESS}"
        _wait_for(base + "/healthz", server)
        browser = Browser(base)
        browser.get("/accounts/login/")
        status, page = browser.post("/accounts/login/", {"username": "admin-khok-ma", "password": PASSWORD})
        assert status == 200 and "admin-khok-ma" in page
        answers = []
        for number in range(1, 6):
            browser.get("/organizations/khok-ma/members/new/")
            answers.append(browser.post("/organizations/khok-ma/members/new/", {
                "username": f"officer-{number}", "first_name": "สมศรี", "last_name": f"ที่ {number}",
                "email": f"officer-{number}@khokma.go.th", "password": NEW_PASSWORD, "role": "clerk"}))
        statuses = [status for status, _page in answers]
        assert statuses == [200] * 5, [re.findall(r"database is locked", page)[:1] for _s, page in answers]
        assert all(f"เพิ่ม officer-{n} แล้ว" in answers[n - 1][1] for n in range(1, 6))
        assert worker.poll() is None  # the worker kept polling all along
    finally:
        server.terminate()
        worker.terminate()
        server.wait(10)
        worker.wait(10)
    with sqlite3.connect(file_database) as db:
        rows = db.execute("SELECT u.username, u.password, m.role FROM auth_user u JOIN organizations_membership m "
                          "ON m.user_id = u.id WHERE u.username LIKE 'officer-%' ORDER BY u.username").fetchall()
    assert [(username, role) for username, _hash, role in rows] == [(f"officer-{n}", "clerk") for n in range(1, 6)]
    assert all(password.startswith("pbkdf2_sha256$") for _username, password, _role in rows)
