"""The ITA score formula and the level rule, computed from a year's framework rows.

    tool score = mean of its part scores when parts are published (EIT from 2566),
                 else mean of its indicators, rounded half-up to 2 decimals (ita-framework.md §3)
    ITA        = Σ weight × tool score, rounded half-up to 2 decimals (weights 30/30/40, NACC)
    level      = first LevelRule, highest first, whose minimums hold (§4), on each scale the year carries
                 (2566: pass labels and AA–F letters); the primary scale is the pass labels where a year has them

Tool scores are rounded before weighting, as NACC publishes them: that reproduces the published
93.99 of seed 001 (2567), which unrounded means would give as 93.98, and 99.54 for 2568 (unrounded: 99.53).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import Assessment, Framework, LevelScale

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ScoreResult:
    """Computed scores: ``tool_scores`` code → mean rounded to 0.01; ``ita`` rounded to 0.01; ``level`` the label
    on the year's primary scale; ``levels`` scale (``LevelScale``) → label for every scale the year carries.

    ``ita`` and ``level`` are None when a tool has no score; ``missing`` names the missing tools.
    """

    tool_scores: dict[str, Decimal]
    part_scores: dict[str, list[Decimal]] = field(default_factory=dict)
    ita: Decimal | None = None
    level: str | None = None
    missing: tuple[str, ...] = ()
    levels: dict[str, str] = field(default_factory=dict)

    @property
    def letter_level(self) -> str | None:
        """The AA–F letter when the year carries it beside its primary scale (2566), else None."""
        letter = self.levels.get(LevelScale.LETTER)
        return letter if letter != self.level else None


ROUNDING_TOLERANCE = Decimal("0.01")


def is_rounding(difference: Decimal | None) -> bool:
    """True when a published figure differs from the computed one by 0.01 or less: NACC computes from unrounded
    indicator values, so from the published two-decimal indicators no formula reproduces every published ITA;
    such a difference is rounding, never a discrepancy (ita-framework.md §3)."""
    return difference is not None and abs(difference) <= ROUNDING_TOLERANCE


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def round_score(value: Decimal) -> Decimal:
    """Round half-up to two decimals, as the published figures are."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def compute_scores(
    framework: Framework,
    indicator_scores: dict[int, Decimal],
    part_scores: dict[str, list[Decimal]] | None = None,
) -> ScoreResult:
    """Compute tool scores, ITA score and level.

    ``indicator_scores``: indicator number (1–10) → score 0–100. ``part_scores``: tool code → list of
    part scores. Uses the framework's tools, weights, indicator→tool map and level rules; raises nothing,
    a tool without scores is reported in ``missing``.
    """
    part_scores = {code: parts for code, parts in (part_scores or {}).items() if parts}
    by_tool: dict[str, list[Decimal]] = defaultdict(list)
    for indicator in framework.indicators.all():
        if indicator.number in indicator_scores:
            by_tool[indicator.tool.code].append(Decimal(indicator_scores[indicator.number]))
    tools = list(framework.tools.all())
    tool_scores: dict[str, Decimal] = {}
    for tool in tools:
        values = part_scores.get(tool.code) or by_tool.get(tool.code)
        if values:
            tool_scores[tool.code] = round_score(_mean(values))
    missing = tuple(t.code for t in tools if t.code not in tool_scores)
    if missing:
        return ScoreResult(tool_scores=tool_scores, part_scores=part_scores, missing=missing)
    ita = round_score(sum((t.weight * tool_scores[t.code] for t in tools), Decimal(0)))
    every_tool = list(tool_scores.values()) + [p for parts in part_scores.values() for p in parts]
    levels = levels_for(framework, ita, every_tool)
    return ScoreResult(tool_scores=tool_scores, part_scores=part_scores, ita=ita,
                       level=levels.get(primary_scale(framework)), levels=levels)


def primary_scale(framework: Framework) -> str:
    """The scale a year's level is read on: the pass labels where the year has them (from 2566), else letters."""
    scales = {rule.scale for rule in framework.level_rules.all()}
    return LevelScale.PASS if LevelScale.PASS in scales or not scales else LevelScale.LETTER


def levels_for(framework: Framework, ita: Decimal, tool_scores: list[Decimal]) -> dict[str, str]:
    """Scale → label of the first level rule of that scale (highest order first) that ``ita`` and every tool
    score meet; scales where no rule holds are left out."""
    lowest_tool = min(tool_scores) if tool_scores else Decimal(0)
    levels: dict[str, str] = {}
    for rule in framework.level_rules.all():
        if rule.scale in levels:
            continue
        if ita >= rule.min_score and (rule.min_tool_score is None or lowest_tool >= rule.min_tool_score):
            levels[rule.scale] = rule.label
    return levels


def level_for(framework: Framework, ita: Decimal, tool_scores: list[Decimal]) -> str | None:
    """The label on the year's primary scale (``levels_for``), or None."""
    return levels_for(framework, ita, tool_scores).get(primary_scale(framework))


def compute_assessment(assessment: Assessment) -> ScoreResult | None:
    """Compute the scores of a stored assessment; None when no framework exists for its fiscal year.

    Reads ``indicator_scores`` and ``part_scores``; prefetch them (with ``indicator``/``tool``) for lists.
    """
    framework = assessment.framework
    if framework is None:
        return None
    indicators = {s.indicator.number: s.score for s in assessment.indicator_scores.all()}
    parts: dict[str, list[Decimal]] = defaultdict(list)
    for part in assessment.part_scores.all():
        parts[part.tool.code].append(part.score)
    return compute_scores(framework, indicators, parts)
