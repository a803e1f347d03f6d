"""Reads of the organization dashboard (issue 9, point 1).

Everything here reads stored values — ``Assessment.score``/``level``/``score_change``/``rank_in_*`` (written by
``assessments.services``), ``Measure.latest_status``/``due_date`` (written by ``measures.services``) — with SQL
aggregates, in a constant number of queries whatever the number of years, measures, owners or questions: one for
the assessments, one for the plans, one for the current plan's reports, three for the latest year's indicators and
questions, four for the current plan's measures (see ``organization_dashboard``). No score is recomputed.

Scores are 0–100 with two decimals (``Decimal``); changes are score points; shares are whole percentages.
"""
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Analysis, Assessment, Indicator, IndicatorScore, QuestionScore
from assessments.scoring import is_rounding
from assessments.selectors import rank_totals
from core.thai import fiscal_year_bounds, fiscal_year_of
from measures.choices import Round, Status, round_period
from measures.models import Measure, MeasurePlan, ProgressReport
from oit.results import ReadinessGlance, readiness_glance
from organizations.models import Organization

from .choices import CycleState, StatusGroup

DEFAULT_TARGET = Decimal("85")  # the pass line and indicator target (NACC), when a year has no framework row
WEAKEST_INDICATORS = 3
WEAKEST_QUESTIONS = 5
DUE_SOON_DAYS = 30
FULL_SCORE = Decimal("100")


# --- score over the years ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class YearScore:
    """One fiscal year's result: ``score`` the published ITA score where there is one, else the computed one;
    ``level`` on the year's primary scale; ``letter`` the AA–F letter where the year carries it beside the pass
    labels (2566; published, else computed), else ""; ``change`` from the previous fiscal year's score (None when
    that year has no score)."""

    fiscal_year: int
    score: Decimal | None
    level: str
    letter: str
    change: Decimal | None

    @property
    def level_text(self) -> str:
        """"ผ่านดี (AA)", "ผ่านดีเยี่ยม", or ""."""
        return f"{self.level} ({self.letter})" if self.level and self.letter else self.level or self.letter


def assessments_by_year(*, organization: Organization) -> list[Assessment]:
    """The assessments of ``organization``, oldest first, each with ``has_analysis`` (bool). One query."""
    return list(organization.assessments.order_by("fiscal_year").annotate(
        has_analysis=Exists(Analysis.objects.filter(assessment=OuterRef("pk")))))


def score_history(*, assessments: list[Assessment]) -> list[YearScore]:
    """``YearScore`` of each of ``assessments`` (from ``assessments_by_year``), in their order; no query."""
    return [YearScore(a.fiscal_year, a.score, a.level, a.level_letter,
                      a.score_change) for a in assessments]


# --- the latest year ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorResult:
    """One indicator of the latest year: its score, the same indicator's score in the previous fiscal year, and
    the year's target (85)."""

    number: int
    name: str
    tool: str
    score: Decimal | None
    previous: Decimal | None
    target: Decimal

    @property
    def change(self) -> Decimal | None:
        return None if self.score is None or self.previous is None else self.score - self.previous

    @property
    def below_target(self) -> bool:
        return self.score is not None and self.score < self.target


@dataclass(frozen=True)
class ToolResult:
    """A tool's score: ``published`` where NACC published one, ``computed`` by the portal (stored), ``score`` the
    one that counts (published, else computed)."""

    code: str
    name: str
    published: Decimal | None
    computed: Decimal | None

    @property
    def score(self) -> Decimal | None:
        return self.published if self.published is not None else self.computed

    @property
    def difference(self) -> Decimal | None:
        """Published − computed, when both exist."""
        return None if self.published is None or self.computed is None else self.published - self.computed

    @property
    def is_rounding(self) -> bool:
        """A non-zero difference of 0.01 or less: rounding, never a discrepancy (``scoring.is_rounding``)."""
        return bool(self.difference) and is_rounding(self.difference)

    @property
    def differs(self) -> bool:
        """A difference above 0.01: the published figure does not follow from the indicators."""
        return self.difference is not None and not is_rounding(self.difference)


