"""Reads of the overview of many organizations (issue 9 point 2): one row per organization in the user's scope
with its result of one fiscal year, and the year's figures (levels, mean, share at the target, weak indicators).

Everything reads stored values: ``Assessment.score/level/score_change/rank_*`` (``assessments.services``),
``Measure.latest_status/due_date`` (``measures.services``) and, for national and provincial overseers, the
``ScoreSummary`` rows per fiscal year, province and kind. The number of queries does not depend on the number of
organizations.
"""
import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from assessments.models import Assessment, Framework, LevelRule, ScoreSummary
from assessments.scoring import primary_scale
from assessments.selectors import RankTotals, rank_totals
from measures.choices import Status
from measures.models import Measure
from measures.selectors import overdue_condition
from oit.models import Checklist
from organizations.models import Organization
from organizations.selectors import organizations_for_user, oversight_of

TARGET_SHARE = Decimal("80")  # national plan: ≥ 80 % of agencies at 85 or more (ita-framework.md §4)
WEAK_INDICATORS_SHOWN = 5
OVERVIEW_CACHE_SECONDS = 24 * 3600  # entries are keyed by the data's version: they are never stale, only unused


def fiscal_years() -> list[int]:
    """Fiscal years that have assessments or OIT checklists, latest first. One query."""
    years = ScoreSummary.objects.order_by().values_list("fiscal_year").union(
        Checklist.objects.order_by().values_list("fiscal_year")).order_by()
    return sorted({year for (year,) in years}, reverse=True)


def overview_rows(*, user, fiscal_year: int) -> QuerySet[Organization]:
    """Organizations ``user`` may read, each with its result of ``fiscal_year`` (one LEFT JOIN; organizations
    without one have None): ``ita``, ``level``, ``change``, ``rank_in_kind``, ``rank_in_province``,
    ``published_rank``; and its OIT checklist of that year (a second LEFT JOIN on the unique (organization, fiscal
    year); None without one): ``oit_ready``, ``oit_total``, ``oit_problems``, ``oit_dead_links`` — the counts
    stored by ``oit.results.checklist_counts_refresh``."""
    return (
        organizations_for_user(user=user)
        .annotate(result=FilteredRelation("assessments", condition=Q(assessments__fiscal_year=fiscal_year)),
                  oit=FilteredRelation("oit_checklists", condition=Q(oit_checklists__fiscal_year=fiscal_year)))
        .annotate(
            ita=F("result__score"), level=F("result__level"), change=F("result__score_change"),
            rank_in_kind=F("result__rank_in_kind"), rank_in_province=F("result__rank_in_province"),
            published_rank=F("result__rank"),
            oit_ready=F("oit__items_ready"), oit_total=F("oit__items_total"),
            oit_problems=F("oit__problem_count"), oit_dead_links=F("oit__dead_link_count"),
        )
    )


