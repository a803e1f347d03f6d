"""Sessions read from the shared cache (ita_portal/settings/base.py: Django's ``cached_db`` engine where REDIS_URL is
set, issue 23 §6): a signed-in page asks the database nothing about its session, and every way a session ends —
log-out, idle time, a Redis that does not answer — still ends it or still serves it. Run against the real Redis of
the machine (REDIS_URL, else 127.0.0.1:6379), under a key prefix of each test's own.

The rest of the suite keeps sessions in the database alone (ita_portal/settings/test.py), so that its pinned query
counts are the same with or without Redis."""
import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ita_portal.settings.base import cache_settings
from tests.helpers.database import UNREACHABLE_REDIS, cache_empty
from tests.helpers.deployment import run_production

CACHED_DB = "django.contrib.sessions.backends.cached_db"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def cached_sessions(settings):
    """The production arrangement: sessions in ``cached_db`` over a real Redis, under this test's own key prefix
    (emptied at the end)."""
    settings.CACHES = {"default": cache_settings(redis_url=settings.REDIS_URL or LOCAL_REDIS,
                                                 key_prefix=f"ita-test-sessions-{uuid.uuid4().hex[:12]}")}
    settings.SESSION_ENGINE = CACHED_DB
    yield caches["default"]
    cache_empty()


def session_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if Session._meta.db_table in query["sql"]]


@pytest.mark.django_db
def test_a_signed_in_page_reads_its_session_from_redis_not_the_database(cached_sessions, admin_user, client):
    client.force_login(admin_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()  # the database stays the record
    page = reverse("organizations:organization_list")
    client.get(page)  # the first read may fill the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page)
    assert f'<span class="who">{admin_user.get_full_name() or admin_user.username}</span>' in response.content.decode()
    assert session_queries(queries) == []
    assert cached_sessions.get(f"{SESSION_KEY_PREFIX}{key}")["_auth_user_id"] == str(admin_user.pk)


@pytest.mark.django_db
def test_logging_out_ends_the_session_in_redis_and_the_database(cached_sessions, admin_user, client):
    client.force_login(admin_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = reverse("organizations:organization_list")
    who = f'<span class="who">{admin_user.get_full_name() or admin_user.username}</span>'
    assert who in client.get(page).content.decode()  # signed in
    client.post(reverse("logout"))
    assert cached_sessions.get(f"{SESSION_KEY_PREFIX}{key}") is None
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie, replayed by another browser, no longer signs anyone in.
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key
    response = stolen.get(page)
    assert response.status_code == 302 and response.headers["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_cached_session_ends_with_the_idle_time(cached_sessions, admin_user, client):
    """Redis forgets the session when the database row expires: both are written with the idle time at each save
    (once a minute of activity, core.middleware.SessionIdleTimeoutMiddleware)."""
    client.force_login(admin_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get(reverse("organizations:organization_list"))
    redis = cached_sessions._cache.get_client(key=None, write=False)
    ttl = redis.ttl(cached_sessions.make_and_validate_key(f"{SESSION_KEY_PREFIX}{key}"))
    assert settings.SESSION_IDLE_MINUTES * 60 - 120 < ttl <= settings.SESSION_IDLE_MINUTES * 60
    expires = Session.objects.get(session_key=key).expire_date
    assert abs((expires - (timezone.now() + dt.timedelta(seconds=ttl))).total_seconds()) < 120


@pytest.mark.django_db
def test_while_redis_does_not_answer_the_session_comes_from_the_database(settings, admin_user, client, caplog):
    settings.CACHES = {"default": cache_settings(redis_url=UNREACHABLE_REDIS, key_prefix="down")}
    settings.SESSION_ENGINE = CACHED_DB
    client.force_login(admin_user)
    response = client.get(reverse("organizations:organization_list"))
    assert f'<span class="who">{admin_user.get_full_name() or admin_user.username}</span>' in response.content.decode()
    assert "the shared cache (Redis) did not answer" in caplog.text


@pytest.mark.database_independent
@pytest.mark.parametrize(("redis_url", "engine"), [
    ("redis://10.0.0.5:6379/2", CACHED_DB),
    ("", "django.contrib.sessions.backends.db"),  # each process its own memory: a log-out must reach every one
])
def test_production_keeps_sessions_in_redis_only_when_the_cache_is_shared(redis_url, engine):
    result = run_production("import django; django.setup(); from django.conf import settings; "
                            "print(settings.SESSION_ENGINE)", REDIS_URL=redis_url)
    assert result.stdout.strip() == engine, result.stderr
