"""Writes of assessment data."""
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import F

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


@transaction.atomic
def assessment_save(*, organization, framework: Framework, data: dict, assessment=None):
    """Create or update the assessment of ``organization`` for ``framework.fiscal_year`` from the cleaned
    data of ``AssessmentForm``; indicator and EIT part scores are replaced. All or nothing: raises
    ``ValidationError`` (Thai messages, e.g. a second assessment of the same year) and saves nothing."""
    assessment = assessment or Assessment(organization=organization)
    assessment.fiscal_year = framework.fiscal_year
    for name in ("official_score", "official_level", "official_iit", "official_eit", "official_oit", "rank",
                 "rank_scope", "notes"):
        setattr(assessment, name, data.get(name))
    assessment.full_clean()
    assessment.save()
    assessment.indicator_scores.all().delete()
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=assessment, indicator=indicator, score=data[f"indicator_{indicator.number}"])
        for indicator in framework.indicators.all()
        if data.get(f"indicator_{indicator.number}") is not None
    )
    assessment.part_scores.all().delete()
    eit = framework.tools.get(code="EIT")
    ToolPartScore.objects.bulk_create(
        ToolPartScore(assessment=assessment, tool=eit, part=part, score=data[f"eit_part_{part}"])
        for part in (1, 2)
        if data.get(f"eit_part_{part}") is not None
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
