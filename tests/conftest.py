"""Shared fixtures: the five seed documents loaded once per test session, and named personas.

Personas (healthchecks style): ``admin_user`` (organization admin of Khok Ma), ``staff_user`` (staff of
Khok Ma's กองคลัง), ``executive``, ``clerk`` (of Khok Ma), ``outsider`` (admin of Ban Phran only).
"""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organizations.choices import Role
from organizations.models import Membership, Organization
from tests.helpers.database import cache_empty
from tests.helpers.markers import database_independent_misuse

PASSWORD = "correct-horse-battery"


# Tests that make a PDF to look at it (its text, pages, signature, storage), found by recording WeasyPrint's renders
# over the suite on 2026-12-06: marker ``pdf``, left out of the fast lane (``make test-fast``: no browser, no PDF).
# An entry is a prefix of the test's id: a whole module, one test, or one test's parameters. Tests that render a
# PDF on the way without reading it (the Thai-interface crawl, reopen reasons) stay in the fast lane.
PDF_TESTS = (
    "tests/dashboards/test_executive_summary.py::test_the_pdf_",
    "tests/oit/test_readiness.py::test_the_executives_pdf_is_one_page",
    "tests/oit/test_readiness.py::test_the_pdf_stays_one_page",
    "tests/reports/test_documents.py::",
    "tests/reports/test_pdf_text.py::",
    "tests/reports/test_stored_levels.py::test_the_pdf_of_an_imported_2566_score",
    "tests/reports/test_render_jobs.py::",
    "tests/reports/test_renderer_guard.py::",
    "tests/reports/test_signing.py::",
    "tests/reports/test_signing_keys.py::",
    "tests/reports/test_verify_page.py::",
    "tests/memos/test_memo.py::test_render_document_writes_the_memo",
    "tests/memos/test_memo.py::test_thai_without_spaces_wraps_onto_several_lines",
    "tests/memos/test_memo.py::test_the_memo_pdf_downloads_from_the_plan_page",
    "tests/memos/test_memo_issuing.py::test_a_failed_issue_is_retried",
    "tests/memos/test_memo_issuing.py::test_a_reopened_and_approved_again_memo_issues_version_two",
    "tests/memos/test_memo_issuing.py::test_an_admins_retry_and_the_issues_outcome_are_in",
    "tests/memos/test_memo_issuing.py::test_an_edit_after_a_reopen_does_not_reach_the_pdf",
    "tests/memos/test_memo_issuing.py::test_an_issue_stuck_without_a_worker_is_flagged",
    "tests/memos/test_memo_issuing.py::test_the_approval_renders_nothing_the_page_says_issuing",
    "tests/memos/test_memo_issuing.py::test_the_register_the_clerks_page_and_the_command_flag",
    "tests/memos/test_memo_issuing.py::test_the_retry_is_refused_to_anonymous_visitors",
    "tests/memos/test_register_page.py::test_the_clerks_page_lists_approved_memos",
    "tests/memos/test_register_page.py::test_the_register_exports_csv_and_xlsx",
    "tests/memos/test_register_page.py::test_the_register_lists_numbered_letters",
    "tests/memos/test_routing.py::test_a_reopen_of_the_plan_from_its_page_reopens",
    "tests/memos/test_routing.py::test_after_issue_the_plan_and_the_memo_are_refused",
    "tests/memos/test_routing.py::test_forward_forward_approve_prints_three_dated_blocks",
    "tests/memos/test_routing.py::test_route_role_matrix[memo_reopen-",
    "tests/memos/test_routing.py::test_the_issued_pdf_is_signed_and_verifies",
    "tests/memos/test_routing.py::test_the_whole_path_through_the_pages",
    "tests/memos/test_routing.py::test_without_a_certificate_the_issued_pdf_is_stored_unsigned",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(PDF_TESTS):
            item.add_marker(pytest.mark.pdf)
        if reason := database_independent_misuse(item):
            raise pytest.UsageError(f"{item.nodeid} is marked database_independent but {reason}")


def _stand_in_pdf() -> bytes:
    """A one-page, blank, well-formed PDF (pydyf, no layout): what the tests that do not read PDFs get."""
    import io

    import pydyf

    pdf = pydyf.PDF()
    content = pydyf.Stream()
    pdf.add_object(content)
    pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference, "MediaBox": [0, 0, 595, 842],
                                   "Contents": content.reference}))
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()


