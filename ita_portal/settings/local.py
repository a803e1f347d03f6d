"""Settings for a developer's machine: debug on, an insecure key, demo users allowed."""
from .base import *  # noqa: F403
from .env import env_bool, env_fernet_keys, env_str

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "local-insecure-key-do-not-use-in-production")
# A fixed development key for organizations' certificate passphrases (never for production: ITA_SIGNING_KEYS).
SIGNING_PASSPHRASE_KEYS = env_fernet_keys("ITA_SIGNING_KEYS", "bG9jYWwtZGV2LWtleS1pdGEtc2lnbmluZy1wYXNzcGg=")
DEMO_USERS_ENABLED = True
ADMIN_ENABLED = env_bool("ITA_ADMIN_ENABLED", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # password-reset mail is printed by the server
# Static files come from the apps and static/ directly (WhiteNoise's finders); no collectstatic here.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
