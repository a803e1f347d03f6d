"""``core.fingerprint.rows_fingerprint`` on PostgreSQL runs its query as a prepared statement of the connection:
the dashboard's (18 subqueries) took longer to plan than to run (about 6 of 11 ms on every cache hit, issue 23 §6:
the dashboard at 7.3 % of the trivial rate). The digest is the one the plain query gives."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.fingerprint import _sql, digest_of
from dashboards.fingerprint import _inputs, dashboard_fingerprint
from organizations.models import Organization

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")


def _plain(key: int) -> str:
    """The digest as ``rows_fingerprint`` computed it before: the plain query, hashed the same way."""
    sql, count = _sql("dashboard", _inputs())
    with connection.cursor() as cursor:
        cursor.execute(sql, [key] * count)
        return digest_of(cursor.fetchone())


@pytest.mark.django_db
def test_the_fingerprint_is_a_prepared_statement_with_the_plain_querys_digest():
    organization = Organization.objects.get(slug="khok-ma")
    with CaptureQueriesContext(connection) as queries:
        first = dashboard_fingerprint(organization=organization)
        second = dashboard_fingerprint(organization=organization)
    assert first == second == _plain(organization.pk)
    # One EXECUTE per fingerprint; the PREPARE (once per connection, maybe by an earlier test) is not a counted query.
    executed = [query["sql"] for query in queries.captured_queries]
    assert len(executed) == 2 and executed[0].startswith("EXECUTE ita_fingerprint_") and executed[1] == executed[0]
    name = executed[0].split()[1].split("(")[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [name])
        assert "md5(string_agg(id::text" in cursor.fetchone()[0]
