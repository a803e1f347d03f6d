"""Evidence files of progress reports (issue 12 §5): stored under the detected type with a random name,
downloaded under the Thai name they were uploaded with; macro-enabled and other types refused with nothing
saved; files replaced, cleared, deleted or written by a rolled-back save removed from disk; old leftovers
removed by ``manage.py cleanup_media``."""
import datetime as dt
import os
import re
import time
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core.forms import EvidenceFileField
from measures.models import ProgressEntry
from measures.services import ConcurrentEditError, EntryInput, progress_entries_save
from organizations.choices import Role
from tests import office_files
from tests.factories import (
    MeasureFactory,
    MeasurePlanFactory,
    MembershipFactory,
    OrganizationFactory,
    ProgressEntryFactory,
    ProgressReportFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
STORED = re.compile(r"evidence/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|jpg|docx|xlsx)")
TYPE_MESSAGE = "ไฟล์นี้ไม่ใช่ PDF, JPEG, PNG, DOCX หรือ XLSX (ระบบตรวจชนิดไฟล์จากเนื้อไฟล์ ไม่ใช่จากชื่อไฟล์)"
MACRO_MESSAGE = "ไฟล์นี้มีมาโคร (ไฟล์ DOCM หรือ XLSM) ซึ่งระบบไม่รับ: บันทึกเป็น DOCX หรือ XLSX แล้วแนบใหม่"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def report(db):
    plan = MeasurePlanFactory(organization=OrganizationFactory(slug="evidence-town"))
    MeasureFactory(plan=plan, number=1)
    MeasureFactory(plan=plan, number=2)
    return ProgressReportFactory(plan=plan)


@pytest.fixture
def member(client, report):
    user = UserFactory()
    MembershipFactory(user=user, organization=report.plan.organization, role=Role.ADMIN)
    client.force_login(user)
    return client


def report_url(report) -> str:
    return reverse("measures:report_detail", args=[report.plan.organization.slug, report.plan.fiscal_year,
                                                   report.round])


def download_url(report, number: int) -> str:
    return reverse("measures:evidence_download", args=[report.plan.organization.slug, report.plan.fiscal_year,
                                                       report.round, number])


def post_row(client, report, number: int = 1, **fields):
    """Post one row of the report page: status "done" plus ``fields`` (without the ``m<number>-`` prefix)."""
    versions = dict(ProgressEntry.objects.filter(report=report).values_list("measure__number", "version"))
    data = {f"m{measure.number}-version": versions.get(measure.number, 0) for measure in report.plan.measures.all()}
    data[f"m{number}-status"] = "done"
    data |= {f"m{number}-{name}": value for name, value in fields.items()}
    return client.post(report_url(report), data)


def files_on_disk(media) -> set[str]:
    return {path.relative_to(media).as_posix() for path in media.rglob("*") if path.is_file()} if media.exists() \
        else set()


def entry_of(report, number: int = 1) -> ProgressEntry:
    return ProgressEntry.objects.get(report=report, measure__number=number)


@pytest.mark.parametrize("name", ["รายงานผลการดำเนินงาน.exe", "รายงานผลการดำเนินงาน.html",
                                  "รายงานผลการดำเนินงาน.svg", "รายงานผลการดำเนินงาน.pdf"])
def test_pdf_bytes_under_any_name_are_stored_as_pdf_and_downloaded_under_the_thai_name(member, report, media, name):
    response = post_row(member, report, evidence_file=SimpleUploadedFile(name, PDF, "application/x-msdownload"))
    assert response.status_code == 302
    entry = entry_of(report)
    assert STORED.fullmatch(entry.evidence_file.name) and entry.evidence_file.name.endswith(".pdf")
    assert entry.evidence_filename == "รายงานผลการดำเนินงาน.pdf"
    assert (media / entry.evidence_file.name).read_bytes() == PDF
    assert files_on_disk(media) == {entry.evidence_file.name}
    page = member.get(report_url(report)).content.decode()
    assert f'<a href="{download_url(report, 1)}">รายงานผลการดำเนินงาน.pdf</a>' in page  # the current file
    assert entry.evidence_file.name.rsplit("/", 1)[-1] not in page
    download = member.get(download_url(report, 1))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('รายงานผลการดำเนินงาน.pdf')}"