@dataclass(frozen=True)
class QuestionResult:
    """A published question sub-score (code in lower case with Arabic digits, e.g. "o13")."""

    code: str
    text: str
    score: Decimal


@dataclass(frozen=True)
class Ranks:
    """The published rank as NACC printed it (``published``, ``scope`` e.g. "หน่วยงานประเภทเทศบาลตำบล"), and
    the ranks the portal computes from the stored scores of the organizations it holds (standard competition
    ranking, ``assessments.services.ranks_refresh``): within the kind nationally and within the province, each
    out of ``in_kind_total`` / ``in_province_total`` (the year's scored assessments of that kind / province: the
    population ``ranks_refresh`` ranks), so that a page says "1 จาก 1", not "ลำดับที่ 1" alone."""

    published: int | None
    scope: str
    in_kind: int | None
    in_province: int | None
    kind: str
    province: str
    in_kind_total: int = 0
    in_province_total: int = 0

    @property
    def published_text(self) -> str:
        """"ลำดับที่ 429 ของหน่วยงานประเภทเทศบาลตำบล", or "" when no rank was published."""
        if self.published is None:
            return ""
        if not self.scope:
            return _("Rank %(rank)s") % {"rank": self.published}
        return _("Rank %(rank)s of %(scope)s") % {"rank": self.published, "scope": self.scope}


@dataclass(frozen=True)
class LatestYear:
    """The latest assessment: its ``YearScore``, the ten indicators (``previous_year`` is the year compared with,
    fiscal year − 1, or None when there is no assessment of that year), the weakest indicators (the lowest
    ``WEAKEST_INDICATORS`` scores below 100; ties by number) and questions (the lowest ``WEAKEST_QUESTIONS``
    published question scores below 100), the tool scores and the ranks."""

    assessment: Assessment
    result: YearScore
    target: Decimal
    previous_year: int | None
    indicators: list[IndicatorResult]
    tools: list[ToolResult]
    weakest_questions: list[QuestionResult]
    ranks: Ranks

    @property
    def weakest(self) -> list[IndicatorResult]:
        scored = [i for i in self.indicators if i.score is not None and i.score < FULL_SCORE]
        return sorted(scored, key=lambda i: (i.score, i.number))[:WEAKEST_INDICATORS]

    @property
    def has_indicator_scores(self) -> bool:
        """Whether any indicator of the year has a score (a year published with only its total has none)."""
        return any(i.score is not None for i in self.indicators)

    @property
    def below_target(self) -> list[IndicatorResult]:
        return [i for i in self.indicators if i.below_target]


def latest_year(*, assessments: list[Assessment]) -> LatestYear | None:
    """The ``LatestYear`` of the last of ``assessments`` (oldest first, ``assessments_by_year``), compared with the
    assessment of the fiscal year before it; None without assessments. Four queries: the year's indicators (with
    their tool and the framework's target), the indicator scores of both years, the weakest questions, the totals
    the computed ranks are out of."""
    if not assessments:
        return None
    latest = assessments[-1]
    previous = next((a for a in assessments if a.fiscal_year == latest.fiscal_year - 1), None)
    indicators = list(Indicator.objects.filter(framework__fiscal_year=latest.fiscal_year)
                      .select_related("tool", "framework").order_by("number"))
    target = indicators[0].framework.target if indicators else DEFAULT_TARGET
    scores: dict[tuple[int, int], Decimal] = {
        (assessment_id, number): score for assessment_id, number, score in IndicatorScore.objects.filter(
            assessment_id__in=[a.pk for a in (latest, previous) if a]).values_list(
            "assessment_id", "indicator__number", "score")}
    rows = [IndicatorResult(i.number, i.name, i.tool.code, scores.get((latest.pk, i.number)),
                            scores.get((previous.pk, i.number)) if previous else None, target) for i in indicators]
    tools = {i.tool.code: i.tool for i in indicators}
    tool_rows = [ToolResult(code, tool.name, latest.official_tool_score(code),
                            getattr(latest, f"computed_{code.lower()}", None))
                 for code, tool in sorted(tools.items(), key=lambda item: item[1].order)]
    questions = [QuestionResult(code, text, score) for code, text, score in QuestionScore.objects.filter(
        assessment=latest, score__lt=FULL_SCORE).order_by("score", "order").values_list(
        "code", "text", "score")[:WEAKEST_QUESTIONS]]
    organization = latest.organization
    totals = rank_totals(fiscal_year=latest.fiscal_year, kind=organization.kind, province=organization.province)
    ranks = Ranks(latest.rank, latest.rank_scope, latest.rank_in_kind, latest.rank_in_province,
                  organization.get_kind_display(), organization.province, totals.in_kind(organization.kind),
                  totals.in_province(organization.province))
    return LatestYear(latest, score_history(assessments=[latest])[0], target,
                      previous.fiscal_year if previous else None, rows, tool_rows, questions, ranks)


