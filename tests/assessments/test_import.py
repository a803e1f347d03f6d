"""Score import (issue 9 §3): the command and the upload page, CSV and XLSX, validation first, matching,
conflicts, dry runs, partial imports and re-imports — on the seed data."""
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.importers import COLUMNS, scores_import
from assessments.models import Assessment
from assessments.services import PublishedFigures, ScoreConflict, ScoresOutcome, assessment_scores_set
from organizations.choices import OrganizationKind
from organizations.models import Organization, OversightScope
from organizations.naming import kind_from_text, name_key, province_key
from organizations.services import organization_slug
from tests.helpers.assessments import (
    HEADER,
    PONG_NAM_RON,
    _upload,
    csv_bytes,
    database_state,
    row,
    run_command,
    xlsx_bytes,
)

SAMPLE = settings.BASE_DIR / "data" / "samples" / "scores-sample.csv"
THAI_HEADER = [column.thai for column in COLUMNS]
KHOK_MA_2567 = ["99.83", "99.00", "99.67", "96.83", "99.00", "98.48", "97.82", "93.37", "76.79", "100.00"]


def counts(out: str) -> dict[str, int]:
    """The counts printed by the command: Thai label → number."""
    return {label: int(number) for label, number in re.findall(r"^(.+): (\d+)$", out, re.MULTILINE)}


# --- The sample file and valid files --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sample_file_matches_the_seed_organizations_and_creates_two(tmp_path):
    seeds_before = database_state()
    out, err = run_command(tmp_path, SAMPLE.read_bytes(), "--create-organizations")
    assert err == ""
    assert counts(out) == {"สร้างผลการประเมินใหม่": 2, "ปรับปรุงผลการประเมิน": 0, "ไม่เปลี่ยนแปลง": 5,
                           "ขัดแย้งกับคะแนนในระบบ (ไม่ได้เปลี่ยน)": 0, "ข้ามแถวที่ไม่ถูกต้อง": 0, "สร้างหน่วยงานใหม่": 2}
    # The five rows of the seeds ("โคกม้า", "ทต.โคกม้า" in Thai digits, "จังหวัดบุรีรัมย์" …) matched and changed nothing.
    assert Organization.objects.count() == len(seeds_before[0]) + 2
    assert {a for a in database_state()[1] if not a[0].startswith("org-")} == set(seeds_before[1])
    created = Organization.objects.get(name="เทศบาลตำบลบ้านตัวอย่าง")
    assert (created.kind, created.amphoe, created.province) == (OrganizationKind.TAMBON_MUNICIPALITY, "ลำปลายมาศ",
                                                               "บุรีรัมย์")
    assert created.slug == organization_slug(kind=created.kind, province="บุรีรัมย์", name="บ้านตัวอย่าง")
    assert re.fullmatch(r"org-[0-9a-f]{12}", created.slug)
    both = created.assessments.get(fiscal_year=2566)  # "ผ่าน ระดับ AA": both scales of 2566
    assert (both.official_score, both.official_level, both.official_level_letter) == (Decimal("96.04"), "ผ่าน", "AA")
    assert both.score == Decimal("96.04") and both.level == "ผ่าน"  # the effective figures follow the published
    letter = Assessment.objects.get(organization__name="องค์การบริหารส่วนตำบลหนองตัวอย่าง", fiscal_year=2566)
    assert (letter.official_score, letter.official_level, letter.official_level_letter) == (Decimal("77.70"), "", "B")