@dataclass(frozen=True)
class OitFigures:
    """The OIT checklists of one fiscal year over the overview's organizations: how many have one, items ready of
    the items of those checklists, and how many have dead links (and how many dead links in all)."""

    checklists: int = 0
    items_ready: int = 0
    items_total: int = 0
    with_dead_links: int = 0
    dead_links: int = 0

    @property
    def ready_share(self) -> Decimal | None:
        """Items ready of all items, in percent (2 places), or None without items."""
        if not self.items_total:
            return None
        return (Decimal(100) * self.items_ready / self.items_total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def oit_figures(*, fiscal_year: int, rows: QuerySet[Organization]) -> OitFigures:
    """``OitFigures`` of ``fiscal_year`` over the organizations of ``rows`` (the filtered overview queryset), from
    the checklists' stored counts. One query; the overview's page keeps its result in its cached body, under the data's
    version, which every write to the checklists (a readiness check's too) changes (``versions.data_version``)."""
    totals = Checklist.objects.filter(fiscal_year=fiscal_year, organization__in=rows.values("pk")).aggregate(
        checklists=Count("pk"), items_ready=Sum("items_ready"), items_total=Sum("items_total"),
        with_dead_links=Count("pk", filter=Q(dead_link_count__gt=0)), dead_links=Sum("dead_link_count"))
    return OitFigures(**{name: value or 0 for name, value in totals.items()})


@dataclass(frozen=True)
class MeasureCounts:
    """The measures of one organization's plan of one fiscal year: ``total``, ``done`` (stored latest status
    done) and ``overdue`` (``overdue_condition``)."""

    total: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def done_share(self) -> str:
        """"9/12 (75 %)": measures done of the plan, or "–" without measures."""
        if not self.total:
            return "–"
        return f"{self.done}/{self.total} ({round(100 * self.done / self.total)} %)"


def measure_counts(organization_ids: list[int], *, fiscal_year: int,
                   today: dt.date | None = None) -> dict[int, MeasureCounts]:
    """``{organization id: MeasureCounts}`` of the plans of ``fiscal_year`` of ``organization_ids`` (today in
    ``TIME_ZONE`` by default), in one grouped query; an organization without a plan or measures is absent. The
    overview asks it for the rows of its page only (issue 9: counts only for the page's rows), the export for each
    chunk of rows."""
    rows = (Measure.objects.filter(plan__organization_id__in=organization_ids, plan__fiscal_year=fiscal_year)
            .order_by().values("plan__organization_id").annotate(**_measure_count_aggregates(today=today))
            .values_list("plan__organization_id", "total", "done", "overdue"))
    return {organization_id: MeasureCounts(total, done, overdue) for organization_id, total, done, overdue in rows}


def _measure_count_aggregates(*, today: dt.date | None) -> dict:
    """The aggregates of ``MeasureCounts`` (``total``, ``done``, ``overdue`` as of ``today``, default today in
    ``TIME_ZONE``): the rule of ``measure_counts`` and ``with_measure_counts``."""
    return {"total": Count("pk"), "done": Count("pk", filter=Q(latest_status=Status.DONE)),
            "overdue": Count("pk", filter=overdue_condition(today=today or timezone.localdate()))}


def with_measure_counts(rows: QuerySet[Organization], *, fiscal_year: int,
                        today: dt.date | None = None) -> QuerySet[Organization]:
    """``rows`` (organizations) annotated with ``measures_total``, ``measures_done`` and ``measures_overdue``
    (ints; 0 without a plan of ``fiscal_year``), the ``measure_counts`` of each row computed in the same query
    (three correlated subqueries served by the plans' (organization, fiscal year) and the measures' plan indexes):
    the overview's export reads every row with its counts in one query (issue 23 §4)."""
    aggregates = _measure_count_aggregates(today=today)
    counts = (Measure.objects.filter(plan__organization_id=OuterRef("pk"), plan__fiscal_year=fiscal_year)
              .order_by().values("plan__organization_id"))
    return rows.annotate(**{
        f"measures_{name}": Coalesce(Subquery(counts.annotate(n=aggregate).values("n")), 0)
        for name, aggregate in aggregates.items()})


@dataclass
class YearFigures:
    """The figures of one fiscal year over a set of organizations.

    ``level_counts``: [(label, count)] in the order of the year's levels, best first; ``below_target``:
    [(indicator number, name, count)] most often below the target first; shares in percent (0–100, 2 places).
    """

    fiscal_year: int
    organizations: int = 0
    scored: int = 0
    score_sum: Decimal = Decimal(0)
    at_target: int = 0
    target: Decimal = Decimal("85")
    level_counts: list[tuple[str, int]] = field(default_factory=list)
    below_target: list[tuple[int, str, int]] = field(default_factory=list)

    @property
    def mean(self) -> Decimal | None:
        return (self.score_sum / self.scored).quantize(Decimal("0.01"), ROUND_HALF_UP) if self.scored else None

    @property
    def share_at_target(self) -> Decimal | None:
        if not self.scored:
            return None
        return (Decimal(100) * self.at_target / self.scored).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def meets_national_target(self) -> bool:
        """≥ 80 % of the organizations at 85 or more (the national plan's target)."""
        return self.share_at_target is not None and self.share_at_target >= TARGET_SHARE

    @property
    def target_share(self) -> Decimal:
        return TARGET_SHARE


def _summary_scope(*, user, province: str, kind: str) -> Q | None:
    """The ``ScoreSummary`` rows that hold exactly the organizations the filters select, or None when the
    summaries cannot answer (members of some organizations only, or other filters): national overseers and
    superusers read every province; provincial overseers without memberships read theirs."""
    oversight = oversight_of(user=user)
    if oversight.national:
        scope = Q()
    elif oversight.provinces and not user.memberships.active().exists():
        scope = Q(province__in=sorted(oversight.provinces))
    else:
        return None
    if province:
        scope &= Q(province=province)
    if kind:
        scope &= Q(kind=kind)
    return scope


def _ordered_levels(framework: Framework | None, counts: Counter) -> list[tuple[str, int]]:
    """``counts`` by level label in the order of the year's primary scale (best first), other labels after."""
    order: list[str] = []
    if framework is not None:
        scale = primary_scale(framework)
        order = [rule.label for rule in framework.level_rules.all() if rule.scale == scale]
    labels = order + sorted(label for label in counts if label not in order)
    return [(label, counts.get(label, 0)) for label in labels]


def year_figures(*, user, fiscal_year: int, rows: QuerySet[Organization], province: str = "", kind: str = "",
                 filtered: bool = False) -> YearFigures:
    """The figures of ``fiscal_year`` over the organizations of the overview: from ``ScoreSummary`` when the
    user's scope and the filters (``province``, ``kind`` only) match whole summary rows, else computed from the
    stored scores of ``rows`` (the filtered overview queryset; ``filtered`` says other filters apply)."""
    framework = Framework.objects.filter(fiscal_year=fiscal_year).prefetch_related(
        "level_rules", "indicators").first()
    figures = YearFigures(fiscal_year=fiscal_year, target=framework.target if framework else Decimal("85"))
    levels: Counter = Counter()
    below: Counter = Counter()
    scope = None if filtered else _summary_scope(user=user, province=province, kind=kind)
    if scope is not None:
        rows_of_year = ScoreSummary.objects.filter(scope, fiscal_year=fiscal_year).values_list(
            "organizations", "scored", "score_sum", "at_target", "level_counts", "below_target")
        for organizations, scored, score_sum, at_target, level_counts, below_target in rows_of_year:
            figures.organizations += organizations
            figures.scored += scored
            figures.score_sum += score_sum
            figures.at_target += at_target
            levels.update(level_counts)
            below.update({int(number): n for number, n in below_target.items()})
    else:
        # Counts of "*" and of the score, never of the primary key: the index ``assessment_org_year_figures``
        # holds every column these read, so PostgreSQL answers from it alone (an index-only scan) instead of
        # visiting a wide result row per organization (issue 23 §2; the same for the indicator scores).
        # One grouped query gives the totals (summed over the levels) and the counts per level.
        # One grouped query gives the totals (summed over the levels), the counts per level and, from each
        # result's stored mask (``Assessment.indicators_below``), how many are below the target per indicator.
        numbers = sorted(i.number for i in framework.indicators.all()) if framework else []
        assessments = Assessment.objects.filter(fiscal_year=fiscal_year, organization__in=rows.values("pk"))
        per_indicator = {f"below_{n}": Count("indicators_below", filter=Q(**{f"bit_{n}__gt": 0})) for n in numbers}
        grouped = (assessments.alias(**{f"bit_{n}": F("indicators_below").bitand(1 << (n - 1)) for n in numbers})
                   .values("level").annotate(
                       organizations=Count("*"), scored=Count("score"), score_sum=Sum("score"),
                       at_target=Count("score", filter=Q(score__gte=figures.target)), **per_indicator).order_by())
        for row in grouped:
            figures.organizations += row["organizations"]
            figures.scored += row["scored"]
            figures.score_sum += row["score_sum"] or Decimal(0)
            figures.at_target += row["at_target"]
            if row["level"]:
                levels[row["level"]] += row["organizations"]
            below.update({n: row[f"below_{n}"] for n in numbers if row[f"below_{n}"]})
    figures.level_counts = _ordered_levels(framework, levels)
    names = {i.number: i.name for i in framework.indicators.all()} if framework else {}
    figures.below_target = [(number, names.get(number, ""), n) for number, n in below.most_common()
                            ][:WEAK_INDICATORS_SHOWN]
    return figures


def level_choices(fiscal_year: int | None) -> list[tuple[str, str]]:
    """The level labels a year can give (both scales where it has two), for the level filter."""
    labels = LevelRule.objects.filter(framework__fiscal_year=fiscal_year).order_by("scale", "-order").values_list(
        "label", flat=True)
    return [(label, label) for label in dict.fromkeys(labels)]


def provinces(*, user, version: str | None = None) -> list[str]:
    """The provinces of the organizations ``user`` may read (``organizations_for_user``), with or without a result,
    by name: the province filter's choices. Issue 22 §7: read from the results' summaries, they left out a province
    whose organizations had no result yet (นครราชสีมา) and showed a provincial overseer every province. One query
    (DISTINCT over the organizations in scope); none when cached under ``version`` (``versions.data_version``,
    which covers the organizations, memberships and oversight scopes it reads)."""
    def build() -> list[str]:
        return list(organizations_for_user(user=user).exclude(province="").order_by("province")
                    .values_list("province", flat=True).distinct())
    if version is None:
        return build()
    return cached(["provinces", version, scope_of(user=user)], build)


def scope_of(*, user) -> str:
    """What decides which organizations ``user`` may read, as a cache key's part: "national" for national overseers
    and superusers (they all read every organization), else the user's id (memberships and provinces overseen)."""
    return "national" if oversight_of(user=user).national else f"user:{user.pk}"


def cache_key(parts: list[str]) -> str:
    """The overview's cache key of ``parts`` (which must name every input: a version of the data, the scope, the
    filters…): "overview:" and a SHA-256 hex digest of them. The one key of the body, the summaries and the ranks'
    totals."""
    return "overview:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def cached(parts: list[str], build, *, timeout: int = OVERVIEW_CACHE_SECONDS):
    """``build()``, kept in the shared cache under ``cache_key(parts)``, or read from it."""
    key = cache_key(parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=timeout)
    return value


def rank_totals_of_year(*, fiscal_year: int, version: str | None = None) -> RankTotals:
    """``assessments.selectors.rank_totals`` of ``fiscal_year`` (one query), cached under ``version``
    (``versions.data_version``: it covers the assessments and organizations it reads) when given."""
    if version is None:
        return rank_totals(fiscal_year=fiscal_year)
    return cached(["rank_totals", version, str(fiscal_year)], lambda: rank_totals(fiscal_year=fiscal_year))


@dataclass(frozen=True)
class YearPoint:
    """One year of the trend: mean score and share (%) of organizations at the target or above."""

    fiscal_year: int
    scored: int
    mean: Decimal | None
    share_at_target: Decimal | None


def trend(*, user, rows: QuerySet[Organization], province: str = "", kind: str = "",
          filtered: bool = False) -> list[YearPoint]:
    """Every fiscal year's mean score and share at the target (each year's ``Framework.target``, 85) over the
    organizations of the overview, oldest first; from the summaries where they answer (``_summary_scope``)."""
    scope = None if filtered else _summary_scope(user=user, province=province, kind=kind)
    if scope is not None:
        per_year = ScoreSummary.objects.filter(scope).values("fiscal_year").annotate(
            n=Sum("scored"), total=Sum("score_sum"), at=Sum("at_target")).order_by("fiscal_year")
    else:
        targets = dict(Framework.objects.values_list("fiscal_year", "target"))
        at_target = Q()
        for year, target in targets.items():
            at_target |= Q(fiscal_year=year, score__gte=target)
        per_year = Assessment.objects.filter(organization__in=rows.values("pk")).values("fiscal_year").annotate(
            n=Count("score"), total=Sum("score"), at=Count("score", filter=at_target)).order_by("fiscal_year")
    points = []
    for row in per_year:
        figures = YearFigures(fiscal_year=row["fiscal_year"], scored=row["n"] or 0,
                              score_sum=row["total"] or Decimal(0), at_target=row["at"] or 0)
        points.append(YearPoint(row["fiscal_year"], figures.scored, figures.mean, figures.share_at_target))
    return points


def summaries_cache_key(*, user, fiscal_year: int, version: str, province: str = "", kind: str = "",
                        filtered: bool = False) -> str | None:
    """A cache key for what the overview draws from the summaries alone (the year's figures, the trend and their
    charts), or None when they come from the rows (``_summary_scope``). The key holds the scope, the filters,
    the language and ``version`` (``versions.data_version``: it changes with any write to the summaries, the
    frameworks, their indicators and level rules, the organizations and the scopes), so a cached entry is never
    read after what it shows changed."""
    if filtered or _summary_scope(user=user, province=province, kind=kind) is None:
        return None
    return cache_key(["summaries", version, get_language() or "", str(fiscal_year), scope_of(user=user), province,
                      kind])
