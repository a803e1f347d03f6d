"""Settings for a developer's machine: debug on, an insecure key, demo users allowed."""
from pathlib import Path

from .base import *  # noqa: F403
from .env import env_bool, env_fernet_keys, env_str

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "local-insecure-key-do-not-use-in-production")
# A fixed development key for organizations' certificate passphrases (never for production: ITA_SIGNING_KEYS).
SIGNING_PASSPHRASE_KEYS = env_fernet_keys("ITA_SIGNING_KEYS", "bG9jYWwtZGV2LWtleS1pdGEtc2lnbmluZy1wYXNzcGg=")
DEMO_USERS_ENABLED = True
ADMIN_ENABLED = env_bool("ITA_ADMIN_ENABLED", True)
# E-mail (password resets, notifications, the digest) is printed by the server and the worker, never sent.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Static files come from the apps and static/ directly (WhiteNoise's finders); no collectstatic here.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# The demo certificate (docs/operations/signing.md): `make run` runs `manage.py demo_certificate`, which creates it
# once under private/demo-certificate/ (git-ignored). When ITA_SIGNING_PKCS12 is not set and the file exists, the
# deployment signs with it, and verification trusts its CA (unless ITA_SIGNING_TRUST_ROOTS names other roots).
_demo_dir = Path(env_str("ITA_SIGNING_DEMO_DIR", str(BASE_DIR / "private" / "demo-certificate")))  # noqa: F405
SIGNING_DEMO_PKCS12 = str(_demo_dir / "demo-signer.p12")
SIGNING_DEMO_CA = str(_demo_dir / "demo-ca.pem")
if not SIGNING_PKCS12 and Path(SIGNING_DEMO_PKCS12).is_file():  # noqa: F405
    SIGNING_PKCS12, SIGNING_PASSPHRASE = SIGNING_DEMO_PKCS12, ""
    if not SIGNING_TRUST_ROOTS:  # noqa: F405
        SIGNING_TRUST_ROOTS = SIGNING_DEMO_CA
