"""Settings for the test suite: fast hashing. DATABASE_URL picks PostgreSQL."""
from .base import *  # noqa: F403

SECRET_KEY = "test-key"  # noqa: S105
SIGNING_PASSPHRASE_KEYS = ["dGVzdC1rZXktaXRhLXNpZ25pbmctcGFzc3BocmFzZXM="]  # a fixed Fernet key for the tests
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_USERS_ENABLED = True
ADMIN_ENABLED = True
# Static files come from the apps and static/ directly (WhiteNoise's finders); no collectstatic here.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Background renders run at once, in the request (django.tasks' immediate backend); one test runs the real
# database backend and its worker (tests/reports/test_render_jobs.py).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
         "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