# --- measures of the current plan ------------------------------------------------------------------------------

def current_plan(*, plans: list[MeasurePlan], today: dt.date) -> MeasurePlan | None:
    """The plan of the fiscal year containing ``today``, else the latest plan (highest fiscal year), else None."""
    this_year = fiscal_year_of(today)
    return next((p for p in plans if p.fiscal_year == this_year), None) or max(
        plans, key=lambda p: p.fiscal_year, default=None)


@dataclass(frozen=True)
class StatusCount:
    """How many measures are in one ``StatusGroup``, and their share of all the plan's measures (whole %)."""

    group: StatusGroup
    count: int
    share: int

    @property
    def label(self) -> str:
        return self.group.label


@dataclass(frozen=True)
class DepartmentCount:
    """Measures owned by one department (``name`` "" for measures without an owner department), how many of them
    are done and how many are overdue. A measure owned by several departments counts for each."""

    name: str
    measures: int
    done: int
    overdue: int


@dataclass(frozen=True)
class PlanProgress:
    """The measures of one plan as of ``today``: ``total`` (not deleted), the counts by status group (always the
    five groups, in order), by owner department, and the measures that are overdue or due within
    ``DUE_SOON_DAYS`` days (``Measure`` objects with ``overdue`` and ``owners`` prefetched; by due date)."""

    plan: MeasurePlan
    today: dt.date
    total: int
    statuses: list[StatusCount]
    departments: list[DepartmentCount]
    overdue: list[Measure] = field(default_factory=list)
    due_soon: list[Measure] = field(default_factory=list)
    due_soon_days: int = DUE_SOON_DAYS

    def count(self, group: str) -> int:
        return next(s.count for s in self.statuses if s.group == group)

    @property
    def done(self) -> int:
        return self.count(StatusGroup.DONE)

    @property
    def no_status(self) -> int:
        """Measures whose latest entry has a result but no status: counted apart, never as late."""
        return self.count(StatusGroup.NO_STATUS)


def _share(count: int, total: int) -> int:
    return int((Decimal(100 * count) / total).quantize(Decimal(1), rounding=ROUND_HALF_UP)) if total else 0


STATUS_GROUPS = {Status.DONE: StatusGroup.DONE, Status.IN_PROGRESS: StatusGroup.IN_PROGRESS,
                 Status.NOT_STARTED: StatusGroup.NOT_STARTED, "": StatusGroup.NO_STATUS, None: StatusGroup.NOT_REPORTED}


