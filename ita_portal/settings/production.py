"""Production settings: every secret from the environment, HTTPS assumed (behind the reverse proxy of deploy/).

``python manage.py check --deploy`` is clean with these (tests/test_deployment.py)."""
import dj_database_url

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, STATEMENT_TIMEOUT_SECONDS, postgres_options, site_url
from .env import env_bool, env_int, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DATABASES = {"default": postgres_options(dj_database_url.parse(env_str("DATABASE_URL"), conn_max_age=60),
                                         statement_timeout_seconds=STATEMENT_TIMEOUT_SECONDS)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Links in e-mails (settings/base.py): ITA_SITE_URL, else https:// and the first of DJANGO_ALLOWED_HOSTS.
SITE_URL = site_url(env_str("ITA_SITE_URL", f"https://{ALLOWED_HOSTS[0]}"))

# HTTPS: the proxy terminates TLS and says so in X-Forwarded-Proto (deploy/nginx.conf sets it; never trust it
# from clients directly). DJANGO_SECURE_COOKIES=0 and DJANGO_SSL_REDIRECT=0 are for a plain-HTTP benchmark only.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe, over plain HTTP inside the host
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Preloading HSTS binds the whole domain and its subdomains to HTTPS for years: a choice for the domain's owner
# (DJANGO_HSTS_PRELOAD=1), so the check that asks for it is silenced until then.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Static files: collected (`manage.py collectstatic`) and served by WhiteNoise, compressed, with hashed names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