@pytest.mark.django_db
def test_a_reimport_reports_unchanged_and_changes_nothing(tmp_path):
    run_command(tmp_path, SAMPLE.read_bytes(), "--create-organizations")
    before = database_state()
    out, _err = run_command(tmp_path, SAMPLE.read_bytes(), "--create-organizations")
    assert counts(out)["ไม่เปลี่ยนแปลง"] == 7
    assert counts(out)["สร้างผลการประเมินใหม่"] == counts(out)["ปรับปรุงผลการประเมิน"] == 0
    assert counts(out)["สร้างหน่วยงานใหม่"] == 0
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("bom", [True, False], ids=["with-bom", "without-bom"])
def test_a_csv_creates_an_organization_and_stores_published_and_computed_figures(tmp_path, bom):
    content = csv_bytes([row(indicators=PONG_NAM_RON, iit="95.42", oit="100", ita="96.50", level="ผ่านดี",
                             rank="๑๒")], bom=bom)
    out, _err = run_command(tmp_path, content, "--create-organizations")
    assert counts(out)["สร้างผลการประเมินใหม่"] == 1
    assessment = Assessment.objects.get(organization__name="เทศบาลตำบลบ้านใหม่ทดสอบ", fiscal_year=2567)
    assert (assessment.official_score, assessment.official_level, assessment.official_iit, assessment.official_eit,
            assessment.official_oit, assessment.rank) == (Decimal("96.50"), "ผ่านดี", Decimal("95.42"), None,
                                                          Decimal("100"), 12)
    assert {s.indicator.number: str(s.score) for s in assessment.indicator_scores.all()} == dict(
        zip(range(1, 11), PONG_NAM_RON, strict=True))
    # Computed beside published (the lead's scores_refresh): 96.55 from the indicators, 96.50 as published.
    assert (assessment.computed_iit, assessment.computed_eit, assessment.computed_score) == (
        Decimal("95.65"), Decimal("92.85"), Decimal("96.55"))
    assert assessment.score == Decimal("96.50")


@pytest.mark.django_db
def test_an_xlsx_file_with_thai_headers_numbers_and_thai_digits(tmp_path):
    indicators = [97.75, 94.2, "๙๖.๑๗", 94.72, 95.42, 92.16, 95.32, 91.06, 100, 100]
    rows = [
        [2568, "ทต. บ้านใหม่ทดสอบ", "เทศบาลตำบล", "ลำปลายมาศ", "จ.บุรีรัมย์", *indicators, None, None, None, 96.55,
         "ผ่านดี", None],
        [None] * len(HEADER),  # blank rows are skipped
        ["๒๕๖๗", "นครทดสอบ", "city_municipality", "", "นครราชสีมา", *[None] * 10, None, None, None, "๘๗.๑๒",
         "ผ่าน", 3],
    ]
    out, err = run_command(tmp_path, xlsx_bytes(rows, header=THAI_HEADER), "--create-organizations",
                           name="scores.xlsx")
    assert err == ""
    assert counts(out)["สร้างผลการประเมินใหม่"] == 2 and counts(out)["สร้างหน่วยงานใหม่"] == 2
    town = Organization.objects.get(name="เทศบาลตำบลบ้านใหม่ทดสอบ")
    assert town.province == "บุรีรัมย์"
    assessment = town.assessments.get(fiscal_year=2568)
    assert assessment.official_score == Decimal("96.55")
    assert assessment.indicator_scores.get(indicator__number=3).score == Decimal("96.17")
    assert assessment.indicator_scores.get(indicator__number=2).score == Decimal("94.20")
    city = Organization.objects.get(name="เทศบาลนครนครทดสอบ")
    assert city.kind == OrganizationKind.CITY_MUNICIPALITY
    assert (city.assessments.get().fiscal_year, city.assessments.get().official_score,
            city.assessments.get().rank) == (2567, Decimal("87.12"), 3)


@pytest.mark.django_db
def test_published_figures_of_a_seed_organization_are_updated_and_blank_cells_keep_what_is_stored(tmp_path):
    content = csv_bytes([row(organization="โคกม้า", indicators=KHOK_MA_2567, iit="98.86", rank="๔๒๙")])
    out, _err = run_command(tmp_path, content, "--create-organizations")
    assert counts(out)["ปรับปรุงผลการประเมิน"] == 1
    assessment = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2567)
    assert (assessment.official_iit, assessment.rank) == (Decimal("98.86"), 429)
    assert (assessment.official_score, assessment.official_level) == (Decimal("93.99"), "ผ่านดี")  # blank: kept
    assert Organization.objects.filter(name__contains="โคกม้า").count() == 1


