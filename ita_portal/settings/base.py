"""Settings shared by every environment."""
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_fernet_keys, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "core",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "approvals",
    "organizations",
    "assessments",
    "measures",
    "notifications",
    "reports",
    "memos",
    "oit",
    "dashboards",
    "public",
    "datasets",
    "national",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "public.middleware.PublicPagesMiddleware",  # /p/…: no cookies in or out (before the session)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionIdleTimeoutMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "core.middleware.ThaiNotFoundMiddleware",  # DEBUG only: the Thai 404 page, not Django's English one
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "core.middleware.StatementTimeoutMiddleware",  # a statement cut off by statement_timeout: Thai 503, not 500
]

ROOT_URLCONF = "ita_portal.urls"
WSGI_APPLICATION = "ita_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboards.context_processors.navigation",
            ],
            "builtins": ["core.templatetags.thai"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}


# --- how long one SQL statement may run (issue 23 §5; docs/operations/configuration.md) -------------------------
# PostgreSQL cancels a statement that runs longer (``statement_timeout``), so that no query holds a web worker until
# gunicorn's 120 s timeout kills it; the request then gets a Thai 503 page (core.middleware.StatementTimeoutMiddleware).
# Web requests: ITA_STATEMENT_TIMEOUT_SECONDS (5). The streamed exports: ITA_EXPORT_STATEMENT_TIMEOUT_SECONDS (100,
# under gunicorn's and nginx's 120 s; core.exports). Management commands and the worker (manage.py says which process
# it is: ITA_PROCESS=command for every command but runserver): ITA_COMMAND_STATEMENT_TIMEOUT_SECONDS (3600). 0: none.
PROCESS = env_str("ITA_PROCESS", "web")
STATEMENT_TIMEOUT_SECONDS = (env_int("ITA_COMMAND_STATEMENT_TIMEOUT_SECONDS", 3600) if PROCESS == "command"
                             else env_int("ITA_STATEMENT_TIMEOUT_SECONDS", 5))
EXPORT_STATEMENT_TIMEOUT_SECONDS = env_int("ITA_EXPORT_STATEMENT_TIMEOUT_SECONDS", 100)


def postgres_options(database: dict, *, statement_timeout_seconds: int) -> dict:
    """PostgreSQL connections run with ``jit=off``: the JIT compiler switched on for the portal's correlated
    subqueries and cost 0.6–2.9 s per query where the query itself takes 2 ms (issue 9, national dataset); and with
    ``random_page_cost=1.1`` (SSD storage): with the default 4.0, which assumes spinning disks, PostgreSQL read the
    whole assessments table (20 ms) instead of its (fiscal_year, score) index (4 ms) for one year of the overview.
    Both can be set once for the role instead: ``ALTER ROLE ita SET jit = off`` (docs/data/national.md).
    ``statement_timeout`` (seconds, 0: none) is set when the connection opens: no query per request."""
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("OPTIONS", {})["options"] = (
            f"-c jit=off -c random_page_cost=1.1 -c statement_timeout={statement_timeout_seconds * 1000}")
    return database


