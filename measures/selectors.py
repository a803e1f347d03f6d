"""Reads of measure plans and measures, scoped to the organizations the user may read (membership or oversight)."""
import datetime as dt
import hashlib
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast
from django.utils import timezone

from approvals.models import Transition
from assessments.models import Assessment, Finding, Framework, Indicator
from core.exports import EXPORT_CHUNK, streamed
from core.fingerprint import Input, rows_fingerprint, table
from core.pagination import DeferredPageQuerySet
from core.thai import fiscal_year_of
from organizations.choices import Role
from organizations.models import Department, Membership, Official, Organization
from organizations.selectors import oversight_of, scope_filter

from .choices import Round, Status, latest_status_label
from .models import CAN_BE_LATE, Measure, MeasurePlan, ProgressEntry, ProgressReport, Step


def measures_for_plan(*, plan: MeasurePlan, today: dt.date | None = None) -> list[Measure]:
    """The measures of ``plan`` in order, each with ``overdue`` set as of ``today`` (``Measure.is_overdue``, from the
    stored due date and latest status), with what the measure cards show prefetched, and only that: the steps' text,
    the owners' names, the indicators' and findings' numbers and names (``PLAN_PREFETCHES``). Five queries."""
    today = today or timezone.localdate()
    measures = list(plan.measures.prefetch_related(*PLAN_PREFETCHES))
    for measure in measures:
        measure.overdue = measure.is_overdue(today=today)
    return measures


# What a measure card (measures/inc/measure_card.html) reads of a measure's relations: a Finding row carries its
# whole analysis text, a Department its aliases, an Indicator its framework and tool.
PLAN_PREFETCHES = (
    Prefetch("steps", queryset=Step.objects.only("measure_id", "order", "text")),
    Prefetch("owners", queryset=Department.objects.only("organization_id", "order", "name")),
    Prefetch("indicators", queryset=Indicator.objects.only("framework_id", "number", "name")),
    Prefetch("findings", queryset=Finding.objects.only("analysis_id", "number", "title")),
)


@dataclass(frozen=True)
class PlanPage:
    """What the plan page shows below its approval block, built from the rows ``plan_page_fingerprint`` hashes:
    ``measures`` (``measures_for_plan``), ``reports`` (``reports_for_plan``, each entry's ``measure`` one of
    ``measures``), and ``deleted_count`` (the deleted measures an admin may restore)."""

    measures: list[Measure]
    reports: list[ProgressReport]
    deleted_count: int

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return status_counts(self.measures)

    @property
    def overdue_count(self) -> int:
        return sum(measure.overdue for measure in self.measures)


def plan_page(*, plan: MeasurePlan, today: dt.date | None = None) -> PlanPage:
    """The measures, progress reports and deleted-measure count of ``plan`` as its page shows them (overdue as of
    ``today``). Eight queries, whatever the number of measures, steps, owners and entries: the measures and their
    four relations, the reports and their entries, the count."""
    measures = measures_for_plan(plan=plan, today=today)
    reports = reports_for_plan(plan=plan, measures=measures)
    return PlanPage(measures=measures, reports=reports,
                    deleted_count=Measure.all_objects.filter(plan=plan, deleted_at__isnull=False).count())


