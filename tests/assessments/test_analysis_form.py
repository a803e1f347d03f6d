"""Entering the analysis of an ITA result: findings with indicators and question codes, limitations and the
published question scores; bad input refused in Thai with nothing saved; HTML shown escaped."""
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Analysis, Finding, Indicator, QuestionScore
from tests.helpers.forms import form_data

SAVED_2567 = "บันทึกการวิเคราะห์ผลการประเมิน ปีงบประมาณ 2567 แล้ว"


def analysis_url(slug: str, year: int) -> str:
    return reverse("assessments:analysis_edit", args=[slug, year])


def detail_url(slug: str, year: int) -> str:
    return reverse("assessments:assessment_detail", args=[slug, year])


def analysis_state(slug: str, year: int) -> dict:
    """Everything the analysis form writes, for before/after comparisons."""
    findings = Finding.objects.filter(analysis__assessment__organization__slug=slug,
                                      analysis__assessment__fiscal_year=year)
    return {
        "analysis": list(Analysis.objects.filter(assessment__organization__slug=slug, assessment__fiscal_year=year)
                         .values("introduction", "limitations")),
        "findings": [(f.number, f.title, f.question_codes, f.text, f.recommendation,
                      sorted(i.number for i in f.indicators.all())) for f in findings.prefetch_related("indicators")],
        "questions": list(QuestionScore.objects.filter(assessment__organization__slug=slug,
                                                       assessment__fiscal_year=year)
                          .values_list("code", "text", "score")),  # in their order
    }


def indicator_pk(year: int, number: int) -> str:
    return str(Indicator.objects.get(framework__fiscal_year=year, number=number).pk)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_a_finding_with_indicators_and_thai_digit_question_codes_is_saved_and_shown(admin_client):
    url = analysis_url("khok-ma", 2567)
    data = form_data(admin_client.get(url).content.decode())
    assert data["findings-TOTAL_FORMS"] == "1" and data["questions-TOTAL_FORMS"] == "1"  # empty blocks to fill
    data |= {
        "introduction": "ผลการประเมินภาพรวมผ่านดี",
        "findings-0-number": "๑", "findings-0-title": "การเปิดเผยข้อมูลยังไม่ครบ",
        "findings-0-indicators": [indicator_pk(2567, 9), indicator_pk(2567, 8)],
        "findings-0-question_codes": "O๓๖, e15", "findings-0-text": "ตัวชี้วัดที่ 9 ได้ 76.79",
        "findings-0-recommendation": "เผยแพร่ข้อมูลให้ครบทุกข้อ",
        "questions-0-code": "O๓๖", "questions-0-text": "ข้อมูลการจัดซื้อจัดจ้าง", "questions-0-score": "๗๖.๗๙",
        "limitations": "ไม่มีคะแนนรายข้อของ IIT",
    }
    response = admin_client.post(url, data)
    assert response["Location"] == detail_url("khok-ma", 2567)
    assert analysis_state("khok-ma", 2567) == {
        "analysis": [{"introduction": "ผลการประเมินภาพรวมผ่านดี", "limitations": "ไม่มีคะแนนรายข้อของ IIT"}],
        "findings": [(1, "การเปิดเผยข้อมูลยังไม่ครบ", ["o36", "e15"], "ตัวชี้วัดที่ 9 ได้ 76.79",
                      "เผยแพร่ข้อมูลให้ครบทุกข้อ", [8, 9])],
        "questions": [("o36", "ข้อมูลการจัดซื้อจัดจ้าง", Decimal("76.79"))],
    }
    page = admin_client.get(response["Location"]).content.decode()
    assert SAVED_2567 in page
    assert "1. การเปิดเผยข้อมูลยังไม่ครบ" in page
    # The OIT code says that no OIT list of the result's year is stored (oit_code_link; data/oit has no 2567).
    assert 'o36 <span class="muted oit-code">(ยังไม่มีรายการ OIT ของปี 2567 ในระบบ)</span>, e15' in page
    assert "9 การเปิดเผยข้อมูล" in page


@pytest.mark.django_db
def test_saving_without_touching_the_empty_blocks_changes_only_what_was_typed(demo_client):
    url = analysis_url("pong-nam-ron", 2566)
    before = analysis_state("pong-nam-ron", 2566)
    assert len(before["findings"]) == 7
    data = form_data(demo_client.get(url).content.decode()) | {"limitations": "ข้อจำกัดที่แก้ไข"}
    assert demo_client.post(url, data).status_code == 302
    after = analysis_state("pong-nam-ron", 2566)
    assert after["analysis"][0]["limitations"] == "ข้อจำกัดที่แก้ไข"
    assert (after["findings"], after["questions"]) == (before["findings"], before["questions"])


@pytest.mark.django_db
def test_two_findings_with_the_same_number_are_refused_and_nothing_is_saved(demo_client):
    url = analysis_url("pong-nam-ron", 2566)
    data = form_data(demo_client.get(url).content.decode())
    extra = int(data["findings-TOTAL_FORMS"]) - 1
    data |= {f"findings-{extra}-number": "๑", f"findings-{extra}-title": "ประเด็นซ้ำ", "limitations": "ใหม่"}
    before = analysis_state("pong-nam-ron", 2566)
    page = demo_client.post(url, data).content.decode()
    assert "มีประเด็นการวิเคราะห์สองข้อที่ใช้ลำดับเดียวกัน" in page
    assert 'value="ประเด็นซ้ำ"' in page  # the input stays on the form
    assert analysis_state("pong-nam-ron", 2566) == before


