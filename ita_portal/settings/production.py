"""Production settings: every secret from the environment, HTTPS assumed."""
import dj_database_url

from .base import *  # noqa: F403
from .base import postgres_options
from .env import env_bool, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DATABASES = {"default": postgres_options(dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=60))}
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