def plan_progress(*, plan: MeasurePlan, today: dt.date) -> PlanProgress:
    """``PlanProgress`` of ``plan`` from the stored ``latest_status`` and ``due_date`` of its measures (the latest
    status is the entry of the report with the latest period end; overdue and due soon are ``Measure.is_overdue``
    and ``Measure.is_due_soon``, the one-object forms of the measure lists' rules). Two queries: the plan's
    measures (a plan holds tens of them) and their owners."""
    measures = list(plan.measures.prefetch_related("owners").order_by("due_date", "number"))
    groups: Counter = Counter()
    departments: dict[int | None, list] = {}
    for measure in measures:
        measure.overdue = measure.is_overdue(today=today)
        groups[STATUS_GROUPS.get(measure.latest_status, StatusGroup.NO_STATUS)] += 1
        owners = list(measure.owners.all()) or [None]
        for owner in owners:
            key = owner.pk if owner else None
            row = departments.setdefault(key, [owner, 0, 0, 0])
            row[1] += 1
            row[2] += measure.latest_status == Status.DONE
            row[3] += measure.overdue
    total = len(measures)
    statuses = [StatusCount(group, groups[group], _share(groups[group], total)) for group in StatusGroup]
    ordered = sorted((row for key, row in departments.items() if key is not None),
                     key=lambda row: (row[0].order, row[0].name))
    rows = [DepartmentCount(owner.name, n, done, overdue) for owner, n, done, overdue in ordered]
    if None in departments:
        rows.append(DepartmentCount("", *departments[None][1:]))
    return PlanProgress(plan, today, total, statuses, rows,
                        overdue=[m for m in measures if m.overdue],
                        due_soon=[m for m in measures if m.is_due_soon(today=today, days=DUE_SOON_DAYS)])


# --- the cycle as a checklist -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CycleStep:
    """One step of the yearly cycle: what it is (``title``, for ``fiscal_year``), its ``state``, the ``period``
    it covers (reports), the date from which it is expected (``due``; see ``cycle_checklist``), whether it is
    expected by now and not yet approved or recorded (``is_due``), when it was approved, and ``url``: where the
    user does the work (a form for those who may edit, else the page to read), "" when there is nothing to open."""

    key: str
    title: str
    fiscal_year: int
    state: CycleState
    url: str
    period: tuple[dt.date, dt.date] | None = None
    due: dt.date | None = None
    is_due: bool = False
    approved_at: dt.datetime | None = None

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def approved_on(self) -> dt.date | None:
        """The day of the approval in ``TIME_ZONE``."""
        return timezone.localdate(self.approved_at) if self.approved_at else None


def _approvable_state(item: MeasurePlan | ProgressReport | None) -> CycleState:
    if item is None:
        return CycleState.NOT_STARTED
    return CycleState.APPROVED if item.is_locked else CycleState.DRAFT


def _report_step(*, organization: Organization, plan: MeasurePlan, report: ProgressReport | None, round: Round,
                 today: dt.date, can_manage: bool) -> CycleStep:
    period = (report.period_start, report.period_end) if report else round_period(fiscal_year=plan.fiscal_year,
                                                                                     round=round)
    state = _approvable_state(report)
    if report:
        url = reverse("measures:report_detail", args=[organization.slug, plan.fiscal_year, report.round])
    elif can_manage:
        url = reverse("measures:report_create", args=[organization.slug, plan.fiscal_year]) + f"?round={round}"
    else:
        url = ""
    title = _("6-month progress report") if round == Round.SIX_MONTH else _("Annual progress report")
    return CycleStep(round.value, title, plan.fiscal_year, state, url, period, due=period[1],
                     is_due=state != CycleState.APPROVED and today > period[1],
                     approved_at=report.approved_at if report else None)