@pytest.mark.django_db
def test_a_new_finding_with_the_number_of_a_stored_one_is_refused(demo_client):
    url = analysis_url("pong-nam-ron", 2566)
    data = form_data(demo_client.get(url).content.decode())
    before = analysis_state("pong-nam-ron", 2566)
    page = demo_client.post(url, data | {"findings-7-number": "7", "findings-7-title": "ประเด็นที่ 7 ซ้ำ"})
    assert "มีประเด็นการวิเคราะห์สองข้อที่ใช้ลำดับเดียวกัน" in page.content.decode()
    assert analysis_state("pong-nam-ron", 2566) == before


@pytest.mark.django_db
def test_a_new_finding_may_take_the_number_of_a_deleted_one(demo_client):
    url = analysis_url("pong-nam-ron", 2566)
    data = form_data(demo_client.get(url).content.decode())
    data |= {"findings-6-DELETE": "on", "findings-7-number": "7", "findings-7-title": "ประเด็นที่ 7 ใหม่"}
    assert demo_client.post(url, data).status_code == 302
    assert analysis_state("pong-nam-ron", 2566)["findings"][-1][:2] == (7, "ประเด็นที่ 7 ใหม่")


@pytest.mark.django_db
def test_two_findings_can_swap_their_numbers(demo_client):
    url = analysis_url("pong-nam-ron", 2566)
    data = form_data(demo_client.get(url).content.decode())
    assert (data["findings-0-number"], data["findings-1-number"]) == ("1", "2")
    titles = data["findings-0-title"], data["findings-1-title"]
    response = demo_client.post(url, data | {"findings-0-number": "2", "findings-1-number": "1"})
    assert response.status_code == 302
    findings = analysis_state("pong-nam-ron", 2566)["findings"]
    assert [(number, title) for number, title, *_ in findings[:2]] == [(1, titles[1]), (2, titles[0])]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("questions-0-score", "100.5", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("questions-0-score", "1000", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("questions-0-score", "๘๙.๗๖๕", "ใช้ทศนิยมไม่เกินสองตำแหน่ง"),
        ("questions-0-code", "e7 e8", "ใส่รหัสข้อคำถามหนึ่งรหัส เช่น e15"),
        ("questions-0-code", "ข้อ 7", "“ข้อ” ไม่ใช่รหัสข้อคำถาม"),
        ("findings-0-question_codes", "e7, q1", "“q1” ไม่ใช่รหัสข้อคำถาม"),
        ("findings-0-number", "0", "ค่านี้ต้องมากกว่าหรือเท่ากับ 1"),
    ],
)
def test_bad_input_is_refused_in_thai_and_nothing_is_saved(demo_client, field, value, message):
    url = analysis_url("pong-nam-ron", 2566)
    data = form_data(demo_client.get(url).content.decode())
    assert data["questions-0-code"] == "e7"
    data |= {field: value, "introduction": "บทนำใหม่ที่ไม่ควรถูกบันทึก"}
    before = analysis_state("pong-nam-ron", 2566)
    page = demo_client.post(url, data).content.decode()
    assert "การวิเคราะห์ผลการประเมิน ITA ปีงบประมาณ 2566" in page  # the form again
    assert message in page
    assert analysis_state("pong-nam-ron", 2566) == before


@pytest.mark.django_db
def test_html_in_the_analysis_is_shown_escaped_on_the_assessment_page(admin_client):
    url = analysis_url("khok-ma", 2567)
    data = form_data(admin_client.get(url).content.decode()) | {
        "introduction": "<img src=x onerror=alert(1)>",
        "findings-0-number": "1", "findings-0-title": "<script>alert(1)</script>",
        "findings-0-recommendation": "<b>ตัวหนา</b>",
        "questions-0-code": "e1", "questions-0-text": "<i>คำถาม</i>", "questions-0-score": "90",
    }
    assert admin_client.post(url, data).status_code == 302
    page = admin_client.get(detail_url("khok-ma", 2567)).content.decode()
    assert "1. &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert "&lt;b&gt;ตัวหนา&lt;/b&gt;" in page
    assert "&lt;i&gt;คำถาม&lt;/i&gt;" in page


@pytest.mark.django_db
def test_a_deleted_finding_and_question_are_gone(demo_client):
    url = analysis_url("pong-nam-ron", 2566)
    data = form_data(demo_client.get(url).content.decode())
    title = data["findings-6-title"]
    data |= {"findings-6-DELETE": "on", "questions-0-DELETE": "on"}
    assert demo_client.post(url, data).status_code == 302
    state = analysis_state("pong-nam-ron", 2566)
    assert [f[0] for f in state["findings"]] == [1, 2, 3, 4, 5, 6]
    assert state["questions"] == []
    page = demo_client.get(detail_url("pong-nam-ron", 2566)).content.decode()
    assert title not in page
