"""The forms of the measure cycle (issue 3): bad input refused with the Thai message the user sees and nothing
saved; Thai digits and Buddhist-era dates accepted; steps ordered and removed; HTML shown escaped.

``form_data`` reads a page's form as a browser would submit it, so the tests post what the user saw.
"""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import IndicatorScore, QuestionScore
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport, Step
from tests.helpers.forms import form_data, get_form
from tests.helpers.measures import PLAN, measure_row, measure_url, plan_state

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- measure form ------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "0", "ค่านี้ต้องมากกว่าหรือเท่ากับ 1"),
        ("number", "1000", "ค่านี้ต้องน้อยกว่าหรือเท่ากับ 999"),
        ("number", "สาม", "กรอกหมายเลข"),
        ("number", "3", "แผนนี้มีมาตรการลำดับที่นี้แล้ว"),
        ("timeframe_end", "30/9/2567", "วันสิ้นสุดต้องไม่อยู่ก่อนวันเริ่มต้น"),
        ("timeframe_start", "1/10/2024", "ใช้ปี พ.ศ. เช่น 1/10/2567 ไม่ใช่ปี ค.ศ. เช่น 1/10/2024"),
        ("timeframe_start", "31/2/2568", "เดือนกุมภาพันธ์ 2568 มี 28 วัน ไม่มีวันที่ 31"),
        ("timeframe_end", "1/10/99999999999999999999", "พิมพ์วันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 1/10/2567"),
        ("question_codes", "e15, x1", "“x1” ไม่ใช่รหัสข้อคำถาม ให้ใส่รหัส เช่น i1, e15 หรือ o36 คั่นด้วยจุลภาค"),
        ("question_codes", "e²", "“e²” ไม่ใช่รหัสข้อคำถาม"),
        ("title", "", "ฟิลด์นี้จำเป็น"),
    ],
)
def test_editing_a_measure_with_bad_input_shows_the_thai_message_and_saves_nothing(
        admin_client, field, value, message):
    url = measure_url("measure_edit", 2)
    data = get_form(admin_client, url)
    before = plan_state()
    data[field] = value
    page = admin_client.post(url, data).content.decode()
    assert "แก้ไขมาตรการที่ 2" in page  # the form again, not a redirect
    assert message in page
    if value:
        assert f'value="{value}"' in page  # the input stays on the form
    assert plan_state() == before


@pytest.mark.django_db
def test_a_new_measure_with_bad_input_is_not_created(admin_client):
    url = measure_url("measure_create")
    data = get_form(admin_client, url) | {"title": "มาตรการใหม่", "timeframe_start": "1/10/2024"}
    before = plan_state()
    page = admin_client.post(url, data).content.decode()
    assert "ใช้ปี พ.ศ. เช่น 1/10/2567 ไม่ใช่ปี ค.ศ. เช่น 1/10/2024" in page
    assert plan_state() == before


@pytest.mark.django_db
def test_a_new_measure_starts_with_the_next_number_and_the_whole_fiscal_year_in_the_buddhist_era(admin_client):
    data = get_form(admin_client, measure_url("measure_create"))
    assert data["number"] == "9"  # the plan has measures 1–8
    assert (data["timeframe_start"], data["timeframe_end"]) == ("1/10/2567", "30/9/2568")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [("๑/๑๐/๒๕๖๗", "๓๑/๓/๒๕๖๘"), ("1 ต.ค. 2567", "31 มีนาคม 2568"), ("1-10-2567", "๓๑ มี.ค. ๒๕๖๘")],
)
def test_thai_digits_and_thai_month_names_are_stored_as_the_same_dates(admin_client, start, end):
    url = measure_url("measure_create")
    data = get_form(admin_client, url) | {"title": "มาตรการทดสอบวันที่", "timeframe_start": start,
                                          "timeframe_end": end}
    response = admin_client.post(url, data)
    assert response["Location"] == measure_url("measure_detail", 9)
    measure = Measure.objects.get(plan__organization__slug="khok-ma", plan__fiscal_year=2568, number=9)
    assert (measure.timeframe_start, measure.timeframe_end) == (dt.date(2024, 10, 1), dt.date(2025, 3, 31))
    page = admin_client.get(response["Location"]).content.decode()
    assert "บันทึกมาตรการที่ 9 แล้ว" in page
    assert "(1 ต.ค. 2567 – 31 มี.ค. 2568)" in page


