"""Entering ITA results through the form: Thai digits, bad input, roles, all-or-nothing saving."""
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.helpers.assessments import _post


@pytest.mark.django_db
def test_an_admin_enters_a_new_year_with_thai_digits_and_sees_the_computed_score(client, admin_user):
    client.force_login(admin_user)
    response = _post(client, "khok-ma", 2569, official_score="๙๙.๕๔", official_level="ผ่านดีเยี่ยม")
    assert response.status_code == 302
    assessment = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2569)
    assert assessment.official_score == Decimal("99.54")
    assert {s.indicator.number: s.score for s in assessment.indicator_scores.all()}[1] == Decimal("99.19")
    page = client.get(response["Location"]).content.decode()
    assert "บันทึกผลการประเมิน ITA ปีงบประมาณ 2569 แล้ว" in page
    assert "99.54" in page and "ผ่านดีเยี่ยม" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("indicator_3", "100.01", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("indicator_3", "-1", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("indicator_3", "๙๙.๑๒๓", "ใช้ทศนิยมไม่เกินสองตำแหน่ง"),
        ("indicator_3", "เก้าสิบ", "พิมพ์ตัวเลข เช่น 96.55 หรือ ๙๖.๕๕"),
        ("eit_part_1", "101", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
    ],
)
def test_bad_scores_are_refused_with_a_thai_message_and_nothing_is_saved(client, admin_user, field, value, message):
    client.force_login(admin_user)
    before = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    scores_before = list(before.indicator_scores.values_list("score", flat=True))
    page = _post(client, "khok-ma", 2568, **{field: value}).content.decode()
    assert "แก้ไขผลการประเมิน ITA ปีงบประมาณ 2568" in page  # the form again, not a redirect
    assert message in page
    assert f'value="{value}"' in page  # the user's input is kept on the form
    after = Assessment.objects.get(pk=before.pk)
    assert list(after.indicator_scores.values_list("score", flat=True)) == scores_before


@pytest.mark.django_db
def test_html_typed_in_a_text_field_is_shown_escaped(client, admin_user):
    client.force_login(admin_user)
    _post(client, "khok-ma", 2568, notes="<script>alert(1)</script>")
    page = client.get(reverse("assessments:assessment_detail", args=["khok-ma", 2568])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.django_db
def test_editing_keeps_one_assessment_per_year(client, admin_user):
    client.force_login(admin_user)
    form = client.get(reverse("assessments:assessment_edit", args=["khok-ma", 2567])).content.decode()
    assert 'value="99.83"' in form  # indicator 1 of 2567, as loaded
    _post(client, "khok-ma", 2567, official_score="93.99")
    assert Assessment.objects.filter(organization__slug="khok-ma", fiscal_year=2567).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff_user", "executive", "clerk"])
def test_only_organization_admins_may_enter_results(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("assessments:assessment_edit", args=["khok-ma", 2568])
    assert client.get(url).status_code == 403
    assert _post(client, "khok-ma", 2568, official_score="10").status_code == 403
    assert Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2568).official_score == Decimal("99.54")
    page = client.get(reverse("assessments:assessment_detail", args=["khok-ma", 2568])).content.decode()
    assert "แก้ไขคะแนน" not in page


@pytest.mark.django_db
def test_another_organizations_admin_gets_404_and_changes_nothing(client, outsider):
    client.force_login(outsider)
    assert _post(client, "khok-ma", 2568, official_score="10").status_code == 404
    start = reverse("assessments:assessment_start", args=["khok-ma"])
    assert client.get(start, {"fiscal_year": "2569"}).status_code == 404
    assert Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2568).official_score == Decimal("99.54")


@pytest.mark.django_db
def test_the_year_picker_accepts_thai_digits_and_refuses_a_year_without_framework(client, admin_user):
    client.force_login(admin_user)
    url = reverse("assessments:assessment_start", args=["khok-ma"])
    assert client.get(url, {"fiscal_year": "๒๕๖๙"})["Location"] == reverse(
        "assessments:assessment_edit", args=["khok-ma", 2569])
    page = client.get(url, {"fiscal_year": "2025"}, follow=True).content.decode()
    assert "เลือกปีงบประมาณที่มีกรอบการประเมิน ITA" in page


@pytest.mark.django_db
def test_the_form_explains_thai_digits_in_thai_and_asks_the_server_for_the_live_result(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("assessments:assessment_edit", args=["khok-ma", 2567])).content.decode()
    assert "พิมพ์ได้ทั้งเลขไทย (๙๖.๕๕) และเลขอารบิก (96.55)" in page
    # The live computation is the server's (assessments:score_preview); no rule is handed to the browser.
    assert 'data-preview-url="/organizations/khok-ma/assessments/2567/preview/"' in page
    assert '"weight"' not in page and 'id="ita-rules"' not in page
    assert 'data-tool="EIT" data-part="1"' in page
