"""Writes of assessment data."""
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization

from .forms import EIT_PARTS
from .models import Analysis, Assessment, Finding, Framework, Indicator, IndicatorScore, LevelRule, Tool, ToolPartScore


@transaction.atomic
def frameworks_load(*, path: Path) -> list[Framework]:
    """Create or update the framework of every fiscal year in the YAML file at ``path``.

    Shape of the file: see ``data/frameworks.yaml``. Idempotent: tools and indicators are updated in
    place (scores keep pointing at them); level rules are replaced. Raises ``KeyError``/``ValueError``
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
        levels = spec["levels"]
        for position, level in enumerate(levels):
            min_tool = level.get("min_tool_score")
            LevelRule.objects.create(
                framework=framework, label=level["label"], min_score=Decimal(str(level["min_score"])),
                min_tool_score=None if min_tool is None else Decimal(str(min_tool)),
                order=len(levels) - position,
            )
        loaded.append(framework)
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
) -> tuple[Assessment, ScoresOutcome]:
    """Write the scores of ``organization`` for ``fiscal_year``: the assessment is created if missing.

    - ``indicator_scores``: indicator number (1–10) → score 0–100. A stored score is never overwritten silently:
      when one would change, ``ScoreConflict`` is raised (nothing saved) unless ``replace``.
    - ``published``: the published figures, stored as published.
    - ``clear_blanks``: False (the score import) — blanks (None, "", an indicator not given) leave the stored value;
      True (the results form, which shows everything) — they clear it.
    - ``part_scores``: EIT part (1, 2) → score, replacing the stored parts; None leaves them. ``notes``: None leaves.
    - ``framework``: the year's framework with tools and indicators prefetched (looked up when None).
    - ``refresh``: recompute the stored computed scores, ranks and summaries (``assessment_scores_refresh``) when
      anything changed; the import passes False and refreshes whole years once (``scores_refresh``).

    Returns the assessment and whether it was created, updated or left unchanged (nothing written). Raises
    ``ValidationError`` (Thai: a score outside 0–100, no framework for the year, an unknown indicator) and saves
    nothing. One transaction.
    """
    framework = framework or _framework_of(fiscal_year)
    assessment = (Assessment.objects.filter(organization=organization, fiscal_year=fiscal_year)
                  .prefetch_related("indicator_scores__indicator", "part_scores").first())
    created = assessment is None
    assessment = assessment or Assessment(organization=organization, fiscal_year=fiscal_year)
    stored = {} if created else {s.indicator.number: s for s in assessment.indicator_scores.all()}
    differences = [ScoreDifference(number, score.score, indicator_scores.get(number))
                   for number, score in sorted(stored.items())
                   if (number in indicator_scores and indicator_scores[number] != score.score)
                   or (clear_blanks and number not in indicator_scores)]
    if differences and not replace:
        raise ScoreConflict(differences)
    changed = _assessment_fields_set(assessment, published, notes=notes, clear_blanks=clear_blanks)
    if changed or created:
        assessment.full_clean()
        assessment.save()
    changed |= _indicator_scores_set(assessment, framework, stored, indicator_scores, clear_blanks=clear_blanks)
    if part_scores is not None:
        changed |= _part_scores_set(assessment, framework, part_scores)
    outcome = ScoresOutcome.CREATED if created else ScoresOutcome.UPDATED if changed else ScoresOutcome.UNCHANGED
    if refresh and outcome != ScoresOutcome.UNCHANGED:
        assessment_scores_refresh(assessment=assessment)
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
    for row in moved:
        row.score = given[row.indicator.number]
    gone = [row.pk for n, row in stored.items() if clear_blanks and n not in given]
    for row in new + moved:
        row.clean_fields(exclude=["assessment", "indicator"])
    IndicatorScore.objects.bulk_create(new)
    IndicatorScore.objects.bulk_update(moved, ["score"])
    IndicatorScore.objects.filter(pk__in=gone).delete()
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


@transaction.atomic
def assessment_save(*, organization, framework: Framework, data: dict, assessment=None):
    """Create or update the assessment of ``organization`` for ``framework.fiscal_year`` from the cleaned
    data of ``AssessmentForm`` through ``assessment_scores_set``: what the form shows replaces what is stored
    (a blank field clears; indicator and EIT part scores are replaced). All or nothing: raises
    ``ValidationError`` (Thai messages) and saves nothing."""
    def given(name):
        return data.get(name) if data.get(name) not in (None, "") else None

    indicators = {i.number: given(f"indicator_{i.number}") for i in framework.indicators.all()}
    parts = {part: given(f"eit_part_{part}") for part in EIT_PARTS}
    published = PublishedFigures(
        score=given("official_score"), level=data.get("official_level") or "",
        # The letter is not on every form: a form without it keeps the stored one.
        level_letter=data.get("official_level_letter", getattr(assessment, "official_level_letter", "")) or "",
        iit=given("official_iit"), eit=given("official_eit"), oit=given("official_oit"), rank=given("rank"),
        rank_scope=data.get("rank_scope") or "",
    )
    assessment, _outcome = assessment_scores_set(
        organization=organization, fiscal_year=framework.fiscal_year, framework=framework,
        indicator_scores={n: v for n, v in indicators.items() if v is not None},
        part_scores={p: v for p, v in parts.items() if v is not None},
        published=published, notes=data.get("notes") or "", replace=True, clear_blanks=True,
    )
    return assessment


@transaction.atomic
def analysis_save(*, assessment: Assessment, analysis_form, findings_formset, questions_formset) -> Analysis:
    """Save the analysis of ``assessment`` (introduction, limitations), its findings and the question scores
    from valid forms. All or nothing; question scores are numbered in the order of the page."""
    analysis = analysis_form.save(commit=False)
    analysis.assessment = assessment
    analysis.full_clean()
    analysis.save()
    findings_formset.instance = analysis
    # Numbers are unique per analysis, checked row by row: make room first, so that findings can swap numbers
    # or take the number of a deleted one (the formset skips the rows deleted here).
    for form in findings_formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    renumbered = [form.instance.pk for form in findings_formset.initial_forms
                  if form.instance.pk and "number" in form.changed_data]
    Finding.objects.filter(pk__in=renumbered).update(number=F("number") + 1000)
    findings_formset.save()
    questions_formset.save()
    position = 1  # as the seed loader numbers them
    for form in questions_formset.forms:
        question = form.instance
        if question.pk and form not in questions_formset.deleted_forms:
            if question.order != position:
                question.order = position
                question.save(update_fields=["order"])
            position += 1
    return analysis