@pytest.mark.django_db
def test_question_codes_typed_with_thai_digits_and_capitals_are_stored_normalised(admin_client):
    url = measure_url("measure_edit", 2)
    data = get_form(admin_client, url) | {"question_codes": "E๑๕, i1  o๓๖"}
    assert admin_client.post(url, data).status_code == 302
    assert Measure.objects.get(plan__fiscal_year=2568, plan__organization__slug="khok-ma",
                               number=2).question_codes == ["e15", "i1", "o36"]
    assert 'value="e15, i1, o36"' in admin_client.get(url).content.decode()  # shown back as typed codes


@pytest.mark.django_db
def test_the_number_of_another_measure_is_refused_but_a_deleted_measures_number_is_free(admin_client):
    Measure.objects.filter(plan__organization__slug="khok-ma", plan__fiscal_year=2568, number=8).delete()
    url = measure_url("measure_edit", 2)
    page = admin_client.post(url, get_form(admin_client, url) | {"number": "๗"}).content.decode()
    assert "แผนนี้มีมาตรการลำดับที่นี้แล้ว" in page
    assert admin_client.post(url, get_form(admin_client, url) | {"number": "๘"}).status_code == 302
    assert Measure.objects.filter(plan__fiscal_year=2568, plan__organization__slug="khok-ma", number=8,
                                  title="การใช้งบประมาณ").exists()