# --- Bad files and rows: errors by row and column, nothing saved -----------------------------------------------


def _without(column: str) -> tuple[list[str], list[str]]:
    index = HEADER.index(column)
    good = row(indicators=PONG_NAM_RON)
    return HEADER[:index] + HEADER[index + 1:], good[:index] + good[index + 1:]


BAD_FILES = {
    "missing-column": (
        csv_bytes([_without("province")[1]], header=_without("province")[0]),
        ["แถว 1, คอลัมน์ province: แถวหัวตารางไม่มีคอลัมน์นี้ ซึ่งต้องมี (ชื่อภาษาไทย: “จังหวัด”)"],
    ),
    "text-in-a-score": (
        csv_bytes([row(indicators=PONG_NAM_RON), row(organization="บ้านสอง", indicators=["เก้าสิบ"] + [""] * 9)]),
        ["แถว 3, คอลัมน์ indicator_1: “เก้าสิบ” ไม่ใช่ตัวเลข เขียนคะแนน เช่น 96.55 หรือ ๙๖.๕๕"],
    ),
    "a-score-of-120": (
        csv_bytes([row(indicators=PONG_NAM_RON), row(organization="บ้านสอง", ita="120")]),
        ["แถว 3, คอลัมน์ ita: คะแนนต้องอยู่ระหว่าง 0 ถึง 100"],
    ),
    "duplicate-rows": (
        csv_bytes([row(indicators=PONG_NAM_RON), row(organization="บ้านสอง"),
                   row(organization="ทต.บ้านใหม่ทดสอบ", province="จังหวัดบุรีรัมย์", ita="90")]),
        ["แถว 2, คอลัมน์ organization: ซ้ำกับแถวที่ 4 (หน่วยงาน จังหวัด และปีงบประมาณเดียวกัน)",
         "แถว 4, คอลัมน์ organization: ซ้ำกับแถวที่ 2 (หน่วยงาน จังหวัด และปีงบประมาณเดียวกัน)"],
    ),
    "unknown-kind": (
        csv_bytes([row(indicators=PONG_NAM_RON), row(organization="บ้านสอง", kind="สุขาภิบาล")]),
        ["แถว 3, คอลัมน์ kind: ไม่รู้จักประเภทหน่วยงาน “สุขาภิบาล” เขียน อบต. ทต. ทม. ทน. อบจ. หรือ อื่น ๆ"],
    ),
    "unknown-fiscal-year": (
        csv_bytes([row(indicators=PONG_NAM_RON), row(organization="บ้านสอง", fiscal_year="2590")]),
        ["แถว 3, คอลัมน์ fiscal_year: ไม่มีเกณฑ์การประเมิน ITA ของปีงบประมาณ 2590"],
    ),
    "several-errors-in-thai-columns": (
        csv_bytes([row(fiscal_year="2024", organization="", kind="", province="บุรีรัมย์", rank="ที่หนึ่ง",
                       level="ดีมาก", indicators=["๙๙.๑๒๓"] + [""] * 9)], header=THAI_HEADER),
        ["แถว 2, คอลัมน์ ปีงบประมาณ: พิมพ์ปีงบประมาณเป็นปี พ.ศ. เช่น 2568",
         "แถว 2, คอลัมน์ หน่วยงาน: ต้องกรอก แต่ช่องนี้ว่าง",
         "แถว 2, คอลัมน์ ประเภท: ต้องกรอก แต่ช่องนี้ว่าง",
         "แถว 2, คอลัมน์ ตัวชี้วัดที่ 1: ใช้ทศนิยมไม่เกินสองตำแหน่ง",
         "แถว 2, คอลัมน์ ลำดับ: “ที่หนึ่ง” ไม่ใช่ลำดับ เขียนจำนวนเต็มตั้งแต่ 1 ขึ้นไป"],
    ),
    "a-level-that-does-not-exist": (
        csv_bytes([row(level="ดีมาก")]),
        ["แถว 2, คอลัมน์ level: “ดีมาก” ไม่ใช่ระดับผลการประเมินของปีงบประมาณ 2567 (ผ่านดีเยี่ยม, ผ่านดี, ผ่าน, ไม่ผ่าน, AA–F)"],
    ),
    "a-name-of-another-kind": (
        csv_bytes([row(organization="องค์การบริหารส่วนตำบลบ้านใหม่", kind="ทต.")]),
        ["แถว 2, คอลัมน์ organization: ชื่อขึ้นต้นด้วย “องค์การบริหารส่วนตำบล” แต่ประเภทหน่วยงานเป็น ทต."],
    ),
    "not-utf-8": (
        "fiscal_year,organization\n2567,เทศบาล\n".encode("cp874"),
        ["ทั้งแฟ้ม: แฟ้มไม่ใช่ข้อความ UTF-8 บันทึกเป็น XLSX หรือ “CSV UTF-8”"],
    ),
    "header-only": (csv_bytes([]), ["ทั้งแฟ้ม: แฟ้มไม่มีแถวข้อมูล"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_file_is_refused_with_thai_errors_by_row_and_column_and_nothing_is_saved(tmp_path, case):
    content, errors = BAD_FILES[case]
    before = database_state()
    with pytest.raises(CommandError, match="ไม่ได้บันทึกข้อมูลใด ๆ") as refused:
        run_command(tmp_path, content, "--create-organizations")
    assert refused.value.stderr.splitlines() == errors
    assert "สร้างผลการประเมินใหม่" not in refused.value.stdout  # no counts: nothing was done
    assert database_state() == before  # the valid rows of the same file were not saved either


@pytest.mark.django_db
def test_the_same_bad_xlsx_is_refused_the_same_way(tmp_path):
    before = database_state()
    rows = [row(indicators=PONG_NAM_RON), row(organization="บ้านสอง", ita=120)]
    with pytest.raises(CommandError) as refused:
        run_command(tmp_path, xlsx_bytes(rows), "--create-organizations", name="scores.xlsx")
    assert refused.value.stderr.splitlines() == ["แถว 3, คอลัมน์ ita: คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]
    assert database_state() == before


@pytest.mark.django_db
def test_an_old_xls_file_is_refused(tmp_path):
    with pytest.raises(CommandError) as refused:
        run_command(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), name="scores.xls")
    assert refused.value.stderr.strip() == "ทั้งแฟ้ม: อ่านแฟ้ม .xls แบบเก่าไม่ได้ บันทึกแฟ้มเป็น XLSX หรือ CSV UTF-8"


# --- Options ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dry_run_reports_what_would_happen_and_saves_nothing(tmp_path):
    before = database_state()
    out, _err = run_command(tmp_path, SAMPLE.read_bytes(), "--dry-run", "--create-organizations")
    assert counts(out)["สร้างผลการประเมินใหม่"] == 2 and counts(out)["สร้างหน่วยงานใหม่"] == 2
    assert "ตรวจสอบเท่านั้น: ไม่ได้บันทึกข้อมูล" in out
    assert database_state() == before


@pytest.mark.django_db
def test_valid_only_saves_the_good_rows_and_lists_the_bad_ones(tmp_path):
    content = csv_bytes([row(indicators=PONG_NAM_RON), row(organization="บ้านสอง", ita="120"),
                         row(organization="บ้านสาม", kind="สุขาภิบาล")])
    out, err = run_command(tmp_path, content, "--valid-only", "--create-organizations")
    assert err.splitlines() == [
        "แถว 3, คอลัมน์ ita: คะแนนต้องอยู่ระหว่าง 0 ถึง 100",
        "แถว 4, คอลัมน์ kind: ไม่รู้จักประเภทหน่วยงาน “สุขาภิบาล” เขียน อบต. ทต. ทม. ทน. อบจ. หรือ อื่น ๆ",
    ]
    assert counts(out)["สร้างผลการประเมินใหม่"] == 1 and counts(out)["ข้ามแถวที่ไม่ถูกต้อง"] == 2
    assert Organization.objects.filter(name="เทศบาลตำบลบ้านใหม่ทดสอบ").exists()
    assert not Organization.objects.filter(name__contains="บ้านสอง").exists()
    assert not Organization.objects.filter(name__contains="บ้านสาม").exists()


@pytest.mark.django_db
def test_valid_only_does_not_save_anything_when_the_header_is_wrong(tmp_path):
    header, line = _without("fiscal_year")
    before = database_state()
    with pytest.raises(CommandError):
        run_command(tmp_path, csv_bytes([line], header=header), "--valid-only", "--create-organizations")
    assert database_state() == before


@pytest.mark.django_db
def test_a_conflict_with_the_organizations_own_scores_is_reported_and_the_row_left_unchanged(tmp_path):
    changed = list(KHOK_MA_2567)
    changed[8] = "80.00"  # indicator 9: 76.79 in the portal
    content = csv_bytes([row(organization="เทศบาลตำบลโคกม้า", indicators=changed, ita="94.50", rank="7"),
                         row(indicators=PONG_NAM_RON)])
    before = database_state()
    out, err = run_command(tmp_path, content, "--create-organizations")
    assert err == ""
    assert "แถว 2 (เทศบาลตำบลโคกม้า ปี 2567) ไม่ได้เปลี่ยน: ตัวชี้วัดที่ 9: ในระบบ 76.79 ในแฟ้ม 80.00" in out
    assert counts(out)["ขัดแย้งกับคะแนนในระบบ (ไม่ได้เปลี่ยน)"] == 1 and counts(out)["สร้างผลการประเมินใหม่"] == 1
    khok_ma = [a for a in database_state()[1] if a[0] == "khok-ma"]
    assert khok_ma == [a for a in before[1] if a[0] == "khok-ma"]  # published score and rank not taken either
    assert [s for s in database_state()[2] if s[0] == "khok-ma"] == [s for s in before[2] if s[0] == "khok-ma"]

    out, _err = run_command(tmp_path, content, "--replace", "--create-organizations")
    assert counts(out)["ปรับปรุงผลการประเมิน"] == 1 and counts(out)["ขัดแย้งกับคะแนนในระบบ (ไม่ได้เปลี่ยน)"] == 0
    assessment = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2567)
    assert assessment.indicator_scores.get(indicator__number=9).score == Decimal("80.00")
    assert (assessment.official_score, assessment.rank) == (Decimal("94.50"), 7)
    assert assessment.computed_score == Decimal("94.63")  # was 93.99: stored again with the new indicator 9


# --- The typed service, level text, naming -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_refuses_to_overwrite_scores_without_replace_and_saves_nothing(khok_ma):
    before = database_state()
    with pytest.raises(ScoreConflict) as conflict:
        assessment_scores_set(organization=khok_ma, fiscal_year=2568, indicator_scores={1: Decimal("50")},
                              published=PublishedFigures(score=Decimal("60")))
    assert [(d.indicator, d.stored, d.given) for d in conflict.value.differences] == [
        (1, Decimal("99.19"), Decimal("50"))]
    assert database_state() == before
    _assessment, outcome = assessment_scores_set(
        organization=khok_ma, fiscal_year=2568, indicator_scores={1: Decimal("99.19")},
        published=PublishedFigures(score=Decimal("99.54")))
    assert outcome == ScoresOutcome.UNCHANGED
    assert database_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fiscal_year", "text", "stored"),
    [
        ("2566", "ผ่าน ระดับ AA", ("ผ่าน", "AA", None)),
        ("2566", "(ผ่าน) ระดับ AA", ("ผ่าน", "AA", None)),
        ("2566", "๗๗.๗๐ ระดับ B", ("", "B", Decimal("77.70"))),
        ("2566", "ผ่านดีและบรรลุค่าเป้าหมาย", ("ผ่านดี", "", None)),
        ("2567", "ไม่ผ่าน", ("ไม่ผ่าน", "", None)),
        ("2568", "ผ่านดีเยี่ยม", ("ผ่านดีเยี่ยม", "", None)),
        ("2562", "C", ("C", "", None)),
        ("2563", "ระดับ AA", ("AA", "", None)),
    ],
)
def test_levels_are_stored_as_published_on_the_years_scales(fiscal_year, text, stored):
    report = scores_import(content=csv_bytes([row(fiscal_year=fiscal_year, level=text)]), create_organizations=True)
    assert report.errors == [] and report.created == 1
    assessment = Assessment.objects.get(organization__name="เทศบาลตำบลบ้านใหม่ทดสอบ")
    assert (assessment.official_level, assessment.official_level_letter, assessment.official_score) == stored


@pytest.mark.django_db
def test_a_level_cell_whose_score_differs_from_the_ita_column_is_an_error():
    report = scores_import(content=csv_bytes([row(fiscal_year="2566", ita="77.80", level="77.70 ระดับ B")]),
                           create_organizations=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "level", "ช่องระดับระบุคะแนน 77.70 แต่คอลัมน์คะแนน ITA เป็น 77.80")]
    assert report.refused and not Organization.objects.filter(name__contains="บ้านใหม่ทดสอบ").exists()


