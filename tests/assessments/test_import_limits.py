"""The score import's limits and input rules (issue 18 §8): a file of millions of rows, or one that unpacks to far
more than it weighs, is refused in seconds with a Thai message (the reader streams and counts, it never reads the
whole sheet first); NUL and other control characters in any imported cell are refused by row and column. Nothing
is saved in either case."""
import io
import time
import zipfile

import pytest
from django.core.management.base import CommandError

from assessments.importers import scores_import
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

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="scores" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _row_xml(cells: list[str]) -> bytes:
    return ("<row>" + "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells) + "</row>").encode()


def many_rows_xlsx(rows: int, *, cells: list[str] | None = None, dimension: str = "", tail: bytes = b"") -> bytes:
    """An XLSX of the import's header and ``rows`` copies of one data row (``cells``, default a valid row), its
    sheet XML written straight into the zip in chunks (openpyxl would take minutes to write millions of rows; this
    takes about a second)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            declared = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main">' + declared + b"<sheetData>" + _row_xml(HEADER))
            data = _row_xml(cells or row(indicators=PONG_NAM_RON))
            chunk = data * 10_000
            for _ in range(rows // 10_000):
                sheet.write(chunk)
            sheet.write(data * (rows % 10_000))
            sheet.write(tail + b"</sheetData></worksheet>")
    return buffer.getvalue()


def _timed_import(content: bytes, filename: str):
    started = time.monotonic()
    report = scores_import(content=content, filename=filename)
    return report, time.monotonic() - started


# --- 1. Row and size limits -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_xlsx_of_six_million_rows_is_refused_in_seconds_before_it_is_parsed(tmp_path):
    started = time.monotonic()
    content = many_rows_xlsx(6_100_000, cells=["2567"])
    assert time.monotonic() - started < 5 and len(content) < 1_000_000  # 0.4 MB that unpacks to 320 MB
    before = database_state()
    with pytest.raises(CommandError, match="ไม่ได้บันทึกข้อมูลใด ๆ") as refused:
        started = time.monotonic()
        run_command(tmp_path, content, name="scores.xlsx")
    assert time.monotonic() - started < 5
    assert refused.value.stderr.splitlines() == [
        "ทั้งแฟ้ม: แฟ้ม XLSX นี้เมื่อขยายออกมีขนาดเกิน 100 MB ซึ่งเกินขีดจำกัด "
        "แบ่งแฟ้มเป็นหลายแฟ้มแล้วนำเข้าทีละแฟ้ม"]
    assert database_state() == before


@pytest.mark.django_db
def test_an_xlsx_with_more_rows_than_the_limit_is_refused_once_the_limit_is_passed():
    content = many_rows_xlsx(60_000, cells=["2567", "บ้านหนึ่ง"])  # 5 MB unpacked: under the size limit
    before = database_state()
    report, seconds = _timed_import(content, "scores.xlsx")
    assert seconds < 5
    assert report.refused and not report.saved
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (0, "", "แฟ้มมีเกิน 50,000 แถว ซึ่งเกินขีดจำกัด แบ่งแฟ้มเป็นหลายแฟ้มแล้วนำเข้าทีละแฟ้ม")]
    assert database_state() == before


@pytest.mark.django_db
def test_an_xlsx_whose_dimension_and_last_row_claim_a_million_rows_is_refused_in_seconds():
    # One real row, then a row numbered 1,048,576 and a dimension of the whole sheet: openpyxl fills the gap with
    # empty rows (16,384 cells wide by the dimension) unless the reader ignores the dimension and counts.
    last = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    content = many_rows_xlsx(1, dimension="A1:XFD1048576", tail=last)
    report, seconds = _timed_import(content, "scores.xlsx")
    assert seconds < 5
    assert [e.message for e in report.errors] == [
        "แฟ้มมีเกิน 50,000 แถว ซึ่งเกินขีดจำกัด แบ่งแฟ้มเป็นหลายแฟ้มแล้วนำเข้าทีละแฟ้ม"]


@pytest.mark.django_db
def test_a_csv_with_more_rows_than_the_limit_is_refused_in_seconds():
    content = csv_bytes([row(indicators=PONG_NAM_RON)] * 60_000)
    before = database_state()
    report, seconds = _timed_import(content, "scores.csv")
    assert seconds < 5
    assert [(e.row, e.message) for e in report.errors] == [
        (0, "แฟ้มมีเกิน 50,000 แถว ซึ่งเกินขีดจำกัด แบ่งแฟ้มเป็นหลายแฟ้มแล้วนำเข้าทีละแฟ้ม")]
    assert report.refused and database_state() == before


@pytest.mark.django_db
def test_a_csv_of_a_few_very_wide_rows_is_refused_by_its_number_of_cells():
    header = ",".join(HEADER).encode() + b"\n"
    content = header + ("2567" + ",x" * 999_999 + "\n").encode() * 2  # 2 rows of a million cells: 4 MB
    report, seconds = _timed_import(content, "scores.csv")
    assert seconds < 5
    assert [e.message for e in report.errors] == [
        "แฟ้มมีเกิน 1,500,000 ช่อง ซึ่งเกินขีดจำกัด แบ่งแฟ้มเป็นหลายแฟ้มแล้วนำเข้าทีละแฟ้ม"]


def test_the_limits_come_from_the_settings(settings):
    from core.imports import TableLimits, iter_table

    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_CELLS = 3, 100
    settings.IMPORT_MAX_BYTES, settings.IMPORT_MAX_XLSX_BYTES = 1_048_576, 2_000_000
    limits = TableLimits.from_settings()
    assert limits == TableLimits(rows=3, cells=100, bytes=1_048_576, xlsx_bytes=2_000_000)
    assert list(iter_table(b"a\nb\nc\n")) == [["a"], ["b"], ["c"]]
    with pytest.raises(ValueError, match="แฟ้มมีเกิน 3 แถว"):
        list(iter_table(b"a\nb\nc\nd\n"))
    with pytest.raises(ValueError, match="แฟ้มมีขนาดเกิน 1 MB"):
        list(iter_table(b"a" * 1_048_577))


@pytest.mark.django_db
def test_a_national_file_of_10000_rows_is_within_the_limits():
    from core.imports import iter_table

    rows = [row(organization=f"เทศบาลตำบลทดสอบ{n}", indicators=PONG_NAM_RON) for n in range(10_000)]
    table = list(iter_table(xlsx_bytes(rows), "scores.xlsx"))
    assert len(table) == 10_001 and table[-1][1] == "เทศบาลตำบลทดสอบ9999"


@pytest.mark.django_db
def test_the_upload_page_refuses_the_six_million_rows_with_the_thai_message(client, superuser):
    client.force_login(superuser)
    before = database_state()
    started = time.monotonic()
    page = _upload(client, many_rows_xlsx(6_100_000, cells=["2567"]), name="scores.xlsx").content.decode()
    assert time.monotonic() - started < 8
    assert "แฟ้ม XLSX นี้เมื่อขยายออกมีขนาดเกิน 100 MB ซึ่งเกินขีดจำกัด" in page
    assert "ไม่ได้บันทึกข้อมูลใด ๆ" in page
    assert database_state() == before


# --- 2. NUL and control characters -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("character", "shown"), [("\x00", "U+0000"), ("\x07", "U+0007"), ("\x1f", "U+001F"),
                                                  ("\x7f", "U+007F"), ("\x85", "U+0085")])
def test_a_control_character_in_an_imported_name_is_refused_by_row_and_column(tmp_path, character, shown):
    content = csv_bytes([row(indicators=PONG_NAM_RON),
                         row(organization=f"เทศบาลตำบลบ้าน{character}สอง", indicators=PONG_NAM_RON)])
    before = database_state()
    with pytest.raises(CommandError) as refused:
        run_command(tmp_path, content, "--create-organizations")
    assert refused.value.stderr.splitlines() == [
        f"แถว 3, คอลัมน์ organization: มีอักขระควบคุม ({shown}) ซึ่งไม่อนุญาตในข้อความ ลบอักขระนี้ออกแล้วนำเข้าอีกครั้ง"]
    assert database_state() == before


@pytest.mark.django_db
def test_a_nul_in_any_cell_of_an_xlsx_is_refused_and_nothing_is_saved():
    # XML cannot hold a control character: Excel writes one in a cell as the escape _xHHHH_ (ECMA-376 ST_Xstring).
    rows = [row(indicators=PONG_NAM_RON, amphoe="ลำปลาย_x0000_มาศ"),
            row(organization="บ้านสอง", indicators=PONG_NAM_RON, level="ผ่าน_x001F_")]
    content = xlsx_bytes(rows)
    before = database_state()
    report = scores_import(content=content, filename="scores.xlsx")
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "amphoe", "มีอักขระควบคุม (U+0000) ซึ่งไม่อนุญาตในข้อความ ลบอักขระนี้ออกแล้วนำเข้าอีกครั้ง"),
        (3, "level", "มีอักขระควบคุม (U+001F) ซึ่งไม่อนุญาตในข้อความ ลบอักขระนี้ออกแล้วนำเข้าอีกครั้ง")]
    assert report.refused and database_state() == before


@pytest.mark.django_db
def test_a_control_character_in_the_header_is_refused():
    report = scores_import(content=csv_bytes([row(indicators=PONG_NAM_RON)], header=[*HEADER[:-1], "ra\x00nk"]))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (1, "rank", "มีอักขระควบคุม (U+0000) ซึ่งไม่อนุญาตในข้อความ ลบอักขระนี้ออกแล้วนำเข้าอีกครั้ง")]
    assert report.refused


@pytest.mark.django_db
def test_tabs_and_line_breaks_in_a_cell_are_spaces_as_before():
    content = xlsx_bytes([row(organization="เทศบาลตำบล\tบ้านใหม่\nทดสอบ", indicators=PONG_NAM_RON)])
    report = scores_import(content=content, filename="scores.xlsx", dry_run=True, create_organizations=True)
    assert report.errors == [] and report.created == 1