@pytest.mark.django_db
def test_html_in_the_title_is_shown_escaped_on_the_plan_and_the_measure_page(admin_client):
    url = measure_url("measure_edit", 2)
    admin_client.post(url, get_form(admin_client, url) | {"title": "<script>alert(1)</script>งบ",
                                                         "method": "<b>หนา</b>"})
    for page_url in (measure_url("plan_detail"), measure_url("measure_detail", 2), reverse("measures:measure_list")):
        page = admin_client.get(page_url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;งบ" in page, page_url
        assert "<script>alert" not in page, page_url
    assert "&lt;b&gt;หนา&lt;/b&gt;" in admin_client.get(measure_url("measure_detail", 2)).content.decode()


@pytest.mark.django_db
def test_steps_are_saved_in_the_order_of_the_order_fields_and_a_removed_step_is_gone(admin_client):
    url = measure_url("measure_edit", 1)
    data = get_form(admin_client, url)
    assert data["steps-TOTAL_FORMS"] == "5"  # the four steps of the seed and an empty one to add a step
    old = [data[f"steps-{i}-text"] for i in range(4)]
    assert [data[f"steps-{i}-ORDER"] for i in range(5)] == ["1", "2", "3", "4", ""]
    data |= {"steps-0-ORDER": "4", "steps-1-ORDER": "1", "steps-2-ORDER": "2", "steps-3-ORDER": "5",
             "steps-4-text": "ขั้นตอนใหม่ที่เพิ่ม", "steps-4-ORDER": "3"}
    assert admin_client.post(url, data).status_code == 302
    stored = Step.objects.filter(measure__plan__organization__slug="khok-ma", measure__plan__fiscal_year=2568,
                                 measure__number=1)
    assert list(stored.values_list("order", "text")) == [
        (1, old[1]), (2, old[2]), (3, "ขั้นตอนใหม่ที่เพิ่ม"), (4, old[0]), (5, old[3])]
    page = admin_client.get(measure_url("measure_detail", 1)).content.decode()
    assert page.index(old[1]) < page.index(old[2]) < page.index("ขั้นตอนใหม่ที่เพิ่ม") < page.index(old[0])

    data = get_form(admin_client, url) | {"steps-2-DELETE": "on"}
    assert admin_client.post(url, data).status_code == 302
    assert list(stored.values_list("order", "text")) == [(1, old[1]), (2, old[2]), (3, old[0]), (4, old[3])]
    assert "ขั้นตอนใหม่ที่เพิ่ม" not in admin_client.get(measure_url("plan_detail")).content.decode()


@pytest.mark.django_db
def test_emptying_a_step_removes_it_and_an_unfilled_new_step_adds_nothing(admin_client):
    url = measure_url("measure_edit", 1)
    data = get_form(admin_client, url) | {"steps-0-text": "   "}
    assert admin_client.post(url, data).status_code == 302
    stored = Step.objects.filter(measure__plan__organization__slug="khok-ma", measure__plan__fiscal_year=2568,
                                 measure__number=1)
    assert list(stored.values_list("order", "text")) == [(i, data[f"steps-{i}-text"]) for i in range(1, 4)]


@pytest.mark.django_db
def test_an_edit_through_the_form_keeps_what_was_not_touched(admin_client):
    url = measure_url("measure_edit", 3)
    before = measure_row(3)
    assert admin_client.post(url, get_form(admin_client, url)).status_code == 302
    after = measure_row(3)
    assert after["fields"].pop("version") == before["fields"].pop("version") + 1
    assert after == before


# --- plan form ---------------------------------------------------------------------------------------------

def proposals_on(page: str) -> list[tuple[str, str]]:
    data = form_data(page)
    count = int(data["proposal-TOTAL_FORMS"])
    return [(data[f"proposal-{i}-indicator"], data[f"proposal-{i}-title"]) for i in range(count)]


@pytest.mark.django_db
def test_the_new_plan_form_proposes_only_the_indicators_below_85(admin_client):
    page = admin_client.get(reverse("measures:plan_create", args=["khok-ma"]), {"assessment": "2567"})
    proposals = proposals_on(page.content.decode())
    # ITA 2567 of Khok Ma: indicator 9 at 76.79 is the only one below 85; 8 (93.37) and 4 (96.83) are not weak.
    assert [number for number, _ in proposals] == ["9"]
    assert proposals[0][1] == "มาตรการยกระดับตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล"
    assert "ท่ามกลาง" not in page.content.decode() and "ต่ำที่สุด" not in page.content.decode()
    assert 'value="2568"' in page.content.decode()  # the plan of the following year


@pytest.mark.django_db
def test_every_indicator_below_85_is_proposed_even_beyond_three(admin_client):
    scores = IndicatorScore.objects.filter(assessment__organization__slug="khok-ma", assessment__fiscal_year=2567)
    for number, score in {1: "84.99", 2: "50", 3: "70.10", 5: "80"}.items():
        scores.filter(indicator__number=number).update(score=score)
    page = admin_client.get(reverse("measures:plan_create", args=["khok-ma"]), {"assessment": "๒๕๖๗"})
    assert [number for number, _ in proposals_on(page.content.decode())] == ["2", "3", "9", "5", "1"]


@pytest.mark.django_db
def test_a_plan_is_created_from_the_kept_proposals_with_a_year_typed_in_thai_digits(admin_client):
    url = reverse("measures:plan_create", args=["khok-ma"]) + "?assessment=2567"
    data = get_form(admin_client, url)
    data |= {"fiscal_year": "๒๕๖๙", "proposal-0-title": "จัดทำแนวทางการเปิดเผยข้อมูลต่อสาธารณะ"}
    response = admin_client.post(url, data)
    plan = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2569)
    assert response["Location"] == reverse("measures:plan_detail", args=["khok-ma", 2569])
    assert plan.assessment.fiscal_year == 2567
    measures = list(plan.measures.prefetch_related("indicators"))
    assert [(m.number, m.title, [i.number for i in m.indicators.all()]) for m in measures] == [
        (1, "จัดทำแนวทางการเปิดเผยข้อมูลต่อสาธารณะ", [9]),
    ]
    assert {(m.timeframe_start, m.timeframe_end) for m in measures} == {(dt.date(2025, 10, 1), dt.date(2026, 9, 30))}
    page = admin_client.get(response["Location"]).content.decode()
    assert "สร้างแผนมาตรการ ปีงบประมาณ 2569 แล้ว มี 1 มาตรการ" in page