@pytest.mark.parametrize(
    ("written", "kind"),
    [("อบต.", "sao"), ("อบต", "sao"), ("องค์การบริหารส่วนตำบล", "sao"), ("ทต.", "tambon_municipality"),
     ("เทศบาลตำบล", "tambon_municipality"), ("ทม.", "town_municipality"), ("เทศบาลเมือง", "town_municipality"),
     ("ทน.", "city_municipality"), ("เทศบาลนคร", "city_municipality"), ("อบจ.", "pao"),
     ("องค์การบริหารส่วนจังหวัด", "pao"), ("pao", "pao"), ("Tambon_Municipality", "tambon_municipality"),
     ("อื่น ๆ", "other"), ("อื่นๆ", "other"), ("other", "other"), ("สุขาภิบาล", None), ("", None)],
)
def test_kinds_as_people_write_them(written, kind):
    assert kind_from_text(written) == kind


def test_names_and_provinces_match_however_they_are_written():
    assert {name_key(n) for n in ["เทศบาลตำบลโคกม้า", "ทต.โคกม้า", "ทต. โคกม้า", " โคก  ม้า ", "โคกม้า"]} == {"โคกม้า"}
    assert name_key("อบต.บ้าน ๒") == name_key("องค์การบริหารส่วนตำบลบ้าน 2")
    assert name_key("เทศบาลตำบลน้ํา") == name_key("น้ำ")  # sara am typed as nikhahit + sara aa
    assert {province_key(p) for p in ["บุรีรัมย์", "จังหวัดบุรีรัมย์", "จ. บุรีรัมย์", "จ.บุรีรัมย์"]} == {"บุรีรัมย์"}
    slug = organization_slug(kind="sao", province="จ.อ่างทอง", name="อบต.บ้านพราน")
    assert slug == organization_slug(kind="sao", province="อ่างทอง", name="องค์การบริหารส่วนตำบลบ้านพราน")
    assert slug.isascii() and slug != organization_slug(kind="tambon_municipality", province="อ่างทอง",
                                                        name="บ้านพราน")