@pytest.mark.parametrize(("name", "content", "stored_extension", "download_name"), [
    ("แบบรายงาน.docx", office_files.docx(), "docx", "แบบรายงาน.docx"),
    ("แบบรายงาน.docm", office_files.docx(), "docx", "แบบรายงาน.docx"),  # a plain Word file named .docm
    ("สรุปผล.xlsx", office_files.xlsx(), "xlsx", "สรุปผล.xlsx"),
    ("ภาพกิจกรรม.jpeg", PNG, "png", "ภาพกิจกรรม.png"),
])
def test_office_files_and_images_are_stored_under_their_detected_type(member, report, media, name, content,
                                                                      stored_extension, download_name):
    post_row(member, report, evidence_file=SimpleUploadedFile(name, content))
    entry = entry_of(report)
    assert entry.evidence_file.name.endswith(f".{stored_extension}")
    assert (entry.evidence_filename, (media / entry.evidence_file.name).read_bytes()) == (download_name, content)
    response = member.get(download_url(report, 1))
    assert response["Content-Type"] == {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml"
                                                ".document",
                                        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                        "png": "image/png"}[stored_extension]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("มาโคร.docm", office_files.docm(), MACRO_MESSAGE),
    ("มาโคร.docx", office_files.docm(), MACRO_MESSAGE),
    ("ตาราง.xlsm", office_files.xlsm(), MACRO_MESSAGE),
    ("ตาราง.xlsx", office_files.docx_with_vba_project(), MACRO_MESSAGE),
    ("โปรแกรม.jar", office_files.jar(), TYPE_MESSAGE),
    ("โปรแกรม.docx", office_files.jar(), TYPE_MESSAGE),
    ("หน้าเว็บ.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", TYPE_MESSAGE),
    ("ภาพ.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', TYPE_MESSAGE),
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, TYPE_MESSAGE),
])
def test_macro_enabled_executable_and_web_files_are_refused_next_to_the_field(member, report, media, name, content,
                                                                             message):
    page = post_row(member, report, evidence_file=SimpleUploadedFile(name, content)).content.decode()
    assert message in page
    assert not ProgressEntry.objects.filter(report=report).exists()
    assert files_on_disk(media) == set()


def test_replacing_a_file_deletes_the_old_one_after_the_commit(member, report, media,
                                                              django_capture_on_commit_callbacks):
    post_row(member, report, evidence_file=SimpleUploadedFile("ฉบับแรก.pdf", PDF))
    first = entry_of(report).evidence_file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_row(member, report, evidence_file=SimpleUploadedFile("ฉบับแก้ไข.png", PNG))
    second = entry_of(report).evidence_file.name
    assert files_on_disk(media) == {first, second}  # nothing deleted before the commit
    for callback in callbacks:
        callback()
    assert files_on_disk(media) == {second}
    assert (entry_of(report).evidence_filename, (media / second).read_bytes()) == ("ฉบับแก้ไข.png", PNG)