@pytest.mark.django_db
def test_a_kept_proposal_without_a_title_is_refused_and_no_plan_is_created(admin_client):
    url = reverse("measures:plan_create", args=["khok-ma"]) + "?assessment=2567"
    data = get_form(admin_client, url) | {"fiscal_year": "2569", "proposal-0-title": "  "}
    plans, measures = MeasurePlan.objects.count(), Measure.all_objects.count()
    page = admin_client.post(url, data).content.decode()
    assert "มาตรการที่เลือกใช้ต้องมีชื่อมาตรการ" in page
    assert (MeasurePlan.objects.count(), Measure.all_objects.count()) == (plans, measures)


@pytest.mark.django_db
def test_a_second_plan_for_a_year_is_refused_in_thai_and_nothing_is_saved(admin_client):
    url = reverse("measures:plan_create", args=["khok-ma"]) + "?assessment=2567"
    data = get_form(admin_client, url)
    assert data["fiscal_year"] == "2568"  # proposed: the year after the assessment, which has a plan already
    plans, measures = MeasurePlan.objects.count(), Measure.all_objects.count()
    page = admin_client.post(url, data).content.decode()
    assert "หน่วยงานนี้มีแผนมาตรการของปีงบประมาณนี้แล้ว" in page
    assert (MeasurePlan.objects.count(), Measure.all_objects.count()) == (plans, measures)


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["2025", "๒๐๒๕", "ปีหน้า"])
def test_a_christian_era_or_unreadable_fiscal_year_is_refused(admin_client, year):
    url = reverse("measures:plan_create", args=["khok-ma"])
    plans = MeasurePlan.objects.count()
    page = admin_client.post(url, {"fiscal_year": year, "title": "แผน", "proposal-TOTAL_FORMS": "0",
                                   "proposal-INITIAL_FORMS": "0"}).content.decode()
    assert "พิมพ์ปีงบประมาณเป็นปี พ.ศ. เช่น 2568" in page
    assert MeasurePlan.objects.count() == plans


# --- progress reports --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_report_whose_period_ends_before_it_starts_is_refused(admin_client):
    url = measure_url("report_create") + "?round=six_month"
    data = get_form(admin_client, url)
    assert (data["round"], data["period_start"], data["period_end"]) == ("six_month", "1/10/2567", "31/3/2568")
    reports = ProgressReport.objects.count()
    page = admin_client.post(url, data | {"period_end": "30/9/2567"}).content.decode()
    assert "วันสิ้นสุดต้องไม่อยู่ก่อนวันเริ่มต้น" in page
    assert ProgressReport.objects.count() == reports
    assert admin_client.post(url, data | {"period_end": "๓๑/๓/๒๕๖๘"}).status_code == 302
    report = ProgressReport.objects.get(plan__organization__slug="khok-ma", round="six_month")
    assert (report.period_start, report.period_end) == (dt.date(2024, 10, 1), dt.date(2025, 3, 31))


@pytest.mark.django_db
def test_a_second_report_of_a_round_is_refused(admin_client):
    url = measure_url("report_create") + "?round=annual"
    reports = ProgressReport.objects.count()
    page = admin_client.post(url, get_form(admin_client, url)).content.decode()
    assert "แผนนี้มีรายงานของรอบนี้แล้ว" in page
    assert ProgressReport.objects.count() == reports


def report_url(name: str = "report_detail") -> str:
    return reverse(f"measures:{name}", args=[*PLAN, "annual"])


