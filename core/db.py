"""How long one SQL statement may run (issue 23 §5).

Every PostgreSQL connection opens with ``statement_timeout`` set (settings.STATEMENT_TIMEOUT_SECONDS: 5 s for web
requests, longer for commands and the worker); work that may take longer within a request (the streamed exports)
raises it for its own statements with ``statement_timeout``. A statement cut off raises ``OperationalError`` from
PostgreSQL's ``query_canceled`` (SQLSTATE 57014): ``statement_cancelled`` recognises it, and
``core.middleware.StatementTimeoutMiddleware`` answers the request with a Thai 503 page. SQLite has no such limit.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE of a statement cancelled by statement_timeout (or by hand)


@contextmanager
def statement_timeout(*, seconds: int) -> Iterator[None]:
    """Statements on the default connection may run ``seconds`` (0: no limit) inside the block; after it, the
    connection's own limit again (``RESET``: the value it opened with). Nothing on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(seconds) * 1000}"])
    try:
        yield
    finally:
        if connection.connection is not None and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")


def statement_cancelled(error: BaseException) -> bool:
    """True when ``error`` is a database error of a statement PostgreSQL cancelled (statement_timeout)."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    return (getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)) == QUERY_CANCELED