def cycle_checklist(*, organization: Organization, assessments: list[Assessment], plans: list[MeasurePlan],
                    plan: MeasurePlan | None, reports: list[ProgressReport], today: dt.date,
                    can_manage: bool) -> list[CycleStep]:
    """The steps of the cycle, each with its state (not started / draft / approved; an analysis is recorded) and
    dates, in this order:

    - the 6-month report of the current ``plan`` (period 1 ต.ค.–31 มี.ค.), expected once its period has ended
      (after 31 มี.ค.);
    - its annual report (1 ต.ค.–30 ก.ย.), expected after 30 ก.ย.;
    - the analysis of the latest assessment (year N), expected as soon as the result is entered;
    - the plan of year N+1, expected by the first day of that fiscal year (1 ต.ค.), when its measures start; when
      there is no plan of N+1 but a later one, that later plan (the latest): the checklist follows the plans that
      exist.

    Report and plan steps are approved by an executive (``state``; ``approved_at`` gives the day). Links: the
    report, analysis or plan page when it exists; for those who may edit (``can_manage``) the form that starts it;
    otherwise none. No query: ``reports`` are the current plan's, ``plans`` all of the organization's."""
    steps = []
    if plan:
        by_round = {r.round: r for r in reports}
        for round in (Round.SIX_MONTH, Round.ANNUAL):
            steps.append(_report_step(organization=organization, plan=plan, report=by_round.get(round), round=round,
                                      today=today, can_manage=can_manage))
    latest = assessments[-1] if assessments else None
    if latest:
        year = latest.fiscal_year
        if can_manage:
            url = reverse("assessments:analysis_edit", args=[organization.slug, year])
        elif latest.has_analysis:
            url = reverse("assessments:assessment_detail", args=[organization.slug, year]) + "#h-analysis"
        else:
            url = ""
        analysis_state = CycleState.RECORDED if latest.has_analysis else CycleState.NOT_STARTED
        steps.append(CycleStep("analysis", _("Analysis of the ITA result"), year, analysis_state, url,
                               is_due=not latest.has_analysis))
        # The plan that answers year N: the plan of N+1, or — when the organization has already planned beyond it
        # (ดงสมบูรณ์: result 2562, plan 2564) — its latest plan: the checklist follows the plans that exist and
        # never asks for a year that was skipped.
        later = [p for p in plans if p.fiscal_year >= year + 1]
        next_plan = next((p for p in later if p.fiscal_year == year + 1), None) or max(
            later, key=lambda p: p.fiscal_year, default=None)
        plan_year = next_plan.fiscal_year if next_plan else year + 1
        if next_plan:
            url = reverse("measures:plan_detail", args=[organization.slug, next_plan.fiscal_year])
        elif can_manage:
            url = reverse("measures:plan_create", args=[organization.slug]) + f"?assessment={year}"
        else:
            url = ""
        state = _approvable_state(next_plan)
        starts = fiscal_year_bounds(plan_year)[0]
        steps.append(CycleStep("next_plan", _("Measure plan for the next fiscal year"), plan_year, state, url,
                               due=starts, is_due=state != CycleState.APPROVED and today >= starts,
                               approved_at=next_plan.approved_at if next_plan else None))
    return steps


# --- the whole dashboard ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrganizationDashboard:
    """Everything the organization dashboard shows, as of ``today``: the score over the years (oldest first), the
    latest year, the current plan's progress and the cycle checklist (None/empty where there is no data)."""

    organization: Organization
    today: dt.date
    history: list[YearScore]
    latest: LatestYear | None
    progress: PlanProgress | None
    cycle: list[CycleStep]
    oit: ReadinessGlance | None = None


def organization_dashboard(*, organization: Organization, today: dt.date, can_manage: bool) -> OrganizationDashboard:
    """The ``OrganizationDashboard`` of ``organization`` as of ``today`` (pass ``timezone.localdate()``);
    ``can_manage`` (``Rights.can_manage``) decides whether the checklist links to forms.

    At most 9 queries, whatever the data: assessments, plans, the current plan's reports, ``latest_year`` (3),
    ``plan_progress`` (2), the OIT checklist's readiness (``oit.results.readiness_glance``, 1)."""
    assessments = assessments_by_year(organization=organization)
    plans = list(organization.measure_plans.order_by("-fiscal_year"))
    plan = current_plan(plans=plans, today=today)
    reports = list(plan.progress_reports.all()) if plan else []
    return OrganizationDashboard(
        organization=organization,
        today=today,
        history=score_history(assessments=assessments),
        latest=latest_year(assessments=assessments),
        progress=plan_progress(plan=plan, today=today) if plan else None,
        cycle=cycle_checklist(organization=organization, assessments=assessments, plans=plans, plan=plan,
                              reports=reports, today=today, can_manage=can_manage),
        oit=readiness_glance(organization=organization, today=today),
    )
