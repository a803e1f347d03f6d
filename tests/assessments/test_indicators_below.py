"""``Assessment.indicators_below``, the stored mask of the indicators below the year's target that the overview's
filtered figures count (issue 23 §2): written by ``scores_refresh`` and ``assessment_scores_refresh`` only, and
always equal to what the indicator scores give."""
import importlib
from decimal import Decimal

import pytest
from django.db import connection

from assessments.models import Assessment, Framework, IndicatorScore
from assessments.services import assessment_scores_refresh, indicators_below, scores_refresh

BACKFILL = importlib.import_module("assessments.migrations.0007_indicators_below").BACKFILL


def _computed() -> dict[int, int]:
    """Each assessment's mask, from its indicator scores and its year's target, the long way."""
    targets = dict(Framework.objects.values_list("fiscal_year", "target"))
    masks = dict.fromkeys(Assessment.objects.values_list("pk", flat=True), 0)
    for assessment_id, year, number, score in IndicatorScore.objects.values_list(
            "assessment_id", "assessment__fiscal_year", "indicator__number", "score"):
        if score < targets.get(year, Decimal("85")):
            masks[assessment_id] |= 1 << (number - 1)
    return masks


def _stored() -> dict[int, int]:
    return dict(Assessment.objects.values_list("pk", "indicators_below"))


def test_the_mask_sets_bit_n_minus_1_for_each_indicator_below_the_target():
    assert indicators_below({1: Decimal("84.99"), 2: Decimal("85"), 9: Decimal("0"), 10: None},
                            target=Decimal("85")) == 0b100000001


@pytest.mark.django_db
def test_the_stored_mask_equals_the_computed_one_after_every_writer():
    assert any(_computed().values()), "the seeds have indicators below the target"
    assert _stored() == _computed()  # as loaded (scores_refresh)
    score = IndicatorScore.objects.filter(score__lt=85).select_related("assessment").first()
    IndicatorScore.objects.filter(pk=score.pk).update(score=Decimal("99"))
    assessment_scores_refresh(assessment=score.assessment)
    assert _stored() == _computed()
    IndicatorScore.objects.filter(assessment__fiscal_year=score.assessment.fiscal_year).update(score=Decimal("10"))
    Assessment.objects.update(indicators_below=0)
    scores_refresh()
    assert _stored() == _computed()
    Assessment.objects.update(indicators_below=0)
    with connection.cursor() as cursor:  # the migration's fill gives the same
        cursor.execute(BACKFILL)
    assert _stored() == _computed()
