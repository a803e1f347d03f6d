"""Reads of assessments and the comparison of computed and published figures."""
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from organizations.models import Organization

from .models import Assessment, Indicator, IndicatorScore, ScoreSummary
from .scoring import ScoreResult, compute_assessment, is_rounding


def assessments_with_scores(*, organization_ids, fiscal_years) -> QuerySet[Assessment]:
    """The assessments of these organizations and fiscal years with what ``services.assessment_scores_set``
    compares prefetched (indicator scores with their indicator's number, part scores): three queries for any
    number."""
    scores = IndicatorScore.objects.select_related("indicator").only("assessment_id", "score", "indicator__number")
    return (Assessment.objects.filter(organization_id__in=organization_ids, fiscal_year__in=fiscal_years)
            .prefetch_related(Prefetch("indicator_scores", queryset=scores), "part_scores").order_by("pk"))


@dataclass(frozen=True)
class RankTotals:
    """How many organizations the computed ranks of one fiscal year are out of: the year's assessments with a
    score, per kind (nationally) and per province — exactly the populations ``services.ranks_refresh`` ranks
    (``RANK()`` over the kind, over the province; no score, no rank). So that every page says "3 จาก 120", never
    a bare "ลำดับที่ 3" (issue 22: "ลำดับที่ 1" was 1 of 1)."""

    kinds: dict[str, int] = field(default_factory=dict)
    provinces: dict[str, int] = field(default_factory=dict)

    def in_kind(self, kind: str) -> int:
        return self.kinds.get(kind, 0)

    def in_province(self, province: str) -> int:
        return self.provinces.get(province, 0)


def rank_totals(*, fiscal_year: int, kind: str | None = None, province: str | None = None) -> RankTotals:
    """The ``RankTotals`` of ``fiscal_year``: of every kind and province, or — given ``kind`` and ``province`` (one
    organization's) — of those two only. Read from the year's stored ``ScoreSummary`` rows (``scored`` per province
    and kind), which ``services._year_aggregates_refresh`` writes in the same refresh as the ranks themselves
    (``ranks_refresh``): a rank and its total are always of the same refresh, and one organization's totals read
    a few dozen rows rather than counting the year's assessments of its kind (2,242 index probes for a tambon
    municipality at national scale: 20 ms of each dashboard request's fingerprint, issue 23 §6). One query."""
    summaries = ScoreSummary.objects.filter(fiscal_year=fiscal_year, scored__gt=0)
    if kind is not None and province is not None:
        summaries = summaries.filter(Q(kind=kind) | Q(province=province))
    kinds: Counter = Counter()
    provinces: Counter = Counter()
    for kind_of, province_of, n in summaries.order_by().values_list("kind", "province", "scored"):
        kinds[kind_of] += n
        if province_of:  # an organization without a province has no rank in one (``RANK_SQL``)
            provinces[province_of] += n
    return RankTotals(dict(kinds), dict(provinces))


def rank_text(rank: int | None, total: int) -> str:
    """A computed rank as the pages print it: "3 จาก 120" ("3 of 120"); "–" without a rank."""
    if rank is None:
        return "–"
    return _("%(rank)s of %(total)s") % {"rank": f"{rank:,}", "total": f"{total:,}"}


def assessments_for_organization(*, organization: Organization) -> QuerySet[Assessment]:
    """Assessments of ``organization`` with their scores prefetched, newest first."""
    return organization.assessments.prefetch_related(
        "indicator_scores__indicator__tool", "part_scores__tool", "question_scores"
    )


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator on the assessment page: score against the target (gap < 0 means below)."""

    indicator: Indicator
    score: Decimal | None
    target: Decimal

    @property
    def gap(self) -> Decimal | None:
        return None if self.score is None else self.score - self.target

    @property
    def meets_target(self) -> bool:
        return self.score is not None and self.score >= self.target


@dataclass(frozen=True)
class ToolRow:
    """A tool's computed score next to the published one; ``difference`` = published − computed."""

    code: str
    name: str
    weight: Decimal
    computed: Decimal | None
    official: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.computed is None or self.official is None:
            return None
        return self.official - self.computed

    @property
    def is_rounding(self) -> bool:
        """Within 0.01: rounding, not a discrepancy (``scoring.is_rounding``)."""
        return bool(self.difference) and is_rounding(self.difference)


@dataclass(frozen=True)
class AssessmentSummary:
    """Everything the assessment page shows about the scores."""

    assessment: Assessment
    result: ScoreResult | None
    indicators: list[IndicatorRow]
    tools: list[ToolRow]

    @property
    def ita_difference(self) -> Decimal | None:
        if self.result is None or self.result.ita is None or self.assessment.official_score is None:
            return None
        return self.assessment.official_score - self.result.ita

    @property
    def ita_is_rounding(self) -> bool:
        """A published ITA within 0.01 of the computed one: rounding, not a discrepancy (``scoring.is_rounding``)."""
        return bool(self.ita_difference) and is_rounding(self.ita_difference)

    @property
    def level_differs(self) -> bool:
        computed = self.result.level if self.result else None
        return bool(computed and self.assessment.official_level and computed != self.assessment.official_level)


def assessment_summary(*, assessment: Assessment) -> AssessmentSummary:
    """Compute the scores of ``assessment`` and line them up with the published figures (ita-framework.md §3)."""
    framework = assessment.framework
    result = compute_assessment(assessment)
    if framework is None:
        return AssessmentSummary(assessment, None, [], [])
    scores = {s.indicator.number: s.score for s in assessment.indicator_scores.all()}
    indicators = [IndicatorRow(i, scores.get(i.number), framework.target) for i in framework.indicators.all()]
    tools = [
        ToolRow(t.code, t.name, t.weight, result.tool_scores.get(t.code), assessment.official_tool_score(t.code))
        for t in framework.tools.all()
    ]
    return AssessmentSummary(assessment, result, indicators, tools)
