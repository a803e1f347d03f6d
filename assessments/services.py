"""Writes of assessment data, and the stored scores, ranks and summaries derived from them."""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import yaml
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy as _

from core.services import model_update
from organizations.models import Organization

from .models import (
    Analysis,
    Assessment,
    Finding,
    Framework,
    Indicator,
    IndicatorScore,
    LevelRule,
    LevelScale,
    QuestionScore,
    ScoreSummary,
    Tool,
    ToolPartScore,
)
from .scoring import compute_assessment, compute_scores, levels_for, primary_scale
from .selectors import assessments_with_scores


@transaction.atomic
def frameworks_load(*, path: Path) -> list[Framework]:
    """Create or update the framework of every fiscal year in the YAML file at ``path``.

    Shape of the file: see ``data/frameworks.yaml``. Idempotent: tools and indicators are updated in
    place (scores keep pointing at them); level rules are replaced; the stored scores, levels, ranks and
    summaries of those years are recomputed. Raises ``KeyError``/``ValueError``
    on a malformed file, and nothing is saved.
    """
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    loaded = []
    for spec in document["frameworks"]:
        framework, _ = Framework.objects.update_or_create(
            fiscal_year=int(spec["fiscal_year"]),
            defaults={"target": Decimal(str(spec["target"])), "source": str(path.name)},
        )
        tools = {}
        for order, tool_spec in enumerate(spec["tools"], start=1):
            tools[tool_spec["code"]], _ = Tool.objects.update_or_create(
                framework=framework, code=tool_spec["code"],
                defaults={"name": tool_spec["name"], "weight": Decimal(str(tool_spec["weight"])), "order": order},
            )
        for ind in spec["indicators"]:
            Indicator.objects.update_or_create(
                framework=framework, number=int(ind["number"]),
                defaults={"name": ind["name"], "tool": tools[ind["tool"]], "aliases": ind.get("aliases", [])},
            )
        framework.level_rules.all().delete()
        for scale, levels in spec["levels"].items():  # scale (pass/letter) → rules, highest first
            for position, level in enumerate(levels):
                min_tool = level.get("min_tool_score")
                LevelRule.objects.create(
                    framework=framework, scale=LevelScale(scale), label=level["label"],
                    min_score=Decimal(str(level["min_score"])),
                    min_tool_score=None if min_tool is None else Decimal(str(min_tool)),
                    order=len(levels) - position,
                )
        loaded.append(framework)
    scores_refresh(fiscal_years=[framework.fiscal_year for framework in loaded])  # weights or levels may have moved
    return loaded


@dataclass(frozen=True)
class PublishedFigures:
    """The figures NACC published for one assessment, kept as published (ita-framework.md §3–4): ITA score,
    level (the year's primary scale: AA–F up to 2565, pass labels from 2566), the AA–F letter published beside a
    pass label (2566: "ผ่าน ระดับ AA"), the tool scores, the rank and what it ranks among. None or "" where nothing
    was published."""

    score: Decimal | None = None
    level: str = ""
    level_letter: str = ""
    iit: Decimal | None = None
    eit: Decimal | None = None
    oit: Decimal | None = None
    rank: int | None = None
    rank_scope: str = ""

    def assessment_fields(self) -> dict[str, object]:
        """``Assessment`` field name → value."""
        return {
            "official_score": self.score, "official_level": self.level, "official_level_letter": self.level_letter,
            "official_iit": self.iit, "official_eit": self.eit, "official_oit": self.oit, "rank": self.rank,
            "rank_scope": self.rank_scope,
        }


