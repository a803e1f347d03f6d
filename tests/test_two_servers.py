"""Two application servers on one PostgreSQL and one Redis (issue 18, item 7; deploy/README.md).

Two gunicorn instances of the production settings, on two ports, share what a load balancer in front of them
needs shared: a log-in made on one is honoured by the other (sessions in the database), the dashboard one of them
cached is served by the other (``CACHES`` from ``REDIS_URL``), and a lock-out earned on one holds on the other
(django-axes' attempts in the database).

Needs PostgreSQL (the production database; ``DATABASE_URL=postgres://…``) and Redis (``REDIS_URL=redis://…``;
``.ci/run`` sets both). The servers read the test database, so the module's rows are committed; they are written
once for the module, and the database is put back as the session set it up after it, as a transactional test's
end does (``tests.helpers.database.session_restore``). (Not once per test: the servers' processes keep what they
read cached.)"""
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.urls import reverse
from django.utils.safestring import mark_safe
from redis import Redis, RedisError

from organizations.choices import Role
from tests.factories import MembershipFactory
from tests.helpers.database import session_restore

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: the servers are separate processes on one production database"),
    pytest.mark.django_db,  # the test database exists (the tests themselves write nothing: see ``members``)
]
PASSWORD = "ส้มตำ-ไก่ย่าง-2569"
SECRET_KEY = "two-servers-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
LOCKED_OUT = "ระงับการเข้าสู่ระบบชั่วคราว"  # the locked-out page's heading ("Log-in locked")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url() -> str:
    """The Redis of the test run, or a skip saying what is missing."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs Redis: set REDIS_URL=redis://127.0.0.1:6379/<db> (.ci/run does)")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except RedisError as error:
        pytest.skip(f"Redis at REDIS_URL={url} does not answer: {error}")
    return url


class Browser:
    """One user's browser: keeps its cookies across servers, as behind a load balancer without sticky sessions."""

    def __init__(self):
        self.cookies = SimpleCookie()

    def request(self, port: int, method: str, path: str, body: dict | None = None):
        """``(status, headers, text)`` of one plain-HTTP request to the server on ``port``."""
        link = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        link.request(method, path, body=data, headers=headers)
        response = link.getresponse()
        text = response.read().decode()
        for header in response.msg.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        link.close()
        return response.status, response.headers, text

    def log_in(self, port: int, username: str, password: str, token: str = ""):
        """The log-in form of the server on ``port`` (opened unless its CSRF ``token`` is given), filled and sent:
        ``(status, headers, text)``."""
        if not token:
            _, _, page = self.request(port, "GET", reverse("login"))
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(port, "POST", reverse("login"),
                            {"csrfmiddlewaretoken": token, "username": username, "password": password})


@pytest.fixture(scope="module")
def members(redis_url, django_db_setup, django_db_blocker):
    """Three members of new organizations, committed (the servers read them), one for each test; whose passwords
    are hashed as production hashes (the test settings' MD5 hasher is not among production's hashers; 1,000
    iterations keep the test quick). Afterwards the database is put back as the session set it up."""
    with django_db_blocker.unblock():
        found = {}
        for test in ("session", "dashboard", "lockout"):
            found[test] = MembershipFactory(role=Role.EXECUTIVE)
            found[test].user.password = PBKDF2PasswordHasher().encode(PASSWORD, "two-servers", iterations=1000)
            found[test].user.save()
    yield found
    with django_db_blocker.unblock():
        session_restore()


