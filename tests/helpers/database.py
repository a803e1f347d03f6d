"""Helpers of the tests that run outside the test's transaction: threads on their own connections, servers and
workers in other processes. Their ``transaction=True`` tests end with the database put back as the session left it
(``SessionSnapshot``: the seed data, in a fraction of a second, where a flush and a reload of the seeds took
seconds); the module also checks the seed data is there afterwards (import ``seed_data_after_the_module`` into the
module: an autouse fixture)."""
import io
import sqlite3
import threading

import pytest
from django.core.management.color import no_style
from django.db import connection, connections, transaction

from tests.browser.helpers import ensure_seed_data


@pytest.fixture(scope="module", autouse=True)
def seed_data_after_the_module(django_db_setup, django_db_blocker):
    """A safety net after a module of transactional tests: they end with the session's snapshot put back
    (``restore_after_transactional_tests``), but one asking for what the snapshot does not give (``reset_sequences``,
    ``serialized_rollback``…) still ends with Django's flush; the seed data is loaded again if it is missing."""
    yield
    with django_db_blocker.unblock():
        ensure_seed_data()


# The marks of a module whose tests run real threads, each on its own connection, against row locks: PostgreSQL only
# (SQLite serializes whole transactions), outside the test's transaction.
POSTGRESQL_THREADS = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks, parallel sessions)"),
    pytest.mark.django_db(transaction=True),
]


def in_threads(functions) -> list:
    """Run each function in its own thread (each its own database connection), released together; their results
    (or the exceptions they raised) in order."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 (the test inspects it)
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


class SessionSnapshot:
    """The test database as the session set it up (migrated, the seed documents loaded), kept in memory and put
    back where a transactional test would flush the database: what the test wrote goes, the session's rows come
    back with their ids (content types and permissions included). Equivalent to Django's flush followed by
    ``load_seed_documents`` for the tests after it, at a fraction of the cost (2026-12-06, docs/benchmarks/
    2026-12-06-ci-time.md).

    SQLite (the in-memory test database): a copy made with SQLite's backup API, copied back the same way.
    PostgreSQL: every table's rows with ``COPY … TO STDOUT`` (bytes held here: nothing is added to the database,
    so ``manage.py backup`` in the tests dumps what it did before); put back in one transaction: every table emptied
    with ``DELETE`` with the triggers off (``session_replication_role = replica``, a superuser's right, as in
    ``.ci/run``; otherwise as the flush empties them, ``sql_flush`` past the audit log's trigger:
    ``tests/conftest.py``), then ``COPY … FROM STDIN``. Sequences are left as they are, as the flush leaves them
    (``reset_sequences=False``). Measured under load (2026-12-06): flush and reload 4.8 s CPU, 52 s wall; this
    0.01 s CPU, 0.1 s wall."""

    def __init__(self, *, database=None):
        self.connection = database or connection
        self.sqlite: sqlite3.Connection | None = None
        self.tables: dict[str, tuple[list[str], bytes]] = {}
        with self.connection.cursor():  # opens the connection
            pass
        if self.connection.vendor == "sqlite":
            self.sqlite = sqlite3.connect(":memory:")
            self.connection.connection.backup(self.sqlite)
            return
        if self.connection.vendor != "postgresql":
            raise NotImplementedError(self.connection.vendor)
        with self.connection.cursor() as cursor:
            for table in self.connection.introspection.django_table_names(only_existing=True, include_views=False):
                cursor.execute(
                    "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                    "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum", [table])
                columns = [name for (name,) in cursor.fetchall()]
                rows = io.BytesIO()
                cursor.cursor.copy_expert(f"COPY {self._columns(table, columns)} TO STDOUT", rows)
                self.tables[table] = (columns, rows.getvalue())

    def _columns(self, table: str, columns: list[str]) -> str:
        quote = self.connection.ops.quote_name
        return f"{quote(table)} ({', '.join(quote(c) for c in columns)})"

    def restore(self) -> None:
        """Put the session's rows back; the caches that hold ids (content types) are emptied."""
        from django.contrib.contenttypes.models import ContentType

        if self.sqlite is not None:
            self.sqlite.backup(self.connection.connection)
        else:
            tables = self.connection.introspection.django_table_names(only_existing=True, include_views=False)
            with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    # Triggers off for this transaction (the audit log's, the foreign keys'): DELETE empties the
                    # small tables in 0.1 s where TRUNCATE's new files took 2 s.
                    cursor.execute("SET LOCAL session_replication_role = replica")
                    for table in tables:
                        cursor.execute(f"DELETE FROM {self.connection.ops.quote_name(table)}")
                else:
                    for statement in self.connection.ops.sql_flush(no_style(), tables):
                        cursor.execute(statement)
                for table, (columns, rows) in self.tables.items():
                    if rows:
                        cursor.cursor.copy_expert(f"COPY {self._columns(table, columns)} FROM STDIN",
                                                  io.BytesIO(rows))
        ContentType.objects.clear_cache()


def restore_after_transactional_tests(snapshot: SessionSnapshot):
    """Make transactional tests (``transaction=True``, ``live_server``) end with ``snapshot.restore()`` instead of
    Django's flush, unless the test asks for something the snapshot does not give (``reset_sequences``,
    ``serialized_rollback``, ``available_apps``, another database). Returns the function that undoes it."""
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def restore_the_session(self):
        databases = self._databases_names(include_mirrors=False)
        if (self.reset_sequences or self.serialized_rollback or self.available_apps is not None
                or databases != [snapshot.connection.alias]):
            return flush(self)
        snapshot.restore()
        return None

    TransactionTestCase._fixture_teardown = restore_the_session
    _installed.append(snapshot)

    def undo():
        TransactionTestCase._fixture_teardown = flush
        _installed.remove(snapshot)
    return undo


_installed: list[SessionSnapshot] = []  # the snapshot the transactional tests end with (one per session)


def session_restore() -> None:
    """Put the database back as the session set it up (``SessionSnapshot.restore``), for a module fixture that
    committed rows of its own; a flush and the seeds loaded again where no snapshot is installed."""
    if _installed:
        _installed[-1].restore()
        return
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    ensure_seed_data()


def explain_with_indexes_only(sql: str, params) -> str:
    """PostgreSQL's plan (``EXPLAIN``) of ``sql`` with sorts, sequential scans and bitmap scans disabled for the
    transaction, so that a plan that still sorts every row has no index that could give the order: a test sees what
    an index makes possible, not what the planner prefers for a few seed rows. The statistics are made afresh first
    (``ANALYZE``): a test database's depend on which tests its process ran before (``make test``'s two processes),
    and with stale ones PostgreSQL once planned the overdue walk on another index."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # a Redis address where nothing listens (port 1): refused at once


def cache_empty() -> None:
    """Empty this test process's cache. Redis: only the keys under this process's prefix (test settings: one per
    process), with ``SCAN`` — ``cache.clear()`` would empty the whole Redis database, under the feet of the other
    test processes of the same run that share it (``make test``'s workers); local memory: ``clear()``."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]  # the backend itself (``django.core.cache.cache`` is a proxy of it)
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
