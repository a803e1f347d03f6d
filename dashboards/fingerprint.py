"""The fingerprint of one organization's dashboard data: the key under which its rendered dashboard is cached.

Why: the dashboard reads little from the database (about 2 ms of SQL) but costs about 25 ms of Python to build
(ORM rows, dataclasses, SVG charts, template). A cache saves that, and a cache must never show stale numbers.
Versions bumped by every writer would go stale the day one writer forgets (a bulk ``update()``, the admin, a
shell). So the key is not a version: it is a hash of the rows themselves, read by one query.

``dashboard_fingerprint`` reads, in one SQL statement, every column of every row the dashboard may read
(``_inputs()``): the organization, its departments, assessments, analyses, indicator and question scores, plans,
progress reports, measures and their owners, OIT checklists, and the frameworks (tools, indicators, level rules) and
OIT item lists (small, read whole); and how many scored assessments of its latest year share its kind and its
province (the totals its computed ranks are out of: counted, ``Input.count_only``). Each table's rows are
concatenated in primary-key order and hashed (PostgreSQL
``md5``; on SQLite the text is hashed in Python). Any change to any of these rows changes the fingerprint, whoever
wrote it and however. ``tests/dashboards/test_dashboard_cache.py`` captures the dashboard's own queries and fails
when they read a table that is not in ``_inputs()``.

Columns are taken from the models' ``_meta`` (every concrete column), so a new field is covered without an edit
here; a new *table* read by the dashboard must be added to ``_inputs()`` (the test says so).
"""
import hashlib
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

from assessments.models import (
    Analysis,
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    LevelRule,
    QuestionScore,
    Tool,
)
from measures.models import Measure, MeasurePlan, ProgressReport
from oit.models import Checklist, ItemList
from organizations.models import Department, Organization

SEPARATOR = "\x1f"  # ASCII unit separator between columns; rows are separated by \x1e
NULL = "\x1aN"  # stands for SQL NULL (PostgreSQL refuses NUL characters in a query)


@dataclass(frozen=True)
class Input:
    """One table the dashboard reads: ``model`` and the SQL condition choosing one organization's rows, with
    ``{org}`` standing for the organization's id placeholder (None: the whole table, for small global data)."""

    model: type[Model]
    where: str | None
    count_only: bool = False  # hash how many rows match, not the rows (many rows of other organizations)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _inputs() -> list[Input]:
    assessments = f"SELECT id FROM {_table(Assessment)} WHERE organization_id = {{org}}"
    plans = f"SELECT id FROM {_table(MeasurePlan)} WHERE organization_id = {{org}}"
    measures = f"SELECT id FROM {_table(Measure)} WHERE plan_id IN ({plans})"
    return [
        Input(Organization, "id = {org}"),
        Input(Department, "organization_id = {org}"),
        Input(Assessment, "organization_id = {org}"),
        Input(Analysis, f"assessment_id IN ({assessments})"),
        Input(IndicatorScore, f"assessment_id IN ({assessments})"),
        Input(QuestionScore, f"assessment_id IN ({assessments})"),
        Input(MeasurePlan, "organization_id = {org}"),
        Input(ProgressReport, f"plan_id IN ({plans})"),
        Input(Measure, f"plan_id IN ({plans})"),
        Input(Measure.owners.through, f"measure_id IN ({measures})"),
        Input(Framework, None),
        Input(Tool, None),
        Input(Indicator, None),
        Input(LevelRule, None),
        Input(Checklist, "organization_id = {org}"),  # its stored readiness counts (oit.results)
        Input(ItemList, None),  # the entry window's dates
        # The totals its computed ranks are out of ("1 จาก 1"): the scored assessments of its latest year, of its
        # kind and of its province (rows of other organizations; counted, not read whole).
        Input(Assessment, f"score IS NOT NULL AND fiscal_year = (SELECT MAX(fiscal_year) FROM {_table(Assessment)}"
                          f" WHERE organization_id = {{org}}) AND organization_id IN (SELECT o.id FROM"
                          f" {_table(Organization)} o, {_table(Organization)} me WHERE me.id = {{org}}"
                          f" AND o.kind = me.kind)", count_only=True),
        Input(Assessment, f"score IS NOT NULL AND fiscal_year = (SELECT MAX(fiscal_year) FROM {_table(Assessment)}"
                          f" WHERE organization_id = {{org}}) AND organization_id IN (SELECT o.id FROM"
                          f" {_table(Organization)} o, {_table(Organization)} me WHERE me.id = {{org}}"
                          f" AND o.province = me.province)", count_only=True),
    ]


def input_tables() -> set[str]:
    """The database tables whose rows make the fingerprint."""
    return {item.model._meta.db_table for item in _inputs()}


_sql_cache: dict[str, tuple[str, int]] = {}


def _sql() -> tuple[str, int]:
    """(the fingerprint query for this database's vendor, how many times it takes the organization's id)."""
    vendor = connection.vendor
    if vendor not in _sql_cache:
        postgres = vendor == "postgresql"
        parts = []
        for item in _inputs():
            if item.count_only:
                aggregate = "CAST(COUNT(*) AS TEXT)"
                source = _table(item.model)
            elif postgres:  # each row's id and xmin: the id of the transaction that wrote this version of it
                aggregate = "md5(string_agg(id::text || ':' || xmin::text, ',' ORDER BY id))"
                source = _table(item.model)
            else:  # SQLite has no row versions: every column of every row
                columns = [connection.ops.quote_name(f.column) for f in item.model._meta.concrete_fields]
                row = " || '\x1f' || ".join(f"COALESCE(CAST({c} AS TEXT), '{NULL}')" for c in columns)
                aggregate = f"group_concat({row}, '\x1e')"  # in the order of the ordered subquery
                source = f"(SELECT * FROM {_table(item.model)} ORDER BY id)"
            where = f" WHERE {item.where}" if item.where else ""
            parts.append(f"(SELECT COALESCE({aggregate}, '') FROM {source} AS t{where})")
        sql = "SELECT " + ", ".join(parts)
        count = sql.count("{org}")
        _sql_cache[vendor] = (sql.replace("{org}", "%s"), count)
    return _sql_cache[vendor]


def dashboard_fingerprint(*, organization: Organization) -> str:
    """A SHA-256 hex digest (64 characters) of every row the dashboard of ``organization`` may read (``_inputs()``);
    it changes whenever any of them changes. One query."""
    sql, count = _sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [organization.pk] * count)
        values = cursor.fetchone()
    digest = hashlib.sha256()
    for value in values:
        digest.update(value.encode())
        digest.update(b"\x1d")
    return digest.hexdigest()