def _plan_page_inputs() -> list[Input]:
    """Every row the plan page's body may read for the plan ``{key}`` (``plan_page``, measures/inc/plan_body.html):
    the plan, its organization and assessment, its measures (deleted ones too: counted), their steps, owners,
    indicators (and the frameworks that order them) and findings (the links and the rows they point to), its
    reports and their entries, the OIT item lists and items that its question codes link to (small, read whole),
    the memos that carry the plan or its reports, their comments and officials (``oit`` and ``memos`` are above
    ``measures``: their models are looked up by name), and the plan's approval record (its transitions and their
    users: a user's log-in changes the row, and so the fingerprint)."""
    plan = f"SELECT organization_id FROM {table(MeasurePlan)} WHERE id = {{key}}"
    measures = f"SELECT id FROM {table(Measure)} WHERE plan_id = {{key}}"
    reports = f"SELECT id FROM {table(ProgressReport)} WHERE plan_id = {{key}}"
    owners, indicators, findings = Measure.owners.through, Measure.indicators.through, Measure.findings.through
    memo, comment = apps.get_model("memos", "Memo"), apps.get_model("memos", "MemoComment")
    memos = f"SELECT id FROM {table(memo)} WHERE plan_id = {{key}} OR progress_report_id IN ({reports})"
    transitions = (f"object_id = {{key}} AND content_type_id IN (SELECT id FROM {table(ContentType)}"
                   f" WHERE app_label = 'measures' AND model = 'measureplan')")
    return [
        Input(MeasurePlan, "id = {key}"),
        Input(Organization, f"id IN ({plan})"),
        Input(Assessment, f"id IN (SELECT assessment_id FROM {table(MeasurePlan)} WHERE id = {{key}})"),
        Input(Measure, "plan_id = {key}"),
        Input(Step, f"measure_id IN ({measures})"),
        Input(owners, f"measure_id IN ({measures})"),
        Input(Department, f"organization_id IN ({plan})"),
        Input(indicators, f"measure_id IN ({measures})"),
        Input(Indicator, f"id IN (SELECT indicator_id FROM {table(indicators)} WHERE measure_id IN ({measures}))"),
        Input(Framework, None),  # the indicators' order (Framework.Meta.ordering); a few rows
        Input(findings, f"measure_id IN ({measures})"),
        Input(Finding, f"id IN (SELECT finding_id FROM {table(findings)} WHERE measure_id IN ({measures}))"),
        Input(ProgressReport, "plan_id = {key}"),
        Input(ProgressEntry, f"report_id IN ({reports})"),
        Input(apps.get_model("oit", "ItemList"), None),
        Input(apps.get_model("oit", "Item"), None),
        # The approval record: the plan's transitions, who made them, the content types that name plans.
        Input(ContentType, "app_label = 'measures'"),
        Input(Transition, transitions),
        Input(get_user_model(), f"id IN (SELECT user_id FROM {table(Transition)} WHERE {transitions})"),
        Input(memo, f"plan_id = {{key}} OR progress_report_id IN ({reports})"),
        Input(comment, f"memo_id IN ({memos})"),
        Input(Official, f"id IN (SELECT drafter_id FROM {table(memo)} WHERE id IN ({memos})) OR id IN"
                        f" (SELECT official_id FROM {table(comment)} WHERE memo_id IN ({memos}))"),
    ]


def plan_page_tables() -> set[str]:
    """The database tables whose rows make ``plan_page_fingerprint``."""
    return {item.model._meta.db_table for item in _plan_page_inputs()}


def plan_page_fingerprint(*, plan: MeasurePlan) -> str:
    """A SHA-256 hex digest of every row the plan page's body may read (``_plan_page_inputs``): the key of its cache,
    as the dashboard's (``core.fingerprint``). Any write to those rows, however made, changes it. One query."""
    return rows_fingerprint(name="plan page", inputs=_plan_page_inputs, key=plan.pk)


def approval_record(*, item: MeasurePlan | ProgressReport) -> QuerySet[Transition]:
    """Every approval and reopening of a plan or a report (the approval log, ``approvals.Transition``), oldest
    first, with its user: **บันทึกการอนุมัติ** on their pages. One query."""
    return Transition.objects.of(item)


def status_counts(measures: list[Measure]) -> list[tuple[str, str, int]]:
    """``[(status, label, count)]`` of the stored latest statuses of ``measures``, in the course of a measure
    (done, in progress, not started, reported without status, never reported), empty ones left out."""
    counts = Counter(measure.latest_status for measure in measures)
    order = [Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, "", None]
    return [(status or "none", str(latest_status_label(status)), counts[status]) for status in order
            if counts[status]]