def entries() -> list[dict]:
    return list(ProgressEntry.objects.filter(report__plan__organization__slug="khok-ma")
                .order_by("measure__number").values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_done", "31/2/2568", "เดือนกุมภาพันธ์ 2568 มี 28 วัน ไม่มีวันที่ 31"),
        ("date_done", "15/1/2025", "ใช้ปี พ.ศ. เช่น 1/10/2567 ไม่ใช่ปี ค.ศ."),
        ("date_done", "1/²/2568", "พิมพ์วันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 1/10/2567"),
        ("evidence_url", "ดูที่เว็บไซต์", "พิมพ์ที่อยู่เว็บให้ครบ เช่น https://www.example.go.th/ita"),
        ("evidence_url", "javascript:alert(1)", "พิมพ์ที่อยู่เว็บให้ครบ เช่น https://www.example.go.th/ita"),
        ("status", "finished", "เลือกตัวเลือกที่ถูกต้อง"),
    ],
)
def test_one_bad_progress_row_saves_no_row_at_all(admin_client, field, value, message):
    data = get_form(admin_client, report_url())
    data |= {"m1-result": "ผลใหม่ของมาตรการที่ 1", "m2-" + field: value}
    before = entries()
    page = admin_client.post(report_url(), data).content.decode()
    assert "บางแถวมีข้อผิดพลาด ระบบยังไม่ได้บันทึกข้อมูลใด ๆ" in page
    assert message in page
    assert 'id="row-2" aria-labelledby="row-h-2"' in page and 'report-row has-error" id="row-2"' in page
    assert "ผลใหม่ของมาตรการที่ 1" in page  # the other row's input is kept
    assert entries() == before


@pytest.mark.django_db
def test_progress_rows_are_saved_with_thai_dates(admin_client):
    data = get_form(admin_client, report_url()) | {"m1-status": "done", "m1-date_done": "๑๕ ม.ค. ๒๕๖๘",
                                                    "m1-evidence_url": "https://khokma.go.th/ita/1"}
    response = admin_client.post(report_url(), data)
    assert response["Location"] == report_url()
    entry = ProgressEntry.objects.get(report__plan__organization__slug="khok-ma", measure__number=1)
    assert (entry.status, entry.date_done, entry.evidence_url) == ("done", dt.date(2025, 1, 15),
                                                                   "https://khokma.go.th/ita/1")
    assert "บันทึกผลการดำเนินการ 1 มาตรการแล้ว" in admin_client.get(report_url()).content.decode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", "นี่คือข้อความ ไม่ใช่ PDF".encode(), "ไฟล์นี้ไม่ใช่ PDF, JPEG, PNG, DOCX หรือ XLSX"),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
         "ไฟล์นี้ไม่ใช่ PDF, JPEG, PNG, DOCX หรือ XLSX"),
        ("empty.pdf", b"", "ไฟล์ที่ส่งว่างเปล่า"),
    ],
)
def test_a_file_that_is_not_an_allowed_kind_is_refused_whatever_its_name(admin_client, media, name, content,
                                                                          message):
    data = get_form(admin_client, report_url()) | {"m1-evidence_file": SimpleUploadedFile(name, content)}
    before = entries()
    page = admin_client.post(report_url(), data).content.decode()
    assert message in page
    assert entries() == before
    assert not any(media.rglob("*.pdf"))


@pytest.mark.django_db
def test_an_oversized_file_is_refused_with_its_size_and_the_limit(admin_client, media, settings):
    settings.EVIDENCE_MAX_BYTES = 512 * 1024
    upload = SimpleUploadedFile("photo.png", PNG + b"\x00" * (600 * 1024))
    before = entries()
    page = admin_client.post(report_url(), get_form(admin_client, report_url()) | {"m1-evidence_file": upload})
    assert "ไฟล์มีขนาด 0.6 MB เกินขนาดสูงสุด 0.5 MB" in page.content.decode()
    assert entries() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), [("รูปประกอบ.png", PNG), ("minutes.PDF", PDF)])