def test_clearing_a_file_deletes_it_and_its_name(member, report, media, django_capture_on_commit_callbacks):
    post_row(member, report, evidence_file=SimpleUploadedFile("หลักฐาน.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        post_row(member, report, **{"evidence_file-clear": "on"})
    entry = entry_of(report)
    assert (entry.evidence_file.name, entry.evidence_filename) == ("", "")
    assert files_on_disk(media) == set()


def test_a_row_saved_without_a_new_upload_keeps_its_file(member, report, media, django_capture_on_commit_callbacks):
    post_row(member, report, evidence_file=SimpleUploadedFile("หลักฐาน.pdf", PDF))
    stored = entry_of(report).evidence_file.name
    with django_capture_on_commit_callbacks(execute=True):
        post_row(member, report, result="ดำเนินการแล้ว")
    assert (entry_of(report).evidence_file.name, files_on_disk(media)) == (stored, {stored})


def test_deleting_rows_deletes_their_files_after_the_commit(report, media, django_capture_on_commit_callbacks):
    entries = [_entry_with_file(report, number) for number in (1, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        entries[0].delete()
    assert files_on_disk(media) == {entries[1].evidence_file.name}
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()  # the remaining row goes by CASCADE
    assert files_on_disk(media) == set()


def test_a_file_two_rows_name_stays_while_one_of_them_does(report, media, django_capture_on_commit_callbacks):
    entry = _entry_with_file(report, 1)
    other = ProgressEntryFactory(report=ProgressReportFactory(plan=report.plan, round="annual",
                                                              period_end=dt.date(2026, 9, 30)),
                                 measure=entry.measure, evidence_file=entry.evidence_file.name)
    with django_capture_on_commit_callbacks(execute=True):
        entry.delete()
    assert files_on_disk(media) == {other.evidence_file.name}


def test_a_rolled_back_save_removes_the_files_it_wrote(report, media):
    entry_2 = ProgressEntryFactory(report=report, measure=report.plan.measures.get(number=2), version=3)
    rows = [EntryInput(measure=report.plan.measures.get(number=1), version=0,
                       data={"status": "done", "evidence_file": _cleaned("หลักฐาน.pdf", PDF)}),
            EntryInput(measure=entry_2.measure, version=2,  # someone saved row 2 meanwhile
                       data={"status": "done", "evidence_file": _cleaned("หลักฐาน 2.png", PNG)})]
    with pytest.raises(ConcurrentEditError):
        progress_entries_save(report=report, rows=rows)
    assert not ProgressEntry.objects.filter(report=report, measure__number=1).exists()
    assert files_on_disk(media) == set()


def test_a_save_that_fails_on_a_later_row_removes_the_file_of_an_earlier_row(report, media):
    rows = [EntryInput(measure=report.plan.measures.get(number=1), version=0,
                       data={"status": "done", "evidence_file": _cleaned("หลักฐาน.pdf", PDF)}),
            EntryInput(measure=report.plan.measures.get(number=2), version=0,
                       data={"status": "no-such-status"})]
    with pytest.raises(Exception):  # noqa: B017 - the model's ValidationError, whatever it says
        progress_entries_save(report=report, rows=rows)
    assert files_on_disk(media) == set()


def test_cleanup_media_deletes_only_old_files_no_row_names(report, media, settings):
    settings.SIGNING_KEYS_DIR = media.parent / "signing"
    kept = _entry_with_file(report, 1).evidence_file.name
    old_leftover, new_leftover = "evidence/2025/01/" + "a" * 32 + ".pdf", "evidence/2025/01/" + "b" * 32 + ".pdf"
    not_an_upload = "exports/report.csv"  # not the folder of any upload field: never touched
    for name in (old_leftover, new_leftover, not_an_upload):
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(PDF)
    two_days_ago = time.time() - 2 * 86400
    for name in (kept, old_leftover, not_an_upload):
        os.utime(media / name, (two_days_ago, two_days_ago))
    out = StringIO()
    call_command("cleanup_media", "--dry-run", stdout=out)
    assert f"would delete {old_leftover} ({len(PDF)} bytes" in out.getvalue()
    assert files_on_disk(media) == {kept, old_leftover, new_leftover, not_an_upload}
    out = StringIO()
    call_command("cleanup_media", stdout=out)
    assert f"deleted {old_leftover}" in out.getvalue()
    assert "1 unreferenced files older than 24 h" in out.getvalue()
    assert files_on_disk(media) == {kept, new_leftover, not_an_upload}
    call_command("cleanup_media", "--grace-hours", "0", stdout=StringIO())
    assert files_on_disk(media) == {kept, not_an_upload}


def _cleaned(name: str, content: bytes):
    """An upload as ``EvidenceFileField`` passes it to the service."""
    return EvidenceFileField().clean(SimpleUploadedFile(name, content))


def _entry_with_file(report, number: int) -> ProgressEntry:
    measure = report.plan.measures.get(number=number)
    [entry] = progress_entries_save(report=report, rows=[EntryInput(
        measure=measure, version=0, data={"status": "done", "evidence_file": _cleaned(f"หลักฐาน {number}.pdf", PDF)})])
    return entry


def test_a_refused_file_is_reported_in_its_own_row_not_in_a_success_box(member, report, media):
    """Issue 13: the error used to sit in a green box at the top while the row was the fourth card below."""
    import re
    page = post_row(member, report, number=1, evidence_file=SimpleUploadedFile("macro.exe", b"MZ" + b"\x00" * 80)
                    ).content.decode()
    row = re.search(r'id="row-1".*?(?=id="row-2"|</form>)', page, re.S).group(0)
    assert 'class="field has-error' in row and TYPE_MESSAGE in row
    assert 'class="success"' not in page and "บันทึกรายงานผลการดำเนินการแล้ว" not in page
    assert not ProgressEntry.objects.filter(report=report).exists()
