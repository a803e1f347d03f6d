from decimal import Decimal

import pytest

from assessments.models import Assessment, Framework
from assessments.scoring import compute_assessment, compute_scores
from assessments.selectors import assessment_summary

D = Decimal


@pytest.mark.django_db
def test_seed_000_computes_the_memo_figure_96_55_with_eit_from_its_two_parts():
    assessment = Assessment.objects.get(organization__slug="pong-nam-ron", fiscal_year=2566)
    result = compute_assessment(assessment)
    assert result.tool_scores == {"IIT": D("95.65"), "EIT": D("92.85"), "OIT": D("100.00")}
    assert result.ita == D("96.55") == assessment.official_score
    assert result.level == "ผ่านดี" == assessment.official_level


@pytest.mark.django_db
def test_seed_000_shows_the_published_iit_that_disagrees_with_its_indicators():
    summary = assessment_summary(assessment=Assessment.objects.get(organization__slug="pong-nam-ron"))
    iit = next(t for t in summary.tools if t.code == "IIT")
    assert (iit.computed, iit.official, iit.difference) == (D("95.65"), D("95.42"), D("-0.23"))
    assert summary.ita_difference == D("0")


@pytest.mark.django_db
def test_seed_001_computes_93_99_for_2567_and_99_54_for_2568():
    scores = {
        a.fiscal_year: compute_assessment(a) for a in Assessment.objects.filter(organization__slug="khok-ma")
    }
    assert scores[2567].ita == D("93.99")
    assert scores[2567].level == "ผ่านดี"
    # Rounded tool scores give the report's 99.54; unrounded means would give 99.53 (ita-framework.md §3).
    assert scores[2568].ita == D("99.54")


@pytest.mark.django_db
def test_unrounded_means_of_seed_001_2568_would_be_99_53():
    framework = Framework.objects.get(fiscal_year=2568)
    a = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    values = {s.indicator.number: s.score for s in a.indicator_scores.all()}
    iit = sum(values[n] for n in range(1, 6)) / 5
    eit = sum(values[n] for n in range(6, 9)) / 3
    oit = (values[9] + values[10]) / 2
    unrounded = (D("0.3") * iit + D("0.3") * eit + D("0.4") * oit).quantize(D("0.01"))
    assert unrounded == D("99.53")
    assert compute_scores(framework, values).ita == D("99.54")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "scores", "level"),
    [
        (2562, {n: 67.87 for n in range(1, 11)}, "C"),
        (2565, {n: 95 for n in range(1, 11)}, "AA"),
        (2565, {n: 49.99 for n in range(1, 11)}, "F"),
        (2568, {**{n: 90 for n in range(1, 11)}, 6: 80, 7: 80, 8: 80}, "ผ่าน"),
        (2568, {n: 84.99 for n in range(1, 11)}, "ไม่ผ่าน"),
        (2568, {n: 96 for n in range(1, 11)}, "ผ่านดีเยี่ยม"),
    ],
)
def test_levels_follow_the_rule_of_the_year(year, scores, level):
    framework = Framework.objects.get(fiscal_year=year)
    result = compute_scores(framework, {n: D(str(v)) for n, v in scores.items()})
    assert result.level == level


@pytest.mark.django_db
def test_a_part_score_below_85_keeps_the_label_at_pass():
    framework = Framework.objects.get(fiscal_year=2566)
    result = compute_scores(framework, {n: D("95") for n in range(1, 11)}, {"EIT": [D("84"), D("99")]})
    assert result.ita == D("93.95")  # 0.3 × 95 + 0.3 × 91.5 + 0.4 × 95
    assert result.level == "ผ่าน"


@pytest.mark.django_db
def test_weights_are_data_of_the_year():
    framework = Framework.objects.get(fiscal_year=2568)
    framework.tools.filter(code="OIT").update(weight=D("0.5"))
    framework.tools.filter(code="IIT").update(weight=D("0.2"))
    result = compute_scores(framework, {**{n: D("100") for n in range(1, 9)}, 9: D("50"), 10: D("50")})
    assert result.ita == D("75.00")


@pytest.mark.django_db
def test_a_missing_tool_is_reported_not_guessed():
    assessment = Assessment.objects.get(organization__slug="dong-sombun", fiscal_year=2562)
    result = compute_assessment(assessment)
    assert result.ita is None
    assert result.missing == ("IIT", "EIT", "OIT")
    assert assessment.official_score == D("67.87") and assessment.official_level == "C"


# --- the live calculator is the server (issue 13) ---------------------------------------------------------------

def _preview(client, data: dict) -> dict:
    from django.urls import reverse
    url = reverse("assessments:score_preview", args=["khok-ma", 2568])
    response = client.post(url, {"fiscal_year": "2568", **data})
    return response.json()


@pytest.mark.django_db
def test_the_calculator_agrees_with_the_stored_result_of_khok_ma_2568(client, admin_user):
    from assessments.models import Assessment
    client.force_login(admin_user)
    assessment = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    typed = {f"indicator_{s.indicator.number}": str(s.score) for s in assessment.indicator_scores.select_related(
        "indicator")}
    answer = _preview(client, typed)
    assert answer["errors"] == {}
    assert answer["ita"] == f"{assessment.computed_score:.2f}" == "99.54"
    assert answer["level"] == assessment.computed_level
    assert answer["tools"] == {"IIT": f"{assessment.computed_iit:.2f}", "EIT": f"{assessment.computed_eit:.2f}",
                               "OIT": f"{assessment.computed_oit:.2f}"}


@pytest.mark.django_db
def test_the_calculator_refuses_what_the_server_refuses(client, admin_user):
    client.force_login(admin_user)
    typed = {f"indicator_{n}": "95" for n in range(1, 11)} | {"indicator_3": "120", "indicator_4": "1_0"}
    answer = _preview(client, typed)
    assert answer["ita"] is None and answer["level"] is None  # never "ITA 100.83 ผ่านดีเยี่ยม"
    assert answer["errors"]["indicator_3"] == "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"
    assert set(answer["errors"]) == {"indicator_3", "indicator_4"}


@pytest.mark.django_db
def test_only_the_organizations_admins_may_ask_the_calculator(client, staff_user, outsider):
    from django.urls import reverse
    url = reverse("assessments:score_preview", args=["khok-ma", 2568])
    client.force_login(staff_user)
    assert client.post(url, {"fiscal_year": "2568"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url, {"fiscal_year": "2568"}).status_code == 404