def test_an_evidence_file_is_stored_and_only_members_can_download_it(client, admin_user, clerk, outsider, media,
                                                                   name, content):
    client.force_login(admin_user)
    data = get_form(client, report_url()) | {"m2-evidence_file": SimpleUploadedFile(name, content)}
    assert client.post(report_url(), data).status_code == 302
    entry = ProgressEntry.objects.get(report__plan__organization__slug="khok-ma", measure__number=2)
    assert entry.evidence_file.name.startswith("evidence/")
    download = reverse("measures:evidence_download", args=[*PLAN, "annual", 2])
    report_page = client.get(report_url()).content.decode()
    assert f'href="{download}"' in report_page  # in the editable row, next to "change the file"
    assert 'href="/media/' not in report_page  # evidence is never linked where it is not served
    assert f'href="{download}"' in client.get(measure_url("measure_detail", 2)).content.decode()
    for member in (admin_user, clerk):
        client.force_login(member)
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content
        assert "attachment" in response["Content-Disposition"]
    client.force_login(outsider)
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302  # to the log-in page


def test_plan_edit_links_the_plan_to_an_assessment_of_its_organization_only(client, admin_user):
    """Seed 004's plan (FY 2564) answers ITA 2562: a plan started empty can be linked afterwards."""
    from assessments.models import Assessment

    client.force_login(admin_user)
    plan = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    url = reverse("measures:plan_edit", args=["khok-ma", 2568])
    data = get_form(client, url)
    other = Assessment.objects.exclude(organization__slug="khok-ma").first()
    page = client.post(url, data | {"assessment": str(other.pk)}).content.decode()
    assert "เลือกตัวเลือกที่ถูกต้อง" in page  # Django's "Select a valid choice" in Thai
    own = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    client.post(url, data | {"assessment": str(own.pk)})
    plan.refresh_from_db()
    assert plan.assessment_id == own.pk


# --- proposals that make sense (issue 13 point 4) ------------------------------------------------------------

def new_plan_page(client, slug: str, year: int) -> str:
    return client.get(reverse("measures:plan_create", args=[slug]), {"assessment": str(year)}).content.decode()


@pytest.mark.django_db
def test_ban_phran_2568_proposals_start_with_question_o13_not_with_indicators_at_100(demo_client):
    page = new_plan_page(demo_client, "ban-phran", 2568)
    data = form_data(page)
    assert data["proposal-0-question_codes"] == "o13" and data["proposal-0-indicator"] == ""
    assert data["proposal-0-title"] == "มาตรการปรับปรุงข้อ O13"
    assert "ข้อ O13 ได้คะแนน ๕๐.๐๐ ในการประเมิน ITA ปี ๒๕๖๘ ต่ำกว่าค่าเป้าหมาย ๘๕" in data["proposal-0-issue"]
    assert "E-service" in data["proposal-0-method"]  # the recommendation of the finding on o13
    assert "ตัวชี้วัดที่" not in data["proposal-0-title"]
    assert "ทุกตัวชี้วัดของผลการประเมิน ITA ปี 2568 ได้คะแนนไม่ต่ำกว่าค่าเป้าหมาย 85" in page


@pytest.mark.django_db
def test_a_plan_created_from_a_question_proposal_keeps_its_code(demo_client):
    url = reverse("measures:plan_create", args=["ban-phran"]) + "?assessment=2568"
    data = get_form(demo_client, url) | {"fiscal_year": "2570"}
    demo_client.post(url, data)
    measure = MeasurePlan.objects.get(organization__slug="ban-phran", fiscal_year=2570).measures.get()
    assert (measure.question_codes, measure.title) == (["o13"], "มาตรการปรับปรุงข้อ O13")


@pytest.mark.django_db
def test_when_nothing_is_below_the_target_the_form_says_so_and_proposes_keeping_the_standard(demo_client):
    QuestionScore.objects.filter(assessment__organization__slug="ban-phran", code="o13").update(score=100)
    page = new_plan_page(demo_client, "ban-phran", 2568)
    assert "ไม่มีผลใดของการประเมิน ITA ปี 2568 ต่ำกว่าค่าเป้าหมาย 85" in page
    assert [title for _, title in proposals_on(page)] == ["มาตรการรักษามาตรฐานคุณธรรมและความโปร่งใส"]


