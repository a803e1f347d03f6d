"""Shared fixtures: the five seed documents loaded once per test session, and named personas.

Personas (healthchecks style): ``admin_user`` (organization admin of Khok Ma), ``staff_user`` (staff of
Khok Ma's กองคลัง), ``executive``, ``clerk`` (of Khok Ma), ``outsider`` (admin of Ban Phran only).
"""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organizations.choices import Role
from organizations.models import Membership, Organization

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_trigger():
    """Transactional tests end with a flush (one ``TRUNCATE`` of every table); on PostgreSQL the audit log's
    trigger refuses ``TRUNCATE auditlog_logentry`` (``audit/migrations/0002_…``), so the tests' flush disables
    the table's triggers around it, in the same transaction, as only the table's owner can."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    sql_flush = DatabaseOperations.sql_flush

    def flush_with_the_audit_log(self, style, tables, **options):
        statements = sql_flush(self, style, tables, **options)
        if "auditlog_logentry" not in tables or not statements:
            return statements
        return ["ALTER TABLE auditlog_logentry DISABLE TRIGGER USER", *statements,
                "ALTER TABLE auditlog_logentry ENABLE TRIGGER USER"]

    DatabaseOperations.sql_flush = flush_with_the_audit_log
    yield
    DatabaseOperations.sql_flush = sql_flush


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_seed_documents", verbosity=0, stdout=open("/dev/null", "w"))


def _member(username: str, slug: str, role: str, department_name: str | None = None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    organization = Organization.objects.get(slug=slug)
    department = organization.departments.get(name=department_name) if department_name else None
    Membership.objects.create(user=user, organization=organization, role=role, department=department)
    return user


@pytest.fixture
def khok_ma(db) -> Organization:
    return Organization.objects.get(slug="khok-ma")


@pytest.fixture
def admin_user(db):
    return _member("admin-khok-ma", "khok-ma", Role.ADMIN)


@pytest.fixture
def staff_user(db):
    return _member("staff-khok-ma", "khok-ma", Role.STAFF, "กองคลัง")


@pytest.fixture
def executive(db):
    return _member("mayor-khok-ma", "khok-ma", Role.EXECUTIVE)


@pytest.fixture
def clerk(db):
    return _member("clerk-khok-ma", "khok-ma", Role.CLERK)


@pytest.fixture
def outsider(db):
    return _member("admin-ban-phran", "ban-phran", Role.ADMIN)


@pytest.fixture
def demo_user(db):
    """A member (admin) of all five seed organizations."""
    user = get_user_model().objects.create_user(username="demo-all", password=PASSWORD)
    for organization in Organization.objects.all():
        Membership.objects.create(user=user, organization=organization, role=Role.ADMIN)
    return user


@pytest.fixture
def demo_client(client, demo_user):
    client.force_login(demo_user)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the overview caches what it draws from the summaries under their
    version (the highest summary id), and SQLite hands out the ids of a rolled-back test again."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def signing_pki(tmp_path_factory):
    """A test certificate authority (``tests.pki``): root CA → signer certificate → PKCS#12, built once."""
    from tests.pki import build_test_pki

    return build_test_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def signing(settings, signing_pki, tmp_path):
    """The deployment signs with the test CA's PKCS#12 (B-B, no time stamp); verification trusts the chain inside
    it (no ``SIGNING_TRUST_ROOTS``); organizations' own certificates go to a temporary directory."""
    settings.SIGNING_PKCS12 = str(signing_pki.pkcs12)
    settings.SIGNING_PASSPHRASE = signing_pki.passphrase
    settings.SIGNING_TRUST_ROOTS = ""
    settings.SIGNING_TIMESTAMP_URL = ""
    settings.SIGNING_KEYS_DIR = tmp_path / "signing-keys"
    return signing_pki