class ScoresOutcome(StrEnum):
    """What ``assessment_scores_set`` did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ScoreDifference:
    """An indicator score stored for an organization and the different value it would be given (None: removed)."""

    indicator: int
    stored: Decimal
    given: Decimal | None


class ScoreConflict(Exception):
    """Raised by ``assessment_scores_set`` (without ``replace``) when stored indicator scores would change;
    ``differences`` lists them by indicator number. Nothing is saved."""

    def __init__(self, differences: list[ScoreDifference]):
        super().__init__(differences)
        self.differences = differences


class _NotGiven:
    """``assessment_scores_set(stored=…)`` not given: the service reads the stored assessment itself."""


NOT_GIVEN = _NotGiven()


def _framework_of(fiscal_year: int) -> Framework:
    framework = (Framework.objects.prefetch_related("tools", "indicators__tool", "level_rules")
                 .filter(fiscal_year=fiscal_year).first())
    if framework is None:
        raise ValidationError(_("There is no ITA framework for fiscal year %(year)s."), params={"year": fiscal_year})
    return framework


@transaction.atomic
def assessment_scores_set(
    *,
    organization: Organization,
    fiscal_year: int,
    indicator_scores: dict[int, Decimal],
    published: PublishedFigures,
    replace: bool = False,
    clear_blanks: bool = False,
    part_scores: dict[int, Decimal] | None = None,
    notes: str | None = None,
    framework: Framework | None = None,
    refresh: bool = True,
    stored: Assessment | None | _NotGiven = NOT_GIVEN,
) -> tuple[Assessment, ScoresOutcome]:
    """Write the scores of ``organization`` for ``fiscal_year``: the assessment is created if missing.

    - ``indicator_scores``: indicator number (1–10) → score 0–100. A stored score is never overwritten silently:
      when one would change, ``ScoreConflict`` is raised (nothing saved) unless ``replace``.
    - ``published``: the published figures, stored as published.
    - ``clear_blanks``: False (the score import) — blanks (None, "", an indicator not given) leave the stored value;
      True (the results form, which shows everything) — they clear it.
    - ``part_scores``: EIT part (1, 2) → score, replacing the stored parts; None leaves them. ``notes``: None leaves.
    - ``framework``: the year's framework with tools and indicators prefetched (looked up when None).
    - ``stored``: the stored assessment of that organization and year with ``indicator_scores__indicator`` and
      ``part_scores`` prefetched, or None when there is none — read in bulk by the import; looked up when not given.
    - ``refresh``: recompute the stored computed scores, ranks and summaries (``assessment_scores_refresh``) when
      anything changed; the import passes False and refreshes whole years once (``scores_refresh``).

    Returns the assessment and whether it was created, updated or left unchanged (nothing written). Raises
    ``ValidationError`` (Thai: a score outside 0–100, no framework for the year, an unknown indicator) and saves
    nothing. One transaction.
    """
    framework = framework or _framework_of(fiscal_year)
    if isinstance(stored, _NotGiven):
        stored = assessments_with_scores(organization_ids=[organization.pk], fiscal_years=[fiscal_year]).first()
    assessment = stored
    created = assessment is None
    assessment = assessment or Assessment(organization=organization, fiscal_year=fiscal_year)
    scores = {} if created else {s.indicator.number: s for s in assessment.indicator_scores.all()}
    differences = [ScoreDifference(number, score.score, indicator_scores.get(number))
                   for number, score in sorted(scores.items())
                   if (number in indicator_scores and indicator_scores[number] != score.score)
                   or (clear_blanks and number not in indicator_scores)]
    if differences and not replace:
        raise ScoreConflict(differences)
    changed = _assessment_fields_set(assessment, published, notes=notes, clear_blanks=clear_blanks)
    if changed or created:
        # The model's constraints are the 0–100 ranges, which ``clean_fields`` checks with the same bounds, and one
        # assessment per organization and year, which the lookup above ensures; checking them again costs five
        # queries per row of an import (the database still enforces them).
        assessment.full_clean(validate_constraints=False)
        assessment.save()
    changed |= _indicator_scores_set(assessment, framework, scores, indicator_scores, clear_blanks=clear_blanks)
    if part_scores is not None:
        changed |= _part_scores_set(assessment, framework, part_scores)
    outcome = ScoresOutcome.CREATED if created else ScoresOutcome.UPDATED if changed else ScoresOutcome.UNCHANGED
    if refresh and outcome != ScoresOutcome.UNCHANGED:
        assessment = assessment_scores_refresh(assessment=assessment)
    return assessment, outcome


def _assessment_fields_set(assessment: Assessment, published: PublishedFigures, *, notes: str | None,
                           clear_blanks: bool) -> bool:
    """Set the published figures (and notes) on the unsaved instance; True when any value changed."""
    values = published.assessment_fields() | ({} if notes is None else {"notes": notes})
    changed = False
    for name, value in values.items():
        if value in (None, "") and not clear_blanks:
            continue
        if getattr(assessment, name) != value:
            setattr(assessment, name, value)
            changed = True
    return changed


def _indicator_scores_set(assessment: Assessment, framework: Framework, stored: dict[int, IndicatorScore],
                          given: dict[int, Decimal], *, clear_blanks: bool) -> bool:
    """Create, update (and with ``clear_blanks`` delete) indicator score rows; True when any row changed."""
    indicators = {indicator.number: indicator for indicator in framework.indicators.all()}
    unknown = sorted(set(given) - set(indicators))
    if unknown:
        raise ValidationError(_("Fiscal year %(year)s has no indicator %(number)s."),
                              params={"year": framework.fiscal_year, "number": unknown[0]})
    new = [IndicatorScore(assessment=assessment, indicator=indicators[n], score=v)
           for n, v in sorted(given.items()) if n not in stored]
    moved = [row for n, row in stored.items() if n in given and row.score != given[n]]
    changes = {f"indicator_{n}": [None if n not in stored else str(stored[n].score),
                                  None if n not in given else str(given[n])]
               for n in sorted(set(stored) | set(given))
               if n not in stored or (n in given and stored[n].score != given[n])
               or (clear_blanks and n not in given)}
    for row in moved:
        row.score = given[row.indicator.number]
    gone = [row.pk for n, row in stored.items() if clear_blanks and n not in given]
    for row in new + moved:
        row.clean_fields(exclude=["assessment", "indicator"])
    if new:
        IndicatorScore.objects.bulk_create(new)
    if moved:
        IndicatorScore.objects.bulk_update(moved, ["score"])
    if gone:
        IndicatorScore.objects.filter(pk__in=gone).delete()
    if changes:  # written in bulk, so the audit log (audit/registry.py) is told here: one entry on the assessment
        LogEntry.objects.log_create(assessment, action=LogEntry.Action.UPDATE, changes=changes)
    return bool(new or moved or gone)


def _part_scores_set(assessment: Assessment, framework: Framework, parts: dict[int, Decimal]) -> bool:
    """Replace the EIT part scores (2566 on: ส่วนที่ ๑ / ๒) by ``parts``; True when they changed."""
    stored = {p.part: p.score for p in assessment.part_scores.all()}
    if stored == parts:
        return False
    eit = next(tool for tool in framework.tools.all() if tool.code == "EIT")
    rows = [ToolPartScore(assessment=assessment, tool=eit, part=part, score=score)
            for part, score in sorted(parts.items())]
    for row in rows:
        row.clean_fields(exclude=["assessment", "tool"])
    assessment.part_scores.all().delete()
    ToolPartScore.objects.bulk_create(rows)
    return True


@dataclass(frozen=True)
class FindingInput:
    """One finding row of the analysis page: ``id`` None for a new one; ``delete`` removes a stored one."""

    id: int | None
    number: int | None = None
    title: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    question_codes: list[str] = field(default_factory=list)
    text: str = ""
    recommendation: str = ""
    delete: bool = False


@dataclass(frozen=True)
class QuestionScoreInput:
    """One published question score row, in the order of the page: ``id`` None for a new one."""

    id: int | None
    code: str = ""
    text: str = ""
    score: Decimal | None = None
    delete: bool = False


FINDING_FIELDS = ["number", "title", "indicators", "question_codes", "text", "recommendation"]
QUESTION_SCORE_FIELDS = ["code", "text", "score", "order"]


@transaction.atomic
def analysis_save(*, assessment: Assessment, introduction: str, limitations: str, findings: list[FindingInput],
                  questions: list[QuestionScoreInput]) -> Analysis:
    """Save the analysis of ``assessment`` (introduction, limitations), its findings and the question scores.
    All or nothing; question scores are numbered in the order given (that of the page). A row whose ``id`` is
    not one of this analysis (or assessment) raises ``ObjectDoesNotExist`` (the formsets only post their own).

    Stored rows are read again here, so an unchanged row is not written."""
    analysis = Analysis.objects.filter(assessment=assessment).first() or Analysis(assessment=assessment)
    model_update(analysis, fields=["introduction", "limitations"],
                 data={"introduction": introduction, "limitations": limitations})
    stored = _rows_by_id(analysis.findings.all() if analysis.pk else Finding.objects.none(), findings)
    # Numbers are unique per analysis, checked row by row: make room first, so that findings can swap numbers
    # or take the number of a deleted one.
    for row in findings:
        if row.delete and row.id is not None:
            stored.pop(row.id).delete()
    renumbered = [row.id for row in findings if row.id in stored and stored[row.id].number != row.number]
    Finding.objects.filter(pk__in=renumbered).update(number=F("number") + 1000)
    for row in findings:
        if not row.delete:
            finding = stored[row.id] if row.id is not None else Finding(analysis=analysis)
            data = {name: getattr(row, name) for name in FINDING_FIELDS}
            model_update(finding, fields=FINDING_FIELDS, data=data | {"question_codes": list(row.question_codes)})
    scores = _rows_by_id(assessment.question_scores.all(), questions)
    for row in questions:
        if row.delete and row.id is not None:
            scores.pop(row.id).delete()
    position = 1  # as the seed loader numbers them
    for row in questions:
        if not row.delete:
            question = scores[row.id] if row.id is not None else QuestionScore(assessment=assessment)
            model_update(question, fields=QUESTION_SCORE_FIELDS,
                         data={"code": row.code, "text": row.text, "score": row.score, "order": position})
            position += 1
    return analysis


def _rows_by_id(queryset, rows) -> dict:
    """The stored rows of ``queryset`` that ``rows`` name by id; ``ObjectDoesNotExist`` when one is not there."""
    ids = {row.id for row in rows if row.id is not None}
    found = {obj.pk: obj for obj in queryset.filter(pk__in=ids)} if ids else {}
    if len(found) != len(ids):
        raise queryset.model.DoesNotExist(f"{queryset.model.__name__} {sorted(ids - set(found))}")
    return found


# --- Stored scores, ranks and summaries (issue 9): written here whenever scores change, read in SQL by lists. ---

STORED_SCORE_FIELDS = ["computed_iit", "computed_eit", "computed_oit", "computed_score", "computed_level",
                       "computed_level_letter", "score", "level", "level_letter", "indicators_below"]
DEFAULT_TARGET = Decimal("85")  # NACC's target where a year has no framework (ita-framework.md §4)


def indicators_below(scores: dict[int, Decimal | None], *, target: Decimal) -> int:
    """The indicators of ``scores`` (indicator number 1–10 → score 0–100) below ``target`` (the year's
    ``Framework.target``, 85) as a bit mask: bit n − 1 set for indicator n. Stored on each assessment
    (``Assessment.indicators_below``) so that the overview counts the indicators below the target of any set of
    organizations from the assessments alone; ``summaries_refresh`` counts the same from the indicator scores."""
    return sum(1 << (number - 1) for number, score in scores.items() if score is not None and score < target)


def _store_computed(assessment: Assessment, framework: Framework | None, result) -> None:
    """Set the stored computed and effective fields of ``assessment`` from ``result`` (a ``ScoreResult`` or None).

    Effective score: the published ITA where there is one, else the computed one. Effective level, on every scale
    the year carries (``level`` on the primary scale, ``level_letter`` the AA–F letter beside pass labels, 2566):
    the published one; else, with a published score, the level that score reaches with the published tool scores
    (computed ones where none is published); else the computed one (issue 9: "level and rank come from the
    published score where there is one"). Documents, pages, exports and dashboards read these stored fields."""
    tools = result.tool_scores if result else {}
    for code in ("IIT", "EIT", "OIT"):
        setattr(assessment, f"computed_{code.lower()}", tools.get(code))
    assessment.computed_score = result.ita if result else None
    assessment.computed_level = (result.level or "") if result else ""
    assessment.computed_level_letter = (result.letter_level or "") if result else ""
    assessment.score = assessment.official_score if assessment.official_score is not None else assessment.computed_score
    level, letter = assessment.computed_level, assessment.computed_level_letter
    if assessment.official_score is not None and framework is not None:
        published_tools = [assessment.official_tool_score(code) or tools.get(code) for code in ("IIT", "EIT", "OIT")]
        parts = [p for values in (result.part_scores.values() if result else []) for p in values]
        levels = levels_for(framework, assessment.official_score,
                            [t for t in published_tools if t is not None] + parts)
        primary = primary_scale(framework)
        level = levels.get(primary, "")
        letter = levels.get(LevelScale.LETTER, "") if primary != LevelScale.LETTER else ""
    assessment.level = assessment.official_level or level
    assessment.level_letter = assessment.official_level_letter or letter


def _frameworks(fiscal_years) -> dict[int, Framework]:
    frameworks = Framework.objects.filter(fiscal_year__in=fiscal_years).prefetch_related(
        "tools", "indicators__tool", "level_rules")
    return {f.fiscal_year: f for f in frameworks}


@transaction.atomic
def assessment_scores_refresh(*, assessment: Assessment) -> Assessment:
    """Recompute and store the computed scores, effective score and level (and ``indicators_below``) of
    ``assessment`` (the formula of ``scoring.compute_assessment``), then its organization's change from the
    previous year (this year and the next), the ranks and the summaries of its fiscal year
    (``_year_aggregates_refresh``, in SQL). Call it after any change of its scores; about 0.23 s at national
    scale."""
    assessment = Assessment.objects.prefetch_related("indicator_scores__indicator__tool", "part_scores__tool").get(
        pk=assessment.pk)
    framework = assessment.framework
    _store_computed(assessment, framework, compute_assessment(assessment))
    assessment.indicators_below = indicators_below(
        {score.indicator.number: score.score for score in assessment.indicator_scores.all()},
        target=framework.target if framework else DEFAULT_TARGET)
    assessment.save(update_fields=STORED_SCORE_FIELDS)
    _year_aggregates_refresh(fiscal_years=[assessment.fiscal_year], organization_ids=[assessment.organization_id])
    return assessment


@transaction.atomic
def scores_refresh(*, fiscal_years: Iterable[int] | None = None) -> int:
    """Recompute the stored scores (and ``indicators_below``) of every assessment of ``fiscal_years`` (all years
    when None) from their indicator and part scores, in bulk (one read of the scores per year, no query per
    assessment), then the changes, ranks and summaries of those years. Returns the number of assessments
    refreshed. For imports, the national generator and data migrations."""
    if fiscal_years is None:
        fiscal_years = Assessment.objects.values_list("fiscal_year", flat=True).distinct()
    years = sorted(set(fiscal_years))
    frameworks = _frameworks(years)
    refreshed = 0
    for year in years:
        framework = frameworks.get(year)
        assessments = list(Assessment.objects.filter(fiscal_year=year))
        indicators = defaultdict(dict)
        for assessment_id, number, score in IndicatorScore.objects.filter(assessment__fiscal_year=year).values_list(
                "assessment_id", "indicator__number", "score"):
            indicators[assessment_id][number] = score
        parts = defaultdict(lambda: defaultdict(list))
        for assessment_id, code, score in ToolPartScore.objects.filter(assessment__fiscal_year=year).order_by(
                "part").values_list("assessment_id", "tool__code", "score"):
            parts[assessment_id][code].append(score)
        target = framework.target if framework else DEFAULT_TARGET
        for assessment in assessments:
            result = compute_scores(framework, indicators[assessment.pk], parts[assessment.pk]) if framework else None
            _store_computed(assessment, framework, result)
            assessment.indicators_below = indicators_below(indicators[assessment.pk], target=target)
        Assessment.objects.bulk_update(assessments, STORED_SCORE_FIELDS, batch_size=2000)
        refreshed += len(assessments)
    _year_aggregates_refresh(fiscal_years=years)
    return refreshed


def _year_aggregates_refresh(*, fiscal_years: list[int], organization_ids: list[int] | None = None) -> None:
    """The changes from the previous year (of these years and the next ones; of ``organization_ids`` only when
    given, as after one result changed), the ranks and the summaries of ``fiscal_years``, from the stored effective
    scores."""
    years = set(fiscal_years)
    previous = Assessment.objects.filter(organization=OuterRef("organization"),
                                         fiscal_year=OuterRef("fiscal_year") - 1).values("score")[:1]
    changes = Assessment.objects.filter(fiscal_year__in=years | {y + 1 for y in years})
    if organization_ids is not None:
        changes = changes.filter(organization_id__in=organization_ids)
    changes.update(score_change=ExpressionWrapper(F("score") - Subquery(previous),
                                                  output_field=DecimalField(max_digits=6, decimal_places=2)))
    for year in sorted(years):
        ranks_refresh(fiscal_year=year)
        summaries_refresh(fiscal_year=year)


# Assessments without a score form a partition of their own (PARTITION BY … score IS NULL) so that they take no
# place from the others, and get no rank; only rows whose rank changes are written.
RANK_SQL = """
UPDATE assessments_assessment SET rank_in_kind = ranked.in_kind, rank_in_province = ranked.in_province
FROM (
    SELECT a.id,
           CASE WHEN a.score IS NULL THEN NULL
                ELSE RANK() OVER (PARTITION BY o.kind, a.score IS NULL ORDER BY a.score DESC) END AS in_kind,
           CASE WHEN a.score IS NULL OR o.province = '' THEN NULL
                ELSE RANK() OVER (PARTITION BY o.province, a.score IS NULL ORDER BY a.score DESC) END AS in_province
    FROM assessments_assessment a JOIN organizations_organization o ON o.id = a.organization_id
    WHERE a.fiscal_year = %s
) AS ranked
WHERE assessments_assessment.id = ranked.id
  AND (COALESCE(assessments_assessment.rank_in_kind, 0) <> COALESCE(ranked.in_kind, 0)
       OR COALESCE(assessments_assessment.rank_in_province, 0) <> COALESCE(ranked.in_province, 0))
"""


def ranks_refresh(*, fiscal_year: int) -> None:
    """Store each assessment's rank of ``fiscal_year`` by its effective score (published where there is one),
    the way NACC publishes ranks ("ลำดับที่ 429 ของหน่วยงานประเภทเทศบาลตำบล"): ``rank_in_kind`` among the
    organizations of the same kind nationally, ``rank_in_province`` among all organizations of its province.

    Standard competition ranking ("1224"): equal scores share a rank and the next rank skips as many places
    (SQL ``RANK()``); assessments without a score have no rank. One UPDATE … FROM a window query that writes only
    the rows whose rank changed (PostgreSQL; SQLite ≥ 3.33)."""
    with connection.cursor() as cursor:
        cursor.execute(RANK_SQL, [fiscal_year])


def summaries_refresh(*, fiscal_year: int) -> None:
    """Replace the ``ScoreSummary`` rows of ``fiscal_year``: per province and kind, the organizations assessed and
    scored, the sum of effective scores, how many reach the year's target (85, NACC), how many per level, and
    per indicator how many score below the target. Three grouped queries over the year's stored values."""
    framework = Framework.objects.filter(fiscal_year=fiscal_year).first()
    target = framework.target if framework else DEFAULT_TARGET
    year = Assessment.objects.filter(fiscal_year=fiscal_year)
    key = ("organization__province", "organization__kind")
    summaries: dict[tuple[str, str], ScoreSummary] = {}
    for row in year.values(*key).annotate(
            organizations=Count("pk"), scored=Count("score"), score_sum=Sum("score"),
            at_target=Count("pk", filter=Q(score__gte=target))).order_by():
        summaries[row["organization__province"], row["organization__kind"]] = ScoreSummary(
            fiscal_year=fiscal_year, province=row["organization__province"], kind=row["organization__kind"],
            organizations=row["organizations"], scored=row["scored"], score_sum=row["score_sum"] or 0,
            at_target=row["at_target"], level_counts={}, below_target={})
    for row in year.exclude(level="").values(*key, "level").annotate(n=Count("pk")).order_by():
        summaries[row["organization__province"], row["organization__kind"]].level_counts[row["level"]] = row["n"]
    below = IndicatorScore.objects.filter(assessment__fiscal_year=fiscal_year, score__lt=target)
    for row in below.values("assessment__organization__province", "assessment__organization__kind",
                            "indicator__number").annotate(n=Count("pk")).order_by():
        summary = summaries[row["assessment__organization__province"], row["assessment__organization__kind"]]
        summary.below_target[str(row["indicator__number"])] = row["n"]
    ScoreSummary.objects.filter(fiscal_year=fiscal_year).delete()
    ScoreSummary.objects.bulk_create(summaries.values())
