"""``CACHES`` from the environment (issue 18, item 7): Django's Redis cache where ``REDIS_URL`` is set, local memory
otherwise; entries named under the code's release. tests/test_two_servers.py shows two servers sharing it."""
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from ita_portal.settings.base import code_release
from tests.helpers.database import UNREACHABLE_REDIS

PRINT_CACHES = ("import django, json; django.setup(); from django.conf import settings; "
                "print(json.dumps(settings.CACHES['default']))")


def caches_of(module: str, **env: str) -> subprocess.CompletedProcess:
    """The default cache of the settings ``module`` started with ``env`` (and nothing else of ours)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ITA_", "REDIS_"))}
    return subprocess.run([sys.executable, "-c", PRINT_CACHES], cwd=settings.BASE_DIR, capture_output=True, text=True,
                          timeout=120, env=base | {
                              "DJANGO_SETTINGS_MODULE": f"ita_portal.settings.{module}",
                              "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-cache-settings-test-0123456789-abcdef",
                              "DATABASE_URL": "postgres://ita@127.0.0.1:5432/ita"} | env)


@pytest.mark.database_independent
def test_production_uses_the_redis_of_redis_url_under_the_codes_release():
    result = caches_of("production", REDIS_URL="redis://10.0.0.5:6379/2")
    assert json.loads(result.stdout) == {
        "BACKEND": "core.cache.ForgivingRedisCache", "LOCATION": "redis://10.0.0.5:6379/2",
        "KEY_PREFIX": f"ita-{code_release(settings.BASE_DIR)}",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}, result.stderr


@pytest.mark.database_independent
def test_without_redis_url_each_process_keeps_its_own_cache_as_make_run_does():
    for module in ("production", "local"):
        result = caches_of(module)
        assert json.loads(result.stdout)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache", result.stderr


@pytest.mark.database_independent
def test_a_chosen_key_prefix_replaces_the_release():
    result = caches_of("production", REDIS_URL="rediss://cache.internal:6380/0", ITA_CACHE_KEY_PREFIX="ita-blue")
    assert json.loads(result.stdout)["KEY_PREFIX"] == "ita-blue", result.stderr


@pytest.mark.database_independent
def test_a_malformed_redis_url_stops_the_start():
    result = caches_of("production", REDIS_URL="127.0.0.1:6379")
    assert result.returncode != 0
    assert "REDIS_URL='127.0.0.1:6379' is not a redis://, rediss:// or unix:// address." in result.stderr


@pytest.mark.database_independent
def test_each_test_run_names_its_entries_apart():
    first, second = (json.loads(caches_of("test", REDIS_URL="redis://127.0.0.1:6379/0").stdout) for _ in "12")
    assert first["BACKEND"] == "core.cache.ForgivingRedisCache"
    assert first["KEY_PREFIX"].startswith("ita-test-") and first["KEY_PREFIX"] != second["KEY_PREFIX"]


@pytest.mark.parametrize(("files", "release"), [
    ({"HEAD": "ref: refs/heads/main\n", "refs/heads/main": "0123456789abcdef0123456789abcdef01234567\n"},
     "0123456789ab"),
    ({"HEAD": "ref: refs/heads/main\n", "packed-refs": "# pack-refs\nfedcba9876543210fedcba9876543210fedcba98 "
      "refs/heads/main\n"}, "fedcba987654"),
    ({"HEAD": "89abcdef0123456789abcdef0123456789abcdef\n"}, "89abcdef0123"),  # a detached checkout
    ({}, "0.1.0"),  # no checkout: the installed version
])
def test_the_release_is_the_checked_out_commit(tmp_path, files, release):
    for name, text in files.items():
        (tmp_path / ".git" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / ".git" / name).write_text(text)
    assert code_release(tmp_path) == release


@pytest.mark.django_db
def test_the_dashboard_and_the_overview_still_answer_while_redis_is_down(client, executive, settings, caplog):
    """An outage of the shared cache costs speed, not pages: a Redis that does not answer is a cache miss."""
    from ita_portal.settings.base import cache_settings

    # Django's own receiver of setting_changed makes the cache handler read CACHES again.
    settings.CACHES = {"default": cache_settings(redis_url=UNREACHABLE_REDIS, key_prefix="down")}
    client.force_login(executive)
    dashboard = client.get("/organizations/khok-ma/dashboard/")
    overview = client.get("/overview/")
    page = dashboard.content.decode()
    assert dashboard.status_code == 200 and "99.54" in page and "ควรแล้วเสร็จภายใน" in page  # the body, built
    assert overview.status_code == 200 and "99.54" in overview.content.decode()
    assert "the shared cache (Redis) did not answer" in caplog.text


@pytest.mark.database_independent
def test_a_test_empties_only_its_own_process_keys_of_a_shared_redis():
    """``make test`` runs two processes on one Redis database: each test empties only the keys under its process's
    prefix (``tests.helpers.database.cache_empty``); ``cache.clear()`` (``FLUSHDB``) emptied the other's too."""
    from django.core.cache import cache
    from redis import Redis

    from tests.helpers.database import cache_empty

    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs Redis: set REDIS_URL=redis://127.0.0.1:6379/<db> (.ci/run does)")
    other = Redis.from_url(url)
    other.set("ita-test-another-process:1:page", "kept", ex=60)
    cache.set("page", "mine")
    cache_empty()
    assert cache.get("page") is None
    assert other.get("ita-test-another-process:1:page") == b"kept"
    other.delete("ita-test-another-process:1:page")
