"""The readiness check (oit/readiness.py) of Khok Ma's OIT checklist of 2569 against a local website
(tests/helpers/oit_site.py): the problems it finds, each in Thai with what to fix; the URL checks it stores; the
request, the worker (the real ``db_worker`` once), the page, the one-page PDF for the executive, the staff's
problems and the command."""
import io
import re
import socket
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from oit import readiness
from oit.choices import EvidenceKind, Period, ProblemKind, RunStatus
from oit.models import Evidence, ItemList, Problem, ReadinessRun, UrlCheck
from organizations.models import Department, Organization
from tests.factories import (
    ChecklistEntryFactory,
    ChecklistFactory,
    DepartmentFactory,
    ElementFactory,
    ItemFactory,
    ItemListFactory,
    OversightScopeFactory,
)
from tests.helpers.memos import committed
from tests.helpers.oit_site import local_site
from tests.helpers.pages import table_rows

YEAR = 2569


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def site(monkeypatch):
    """The local website; ``other.example`` resolves to it too (a host that is not the main website)."""
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        return real("127.0.0.1" if host == "other.example" else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with local_site() as running:
        yield running


class Built:
    """Khok Ma's checklist of 2569 on the local site, one entry a case; ``entries`` by item code."""

    def __init__(self, site):
        self.organization = Organization.objects.get(slug="khok-ma")
        Organization.objects.filter(pk=self.organization.pk).update(website=site.url("/"))
        self.organization.refresh_from_db()
        ItemList.objects.filter(fiscal_year=YEAR).delete()  # the loaded list of 2569 makes way for the cases'
        item_list = ItemListFactory(fiscal_year=YEAR)
        self.checklist = ChecklistFactory(organization=self.organization, item_list=item_list)
        self.finance = Department.objects.get_or_create(organization=self.organization, name="กองคลัง")[0]
        self.office = DepartmentFactory(organization=self.organization, name="สำนักปลัด")
        self.entries = {}
        cases = [
            # code, period, sub-area, URL, evidence (done, kind, url) per element
            ("O1", Period.NONE, "", site.url("/no-year"), [(True, EvidenceKind.URL, site.url("/no-year"))]),
            ("O11", Period.QUARTERLY, "จัดซื้อ", site.url("/status/404"), [(True, EvidenceKind.URL, "")]),
            ("O12", Period.FY_N_MINUS_1, "จัดซื้อ", site.url("/year/2568"), []),
            ("O13", Period.FY_N, "บุคลากร", "", [(False, "", "")]),
            ("O14", Period.FY_N_MINUS_1, "บุคลากร", site.url("/thai-year/2568"),
             [(True, EvidenceKind.URL, site.url("/year/2568", host="other.example"))]),
            ("O15", Period.FY_N, "จริยธรรม", site.url("/thai-year/2568"), []),
            ("O16", Period.NONE, "จัดซื้อ", site.url("/year/2568"), []),  # O12's page: one sub-area
            ("O25", Period.FY_N, "", site.url("/year/2569"), [(True, EvidenceKind.URL, site.url("/pdf/2569"))]),
            ("O26", Period.FY_N_MINUS_1, "", site.url("/year/2569?item=O26"),
             [(True, EvidenceKind.URL, site.url("/pdf/2569")), None]),
        ]
        for order, (code, period, sub_area, url, evidence) in enumerate(cases, start=1):
            item = ItemFactory(item_list=item_list, code=code, order=order, period=period, sub_area=sub_area,
                               title=f"หัวข้อ {code}")
            entry = ChecklistEntryFactory(checklist=self.checklist, item=item, url=url)
            entry.owners.set([self.finance if code in ("O11", "O26") else self.office])
            for number, row in enumerate(evidence, start=1):
                element = ElementFactory(item=item, order=number, text=f"องค์ประกอบ {number} ของ {code}")
                if row is not None:
                    done, kind, link = row
                    Evidence.objects.create(entry=entry, element=element, done=done, kind=kind, url=link)
            self.entries[code] = entry


@pytest.fixture
def built(db, site) -> Built:
    return Built(site)


def found(run) -> set[tuple[str, str]]:
    return {(p.entry.item.code, p.kind) for p in run.problems.select_related("entry__item")}


def message(run, code: str, kind: str) -> str:
    return Problem.objects.get(run=run, entry__item__code=code, kind=kind).message


def check_now(built) -> ReadinessRun:
    run = ReadinessRun.objects.create(checklist=built.checklist, requested_at=timezone.now())
    return readiness.readiness_check(run)


@pytest.mark.parametrize(("period", "year"), [(Period.FY_N, 2569), (Period.QUARTERLY, 2569),
                                              (Period.FY_N_MINUS_1, 2568), (Period.NONE, None)])
def test_the_year_each_period_requires(period, year):
    assert readiness.required_year(period=period, fiscal_year=2569) == year


def test_the_check_finds_each_kind_of_problem_and_nothing_else(built, site):
    run = check_now(built)
    assert run.status == RunStatus.DONE and run.error == ""
    assert found(run) == {
        ("O11", ProblemKind.DEAD_LINK),  # 404
        ("O11", ProblemKind.ELEMENT_MISSING),  # ticked without a link, file or document
        ("O13", ProblemKind.NO_URL),
        ("O13", ProblemKind.ELEMENT_MISSING),  # not ticked
        ("O14", ProblemKind.OFF_SITE),  # its evidence link is on other.example (which answers)
        ("O14", ProblemKind.DUPLICATE_URL), ("O15", ProblemKind.DUPLICATE_URL),  # one page, two topics
        ("O15", ProblemKind.YEAR_MISSING),  # shows ๒๕๖๘, needs 2569
        ("O26", ProblemKind.YEAR_MISSING),  # shows 2569, needs 2568
        ("O26", ProblemKind.ELEMENT_MISSING),  # its second element has no evidence row
    }
    # O1 needs no year; O12 (2568 for N−1) and O14 (๒๕๖๘) show theirs; O25 shows 2569 in Arabic digits and its PDF;
    # O12 and O16 share a page but are of one sub-area.
    assert (run.items_total, run.items_ready, run.problem_count, run.dead_link_count, run.urls_total) == (
        9, 4, 10, 1, 8)


def test_each_problem_says_in_thai_what_to_fix(built, site):
    run = check_now(built)
    assert message(run, "O11", ProblemKind.DEAD_LINK) == (
        f"ลิงก์ {site.url('/status/404')} เปิดไม่ได้: เว็บไซต์ตอบกลับด้วยรหัสข้อผิดพลาด 404 "
        "ให้แก้ไขลิงก์ให้ถูกต้อง หรือนำหน้านั้นกลับขึ้นเว็บไซต์")
    assert message(run, "O26", ProblemKind.YEAR_MISSING) == (
        f"ไม่พบปี พ.ศ. 2568 ที่ข้อนี้กำหนดในหน้าที่ระบุ ({site.url('/year/2569?item=O26')}, {site.url('/pdf/2569')}) "
        "ให้เผยแพร่ข้อมูลของปี 2568 หรือระบุที่อยู่ของหน้าที่แสดงข้อมูลปีนั้น")
    assert message(run, "O14", ProblemKind.OFF_SITE) == (
        f"ลิงก์ {site.url('/year/2568', host='other.example')} อยู่บน other.example ไม่ใช่เว็บไซต์หลักของหน่วยงาน "
        "ให้เผยแพร่ข้อมูลบนเว็บไซต์หลักและระบุที่อยู่นั้นแทน")
    assert message(run, "O15", ProblemKind.DUPLICATE_URL) == (
        f"ลิงก์ {site.url('/thai-year/2568')} ถูกระบุให้ข้อ O14 ซึ่งเป็นคนละเรื่องด้วย "
        "ให้ระบุที่อยู่ของหน้าที่แสดงข้อมูลของข้อนี้โดยเฉพาะ")
    assert message(run, "O13", ProblemKind.NO_URL) == (
        "ข้อนี้ยังไม่ได้ระบุลิงก์ ให้ระบุที่อยู่ของหน้าบนเว็บไซต์หลักที่แสดงข้อมูลของข้อนี้")
    assert message(run, "O13", ProblemKind.ELEMENT_MISSING) == (
        "องค์ประกอบ “องค์ประกอบ 1 ของ O13” ยังไม่ได้ทำเครื่องหมายพร้อมหลักฐาน "
        "เมื่อเผยแพร่บนเว็บไซต์แล้วให้ทำเครื่องหมายและแนบลิงก์ ไฟล์ หรือเอกสารที่ออกจากระบบ")


def test_every_distinct_url_is_fetched_once_and_recorded(built, site):
    run = check_now(built)
    checks = {c.url: c for c in UrlCheck.objects.filter(run=run)}
    assert set(checks) == {site.url(p) for p in ("/no-year", "/status/404", "/year/2568", "/thai-year/2568",
                                                  "/year/2569", "/year/2569?item=O26", "/pdf/2569")} | {
        site.url("/year/2568", host="other.example")}
    assert sorted(site.paths) == sorted(["/no-year", "/status/404", "/year/2568", "/thai-year/2568", "/year/2569",
                                         "/year/2569?item=O26", "/pdf/2569", "/year/2568"])
    pdf = checks[site.url("/pdf/2569")]
    assert (pdf.status_code, pdf.content_type, pdf.years_found, pdf.error) == (200, "application/pdf", [2569], "")
    assert pdf.size > 0 and pdf.checked_at is not None and pdf.final_url == site.url("/pdf/2569")
    assert checks[site.url("/thai-year/2568")].years_found == [2568]
    assert checks[site.url("/no-year")].years_found == []
    assert (checks[site.url("/status/404")].status_code, checks[site.url("/status/404")].error) == (404,
                                                                                                  "http_status")
    assert checks[site.url("/year/2568", host="other.example")].years_found == [2568]


def test_a_problem_is_gone_once_fixed(built, site):
    assert ("O26", ProblemKind.YEAR_MISSING) in found(check_now(built))
    built.entries["O26"].url = site.url("/year/2568")
    built.entries["O26"].save()
    Evidence.objects.filter(entry=built.entries["O26"]).update(url=site.url("/pdf/2568"))
    assert ("O26", ProblemKind.YEAR_MISSING) not in found(check_now(built))


def test_without_a_main_website_no_link_is_off_site(built):
    Organization.objects.filter(pk=built.organization.pk).update(website="")
    run = check_now(built)
    assert not run.problems.filter(kind=ProblemKind.OFF_SITE).exists()


def test_a_check_that_breaks_fails_with_a_thai_message(built, monkeypatch):
    def broken(run, urls):
        raise RuntimeError("broken")

    monkeypatch.setattr(readiness, "_fetch_all", broken)
    run = check_now(built)
    assert (run.status, run.error) == (RunStatus.FAILED, "failed")
    assert readiness.run_error_message(run) == (
        "การตรวจหยุดลงเพราะข้อผิดพลาดของระบบ ให้สั่งตรวจอีกครั้ง หากยังไม่สำเร็จให้แจ้งผู้ดูแลระบบ")


def test_a_request_is_checked_after_the_commit_and_a_waiting_run_is_not_doubled(built, admin_user):
    """The suite's immediate task backend runs the task when it is enqueued: on the commit, not before."""
    with committed():
        run = readiness.readiness_run_request(checklist=built.checklist, user=admin_user)
        assert run.status == RunStatus.QUEUED
        assert readiness.readiness_run_request(checklist=built.checklist, user=admin_user).pk == run.pk
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.problem_count == 10 and run.task_id
    assert ReadinessRun.objects.count() == 1


def test_a_stale_run_does_not_stop_a_new_one(built, admin_user, settings):
    stale = ReadinessRun.objects.create(checklist=built.checklist, status=RunStatus.RUNNING,
                                        requested_at=timezone.now() - timedelta(seconds=1801))
    run = readiness.readiness_run_request(checklist=built.checklist, user=admin_user)
    assert run.pk != stale.pk and run.status == RunStatus.QUEUED


def test_the_real_database_backend_queues_the_check_and_db_worker_runs_it(client, built, admin_user, settings,
                                                                          monkeypatch):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    client.force_login(admin_user)
    with committed():
        response = client.post(reverse("oit:readiness_run", args=["khok-ma", YEAR]))
    assert response["Location"] == reverse("oit:readiness", args=["khok-ma", YEAR])
    run = ReadinessRun.objects.get()
    assert run.status == RunStatus.QUEUED and DBTaskResult.objects.get(id=run.task_id).status == "READY"
    waiting = text(client.get(response["Location"]))
    assert "รอคิวตรวจ" in waiting and "ตรวจลิงก์แล้ว 0 จาก 0 รายการ" in waiting
    assert "ยังไม่เคยตรวจความพร้อมของรายการนี้" not in waiting

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    run.refresh_from_db()
    assert (run.status, run.problem_count, run.urls_total) == (RunStatus.DONE, 10, 8)
    assert DBTaskResult.objects.get(id=run.task_id).status == "SUCCESSFUL"
    page = text(client.get(response["Location"]))
    assert "ไม่พบปี พ.ศ. 2568 ที่ข้อนี้กำหนด" in page and "รอคิวตรวจ" not in page


def test_the_page_shows_progress_while_running(client, built, executive):
    run = ReadinessRun.objects.create(checklist=built.checklist, status=RunStatus.RUNNING, urls_total=8,
                                      requested_at=timezone.now(), started_at=timezone.now())
    UrlCheck.objects.create(run=run, url="https://example.go.th/a", status_code=200, checked_at=timezone.now())
    client.force_login(executive)
    response = client.get(reverse("oit:readiness", args=["khok-ma", YEAR]))
    page = text(response)
    assert "กำลังตรวจ" in page and "ตรวจลิงก์แล้ว 1 จาก 8 รายการ" in page
    assert 'data-refresh-seconds="3"' in response.content.decode() and ">ปรับปรุงสถานะ</a>" in response.content.decode()


def test_the_report_page_lists_each_items_problems_and_each_url(client, built, site, admin_user):
    client.force_login(admin_user)
    with committed():
        client.post(reverse("oit:readiness_run", args=["khok-ma", YEAR]))
    response = client.get(reverse("oit:readiness", args=["khok-ma", YEAR]))
    page = text(response)
    assert "ข้อที่ไม่มีปัญหา 4 จาก 9 ข้อ" in page and "ลิงก์ที่เปิดไม่ได้ 1" in page
    body = response.content.decode()
    row = re.search(r'<tr id="readiness-item-O26">.*?</tr>', body, re.S).group(0)
    assert "กองคลัง" in row and "ไม่พบปี พ.ศ. 2568" in row and "องค์ประกอบ “องค์ประกอบ 2 ของ O26”" in row
    assert 'id="readiness-item-O25"' not in body  # no problem
    urls = re.search(r'<table class="table" id="readiness-urls">.*?</table>', body, re.S).group(0)
    assert site.url("/status/404") in urls and "เว็บไซต์ตอบกลับด้วยรหัสข้อผิดพลาด 404" in urls
    assert ">PDF<" in urls and "2569" in urls
    assert 'id="readiness-run"' in body and 'id="readiness-pdf"' in body


def test_staff_see_which_items_are_their_departments_and_may_run_the_check(client, built, staff_user):
    readiness.readiness_check(ReadinessRun.objects.create(checklist=built.checklist, requested_at=timezone.now()))
    client.force_login(staff_user)  # of กองคลัง
    body = client.get(reverse("oit:readiness", args=["khok-ma", YEAR])).content.decode()
    row = re.search(r'<tr id="readiness-item-O11">.*?</tr>', body, re.S).group(0)
    assert "ส่วนราชการของคุณ" in row
    assert "ส่วนราชการของคุณ" not in re.search(r'<tr id="readiness-item-O13">.*?</tr>', body, re.S).group(0)
    with committed():
        assert client.post(reverse("oit:readiness_run", args=["khok-ma", YEAR])).status_code == 302
    assert ReadinessRun.objects.filter(requested_by=staff_user, status=RunStatus.DONE).exists()


def test_overseers_and_clerks_read_but_may_not_run_the_check(client, built, clerk):
    readiness.readiness_check(ReadinessRun.objects.create(checklist=built.checklist, requested_at=timezone.now()))
    for user in (OversightScopeFactory(province="บุรีรัมย์").user, clerk):
        client.force_login(user)
        page = client.get(reverse("oit:readiness", args=["khok-ma", YEAR]))
        assert "ไม่พบปี พ.ศ. 2568" in text(page) and 'id="readiness-run"' not in page.content.decode()
        refused = client.post(reverse("oit:readiness_run", args=["khok-ma", YEAR]))
        assert refused.status_code == 403 and "ไม่มีสิทธิ์ดำเนินการนี้" in refused.content.decode()
    assert ReadinessRun.objects.count() == 1


def test_no_checklist_of_the_year_is_404(client, built, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("oit:readiness", args=["khok-ma", 2570])).status_code == 404
    assert client.get(reverse("oit:readiness_pdf", args=["khok-ma", YEAR])).status_code == 404  # no check yet


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_executives_pdf_is_one_page_with_the_counts_and_the_problems(client, built, executive):
    readiness.readiness_check(ReadinessRun.objects.create(checklist=built.checklist, requested_at=timezone.now()))
    client.force_login(executive)
    response = client.get(reverse("oit:readiness_pdf", args=["khok-ma", YEAR]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="oit-readiness-khok-ma-2569.pdf"'
    pages, content = pdf_text(response.content)
    assert pages == 1
    assert "รายงานความพร้อม OIT ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in content and "เทศบาลตำบลโคกม้า" in content
    assert "๔ จาก ๙ ข้อ" in content and "๑๐ รายการ" in content
    assert "O๒๖ ไม่พบปีที่ข้อกำหนดระบุบนหน้าเว็บ" in content and "และอีก" not in content


def test_the_pdf_stays_one_page_with_many_problems_and_counts_the_rest(client, built, executive):
    for number in range(40):
        item = ItemFactory(item_list=built.checklist.item_list, code=f"O{100 + number}", order=100 + number)
        ElementFactory(item=item, text="องค์ประกอบที่ยาวมาก " * 8)
        ChecklistEntryFactory(checklist=built.checklist, item=item)
    run = readiness.readiness_check(ReadinessRun.objects.create(checklist=built.checklist,
                                                                requested_at=timezone.now()))
    assert run.problem_count == 10 + 80
    client.force_login(executive)
    pages, content = pdf_text(client.get(reverse("oit:readiness_pdf", args=["khok-ma", YEAR])).content)
    assert pages == 1
    rest = str(90 - readiness.PDF_PROBLEM_LINES).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert f"และอีก {rest} รายการ" in content


def test_the_reports_html_has_no_style_the_content_security_policy_refuses(built):
    """The report's HTML (the PDF's source, and the page a preview shows under the CSP, which allows a style
    element only with the request's nonce): its layout rules are in the shared document CSS, not in the part."""
    from reports.documents import document_css, document_html

    html = document_html(readiness.readiness_document(run=check_now(built)), preview=True, csp_nonce="n0nce")
    assert re.findall(r"<style[^>]*>", html) == ['<style nonce="n0nce">']
    assert not re.search(r"<[^>]+\sstyle=", html)
    assert "รายงานความพร้อม OIT ประจำปีงบประมาณ" in html and 'class="oit-readiness"' in html
    assert ".oit-readiness col.c-code { width: 9%; }" in document_css()  # the PDF keeps its columns


def test_problems_for_department_are_the_latest_checks_problems_of_its_items(built, site):
    assert readiness.problems_for_department(department=built.finance, fiscal_year=YEAR) == []
    check_now(built)
    latest = check_now(built)
    problems = readiness.problems_for_department(department=built.finance, fiscal_year=YEAR)
    assert [(p.entry.item.code, p.kind) for p in problems] == [
        ("O11", ProblemKind.DEAD_LINK), ("O11", ProblemKind.ELEMENT_MISSING),
        ("O26", ProblemKind.ELEMENT_MISSING), ("O26", ProblemKind.YEAR_MISSING)]
    assert {p.run_id for p in problems} == {latest.pk}
    assert problems[3].message.startswith("ไม่พบปี พ.ศ. 2568")
    assert readiness.problems_for_department(department=built.finance, fiscal_year=2570) == []


def test_the_command_runs_the_check_now_and_exits_1_on_problems(built, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("oit_readiness", "khok-ma", str(YEAR))
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert ("เทศบาลตำบลโคกม้า ปีงบประมาณ 2569: ไม่มีปัญหา 4 จาก 9 ข้อ ปัญหา 10 รายการ ลิงก์ที่เปิดไม่ได้ 1 ลิงก์ "
            "ตรวจลิงก์ 8 รายการ") in out
    assert "O13: ข้อนี้ยังไม่ได้ระบุลิงก์" in out
    assert ReadinessRun.objects.get().status == RunStatus.DONE
    with pytest.raises(CommandError, match="khok-ma ยังไม่มีรายการ OIT ของปีงบประมาณ 2570"):
        call_command("oit_readiness", "khok-ma", "2570")


def test_staff_see_their_departments_problems_of_the_latest_check_in_my_work(client, built, staff_user):
    client.force_login(staff_user)
    assert 'id="oit-problems"' not in text_of_work(client)  # no check yet
    check_now(built)
    built.entries["O26"].status = "ready"  # an entry marked ready keeps its problems in view
    built.entries["O26"].save()
    latest = check_now(built)
    rows = table_rows(client.get(reverse("measures:my_work")).content.decode(), "oit-problems")
    assert [row[1] for row in rows[1:]] == ["O11", "O11", "O26", "O26"]  # กองคลัง's items only, O1… are สำนักปลัด's
    year = message(latest, "O26", ProblemKind.YEAR_MISSING)
    assert rows[4] == ["เทศบาลตำบลโคกม้า · 2569", "O26", f"ไม่พบปีที่ข้อกำหนดระบุบนหน้าเว็บ : {year}"]
    assert year.startswith("ไม่พบปี พ.ศ. 2568")
    built.checklist.state = "ready"
    built.checklist.save()
    assert 'id="oit-problems"' not in text_of_work(client)  # a checklist marked ready leaves the work list


def text_of_work(client) -> str:
    response = client.get(reverse("measures:my_work"))
    assert response.status_code == 200
    return response.content.decode()