@pytest.fixture(scope="module")
def servers(redis_url, members, tmp_path_factory):
    """Two gunicorn servers (production settings, one worker each) on the test database and one Redis:
    ``{"a": port, "b": port, "redis_url": …, "key_prefix": …}``."""
    tmp = tmp_path_factory.mktemp("two-servers")
    database = settings.DATABASES["default"]
    key_prefix = f"two-servers-{uuid.uuid4().hex[:12]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ITA_", "REDIS_"))} | {
        "DJANGO_SETTINGS_MODULE": "ita_portal.settings.production", "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": (f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
                         f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"),
        "REDIS_URL": redis_url, "ITA_CACHE_KEY_PREFIX": key_prefix,
        "DJANGO_STATIC_ROOT": str(tmp / "static"), "DJANGO_MEDIA_ROOT": str(tmp / "media"),
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=settings.BASE_DIR,
                   env=env, check=True, timeout=300)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    ports = {"a": _free_port(), "b": _free_port()}
    logs = {name: open(tmp / f"gunicorn-{name}.log", "w") for name in ports}  # noqa: SIM115
    processes = [subprocess.Popen([gunicorn, "ita_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                                   "--timeout", "120"], cwd=settings.BASE_DIR, env=env, stdout=logs[name],
                                  stderr=subprocess.STDOUT) for name, port in ports.items()]
    try:
        for name, port in ports.items():
            for _ in range(300):
                try:
                    if Browser().request(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail(f"server {name} did not start:\n" + (tmp / f"gunicorn-{name}.log").read_text())
        yield ports | {"redis_url": redis_url, "key_prefix": key_prefix}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for log in logs.values():
            log.close()


def test_a_log_in_on_one_server_is_honoured_by_the_other_and_a_log_out_on_it_by_the_first(servers, members):
    membership = members["session"]
    page = reverse("dashboards:organization_dashboard", args=[membership.organization.slug])
    browser = Browser()

    status, headers, _ = browser.log_in(servers["a"], membership.user.username, PASSWORD)
    assert status == 302 and headers["Location"] == reverse("home")
    status, _, text = browser.request(servers["b"], "GET", page)
    assert status == 200 and f"<h1>{membership.organization.name}</h1>" in text

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    status, _, _ = browser.request(servers["b"], "POST", reverse("logout"), {"csrfmiddlewaretoken": token})
    assert status == 302
    status, headers, _ = browser.request(servers["a"], "GET", page)
    assert status == 302 and headers["Location"].startswith(reverse("login"))


def test_the_dashboard_cached_by_one_server_is_served_by_the_other(servers, members):
    """Server A builds the dashboard and stores it in Redis; the entry is then altered in Redis, and server B's
    page shows the alteration: B built nothing, it served what A cached. With a cache of its own (no shared
    ``CACHES``) nothing reaches Redis and B builds its own page."""
    membership = members["dashboard"]
    organization = membership.organization
    page = reverse("dashboards:organization_dashboard", args=[organization.slug])
    shared = RedisCache(servers["redis_url"], {"KEY_PREFIX": servers["key_prefix"]})
    pattern = f"{servers['key_prefix']}:1:dashboard:{organization.pk}:*"
    redis = Redis.from_url(servers["redis_url"])
    assert list(redis.scan_iter(pattern)) == []
    browser = Browser()
    browser.log_in(servers["a"], membership.user.username, PASSWORD)

    status, _, text = browser.request(servers["a"], "GET", page)
    assert status == 200 and f"<h1>{organization.name}</h1>" in text
    keys = [key.decode() for key in redis.scan_iter(pattern)]
    assert len(keys) == 1, f"server A cached no dashboard in Redis under {pattern}"
    key = keys[0].removeprefix(f"{servers['key_prefix']}:1:")
    body = shared.get(key)
    assert len(body) > 100 and body in text  # the body of A's page
    shared.set(key, mark_safe(body + '<p id="cached-by-a">สร้างโดยเครื่อง A</p>'), timeout=300)  # noqa: S308

    status, _, text = browser.request(servers["b"], "GET", page)
    assert status == 200 and '<p id="cached-by-a">สร้างโดยเครื่อง A</p>' in text
    assert [k.decode() for k in redis.scan_iter(pattern)] == keys


def test_a_lock_out_earned_on_one_server_holds_on_the_other(servers, members):
    membership = members["lockout"]
    username = membership.user.username
    browser = Browser()
    _, _, page = browser.request(servers["a"], "GET", reverse("login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        status, _, text = browser.log_in(servers["a"], username, f"wrong-{attempt}", token=token)
        assert LOCKED_OUT not in text or attempt == settings.AXES_FAILURE_LIMIT - 1

    status, _, text = browser.log_in(servers["b"], username, PASSWORD)
    assert status == 429 and LOCKED_OUT in text
    status, headers, _ = browser.request(
        servers["b"], "GET", reverse("dashboards:organization_dashboard", args=[membership.organization.slug]))
    assert status == 302 and headers["Location"].startswith(reverse("login"))
