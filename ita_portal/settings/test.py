"""Settings for the test suite: fast hashing. DATABASE_URL picks PostgreSQL."""
from .base import *  # noqa: F403

SECRET_KEY = "test-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_USERS_ENABLED = True
ADMIN_ENABLED = True
# Static files come from the apps and static/ directly (WhiteNoise's finders); no collectstatic here.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
