"""The fingerprint of one organization's dashboard data: the key under which its rendered dashboard is cached.

Why: the dashboard reads little from the database (about 2 ms of SQL) but costs about 25 ms of Python to build
(ORM rows, dataclasses, SVG charts, template). A cache saves that, and a cache must never show stale numbers.
Versions bumped by every writer would go stale the day one writer forgets (a bulk ``update()``, the admin, a
shell). So the key is not a version: it is a hash of the rows themselves, read by one query.

``dashboard_fingerprint`` hashes, in one query (``core.fingerprint.rows_fingerprint``: each row's id and ``xmin`` on
PostgreSQL, every column on SQLite), every row the dashboard may read (``_inputs()``): the organization, its
departments, assessments, analyses, indicator and question scores, plans, progress reports, measures and their
owners, OIT checklists, and the frameworks (tools, indicators, level rules) and OIT item lists (small, read whole);
and the stored score summaries of its latest year of its kind or its province (the totals its computed ranks are
out of: ``assessments.selectors.rank_totals``). ``tests/dashboards/test_dashboard_cache.py`` captures the dashboard's
own queries and fails when they read a table that is not in ``_inputs()``: a new table read by the dashboard must be
added there.
"""
from assessments.models import (
    Analysis,
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    LevelRule,
    QuestionScore,
    ScoreSummary,
    Tool,
)
from core.fingerprint import Input, rows_fingerprint
from core.fingerprint import table as _table
from measures.models import Measure, MeasurePlan, ProgressReport
from oit.models import Checklist, ItemList
from organizations.models import Department, Organization


def _inputs() -> list[Input]:
    assessments = f"SELECT id FROM {_table(Assessment)} WHERE organization_id = {{key}}"
    plans = f"SELECT id FROM {_table(MeasurePlan)} WHERE organization_id = {{key}}"
    measures = f"SELECT id FROM {_table(Measure)} WHERE plan_id IN ({plans})"
    return [
        Input(Organization, "id = {key}"),
        Input(Department, "organization_id = {key}"),
        Input(Assessment, "organization_id = {key}"),
        Input(Analysis, f"assessment_id IN ({assessments})"),
        Input(IndicatorScore, f"assessment_id IN ({assessments})"),
        Input(QuestionScore, f"assessment_id IN ({assessments})"),
        Input(MeasurePlan, "organization_id = {key}"),
        Input(ProgressReport, f"plan_id IN ({plans})"),
        Input(Measure, f"plan_id IN ({plans})"),
        Input(Measure.owners.through, f"measure_id IN ({measures})"),
        Input(Framework, None),
        Input(Tool, None),
        Input(Indicator, None),
        Input(LevelRule, None),
        Input(Checklist, "organization_id = {key}"),  # its stored readiness counts (oit.results)
        Input(ItemList, None),  # the entry window's dates
        # The totals its computed ranks are out of ("1 จาก 1", ``rank_totals``): the stored summaries of its latest
        # year of its kind or of its province (a few dozen rows; replaced whenever the year's ranks are refreshed).
        Input(ScoreSummary, f"fiscal_year = (SELECT MAX(fiscal_year) FROM {_table(Assessment)}"
                            f" WHERE organization_id = {{key}}) AND (kind = (SELECT kind FROM {_table(Organization)}"
                            f" WHERE id = {{key}}) OR province = (SELECT province FROM {_table(Organization)}"
                            f" WHERE id = {{key}}))"),
    ]


def input_tables() -> set[str]:
    """The database tables whose rows make the fingerprint."""
    return {item.model._meta.db_table for item in _inputs()}


def dashboard_fingerprint(*, organization: Organization) -> str:
    """A SHA-256 hex digest (64 characters) of every row the dashboard of ``organization`` may read (``_inputs()``);
    it changes whenever any of them changes. One query (``core.fingerprint.rows_fingerprint``)."""
    return rows_fingerprint(name="dashboard", inputs=_inputs, key=organization.pk)
