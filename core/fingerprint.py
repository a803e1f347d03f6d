"""Fingerprints of rows: the key under which a page built from them is cached (the dashboard, the plan page).

Why: a cache must never show stale content, and versions bumped by every writer go stale the day one writer
forgets (a bulk ``update()``, the admin, a shell). So the key is not a version: it is a hash of the rows
themselves, read by one query.

``rows_fingerprint`` reads, in one SQL statement, every row of every ``Input`` (a model and the SQL condition that
chooses the rows of one organization, plan, …): on PostgreSQL each row's id and ``xmin`` (the transaction that wrote
that version of the row), on SQLite every column of every row (it has no row versions). Each table's rows are
concatenated in primary-key order and hashed (PostgreSQL ``md5``; on SQLite the text is hashed in Python). Any
change to any of these rows changes the fingerprint, whoever wrote it and however.

Columns are taken from the models' ``_meta`` (every concrete column), so a new field is covered without an edit;
a new *table* read by a page must be added to its inputs: each page that caches has a test that captures its
queries and fails when they read a table its inputs do not name (``tests/dashboards/test_dashboard_cache.py``,
``tests/measures/test_plan_page.py``).
"""
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

NULL = "\x1aN"  # stands for SQL NULL on SQLite (PostgreSQL refuses NUL characters in a query)


@dataclass(frozen=True)
class Input:
    """One table a cached page reads: ``model`` and the SQL condition choosing the rows of one key, with ``{key}``
    standing for the key's id placeholder (None: the whole table, for small global data)."""

    model: type[Model]
    where: str | None


def table(model: type[Model]) -> str:
    """The quoted database table of ``model``, for the conditions of ``Input``."""
    return connection.ops.quote_name(model._meta.db_table)


_sql_cache: dict[tuple[str, str], tuple[str, int]] = {}


def _sql(name: str, inputs: list[Input]) -> tuple[str, int]:
    """(the fingerprint query of ``inputs`` for this database's vendor, how many times it takes the key's id)."""
    vendor = connection.vendor
    if (name, vendor) not in _sql_cache:
        postgres = vendor == "postgresql"
        parts = []
        for item in inputs:
            if postgres:  # each row's id and xmin: the id of the transaction that wrote this version of it
                aggregate = "md5(string_agg(id::text || ':' || xmin::text, ',' ORDER BY id))"
                source = table(item.model)
            else:  # SQLite has no row versions: every column of every row
                columns = [connection.ops.quote_name(f.column) for f in item.model._meta.concrete_fields]
                row = " || '\x1f' || ".join(f"COALESCE(CAST({c} AS TEXT), '{NULL}')" for c in columns)
                aggregate = f"group_concat({row}, '\x1e')"  # in the order of the ordered subquery
                source = f"(SELECT * FROM {table(item.model)} ORDER BY id)"
            where = f" WHERE {item.where}" if item.where else ""
            parts.append(f"(SELECT COALESCE({aggregate}, '') FROM {source} AS t{where})")
        sql = "SELECT " + ", ".join(parts)
        _sql_cache[(name, vendor)] = (sql.replace("{key}", "%s"), sql.count("{key}"))
    return _sql_cache[(name, vendor)]


def rows_fingerprint(*, name: str, inputs: Callable[[], list[Input]], key: int) -> str:
    """A SHA-256 hex digest (64 characters) of every row of ``inputs()`` for ``key`` (an organization's or a plan's
    id); it changes whenever any of them changes. ``name`` names the query (built once per process). One query."""
    sql, count = _sql(name, inputs())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXECUTE {_prepared(cursor, name, sql)}(%s)", [key])
        else:
            cursor.execute(sql, [key] * count)
        values = cursor.fetchone()
    return digest_of(values)


def digest_of(values) -> str:
    """The SHA-256 hex digest of a fingerprint query's row (one text per input, each ended by \\x1d)."""
    digest = hashlib.sha256()
    for value in values:
        digest.update(value.encode())
        digest.update(b"\x1d")
    return digest.hexdigest()


def _prepared(cursor, name: str, sql: str) -> str:
    """The name of the prepared statement of ``sql`` (its ``%s`` placeholders all the one key) on this database
    connection, prepared (``PREPARE``) on its first use by the connection. PostgreSQL plans the statement once
    rather than on every call: the dashboard's fingerprint (18 subqueries) took longer to plan than to run (about
    6 of its 11 ms on each cache hit). The names prepared are remembered with the connection they were prepared on
    (``DatabaseWrapper.connection``), so a new connection prepares them again. The ``PREPARE`` runs on the
    driver's own cursor: once per connection, it is not one of a page's queries (``django_assert_num_queries``
    pins would otherwise count it on whichever request a connection serves first)."""
    statement = "ita_fingerprint_" + hashlib.sha256(name.encode()).hexdigest()[:16]
    raw, names = getattr(connection, "_ita_prepared", (None, set()))
    if raw is not connection.connection:
        raw, names = connection.connection, set()
        connection._ita_prepared = (raw, names)
    if statement not in names:
        cursor.cursor.execute(f"PREPARE {statement}(bigint) AS {sql.replace('%s', '$1')}")
        names.add(statement)
    return statement
