"""Levels as they were published (2566 carries pass labels and AA–F letters), rounding against discrepancy, and the
stored effective score and level (issue 9 point 4)."""
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from assessments.models import Assessment, Framework, IndicatorScore
from assessments.scoring import compute_scores, is_rounding
from assessments.services import assessment_scores_refresh
from tests.factories import AssessmentFactory, MembershipFactory, OrganizationFactory

D = Decimal


def _framework(year: int) -> Framework:
    return Framework.objects.prefetch_related("tools", "indicators__tool", "level_rules").get(fiscal_year=year)


@pytest.mark.django_db
def test_2566_gives_both_the_pass_label_and_the_letter():
    framework = _framework(2566)
    high = compute_scores(framework, {n: D("96.04") for n in range(1, 11)})
    assert (high.ita, high.level, high.letter_level) == (D("96.04"), "ผ่านดีเยี่ยม", "AA")
    low = compute_scores(framework, {n: D("77.70") for n in range(1, 11)})
    assert (low.ita, low.level, low.letter_level) == (D("77.70"), "ไม่ผ่าน", "B")


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "level", "letter"), [(2565, "A", None), (2567, "ผ่านดี", None)])
def test_years_with_one_scale_give_one_level(year, level, letter):
    result = compute_scores(_framework(year), {n: D("90") for n in range(1, 11)})
    assert (result.level, result.letter_level) == (level, letter)


def test_a_difference_of_a_hundredth_is_rounding_and_more_is_not():
    assert is_rounding(D("0.01")) and is_rounding(D("-0.01")) and not is_rounding(D("0.02"))
    assert not is_rounding(None)


@pytest.fixture
def rounded(db):
    """An organization of 2567 whose published ITA (90.01) is 0.01 above the one computed from its indicators."""
    organization = OrganizationFactory(slug="rounded", name="เทศบาลตำบลปัดเศษ")
    assessment = AssessmentFactory(organization=organization, fiscal_year=2567, official_score=D("90.01"))
    framework = _framework(2567)
    IndicatorScore.objects.bulk_create(IndicatorScore(assessment=assessment, indicator=indicator, score=D("90"))
                                       for indicator in framework.indicators.all())
    return assessment_scores_refresh(assessment=assessment)


def test_the_effective_score_is_the_published_one_and_the_computed_one_is_kept_beside_it(rounded):
    assert (rounded.computed_score, rounded.score, rounded.computed_level, rounded.level) == (
        D("90.00"), D("90.01"), "ผ่านดี", "ผ่านดี")


def test_the_assessment_page_calls_a_hundredth_rounding_not_a_discrepancy(client, rounded):
    client.force_login(MembershipFactory(organization=rounded.organization).user)
    page = client.get(reverse("assessments:assessment_detail", args=["rounded", 2567])).content.decode()
    text = " ".join(unescape(strip_tags(page)).split())
    assert "ต่างจากคะแนนที่คำนวณ 0.01 เป็นผลจากการปัดเศษ" in text
    assert '<span class="diff" role="note">' not in page  # no discrepancy flagged


@pytest.mark.django_db
def test_a_published_letter_is_shown_beside_the_published_pass_label(client):
    organization = OrganizationFactory(slug="both-scales")
    assessment = AssessmentFactory(organization=organization, fiscal_year=2566, official_score=D("96.04"),
                                   official_level="ผ่าน", official_level_letter="AA")
    assessment_scores_refresh(assessment=assessment)
    assert Assessment.objects.get(pk=assessment.pk).level == "ผ่าน"  # as published
    client.force_login(MembershipFactory(organization=organization).user)
    page = client.get(reverse("assessments:assessment_detail", args=["both-scales", 2566])).content.decode()
    assert '<span class="value">ผ่าน · AA</span>' in page