def reports_for_plan(*, plan: MeasurePlan, measures: list[Measure]) -> list[ProgressReport]:
    """Progress reports of ``plan`` in period order, entries (of measures not deleted) prefetched, each entry's
    ``measure`` taken from ``measures`` (the plan's, as ``measures_for_plan`` reads them) rather than read again.
    Two queries."""
    by_id = {measure.pk: measure for measure in measures}
    entries = ProgressEntry.objects.filter(measure__deleted_at__isnull=True)
    reports = list(plan.progress_reports.prefetch_related(Prefetch("entries", queryset=entries)))
    for report in reports:
        for entry in report.entries.all():
            if entry.measure_id in by_id:
                entry.measure = by_id[entry.measure_id]
    return reports


def overdue_condition(*, today: dt.date | None = None) -> Q:
    """"Overdue", in SQL: the stored ``due_date`` (timeframe end, else 30 Sep of the plan's fiscal year) is before
    ``today`` (default: today in ``TIME_ZONE``) and the stored ``latest_status`` is not one of
    ``NOT_LATE_STATUSES``: done, or reported without a status ("", counted apart as "reported, status not stated",
    never as late). Never reported (NULL) counts as not done. Reads the index (due_date, latest_status);
    ``Measure.is_overdue`` is the same rule for one object."""
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & _can_be_late()


def due_soon_condition(*, today: dt.date, days: int) -> Q:
    """"Due soon", in SQL: the stored ``due_date`` falls from ``today`` to ``today + days`` inclusive and the measure
    can still be late (as in ``overdue_condition``): the measures that become overdue next if nothing is reported.
    ``Measure.is_due_soon`` is the same rule for one object (the dashboard); the daily digest lists with this."""
    return Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=days)) & _can_be_late()


def _can_be_late() -> Q:
    """The stored ``latest_status`` is not one of ``NOT_LATE_STATUSES``; never reported (NULL) can be late
    (``models.CAN_BE_LATE``, also the condition of the index ``measure_late_walk`` that serves the overdue list)."""
    return CAN_BE_LATE


def with_overdue(queryset: QuerySet[Measure], *, today: dt.date | None = None) -> QuerySet[Measure]:
    """``queryset`` annotated with ``overdue`` (bool, ``overdue_condition``) so that lists show and sort by it;
    ``latest_status`` is a stored field of the measure."""
    return queryset.annotate(overdue=ExpressionWrapper(overdue_condition(today=today), output_field=BooleanField()))


LIST_FIELDS = ["number", "title", "owner_note", "timeframe_start", "timeframe_end", "timeframe_text", "latest_status",
               "due_date", "plan__fiscal_year", "plan__organization__name", "plan__organization__slug"]


def measures_for_user(*, user, today: dt.date | None = None) -> QuerySet[Measure]:
    """Every measure (not deleted) of every organization ``user`` may read (``scope_filter``: membership or
    oversight; all for superusers and national overseers), for the measure list; with ``overdue`` as of
    ``today``. Owners and indicators are prefetched for the page's rows only."""
    measures = (
        Measure.objects.filter(scope_filter(user=user, organization_field="plan__organization"))
        .select_related("plan__organization")
        .only(*LIST_FIELDS)  # a measure row is wide (issue, method, monitoring): read what the list shows
        .prefetch_related("owners", "indicators")
        .order_by("plan__organization__name", "-plan__fiscal_year", "number", "pk")
    )
    return with_overdue(measures, today=today)


MEASURE_COUNT_SECONDS = 300  # how long an overseer's count of the measure list, and its pages' positions, are reused

# The columns of a row of the measure list (``measure_rows``): plain values, no model objects.
ROW_FIELDS = ("pk", "number", "title", "owner_note", "timeframe_start", "timeframe_end", "timeframe_text",
              "latest_status", "overdue", "plan__fiscal_year", "plan__organization__name", "plan__organization__slug")