def sqlite_options(database: dict) -> dict:
    """SQLite (the embedded default of ``make run``) queues writers instead of failing them (issue 18 item 1):
    write-ahead logging, so that readers never block the writer nor the writer the readers; ``BEGIN IMMEDIATE``
    for every transaction, so that a transaction takes the write lock when it starts rather than failing with
    "database is locked" when it reads first and writes later while another process (the ``db_worker``) holds
    the lock; and a busy timeout of ``ITA_SQLITE_TIMEOUT_SECONDS`` (20) for a writer to wait its turn.
    ``synchronous=NORMAL`` is SQLite's advice for WAL: a commit survives a crash of the application, only a power
    loss may forget the last transactions. Nothing changes for PostgreSQL."""
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("OPTIONS", {}).update({
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("ITA_SQLITE_TIMEOUT_SECONDS", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        })
    return database


postgres_options(DATABASES["default"], statement_timeout_seconds=STATEMENT_TIMEOUT_SECONDS)
sqlite_options(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- the cache (issue 18 §7; deploy/README.md) ------------------------------------------------------------------
# What is built once and read by every request: the dashboard's rendered body (dashboards.views) and the overview's
# figures. With REDIS_URL (redis://host:6379/0), Django's Redis cache, shared by every process of every server;
# without it, each process keeps its own in memory (`make run`, one server). Entries are named under
# ITA_CACHE_KEY_PREFIX, by default "ita-" and the code's release, so servers running different code (a rolling
# deploy) never read each other's pages, and several portals or test runs can share one Redis database.
REDIS_URL = env_str("REDIS_URL", "")


def code_release(base_dir: Path) -> str:
    """The commit checked out in ``base_dir`` (its first 12 hex digits), read from ``.git`` without running git;
    else the installed version of the ita-portal package."""
    git = base_dir / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head.removeprefix("ref: ")
        if (git / ref).is_file():
            return (git / ref).read_text().strip()[:12]
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line[:12]
    except OSError:
        pass
    return version("ita-portal")


def cache_settings(*, redis_url: str, key_prefix: str) -> dict:
    """The ``CACHES`` entry: Django's RedisCache at ``redis_url`` (redis://, rediss:// or unix://; anything else
    raises ImproperlyConfigured), or the local-memory cache when it is empty. Redis calls give up after 2 s, and a
    Redis that does not answer is a cache miss, not an error page (``core.cache.ForgivingRedisCache``)."""
    if not redis_url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": key_prefix}
    if urlsplit(redis_url).scheme not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(f"REDIS_URL={redis_url!r} is not a redis://, rediss:// or unix:// address.")
    return {"BACKEND": "core.cache.ForgivingRedisCache", "LOCATION": redis_url,
            "KEY_PREFIX": key_prefix, "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}


CACHES = {"default": cache_settings(
    redis_url=REDIS_URL, key_prefix=env_str("ITA_CACHE_KEY_PREFIX", "") or f"ita-{code_release(BASE_DIR)}")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out user or address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
CSRF_FAILURE_VIEW = "ita_portal.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # the dashboard of a one-organization user, else the overview
LOGOUT_REDIRECT_URL = "login"

# --- accounts and sessions (issue 12) ---------------------------------------------------------------------------
# Lock-out (django-axes; core/lockout.py, issue 18 item 3): a user name tried from one address is locked after
# AXES_FAILURE_LIMIT failures (the others behind that address — one office behind one NAT — still log in); one
# address is locked for every name after ITA_LOGIN_ADDRESS_FAILURE_LIMIT failures over all the names it tried
# (spraying). Both for AXES_COOLOFF_TIME hours, with a Thai page naming who can help
# (templates/registration/locked_out.html). The counts are database rows, shared by every server.
# Unlock: an organization admin on the people page (their members); a superuser at /accounts/lockouts/
# (addresses); or `python manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`.
AXES_FAILURE_LIMIT = int(env_str("ITA_LOGIN_FAILURE_LIMIT", "10"))
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("ITA_LOGIN_ADDRESS_FAILURE_LIMIT", 100)
AXES_COOLOFF_TIME = float(env_str("ITA_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # the pair; the address alone: LOGIN_ADDRESS_FAILURE_LIMIT
AXES_HANDLER = "core.lockout.PortalLockoutHandler"
AXES_LOCKOUT_CALLABLE = "ita_portal.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind the reverse proxy the client's address is the last X-Forwarded-For entry the proxy added (deploy/).
AXES_IPWARE_PROXY_COUNT = int(env_str("ITA_PROXY_COUNT", "0"))
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Optional second factor (core/two_factor.py, django-otp): the name authenticator apps show.
OTP_TOTP_ISSUER = "ITA portal"

# A session ends after this many minutes without a request (core.middleware.SessionIdleTimeoutMiddleware
# renews it at most once a minute); closing the browser ends it too.
SESSION_IDLE_MINUTES = int(env_str("ITA_SESSION_IDLE_MINUTES", "60"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions are read from the shared cache when there is one (REDIS_URL), else from the database: a signed-in page
# then asks PostgreSQL one query fewer (the session row; the database stays the record, written on each save). Not
# with the per-process memory cache: a log-out in one process would leave the session alive in another's memory.
SESSION_ENGINE = ("django.contrib.sessions.backends.cached_db" if REDIS_URL
                  else "django.contrib.sessions.backends.db")

# The Django admin: on where ITA_ADMIN_ENABLED is true (local settings by default), off in production.
ADMIN_ENABLED = env_bool("ITA_ADMIN_ENABLED", False)

# --- audit log (issue 12; audit/registry.py says what is followed) -------------------------------------------------
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_STORE_JSON_CHANGES = True

# --- response headers (issue 12) --------------------------------------------------------------------------------
# Content-Security-Policy (Django's own): nothing from other origins; no inline script at all; inline <style>
# only with the request's nonce (the document preview); style attributes allowed (bars sized by a score).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "payment=(), usb=(), interest-cohort=()")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- logging ----------------------------------------------------------------------------------------------------
# To stderr (the service manager keeps it): level, logger, the request's method, path and user, the message and,
# for errors, the traceback (django.request logs every 500 with its request).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "core.logging.RequestContextFilter"}},
    "formatters": {"plain": {
        "format": "%(asctime)s %(levelname)s %(name)s [%(method)s %(path)s user=%(user)s] %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env_str("ITA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "weasyprint": {"level": "WARNING"},  # its INFO lines narrate every step of every PDF
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # narrates every log-in; lock-outs are warnings
    },
}

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Files WhiteNoise serves at the site's root, before the log-in is asked for: /favicon.ico (browsers ask for it on
# every page).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Evidence files of progress reports are served only through a view that checks membership, never from MEDIA_URL.
EVIDENCE_MAX_BYTES = int(env_str("ITA_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# Officials' signature images (PNG/JPEG, printed about 1.5 cm tall): at most this many bytes and pixels (w × h).
SIGNATURE_MAX_BYTES = int(env_str("ITA_SIGNATURE_MAX_BYTES", str(512 * 1024)))
SIGNATURE_MAX_PIXELS = int(env_str("ITA_SIGNATURE_MAX_PIXELS", str(2_000_000)))

# Digital signatures of issued PDFs (PAdES, pyHanko; reports/signing.py, docs/operations/signing.md). Without a PKCS#12
# file the portal works and says that its PDFs are unsigned.
SIGNING_PKCS12 = env_str("ITA_SIGNING_PKCS12", "")  # path of the deployment's PKCS#12 (.p12/.pfx) file
SIGNING_PASSPHRASE = env_str("ITA_SIGNING_PASSPHRASE", "")
SIGNING_TIMESTAMP_URL = env_str("ITA_TIMESTAMP_URL", "")  # an RFC 3161 time-stamping service: PAdES B-T
SIGNING_TRUST_ROOTS = env_str("ITA_SIGNING_TRUST_ROOTS", "")  # PEM file of trusted roots for verification
# The keys of organizations' PKCS#12 passphrases, stored encrypted (docs/signing.md): Fernet keys, comma-separated;
# the first encrypts, all decrypt (MultiFernet), so a new key goes in front and `manage.py rotate_signing_keys`
# re-encrypts. Independent of SECRET_KEY; local and test settings set a fixed development key.
SIGNING_PASSPHRASE_KEYS = env_fernet_keys("ITA_SIGNING_KEYS")
# Organizations' own PKCS#12 files: stored here, outside MEDIA_ROOT, and never served.
SIGNING_KEYS_DIR = Path(env_str("ITA_SIGNING_KEYS_DIR", str(BASE_DIR / "private" / "signing")))
SIGNING_FONT = BASE_DIR / "static" / "fonts" / "Laksaman.ttf"  # Thai font of the visible stamp
# The demo certificate of a local installation (reports/demo_certificate.py, `manage.py demo_certificate`): only the
# local settings set these paths; here (production, tests) there is none, so none is created, used or trusted.
SIGNING_DEMO_PKCS12 = ""
SIGNING_DEMO_CA = ""

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Where the bundled Thai document font lives (Laksaman, TLWG; thai-documents.md §4).
DOCUMENT_FONT_DIR = BASE_DIR / "static" / "fonts"
# Transcribed seed documents loaded by `manage.py load_seed_documents`.
SEED_DATA_DIR = BASE_DIR / "data" / "seeds"
FRAMEWORK_DATA_FILE = BASE_DIR / "data" / "frameworks.yaml"
OIT_DATA_DIR = BASE_DIR / "data" / "oit"  # the OIT items of each year (oit.items.item_lists_load)

# Demo users are created only where this is True (local settings).
DEMO_USERS_ENABLED = False

# --- Backup, restore and upload clean-up (the `maintenance` app; docs/operations/backup-and-restore.md) -----------
INSTALLED_APPS += ["maintenance"]
# The settings naming folders of uploaded files that `manage.py backup` archives (beside the database) and
# `restore` puts back; a new private upload folder adds its setting's name here.
BACKUP_FILE_ROOT_SETTINGS = ["MEDIA_ROOT", "SIGNING_KEYS_DIR"]
# Where pg_dump/pg_restore live; empty: the newest /usr/lib/postgresql/<version>/bin, else the PATH.
PG_BIN_DIR = env_str("ITA_PG_BIN_DIR", "")
# `manage.py cleanup_media` deletes an unreferenced upload only when it is older than this (a save in progress
# has written its file but not yet committed the row that names it).
MEDIA_CLEANUP_GRACE_HOURS = int(env_str("ITA_MEDIA_CLEANUP_GRACE_HOURS", "24"))
# --- long work and limits (issue 12 §4; docs/operations/background-work.md) ----------------------------------------
# Documents over RENDER_INLINE_MAX_CHARS characters of text render in the background worker (`manage.py
# db_worker`, django-tasks-db: jobs are rows of this database, no other service). Measured on the seeds: the
# largest seed document has 19,186 characters (10 pages, 1–2 s); about 1,550 characters print per page.

INSTALLED_APPS += ["django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RENDER_INLINE_MAX_CHARS = env_int("ITA_RENDER_INLINE_MAX_CHARS", 30_000)  # ≈ 20 pages, ≈ 3 s inline
RENDER_MAX_PAGES = env_int("ITA_RENDER_MAX_PAGES", 300)  # a render laid out on more pages is refused
RENDER_TIMEOUT_SECONDS = env_int("ITA_RENDER_TIMEOUT_SECONDS", 180)  # a render still running then is stopped
RENDER_JOBS_PER_USER = env_int("ITA_RENDER_JOBS_PER_USER", 3)  # unfinished background renders a user may have
# Issuing an approved memo (render, sign, store) runs in the worker after the approval commits (memos.issuing): a
# failure is retried automatically MEMO_ISSUE_ATTEMPTS times in all, the n-th retry MEMO_ISSUE_RETRY_SECONDS × n
# later; an issue with no progress for MEMO_ISSUE_STALE_SECONDS is flagged and an admin may start it again.
MEMO_ISSUE_ATTEMPTS = env_int("ITA_MEMO_ISSUE_ATTEMPTS", 3)
MEMO_ISSUE_RETRY_SECONDS = env_int("ITA_MEMO_ISSUE_RETRY_SECONDS", 60)
MEMO_ISSUE_STALE_SECONDS = env_int("ITA_MEMO_ISSUE_STALE_SECONDS", 600)
# The OIT readiness check (oit.fetch, oit.readiness; docs/operations/oit-readiness.md): every URL of a checklist is
# fetched in the worker within these limits. Addresses that are not globally routable (private, loopback,
# link-local, reserved, multicast) are refused unless inside OIT_FETCH_ALLOWED_NETWORKS (CIDRs, comma-separated).
OIT_FETCH_TIMEOUT_SECONDS = env_int("ITA_OIT_FETCH_TIMEOUT_SECONDS", 10)  # in all for one URL, redirects included
OIT_FETCH_MAX_BYTES = env_int("ITA_OIT_FETCH_MAX_BYTES", 10 * 1024 * 1024)  # body read at most; beyond: not read
OIT_FETCH_MAX_REDIRECTS = env_int("ITA_OIT_FETCH_MAX_REDIRECTS", 5)
OIT_FETCH_PER_HOST = env_int("ITA_OIT_FETCH_PER_HOST", 2)  # requests at once to one host name (per worker process)
OIT_FETCH_WORKERS = env_int("ITA_OIT_FETCH_WORKERS", 8)  # URLs fetched at once by one check (threads)
OIT_FETCH_PDF_MAX_PAGES = env_int("ITA_OIT_FETCH_PDF_MAX_PAGES", 50)  # pages of a PDF whose text is searched
OIT_FETCH_ALLOWED_NETWORKS = env_list("ITA_OIT_FETCH_ALLOWED_NETWORKS", "")
# A check queued or running for longer (a lost task, a stopped worker) no longer stops a new one being requested.
OIT_READINESS_STALE_SECONDS = env_int("ITA_OIT_READINESS_STALE_SECONDS", 1800)
# Images printed on documents: the Garuda (every memo embeds it) by bytes (organizations.forms) and pixels.
GARUDA_MAX_PIXELS = env_int("ITA_GARUDA_MAX_PIXELS", 4_000_000)
# Long texts typed in forms (measure texts, results, memo bodies…): at most this many characters each.
TEXT_MAX_CHARS = env_int("ITA_TEXT_MAX_CHARS", 10_000)
# Score imports (core.imports, docs/imports-and-input.md): a national file is ~10,000 rows of 22 columns,
# ~2 MB as CSV, ~0.7 MB as XLSX unpacking to ~11 MB. Past a limit the file is refused in seconds with a Thai message.
IMPORT_MAX_BYTES = env_int("ITA_IMPORT_MAX_BYTES", 20 * 1024 * 1024)  # the file as uploaded
IMPORT_MAX_XLSX_BYTES = env_int("ITA_IMPORT_MAX_XLSX_BYTES", 100 * 1024 * 1024)  # an XLSX unpacked (its zip's sizes)
IMPORT_MAX_ROWS = env_int("ITA_IMPORT_MAX_ROWS", 50_000)  # blank rows included
IMPORT_MAX_CELLS = env_int("ITA_IMPORT_MAX_CELLS", 1_500_000)  # 50,000 rows of 30 columns
# Uploads: a file over UPLOAD_MAX_BYTES, or past UPLOAD_MAX_TOTAL_BYTES of files in one request, is not written
# to disk (core.upload_limits.CappedUploadHandler); the form refuses it with a Thai message. Form fields without a
# file stay under Django's DATA_UPLOAD_MAX_MEMORY_SIZE; files up to FILE_UPLOAD_MAX_MEMORY_SIZE stay in memory.
UPLOAD_MAX_BYTES = env_int("ITA_UPLOAD_MAX_BYTES", 25 * 1024 * 1024)
UPLOAD_MAX_TOTAL_BYTES = env_int("ITA_UPLOAD_MAX_TOTAL_BYTES", 50 * 1024 * 1024)  # under nginx's 60m (deploy/)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440  # Django's default, 2.5 MB
FILE_UPLOAD_HANDLERS = [
    "core.upload_limits.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- public pages and open data (issue 21; docs/public-pages.md) ----------------------------------------------------
# The licence every public page, dataset and the catalogue state; the deployment may name another (and its address).
ITA_OPEN_DATA_LICENCE = env_str("ITA_OPEN_DATA_LICENCE", "Open Government Licence – Thailand")
ITA_OPEN_DATA_LICENCE_URL = env_str("ITA_OPEN_DATA_LICENCE_URL", "")
# The publisher of the national scores dataset in the catalogue (each organization publishes its own years).
ITA_OPEN_DATA_PUBLISHER = env_str("ITA_OPEN_DATA_PUBLISHER", "ระบบ ITA")
# How long browsers and the server-side cache keep a public page (a publish or withdrawal empties the server-side
# cache at once; a plan reopened after publishing leaves the public page within this time).
PUBLIC_CACHE_SECONDS = env_int("ITA_PUBLIC_CACHE_SECONDS", 300)
# How long shared caches (the micro-cache of deploy/nginx.conf, a CDN) keep it: `s-maxage`. Short, because they
# cannot be emptied on a withdrawal: a withdrawn year leaves the proxy within this time.
PUBLIC_SHARED_CACHE_SECONDS = env_int("ITA_PUBLIC_SHARED_CACHE_SECONDS", 10)
# Datasets a page of /p/catalog.json (public/catalog.py: paged as CKAN's DCAT JSON harvester reads it); 1,000 is
# about 2 MB of JSON (0.2 MB compressed by nginx).
PUBLIC_CATALOG_PAGE_SIZE = env_int("ITA_PUBLIC_CATALOG_PAGE_SIZE", 1000)
# URLs a file of /sitemap.xml (public/sitemaps.py): past it, /sitemap.xml is an index of the sections' files. 50,000
# is the sitemaps protocol's limit (and about 6 MB, under its 50 MB).
PUBLIC_SITEMAP_LIMIT = env_int("ITA_PUBLIC_SITEMAP_LIMIT", 50000)

# --- e-mail (issue 22 §1; docs/operations/notifications.md) -------------------------------------------------------
# Django 6.1's mailers (MAILERS replaces EMAIL_BACKEND and the EMAIL_HOST… settings, deprecated): SMTP through the
# server's own mail relay unless ITA_SMTP_* say otherwise. The local settings print mail on the console; the test
# runner swaps every mailer for the in-memory one (mail.outbox).
_SMTP_OPTIONS = {
    "host": env_str("ITA_SMTP_HOST", "localhost"),
    "username": env_str("ITA_SMTP_USER", ""),
    "password": env_str("ITA_SMTP_PASSWORD", ""),
    "use_tls": env_bool("ITA_SMTP_TLS", False),  # STARTTLS (port 587)
    "use_ssl": env_bool("ITA_SMTP_SSL", False),  # TLS from the start (port 465)
    "timeout": env_int("ITA_SMTP_TIMEOUT_SECONDS", 10),
}
if env_int("ITA_SMTP_PORT", 0):  # else Django's default for the options above (25, 587 or 465)
    _SMTP_OPTIONS["port"] = env_int("ITA_SMTP_PORT", 0)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _SMTP_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("ITA_MAIL_FROM", "ITA portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def site_url(value: str) -> str:
    """The portal's address as people reach it (``https://ita.example.go.th``, no trailing slash): e-mails link to
    pages with it, since the worker and the commands have no request to ask. Raises ImproperlyConfigured when it is
    not an http(s) address."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"ITA_SITE_URL={value!r} is not an http:// or https:// address.")
    return value.rstrip("/")


SITE_URL = site_url(env_str("ITA_SITE_URL", "http://127.0.0.1:8000"))
# The digest of measures falling due (notifications.digest; `manage.py send_digest`, daily by systemd): the measures
# due within this many days, and those overdue.
DIGEST_DUE_DAYS = env_int("ITA_DIGEST_DUE_DAYS", 7)
