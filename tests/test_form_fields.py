"""The shared form fields (``core.forms``) and ``parse_thai_date``: Thai digits, Buddhist-era dates,
question codes, scores and evidence files, with the Thai messages the user reads."""
import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.forms import (
    EvidenceFileField,
    QuestionCodesField,
    ThaiDateField,
    ThaiDateInput,
    ThaiDecimalField,
    ThaiIntegerField,
    score_form_field,
)
from core.thai import ThaiDateError, parse_thai_date

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def messages(field: forms.Field, value) -> list[str]:
    with pytest.raises(forms.ValidationError) as error:
        field.clean(value)
    return error.value.messages


# --- parse_thai_date ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("1/10/2567", dt.date(2024, 10, 1)),
        ("๑/๑๐/๒๕๖๗", dt.date(2024, 10, 1)),
        ("๑-๑๐-๒๕๖๗", dt.date(2024, 10, 1)),
        ("01/10/2567", dt.date(2024, 10, 1)),
        ("  1/10/2567 ", dt.date(2024, 10, 1)),
        ("1 ต.ค. 2567", dt.date(2024, 10, 1)),
        ("1 ตค 2567", dt.date(2024, 10, 1)),
        ("1 ตุลาคม 2567", dt.date(2024, 10, 1)),
        ("๓๐ กันยายน ๒๕๖๘", dt.date(2025, 9, 30)),
        ("29/2/2567", dt.date(2024, 2, 29)),  # 2024 is a leap year
        ("2024-10-01", dt.date(2024, 10, 1)),  # what an HTML date picker sends (Christian era, ISO)
    ],
)
def test_parse_thai_date_reads_buddhist_era_dates(text, date):
    assert parse_thai_date(text) == date


@pytest.mark.parametrize("text", ["1/10/2024", "๑/๑๐/๒๐๒๔", "1 ต.ค. 2024"])
def test_parse_thai_date_refuses_a_christian_era_year_instead_of_shifting_it(text):
    with pytest.raises(ThaiDateError) as error:
        parse_thai_date(text)
    assert error.value.code == "christian_era"


@pytest.mark.parametrize(
    "text",
    ["", "ตุลาคม", "1/10", "2024-02-30", "1/10/256", "1/10/2567/1", "1 / 10 / 2567", "1/²/2567", "²/10/2567",
     "1/10/99999999999999999999", "1/99999999999999999999/2567", "หนึ่ง/สิบ/2567"],
)
def test_parse_thai_date_refuses_anything_else_as_invalid(text):
    with pytest.raises(ThaiDateError) as error:
        parse_thai_date(text)
    assert error.value.code == "invalid"


# --- ThaiDateField and its widget --------------------------------------------------------------------------

def test_the_date_field_gives_the_thai_messages():
    field = ThaiDateField()
    assert field.clean("๑ ต.ค. ๒๕๖๗") == dt.date(2024, 10, 1)
    assert messages(field, "1/10/2024") == ["ใช้ปี พ.ศ. เช่น 1/10/2567 ไม่ใช่ปี ค.ศ. เช่น 1/10/2024"]
    assert messages(field, "32/1/2568") == ["เดือนมกราคม 2568 มี 31 วัน ไม่มีวันที่ 32"]
    assert messages(field, "1/10/99999999999999999999") == ["พิมพ์วันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น 1/10/2567"]
    assert messages(field, "") == ["ฟิลด์นี้จำเป็น"]
    assert ThaiDateField(required=False).clean("") is None


def test_the_date_input_shows_a_stored_date_in_the_buddhist_era_and_keeps_typed_text():
    widget = ThaiDateInput()
    assert widget.format_value(dt.date(2025, 9, 30)) == "30/9/2568"
    assert widget.format_value("๑/๑๐/๒๕๖๗") == "๑/๑๐/๒๕๖๗"
    html = widget.render("start", dt.date(2024, 10, 1))
    assert 'value="1/10/2567"' in html and 'placeholder="1/10/2567"' in html


# --- numbers -----------------------------------------------------------------------------------------------

def test_integers_are_read_from_thai_or_arabic_digits():
    field = ThaiIntegerField(min_value=1, max_value=999)
    assert field.clean("๒๕") == 25
    assert field.clean(" 25 ") == 25
    assert messages(field, "0") == ["ค่านี้ต้องมากกว่าหรือเท่ากับ 1"]
    assert messages(field, "๑๐๐๐") == ["ค่านี้ต้องน้อยกว่าหรือเท่ากับ 999"]
    assert messages(field, "²") == ["กรอกหมายเลข"]


def test_decimals_are_read_from_thai_digits_with_spaces_and_thousands_commas():
    field = ThaiDecimalField()
    assert field.clean("๙๖.๕๕") == Decimal("96.55")
    assert field.clean(" 1,234.5 ") == Decimal("1234.5")