def measure_rows(measures: QuerySet[Measure], *, remember_positions: bool = False) -> QuerySet[dict]:
    """``measures`` (filtered and sorted as given; it must carry ``overdue``, see ``with_overdue``) as dicts of
    ``ROW_FIELDS``, for the measure list: building a page of Measure, plan and organization objects and
    prefetching owners and indicators as objects was a third of the page's time at national scale (issue 9).
    The page's owners and indicators come from ``owners_and_indicators``.

    A deep page reads the keys of the rows it skips, not the rows (``core.pagination.DeferredPageQuerySet``,
    served by the index ``measure_list_walk``): page 500 of the country costs about what page 1 does (issue 23 §2).
    With ``remember_positions`` (an overseer's list), each page's position in the sort is remembered for
    ``MEASURE_COUNT_SECONDS``, as the count is, and the next request for that page, or for the next one, reads from
    there rather than skipping the rows before it (``DeferredPageQuerySet.remembering``; the page says so)."""
    rows = DeferredPageQuerySet.of(measures.prefetch_related(None).values(*ROW_FIELDS))
    return rows.remembering(MEASURE_COUNT_SECONDS) if remember_positions else rows


@dataclass(frozen=True)
class ListCount:
    """How many rows a list holds: ``n``, counted at ``counted_at`` (aware), or for this request when None."""

    n: int
    counted_at: dt.datetime | None = None