@pytest.mark.django_db
def test_an_assessment_without_indicator_scores_proposes_nothing(demo_client):
    page = new_plan_page(demo_client, "dong-sombun", 2562)  # only the total, 67.87: nothing known to be weak
    assert proposals_on(page) == []
    assert "ไม่มีคะแนนรายตัวชี้วัดหรือรายข้อ" in page


@pytest.mark.django_db
def test_a_proposal_carries_the_owners_and_steps_of_last_years_measure_on_the_same_indicator(demo_client):
    last = (Measure.objects.filter(plan__organization__slug="khok-ma", plan__fiscal_year=2568,
                                   indicators__isnull=False, owners__isnull=False, steps__isnull=False)
            .prefetch_related("owners", "steps", "indicators").distinct().first())
    number = last.indicators.first().number
    scores = IndicatorScore.objects.filter(assessment__organization__slug="khok-ma", assessment__fiscal_year=2568)
    scores.filter(indicator__number=number).update(score="80.00")  # now the only indicator below 85
    data = form_data(new_plan_page(demo_client, "khok-ma", 2568))
    assert data["proposal-0-indicator"] == str(number)
    assert data["proposal-0-steps"] == "\n".join(step.text for step in last.steps.all())
    owners = data.get("proposal-0-owners", [])
    owners = owners if isinstance(owners, list) else [owners]
    assert owners and sorted(owners) == sorted(str(d.pk) for d in last.owners.all())
    url = reverse("measures:plan_create", args=["khok-ma"]) + "?assessment=2568"
    demo_client.post(url, get_form(demo_client, url) | {"fiscal_year": "2569"})
    created = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2569).measures.get()
    assert [s.text for s in created.steps.all()] == [s.text for s in last.steps.all()]
    assert {d.pk for d in created.owners.all()} == {d.pk for d in last.owners.all()}


# --- the "as written" timeframe follows the dates (issue 13) -----------------------------------------------

@pytest.mark.django_db
def test_changing_the_end_date_rewrites_a_timeframe_text_that_states_dates(demo_client):
    measure = Measure.objects.get(plan__organization__slug="ban-phran", plan__fiscal_year=2569, number=1)
    assert measure.timeframe_text == "1 ต.ค. 2568 - 30 ก.ย. 2569"
    url = reverse("measures:measure_edit", args=["ban-phran", 2569, 1])
    demo_client.post(url, get_form(demo_client, url) | {"timeframe_end": "31/3/2569"})
    measure.refresh_from_db()
    assert (measure.timeframe_end, measure.timeframe_text) == (dt.date(2026, 3, 31), "1 ต.ค. 2568 – 31 มี.ค. 2569")


@pytest.mark.django_db
def test_a_timeframe_text_the_user_typed_or_a_phrase_stays(demo_client):
    url = reverse("measures:measure_edit", args=["ban-phran", 2569, 2])
    demo_client.post(url, get_form(demo_client, url) | {"timeframe_end": "31/3/2569",
                                                        "timeframe_text": "ไตรมาสที่ 1–2 ของปีงบประมาณ"})
    measure = Measure.objects.get(plan__organization__slug="ban-phran", plan__fiscal_year=2569, number=2)
    assert measure.timeframe_text == "ไตรมาสที่ 1–2 ของปีงบประมาณ"
    Measure.objects.filter(pk=measure.pk).update(timeframe_text="ดำเนินการเป็นประจำทุกวัน")
    demo_client.post(url, get_form(demo_client, url) | {"timeframe_end": "30/6/2569"})
    measure.refresh_from_db()
    assert (measure.timeframe_end, measure.timeframe_text) == (dt.date(2026, 6, 30), "ดำเนินการเป็นประจำทุกวัน")
