"""Running code under the production settings in a subprocess."""
import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ita_portal.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-the-deploy-check-0123456789-abcdefghijklmnop",
    "DATABASE_URL": "postgres://ita@127.0.0.1:5432/ita",  # parsed only: the checks below need no connection
    "DJANGO_ALLOWED_HOSTS": "ita.example.go.th",
}


def run_production(code: str, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ITA_"))} | PRODUCTION_ENV | extra
    return subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True,
                          text=True, timeout=120)