def measure_list_count(*, user, measures: QuerySet, filters: str) -> ListCount:
    """The number of ``measures`` (the filtered measure list of ``user``; ``filters`` its query string without page
    and sort). For members it is counted on each request (their organizations' measures: a few hundred). For
    overseers, whose list may be the country's 664,000 measures (an exact COUNT of 0.1–0.35 s), it is counted once
    per user and filters every ``MEASURE_COUNT_SECONDS`` and the page says when (issue 23 §2: "a count may be
    cached if the page says so")."""
    if not oversight_of(user=user).any:
        return ListCount(measures.count())
    key = "measure-count:" + hashlib.sha256(f"{user.pk}\x1f{filters}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = ListCount(measures.count(), timezone.now())
        cache.set(key, found, timeout=MEASURE_COUNT_SECONDS)
    return found


def owners_and_indicators(measure_ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[tuple[int, str]]]]:
    """The owner departments and the indicators of the measures ``measure_ids``, in one query of plain values:
    ``({measure_id: [department name, …]}, {measure_id: [(indicator number, indicator name), …]})``, departments
    in their organization's order (``order``, name), indicators by number (then name); a measure without any is
    absent. One SQL statement, written out (the two link tables' rows, ``UNION ALL``): the measure list asks it
    on every page, and composing two ORM queries cost more than running them (issue 23 §6: the list's share of
    the trivial rate)."""
    owners: dict[int, list[str]] = defaultdict(list)
    indicators: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not measure_ids:
        return {}, {}
    sql, params = _links_sql(len(measure_ids)), [*measure_ids, *measure_ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for which, measure_id, number, name in cursor.fetchall():
            if which:
                indicators[measure_id].append((number, name))
            else:
                owners[measure_id].append(name)
    return dict(owners), dict(indicators)


def _links_sql(n: int) -> str:
    """``owners_and_indicators``' statement for ``n`` measure ids (placeholders: the ids twice)."""
    q = connection.ops.quote_name
    owners, indicators = Measure.owners.through._meta.db_table, Measure.indicators.through._meta.db_table
    ids = ", ".join(["%s"] * n)
    return (f"SELECT 0, l.{q('measure_id')}, d.{q('order')}, d.{q('name')} FROM {q(owners)} l"
            f" JOIN {q(Department._meta.db_table)} d ON d.{q('id')} = l.{q('department_id')}"
            f" WHERE l.{q('measure_id')} IN ({ids})"
            f" UNION ALL SELECT 1, l.{q('measure_id')}, i.{q('number')}, i.{q('name')} FROM {q(indicators)} l"
            f" JOIN {q(Indicator._meta.db_table)} i ON i.{q('id')} = l.{q('indicator_id')}"
            f" WHERE l.{q('measure_id')} IN ({ids})"
            " ORDER BY 1, 3, 4")


JOINED = "\x1f"  # between the values that ``Joined`` puts in one text (ASCII unit separator: in no name)


class Joined(Subquery):
    """The values of a one-column subquery (its column named ``v``, in the subquery's order) joined with ``JOINED``
    into one text; NULL when it has no row. A correlated subquery (``OuterRef``) of an outer row: the outer query
    stays one query however many values each row has. The rows are aggregated from the ordered subquery, as
    PostgreSQL's manual advises for an ordered aggregate without ``ORDER BY`` in it and as SQLite (before 3.44: no
    ``ORDER BY`` in an aggregate) keeps them."""

    template = "(SELECT group_concat(joined.v, char(31)) FROM (%(subquery)s) AS joined)"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(SELECT string_agg(joined.v, chr(31)) FROM "
                                                          "(%(subquery)s) AS joined)", **extra_context)


def split_joined(value: str | None) -> list[str]:
    """The values of a ``Joined`` column (``[]`` for NULL)."""
    return value.split(JOINED) if value else []


EXPORT_VALUES = ("plan__organization__name", "plan__fiscal_year", "number", "title", "owner_note", "timeframe_start",
                 "timeframe_end", "timeframe_text", "latest_status", "overdue", "owner_ids", "indicator_ids")


def export_values(measures: QuerySet[Measure]) -> Iterator[tuple]:
    """The rows of ``measures`` (filtered and sorted as given; with ``overdue``, see ``with_overdue``) for the
    exports, in one query read ``EXPORT_CHUNK`` rows at a time (``core.exports.streamed``): tuples of the first ten
    ``EXPORT_VALUES``, then the row's owner departments' names (``list[str]``, in their organization's order:
    ``order``, name) and its indicators (``list[str]``, "number. name" by number) — the same values as
    ``owners_and_indicators``.

    The query carries each row's owner and indicator **ids** only (``Joined`` subqueries over the link tables'
    unique indexes); their names are looked up once per chunk for the ids not met before (``_NamesById``), so the
    names cost a query per chunk at most and none once every department has been met. For the whole country
    (664 k measures) PostgreSQL answers in about 4 s, against 9 s when it joined and sorted the names itself
    (docs/benchmarks/2026-12-06-national-sixth-round.md). Memory grows with the departments met, not the rows."""
    ids = {"owner_ids": Measure.owners.through.objects.filter(measure_id=OuterRef("pk"))
           .values(v=Cast("department_id", CharField())),
           "indicator_ids": Measure.indicators.through.objects.filter(measure_id=OuterRef("pk"))
           .values(v=Cast("indicator_id", CharField()))}
    rows = streamed(measures.prefetch_related(None).annotate(**{name: Joined(query) for name, query in ids.items()})
                    .values_list(*EXPORT_VALUES))
    departments = _NamesById(_departments_ranked)
    indicators = _NamesById(lambda ids: ((id_, number, f"{number}. {name}") for id_, number, name in (
        Indicator.objects.filter(id__in=ids).order_by().values_list("id", "number", "name"))))
    while chunk := list(itertools.islice(rows, EXPORT_CHUNK)):
        owner_ids, indicator_ids = [split_joined(row[-2]) for row in chunk], [split_joined(row[-1]) for row in chunk]
        departments.read(owner_ids)
        indicators.read(indicator_ids)
        for row, owners, indicators_of_row in zip(chunk, owner_ids, indicator_ids, strict=True):
            yield (*row[:-2], departments.names(owners), indicators.names(indicators_of_row))


class _NamesById:
    """The texts of rows by id, read as an export meets their ids (``export_values``). ``lookup(ids)`` (a set of
    ints) gives (id, sort key, text) for at least those ids, in one query."""

    def __init__(self, lookup: Callable[[set[int]], Iterable[tuple[int, object, str]]]):
        self.lookup = lookup
        self.known: dict[str, tuple] = {}  # id as the query gives it (text) → (sort key, text)

    def read(self, ids_of_rows: list[list[str]]) -> None:
        """Look up the ids (lists of ``split_joined`` ids) not met before: one query, none when all are known."""
        missing = set().union(*ids_of_rows).difference(self.known)
        if missing:
            for id_, key, text in self.lookup({int(id_) for id_ in missing}):
                self.known[str(id_)] = (key, text)

    def names(self, ids: list[str]) -> list[str]:
        """The texts of ``ids`` (``read`` before), by sort key; an id the lookup did not find (deleted since the
        rows were read: each statement reads the data as it then is) is left out rather than failing the file."""
        if len(ids) == 1:
            return [self.known[ids[0]][1]] if ids[0] in self.known else []
        return [text for _key, text in sorted(self.known[id_] for id_ in ids if id_ in self.known)]


def _departments_ranked(ids: set[int]) -> Iterator[tuple[int, int, str]]:
    """(id, rank, name) of every department of the organizations that the departments ``ids`` belong to, in one
    query: ``rank`` is its place in its organization's order (``order``, then name as the database sorts it, the
    order of ``owners_and_indicators``). A measure's owners are of its own organization, whose departments are
    always ranked together."""
    in_organizations = Department.objects.filter(id__in=ids).values("organization_id")
    rows = (Department.objects.filter(organization_id__in=in_organizations).order_by("organization_id", "order", "name")
            .values_list("id", "name"))
    for rank, (id_, name) in enumerate(rows):
        yield id_, rank, name


def memberships_of(*, user) -> QuerySet[Membership]:
    """The memberships of ``user``, with organization and department, by organization name."""
    return user.memberships.active().select_related("organization", "department").order_by("organization__name")


def measures_for_departments_of(*, user, today: dt.date | None = None) -> QuerySet[Measure]:
    """The measures (not deleted) owned by the department of one of ``user``'s memberships, in that
    membership's organization — "my department's work". Memberships without a department give nothing,
    superusers included.

    Ordered by organization name, fiscal year (latest first), overdue first, then number; with
    ``overdue`` as of ``today`` (see ``with_overdue``).
    """
    owned_by_my_department = Measure.owners.through.objects.filter(
        measure=OuterRef("pk"),
        department__memberships__user=user,
        department__memberships__organization=OuterRef("plan__organization"),
        department__memberships__is_active=True,
    )
    measures = Measure.objects.filter(Exists(owned_by_my_department)).select_related("plan__organization")
    return with_overdue(measures, today=today).order_by(
        "plan__organization__name", "-plan__fiscal_year", "-overdue", "number"
    )


@dataclass(frozen=True)
class RowToFill:
    """One row of an open progress round that the user's department still has to fill in: ``measure`` (owned by
    the department) in ``report`` (not approved), due by ``deadline`` — the end of the round's period (31 มี.ค.
    for the 6-month round, 30 ก.ย. for the annual one), after which the report is expected — and ``late`` when
    today is past it."""

    measure: Measure
    report: ProgressReport
    deadline: dt.date
    late: bool


@dataclass(frozen=True)
class DepartmentWork:
    """What "my department's work" shows: the ``measures`` owned by the user's departments (as
    ``measures_for_departments_of``), the ``rows_to_fill`` of open rounds and the ``rounds_to_start``."""

    measures: list[Measure]
    rows_to_fill: list[RowToFill]
    rounds_to_start: list[tuple[MeasurePlan, str]]


def department_work(*, user, today: dt.date | None = None) -> DepartmentWork:
    """The work of the departments of ``user``'s active memberships, in three queries (measures, the reports of
    their plans, the filled-in entries of the open ones):

    - rows to fill: in every open (not approved) progress report, each measure owned by the department with no
      entry, or an entry with neither a status nor a result (the seeds' annual rows carry a result without a
      status: filled); earliest deadline first, then organization and measure number;
    - rounds to start: the rounds not started yet of the plans of the current fiscal year in which the department
      owns a measure — offered as "start" (issue 13 §2: rounds need not wait for an admin)."""
    today = today or timezone.localdate()
    measures = list(measures_for_departments_of(user=user, today=today))
    plans = {m.plan_id: m.plan for m in measures}
    reports = list(ProgressReport.objects.filter(plan_id__in=plans).order_by("period_end", "pk"))
    open_reports = [r for r in reports if not r.is_locked]
    filled = set(ProgressEntry.objects.filter(report__in=open_reports).exclude(status="", result="")
                 .values_list("report_id", "measure_id")) if open_reports else set()
    rows = sorted((RowToFill(measure=m, report=r, deadline=r.period_end, late=today > r.period_end)
                   for r in open_reports for m in measures if m.plan_id == r.plan_id and (r.pk, m.pk) not in filled),
                  key=lambda row: (row.deadline, row.measure.plan.organization.name, row.measure.number))
    started = {(r.plan_id, r.round) for r in reports}
    current = [plan for plan in plans.values() if plan.fiscal_year == fiscal_year_of(today)]
    to_start = [(plan, round_) for plan in current for round_ in Round.values if (plan.pk, round_) not in started]
    return DepartmentWork(measures=measures, rows_to_fill=rows, rounds_to_start=to_start)


def progress_rows_to_fill(*, user, today: dt.date | None = None) -> list[RowToFill]:
    """``department_work(…).rows_to_fill``."""
    return department_work(user=user, today=today).rows_to_fill


def rounds_to_start(*, user, today: dt.date | None = None) -> list[tuple[MeasurePlan, str]]:
    """``department_work(…).rounds_to_start``."""
    return department_work(user=user, today=today).rounds_to_start


def plan_for_organization(*, organization: Organization, fiscal_year: int) -> QuerySet[MeasurePlan]:
    """The plan of ``organization`` for ``fiscal_year`` as a queryset (empty when none)."""
    return organization.measure_plans.filter(fiscal_year=fiscal_year).select_related("assessment")


def indicator_queryset_for(plan: MeasurePlan):
    """Indicators a measure of ``plan`` can address: those of the framework of the plan's fiscal year (as the
    seed loader links them), else of its assessment's year."""
    years = [plan.fiscal_year] + ([plan.assessment.fiscal_year] if plan.assessment_id else [])
    for year in years:
        indicators = Indicator.objects.filter(framework__fiscal_year=year).select_related("tool")
        if indicators.exists():
            return indicators
    return Indicator.objects.none()



def measures_editable_by(*, user, organization: Organization) -> QuerySet[Measure]:
    """The measures of ``organization`` that ``user`` may edit and report on (role matrix in
    ``organizations.permissions``): all of them for its admins and superusers, those owned by the member's
    department for staff, none for executives, clerks and non-members. Deleted measures are not included."""
    measures = Measure.objects.filter(plan__organization=organization)
    if user.is_superuser:
        return measures
    memberships = Membership.objects.active().filter(user=user, organization=organization)
    if memberships.filter(role=Role.ADMIN).exists():
        return measures
    departments = memberships.filter(role=Role.STAFF, department__isnull=False).values("department")
    return measures.filter(owners__in=departments).distinct()


def deleted_measures_for_plan(*, plan: MeasurePlan) -> QuerySet[Measure]:
    """Deleted measures of ``plan``, latest deletion first, for the admins' restore list."""
    return (Measure.all_objects.filter(plan=plan, deleted_at__isnull=False)
            .select_related("deleted_by").order_by("-deleted_at"))