STAND_IN_PDF = _stand_in_pdf()


@pytest.fixture(autouse=True)
def _stand_in_renderer(request, monkeypatch):
    """A test that does not read a PDF — neither marked ``pdf`` (``PDF_TESTS``) nor ``browser`` — gets
    ``STAND_IN_PDF`` instead of a WeasyPrint render wherever the portal renders: the documents (downloads,
    ``render_document``) and the issuing of approved memos (``memos.issuing.render_issue``). Approving, issuing,
    signing, storing and hashing run as they do; only the layout is skipped (about a second a memo)."""
    if request.node.get_closest_marker("pdf") or request.node.get_closest_marker("browser"):
        return
    if "broken_renderer" in request.fixturenames:  # the test breaks WeasyPrint itself to see the failure path
        return
    monkeypatch.setattr("reports.documents.render_html_to_pdf", lambda html, *, archival=False: STAND_IN_PDF)
    monkeypatch.setattr("memos.issuing.render_issue", lambda html: STAND_IN_PDF)


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_trigger():
    """A transactional test that asks for what the session snapshot does not give (``reset_sequences``,
    ``serialized_rollback``…) ends with Django's flush (one ``TRUNCATE`` of every table); on PostgreSQL the audit log's
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


@pytest.fixture(scope="session", autouse=True)
def _test_databases_made_without_a_time_limit():
    """The test settings' ``statement_timeout`` (5 s, ``ita_portal.settings.base.postgres_options``) is for
    requests: creating and dropping a test database (``CREATE``/``DROP DATABASE``, run by Django on a connection to
    the server's ``postgres`` database) waits for a checkpoint and took longer on a busy machine; cancelled, the
    session failed to start ("already exists", then the drop cancelled too) or left its database behind."""
    from contextlib import contextmanager

    from django.db.backends.postgresql.base import DatabaseWrapper

    nodb_cursor = DatabaseWrapper._nodb_cursor

    @contextmanager
    def without_a_time_limit(self):
        with nodb_cursor(self) as cursor:
            cursor.execute("SET statement_timeout = 0")
            yield cursor

    DatabaseWrapper._nodb_cursor = without_a_time_limit
    yield
    DatabaseWrapper._nodb_cursor = nodb_cursor


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The seed documents loaded once; transactional tests end with the database put back as it is here
    (``tests.helpers.database.SessionSnapshot``) instead of a flush that the next test had to reload the seeds
    after."""
    from tests.helpers.database import SessionSnapshot, restore_after_transactional_tests

    with django_db_blocker.unblock():
        call_command("load_seed_documents", verbosity=0, stdout=open("/dev/null", "w"))
        undo = restore_after_transactional_tests(SessionSnapshot())
    yield
    undo()


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
    cache_empty()


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


@pytest.fixture
def demo_signing(settings, tmp_path):
    """What the local settings do once ``make run`` made the demo certificate (``reports.demo_certificate``, issue 24):
    it is created under a temporary directory, the deployment signs with it and verification trusts its CA."""
    from reports.demo_certificate import demo_certificate_ensure

    directory = tmp_path / "demo-certificate"
    settings.SIGNING_DEMO_PKCS12, settings.SIGNING_DEMO_CA = str(directory / "demo-signer.p12"), str(
        directory / "demo-ca.pem")
    demo = demo_certificate_ensure(pkcs12_path=settings.SIGNING_DEMO_PKCS12, ca_path=settings.SIGNING_DEMO_CA)
    settings.SIGNING_PKCS12, settings.SIGNING_PASSPHRASE = str(demo.pkcs12), ""
    settings.SIGNING_TRUST_ROOTS, settings.SIGNING_TIMESTAMP_URL = str(demo.ca_pem), ""
    return demo
