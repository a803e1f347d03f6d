"""Settings for the test suite: fast hashing. DATABASE_URL picks PostgreSQL, REDIS_URL the Redis cache."""
import uuid

from .base import *  # noqa: F403
from .base import REDIS_URL, cache_settings

SECRET_KEY = "test-key"  # noqa: S105
SIGNING_PASSPHRASE_KEYS = ["dGVzdC1rZXktaXRhLXNpZ25pbmctcGFzc3BocmFzZXM="]  # a fixed Fernet key for the tests
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_USERS_ENABLED = True
ADMIN_ENABLED = True
# Static files come from the apps and static/ directly (WhiteNoise's finders); no collectstatic here. Looked up
# when asked for (autorefresh), not listed when the middleware starts: the test client starts it once per test, and
# listing every app's static files each time was 6 % of the fast lane's time.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Background renders run at once, in the request (django.tasks' immediate backend); one test runs the real
# database backend and its worker (tests/reports/test_render_jobs.py).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
         "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The cache: Redis where REDIS_URL is set (CI, .ci/run), under a name of this run's own, so no entry of an earlier
# run is ever read; each test also starts with it empty (tests/conftest.py, which empties that Redis database).
CACHES = {"default": cache_settings(redis_url=REDIS_URL, key_prefix=f"ita-test-{uuid.uuid4().hex[:12]}")}
# Sessions in the database, whether or not REDIS_URL is set (production reads them from Redis when it is, settings/
# base.py): the pinned query counts (tests/test_query_counts.py and others) count the session's query, the same with
# or without a shared cache. tests/test_sessions.py runs the cached sessions against the real Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The tests run in SQLite's in-memory database, one process, each test inside a transaction: there Django's default
# (deferred) transactions are kept. With BEGIN IMMEDIATE every test would hold the write lock from its first line, and
# SQLite's backup API (manage.py backup, tests/maintenance) reading through that same connection would wait for it
# forever. The file database of `make run` keeps IMMEDIATE (tests/organizations/test_adding_users_while_the_worker_
# polls.py runs the server and the worker with the local settings).
DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)  # noqa: F405
# The readiness check's tests serve pages from a local HTTP server on 127.0.0.1 (tests/oit/); every other
# non-public address stays refused.
OIT_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
# A test's commit need not wait for PostgreSQL to write it to disk (``synchronous_commit=off``: a crash of the server
# could lose the last commits, never corrupt anything): the transactional tests and the live servers commit often.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