# --- The upload page -------------------------------------------------------------------------------------------


@pytest.fixture
def buriram_overseer(db):
    user = get_user_model().objects.create_user(username="buriram-office", password="x")
    OversightScope.objects.create(user=user, province="บุรีรัมย์")
    return user


@pytest.mark.django_db
def test_a_superuser_imports_the_sample_file_on_the_page(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("assessments:score_import")).content.decode()
    assert "<h1>นำเข้าคะแนนที่ประกาศ</h1>" in page and "ท่านนำเข้าข้อมูลได้ทุกจังหวัด" in page
    assert f'href="{reverse("assessments:score_import")}">นำเข้าคะแนน</a>' in page  # in the navigation
    page = _upload(client, SAMPLE.read_bytes(), create_organizations=True).content.decode()
    assert "นำเข้าแฟ้มแล้ว (7 แถว)" in page
    assert '<span class="label">สร้างผลการประเมินใหม่</span><span class="value">2</span>' in page
    assert '<span class="label">ไม่เปลี่ยนแปลง</span><span class="value">5</span>' in page
    assert Organization.objects.filter(name="เทศบาลตำบลบ้านตัวอย่าง").exists()
    sample = client.get(reverse("assessments:score_import_sample"))
    assert b"".join(sample.streaming_content) == SAMPLE.read_bytes()


