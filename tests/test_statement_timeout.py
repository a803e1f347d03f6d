"""No query holds a web worker (issue 23 §5): PostgreSQL's ``statement_timeout`` (5 s for web requests, 100 s while
an export reads its rows), and a request whose statement was cut off gets a Thai 503 page, never a 500."""
import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError, connection, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from core.db import statement_cancelled
from core.exports import with_export_timeout

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="statement_timeout is PostgreSQL's; SQLite has no such limit")
THAI_TIMEOUT = "คำขอใช้เวลานานเกินไป"


@login_not_required
def slow_view(request):
    """A query of two seconds (in a savepoint: the test's own transaction stays usable after the cut)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("finished")


class FakeCancel(Exception):
    pgcode = "57014"


@login_not_required
def cancelled_view(request):
    raise OperationalError("canceling statement due to statement timeout") from FakeCancel()


urlpatterns = [path("slow/", slow_view), path("cancelled/", cancelled_view)]


def show_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.django_db
def test_web_requests_run_under_a_five_second_statement_timeout():
    assert show_timeout() == "5s"


@postgresql_only
@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_query_cut_off_by_the_statement_timeout_shows_the_thai_page_not_a_500(client):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '200ms'")  # the test's transaction: undone after it
    client.raise_request_exception = False
    response = client.get("/slow/")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert THAI_TIMEOUT in page and "finished" not in page and "เกิดข้อผิดพลาดในระบบ" not in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_cancelled_statement_gets_the_thai_page_on_any_database(client):
    response = client.get("/cancelled/")
    assert response.status_code == 503 and THAI_TIMEOUT in response.content.decode()


def test_only_a_cancelled_statement_counts_as_one():
    assert statement_cancelled(OperationalError("cut")) is False  # no cause: another operational error
    assert statement_cancelled(RuntimeError("cut")) is False
    try:
        raise OperationalError("canceling statement") from FakeCancel()
    except OperationalError as error:
        assert statement_cancelled(error) is True


@postgresql_only
@pytest.mark.django_db
def test_an_export_reads_its_rows_under_the_longer_limit_then_the_web_one_again():
    seen = []

    def rows():
        seen.append(show_timeout())
        yield ["a"]

    assert list(with_export_timeout(rows())) == [["a"]]
    assert seen == ["100s"] and show_timeout() == "5s"