@pytest.mark.parametrize(
    ("value", "score"),
    [("0", Decimal("0")), ("100", Decimal("100")), ("๙๙.๕๔", Decimal("99.54")), ("100.00", Decimal("100.00"))],
)
def test_a_score_between_0_and_100_with_two_decimals_is_accepted(value, score):
    assert score_form_field("คะแนน").clean(value) == score


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100.01", ["คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]),
        ("-1", ["คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]),
        ("1000", ["คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]),  # one message, in Thai
        ("12345", ["คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]),
        ("99.123", ["ใช้ทศนิยมไม่เกินสองตำแหน่ง"]),
        ("เก้าสิบ", ["พิมพ์ตัวเลข เช่น 96.55 หรือ ๙๖.๕๕"]),
        ("NaN", ["พิมพ์ตัวเลข เช่น 96.55 หรือ ๙๖.๕๕"]),
    ],
)
def test_a_bad_score_gets_exactly_the_thai_messages(value, expected):
    assert messages(score_form_field("คะแนน"), value) == expected


def test_an_empty_score_is_allowed_unless_required():
    assert score_form_field("คะแนน").clean("") is None
    assert messages(score_form_field("คะแนน", required=True), "") == ["ฟิลด์นี้จำเป็น"]


# --- question codes ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("e๑๕", ["e15"]),
        ("I1, E15 o36", ["i1", "e15", "o36"]),
        ("i1,e2,,o3", ["i1", "e2", "o3"]),
        ("", []),
    ],
)
def test_question_codes_are_normalised(text, codes):
    assert QuestionCodesField().clean(text) == codes


@pytest.mark.parametrize("code", ["x1", "e", "15", "e1.5", "e-1", "e²", "e١٥", "ee1"])
def test_a_malformed_question_code_is_named_in_the_message(code):
    assert messages(QuestionCodesField(), f"i1, {code}") == [
        f"“{code}” ไม่ใช่รหัสข้อคำถาม ให้ใส่รหัส เช่น i1, e15 หรือ o36 คั่นด้วยจุลภาค"]


def test_question_codes_are_shown_back_as_typed_text_and_none_typed_is_no_change():
    field = QuestionCodesField()
    assert field.prepare_value(["e15", "o36"]) == "e15, o36"
    assert not field.has_changed(None, "")
    assert not field.has_changed([], "  ")
    assert not field.has_changed(["e15"], "E๑๕")
    assert field.has_changed(["e15"], "e15, o36")
    assert field.has_changed(None, "x1")


# --- evidence files ----------------------------------------------------------------------------------------

def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "cleaned_name"),
    [
        ("photo.png", PNG, "photo.png"),
        ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, "scan.jpg"),
        ("minutes.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "minutes.pdf"),
        ("renamed.dat", PNG, "renamed.png"),  # the content decides the type, and so the extension
    ],
)
def test_evidence_of_an_allowed_kind_is_accepted(name, content, cleaned_name):
    assert EvidenceFileField().clean(upload(name, content)).name == cleaned_name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", "ข้อความธรรมดา".encode()),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 60),  # a zip that is not a Word document
    ],
)
def test_evidence_of_another_kind_is_refused_whatever_its_name(name, content):
    assert messages(EvidenceFileField(), upload(name, content)) == [
        "ไฟล์นี้ไม่ใช่ PDF, JPEG, PNG, DOCX หรือ XLSX (ระบบตรวจชนิดไฟล์จากเนื้อไฟล์ ไม่ใช่จากชื่อไฟล์)"]


def test_evidence_over_the_limit_is_refused_with_both_sizes(settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    assert EvidenceFileField().clean(upload("big.png", PNG + b"\x00" * (1024 * 1024 - len(PNG)))).size == 1024 * 1024
    big = upload("big.png", PNG + b"\x00" * (1536 * 1024))
    assert messages(EvidenceFileField(), big) == ["ไฟล์มีขนาด 1.5 MB เกินขนาดสูงสุด 1 MB"]


def test_no_new_upload_keeps_the_stored_file():
    field = EvidenceFileField(required=False)
    assert field.clean(None, "evidence/2025/01/old.pdf") == "evidence/2025/01/old.pdf"
    assert field.clean(None) is None


# --- dates people type (issue 13): short BE years, the wrong part named ----------------------------------------

def test_a_two_digit_year_is_the_short_buddhist_era_year():
    assert parse_thai_date("30/9/69") == dt.date(2026, 9, 30)
    assert parse_thai_date("๑/๑๐/๖๘") == dt.date(2025, 10, 1)


@pytest.mark.parametrize(("typed", "code", "params"), [
    ("31/2/2569", "invalid_day", {"day": 31, "month": "กุมภาพันธ์", "year": 2569, "days": 28}),
    ("29/2/2567", None, None),  # 2024 is a leap year
    ("31/4/69", "invalid_day", {"day": 31, "month": "เมษายน", "year": 2569, "days": 30}),
    ("1/13/2569", "invalid_month", {"month": "13"}),
    ("1 ตค 2569", None, None),
    ("31/2/2568", "invalid_day", {"day": 31, "month": "กุมภาพันธ์", "year": 2568, "days": 28}),
    ("29/2/2566", "invalid_day", {"day": 29, "month": "กุมภาพันธ์", "year": 2566, "days": 28}),
    ("0/10/2567", "invalid_day", {"day": 0, "month": "ตุลาคม", "year": 2567, "days": 31}),
    ("1 ตุลา 2567", "invalid_month", {"month": "ตุลา"}),
])
def test_an_impossible_date_names_the_wrong_part(typed, code, params):
    if code is None:
        parse_thai_date(typed)
        return
    with pytest.raises(ThaiDateError) as error:
        parse_thai_date(typed)
    assert (error.value.code, error.value.params) == (code, params)


def test_the_date_field_says_which_part_is_wrong_in_thai():
    from core.forms import ThaiDateField
    with translation.override("th"):
        with pytest.raises(ValidationError) as error:
            ThaiDateField().clean("31/2/2569")
        assert error.value.messages == ["เดือนกุมภาพันธ์ 2569 มี 28 วัน ไม่มีวันที่ 31"]
        with pytest.raises(ValidationError) as error:
            ThaiDateField().clean("1/13/2569")
        assert error.value.messages == ["ไม่มีเดือน “13” ใช้เลข 1–12 หรือชื่อเดือน เช่น ต.ค."]