@pytest.mark.django_db
def test_the_page_shows_the_errors_by_row_column_and_reason_and_saves_nothing(client, superuser):
    client.force_login(superuser)
    before = database_state()
    content = xlsx_bytes([row(indicators=PONG_NAM_RON), row(organization="บ้านสอง", kind="สุขาภิบาล")])
    page = _upload(client, content, name="scores.xlsx", create_organizations=True).content.decode()
    assert "ไม่ได้บันทึกข้อมูลใด ๆ แก้ไขข้อผิดพลาดด้านล่างแล้วนำเข้าอีกครั้ง" in page
    assert ('<tr><td class="num">3</td><td>kind</td><td>ไม่รู้จักประเภทหน่วยงาน “สุขาภิบาล” เขียน อบต. ทต. ทม. ทน. อบจ. '
            'หรือ อื่น ๆ</td></tr>') in page
    assert database_state() == before


@pytest.mark.django_db
def test_a_provincial_overseer_may_import_only_the_rows_of_their_province(client, buriram_overseer):
    client.force_login(buriram_overseer)
    page = client.get(reverse("assessments:score_import")).content.decode()
    assert "ท่านนำเข้าข้อมูลได้เฉพาะจังหวัด: บุรีรัมย์" in page
    before = database_state()
    page = _upload(client, SAMPLE.read_bytes(), create_organizations=True).content.decode()
    refused = re.findall(r'<tr><td class="num">(\d+)</td><td>province</td><td>อยู่นอกขอบเขตการกำกับดูแลของท่าน</td>',
                         page)
    assert refused == ["2", "5", "6", "8"]  # จันทบุรี, อ่างทอง, กาฬสินธุ์, นครราชสีมา
    assert database_state() == before
    page = _upload(client, SAMPLE.read_bytes(), valid_only=True, create_organizations=True).content.decode()
    assert '<span class="label">สร้างผลการประเมินใหม่</span><span class="value">1</span>' in page
    assert Organization.objects.filter(name="เทศบาลตำบลบ้านตัวอย่าง").exists()  # in บุรีรัมย์
    assert not Organization.objects.filter(name="องค์การบริหารส่วนตำบลหนองตัวอย่าง").exists()  # in นครราชสีมา


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin_user", "staff_user", "executive", "clerk"])
def test_members_of_an_organization_get_the_thai_403(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    before = database_state()
    for response in (client.get(reverse("assessments:score_import")), _upload(client, SAMPLE.read_bytes()),
                     client.get(reverse("assessments:score_import_sample"))):
        assert response.status_code == 403
        assert "<h1>ไม่มีสิทธิ์ดำเนินการนี้</h1>" in response.content.decode()
    assert database_state() == before
    page = client.get(reverse("organizations:organization_list")).content.decode()
    assert reverse("assessments:score_import") not in page  # no link in the navigation


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("assessments:score_import"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Unknown names ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_misspelt_name_is_an_error_that_suggests_the_closest_organization_and_creates_nothing(tmp_path):
    """"เทศบาลตำบลโคกมา้ย" (two letters swapped, one added) is not a new organization: the import names
    เทศบาลตำบลโคกม้า instead, in a dry run and in a real one, and creates nothing."""
    before = database_state()
    content = csv_bytes([row(fiscal_year="2568", organization="เทศบาลตำบลโคกมา้ย", amphoe="ลำปลายมาศ")])
    for options in (["--dry-run"], []):
        with pytest.raises(CommandError) as refused:
            run_command(tmp_path, content, *options)
        assert refused.value.stderr.splitlines() == [
            "แถว 2, คอลัมน์ organization: ไม่พบหน่วยงานที่มีชื่อ ประเภท และจังหวัดนี้ในระบบ "
            "ชื่อที่ใกล้เคียง: เทศบาลตำบลโคกม้า (บุรีรัมย์) หากเป็นหน่วยงานใหม่ ให้เลือก “สร้างหน่วยงานที่ยังไม่มีในระบบ” "
            "(คำสั่ง: --create-organizations) แล้วนำเข้าอีกครั้ง"]
        assert database_state() == before


@pytest.mark.django_db
def test_new_organizations_are_created_only_when_asked_and_the_dry_run_lists_them(tmp_path):
    before = database_state()
    content = csv_bytes([row(indicators=PONG_NAM_RON), row(fiscal_year="2568", indicators=PONG_NAM_RON)])
    out, err = run_command(tmp_path, content, "--dry-run", "--create-organizations")
    assert err == ""
    assert "หน่วยงานใหม่:\n  แถว 2: เทศบาลตำบลบ้านใหม่ทดสอบ (เทศบาลตำบล, บุรีรัมย์)\n" in out  # once, two rows
    assert counts(out)["สร้างหน่วยงานใหม่"] == 1
    assert database_state() == before
    run_command(tmp_path, content, "--create-organizations")
    assert Organization.objects.get(name="เทศบาลตำบลบ้านใหม่ทดสอบ").assessments.count() == 2


@pytest.mark.django_db
def test_the_page_creates_organizations_only_with_its_checkbox_and_lists_them(client, superuser):
    client.force_login(superuser)
    before = database_state()
    content = csv_bytes([row(indicators=PONG_NAM_RON)])
    page = _upload(client, content).content.decode()
    assert "ไม่พบหน่วยงานที่มีชื่อ ประเภท และจังหวัดนี้ในระบบ" in page and database_state() == before
    assert 'name="create_organizations"' in page
    page = _upload(client, content, dry_run=True, create_organizations=True).content.decode()
    assert re.search(r'id="h-new-organizations">หน่วยงานที่การนำเข้าจะสร้างใหม่ \(1\)</h2>.*?'
                     r'<td class="num">2</td><td>เทศบาลตำบลบ้านใหม่ทดสอบ</td>', page, re.S)
    assert database_state() == before
    _upload(client, content, create_organizations=True)
    assert Organization.objects.filter(name="เทศบาลตำบลบ้านใหม่ทดสอบ").exists()


@pytest.mark.django_db
def test_suggestions_come_only_from_the_overseers_provinces(client, buriram_overseer, superuser):
    """A provincial overseer is never shown an organization outside their provinces, even as a suggestion."""
    content = csv_bytes([row(organization="ดงสมบูรณ", kind="ทต.", province="บุรีรัมย์")])  # ดงสมบูรณ์ is in กาฬสินธุ์
    client.force_login(superuser)
    assert "ชื่อที่ใกล้เคียง: เทศบาลตำบลดงสมบูรณ์ (กาฬสินธุ์)" in _upload(client, content).content.decode()
    client.force_login(buriram_overseer)
    page = _upload(client, content).content.decode()
    assert "ไม่พบหน่วยงานที่มีชื่อ ประเภท และจังหวัดนี้ในระบบ" in page
    assert "ดงสมบูรณ์" not in page
