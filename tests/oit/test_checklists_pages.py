"""The OIT checklist pages of Khok Ma: the list of items with their flags and filters, the main website, an entry
edited by each persona, evidence (link, file, issued document), history, the staff's work list, and the
executive's "ready to submit"."""
import datetime as dt
from urllib.parse import quote

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oit.checklists import checklist_create
from oit.choices import ChecklistState, EntryStatus, EvidenceKind
from oit.models import Checklist, ChecklistEntry, Evidence
from organizations.models import Organization
from tests.factories import OversightScopeFactory, UserFactory
from tests.helpers.oit import YEAR, issued_document, oit_item_list, plan_and_annual_report
from tests.helpers.pages import section, table_rows, text

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PAGE = reverse("oit:checklist_detail", args=["khok-ma", YEAR])


def entry_url(code: str) -> str:
    return reverse("oit:entry_edit", args=["khok-ma", YEAR, code])


@pytest.fixture
def checklist(khok_ma, admin_user) -> Checklist:
    oit_item_list()
    return checklist_create(organization=khok_ma, fiscal_year=YEAR, user=admin_user)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def entry(checklist: Checklist, code: str) -> ChecklistEntry:
    return checklist.entries.get(item__code=code)


def state(checklist: Checklist) -> list:
    """Every stored value of the checklist's entries and evidence, to compare before and after a refused post."""
    return [list(ChecklistEntry.objects.filter(checklist=checklist).order_by("pk").values()),
            list(ChecklistEntry.owners.through.objects.filter(checklistentry__checklist=checklist)
                 .order_by("pk").values()),
            list(Evidence.objects.filter(entry__checklist=checklist).order_by("pk").values())]


def o1_post(checklist: Checklist, **fields) -> dict:
    """A full post of O1's form: entry fields, and both elements unticked unless ``fields`` says otherwise."""
    data = {"url": "https://www.khokma.go.th/structure", "where": "เมนู ข้อมูลพื้นฐาน > โครงสร้าง",
            "status": EntryStatus.IN_PROGRESS, "is_public": "on", "due_date": "1/2/2571"}
    for evidence in entry(checklist, "O1").evidence.all():
        data[f"ev-{evidence.element_id}-is_public"] = "on"
    return data | fields


def page_of(client, url=PAGE) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_page_lists_items_with_owners_due_status_url_progress_and_flags(client, admin_user, checklist, khok_ma):
    Organization.objects.filter(pk=khok_ma.pk).update(website="https://www.khokma.go.th/")
    finance = khok_ma.departments.get(name="กองคลัง")
    o1, o3 = entry(checklist, "O1"), entry(checklist, "O3")
    ChecklistEntry.objects.filter(pk=o1.pk).update(url="http://khokma.go.th/structure", status=EntryStatus.READY,
                                                   due_date=dt.date(2020, 1, 1))  # past, but ready: not overdue
    ChecklistEntry.objects.filter(pk=o3.pk).update(url="https://www.facebook.com/khokma", due_date=dt.date(2020, 1, 1))
    o3.owners.add(finance)
    Evidence.objects.filter(pk=o1.evidence.first().pk).update(done=True)
    client.force_login(admin_user)
    page = page_of(client)
    rows = table_rows(page, "oit-entries")
    assert rows[0] == ["รหัส", "ชื่อเรื่อง", "ส่วนราชการผู้รับผิดชอบ", "กำหนดเสร็จ", "สถานะ", "URL", "องค์ประกอบที่ทำแล้ว"]
    assert rows[1] == ["O1", "โครงสร้าง หน้าที่และอำนาจ", "–", "1 ม.ค. 2563", "พร้อมส่ง",
                       "http://khokma.go.th/structure", "1 จาก 2"]
    assert rows[2] == ["O3", "ข้อมูลการติดต่อและช่องทางการสอบถาม", "กองคลัง", "1 ม.ค. 2563 เลยกำหนด", "ยังไม่เริ่ม",
                       "https://www.facebook.com/khokma ลิงก์ไม่อยู่บนเว็บไซต์หลัก", "0 จาก 1"]
    assert '<tr id="item-O3" class="overdue">' in page and '<tr id="item-O1">' in page
    assert 'href="https://www.khokma.go.th/"' in section(page, "h-website")  # the main website is shown


@pytest.mark.parametrize("thai_digits", [False, True])
def test_filters_narrow_the_items_by_status_and_department(client, admin_user, checklist, khok_ma, thai_digits):
    finance = khok_ma.departments.get(name="กองคลัง")
    entry(checklist, "O25").owners.add(finance)
    ChecklistEntry.objects.filter(pk=entry(checklist, "O26").pk).update(status=EntryStatus.SUBMITTED)
    client.force_login(admin_user)
    codes = [row[0] for row in table_rows(page_of(client, f"{PAGE}?department={finance.pk}"), "oit-entries")[1:]]
    assert codes == ["O25"]
    codes = [row[0] for row in table_rows(page_of(client, f"{PAGE}?status=submitted"), "oit-entries")[1:]]
    assert codes == ["O26"]
    rows = table_rows(page_of(client, f"{PAGE}?status=submitted&department={finance.pk}"), "oit-entries")
    assert rows[1:] == [["ไม่มีข้อที่ตรงกับตัวกรอง"]]


def test_an_admin_sets_the_main_website_and_a_bad_address_is_refused_beside_the_field(client, admin_user, checklist,
                                                                                    khok_ma):
    client.force_login(admin_user)
    response = client.post(PAGE, {"action": "website", "website": "ไม่ใช่ที่อยู่เว็บ"})
    assert response.status_code == 200
    field = section(response.content.decode(), "h-website")
    assert '<p class="error" role="alert">' in field and "URL" in text(field)
    assert Organization.objects.get(pk=khok_ma.pk).website == ""
    response = client.post(PAGE, {"action": "website", "website": "https://www.khokma.go.th/"})
    assert response.status_code == 302
    assert Organization.objects.get(pk=khok_ma.pk).website == "https://www.khokma.go.th/"
    assert "บันทึกที่อยู่เว็บไซต์หลักแล้ว" in page_of(client)


def test_staff_cannot_set_the_main_website(client, staff_user, checklist, khok_ma):
    client.force_login(staff_user)
    page = client.post(PAGE, {"action": "website", "website": "https://evil.example/"}).content.decode()
    assert 'name="website"' not in page
    assert Organization.objects.get(pk=khok_ma.pk).website == ""


def test_an_admin_assigns_owners_and_due_date_and_fills_in_an_item(client, admin_user, checklist, khok_ma):
    finance = khok_ma.departments.get(name="กองคลัง")
    client.force_login(admin_user)
    response = client.post(entry_url("O1"), o1_post(checklist, owners=[finance.pk]))
    assert response.status_code == 302
    o1 = entry(checklist, "O1")
    assert (o1.url, o1.where, o1.status, o1.due_date, list(o1.owners.all())) == (
        "https://www.khokma.go.th/structure", "เมนู ข้อมูลพื้นฐาน > โครงสร้าง", EntryStatus.IN_PROGRESS,
        dt.date(2028, 2, 1), [finance])
    history = text(section(page_of(client, entry_url("O1")), "h-history"))
    assert "admin-khok-ma" in history
    assert "URL บนเว็บไซต์หลัก: – → https://www.khokma.go.th/structure" in history
    assert "ส่วนราชการผู้รับผิดชอบ: – → กองคลัง" in history
    assert "กำหนดเสร็จ: 16 กุมภาพันธ์ 2571 → 1 กุมภาพันธ์ 2571" in history


def test_staff_of_an_owner_department_fill_in_the_content_but_not_owners_or_due_date(client, staff_user, checklist,
                                                                                     khok_ma):
    finance, works = khok_ma.departments.get(name="กองคลัง"), khok_ma.departments.get(name="กองช่าง")
    o1 = entry(checklist, "O1")
    o1.owners.add(finance)
    client.force_login(staff_user)
    page = page_of(client, entry_url("O1"))
    assert 'name="url"' in page and 'name="owners"' not in page and 'name="due_date"' not in page
    response = client.post(entry_url("O1"), o1_post(checklist, owners=[works.pk], due_date="1/1/2599"))
    assert response.status_code == 302
    o1 = entry(checklist, "O1")
    assert o1.url == "https://www.khokma.go.th/structure"
    assert (list(o1.owners.all()), o1.due_date) == ([finance], dt.date(2028, 2, 16))  # the forged fields ignored


@pytest.mark.parametrize("persona", ["staff_not_owner", "executive", "clerk", "oversight"])
def test_those_who_may_not_edit_an_item_read_it_and_a_post_changes_nothing(client, request, checklist, khok_ma,
                                                                          persona):
    entry(checklist, "O1").owners.add(khok_ma.departments.get(name="กองช่าง"))
    if persona == "staff_not_owner":
        user = request.getfixturevalue("staff_user")  # กองคลัง, not an owner of O1
    elif persona == "oversight":
        user = UserFactory()
        OversightScopeFactory(user=user, province=khok_ma.province)
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)
    page = page_of(client, entry_url("O1"))
    assert "โครงสร้าง หน้าที่และอำนาจ" in page and 'name="url"' not in page
    before = state(checklist)
    response = client.post(entry_url("O1"), o1_post(checklist, owners=[]))
    assert response.status_code == 403
    assert state(checklist) == before


def test_an_outsider_gets_404_and_changes_nothing(client, outsider, checklist):
    client.force_login(outsider)
    before = state(checklist)
    for response in (client.get(entry_url("O1")), client.post(entry_url("O1"), o1_post(checklist))):
        assert response.status_code == 404
    assert state(checklist) == before


def test_a_ticked_element_without_its_link_is_refused_beside_the_field_and_nothing_is_saved(client, admin_user,
                                                                                          checklist):
    client.force_login(admin_user)
    first, second = entry(checklist, "O1").evidence.order_by("element__order")
    before = state(checklist)
    response = client.post(entry_url("O1"), o1_post(checklist, **{
        f"ev-{first.element_id}-done": "on", f"ev-{first.element_id}-kind": "url",
        f"ev-{first.element_id}-url": "https://www.khokma.go.th/chart",
        f"ev-{second.element_id}-done": "on", f"ev-{second.element_id}-kind": "url"}))
    assert response.status_code == 200
    page = response.content.decode()
    fieldset = page.split('id="element-2"', 1)[1].split("</fieldset>", 1)[0]
    assert ('<p class="error" role="alert">กรุณาใส่ลิงก์ที่แสดงองค์ประกอบนี้</p>'
            in fieldset.split(f'name="ev-{second.element_id}-url"', 1)[1].split("</div>", 1)[0])
    assert "กรุณาใส่ลิงก์" not in page.split('id="element-2"', 1)[0]  # not beside the first element
    assert state(checklist) == before  # neither the entry nor the first element


def test_an_evidence_file_is_stored_under_its_type_and_downloaded_under_its_thai_name(client, admin_user, checklist,
                                                                                     media):
    client.force_login(admin_user)
    first = entry(checklist, "O1").evidence.order_by("element__order").first()
    response = client.post(entry_url("O1"), o1_post(checklist, **{
        f"ev-{first.element_id}-done": "on", f"ev-{first.element_id}-kind": "file",
        f"ev-{first.element_id}-file": SimpleUploadedFile("แผนผังโครงสร้าง.exe", PDF)}))
    assert response.status_code == 302
    stored = Evidence.objects.get(pk=first.pk)
    assert stored.done and stored.file.name.endswith(".pdf") and stored.file_name == "แผนผังโครงสร้าง.pdf"
    assert (media / stored.file.name).read_bytes() == PDF
    download = client.get(reverse("oit:evidence_download", args=["khok-ma", YEAR, "O1", first.element_id]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('แผนผังโครงสร้าง.pdf')}"


def test_a_macro_file_is_refused_beside_the_field(client, admin_user, checklist, media):
    from tests import office_files

    client.force_login(admin_user)
    first = entry(checklist, "O1").evidence.order_by("element__order").first()
    page = client.post(entry_url("O1"), o1_post(checklist, **{
        f"ev-{first.element_id}-done": "on", f"ev-{first.element_id}-kind": "file",
        f"ev-{first.element_id}-file": SimpleUploadedFile("มาโคร.docm", office_files.docm())})).content.decode()
    assert "ไฟล์นี้มีมาโคร" in page.split('id="element-1"', 1)[1].split("</fieldset>", 1)[0]
    assert not Evidence.objects.get(pk=first.pk).file and not list(media.rglob("*.*"))


def test_o25_and_o26_suggest_the_years_plan_and_last_years_annual_report(client, admin_user, checklist, khok_ma):
    plan, report = plan_and_annual_report(organization=khok_ma, fiscal_year=YEAR)
    other = issued_document(organization=khok_ma, subject="หนังสืออื่น")
    plan_pdf = issued_document(organization=khok_ma, plan=plan, subject="มาตรการ 2571")
    report_pdf = issued_document(organization=khok_ma, report=report, subject="รายงานผล 2570")
    client.force_login(admin_user)
    page = page_of(client, entry_url("O25"))
    documents = section(page, "h-documents")
    assert documents.index("มาตรการ 2571") < documents.index("หนังสืออื่น")
    assert text(documents).count("แนะนำสำหรับข้อนี้") == 1
    first = entry(checklist, "O25").evidence.order_by("element__order").first()
    assert f'<option value="{plan_pdf.pk}" selected>' in page  # preselected on an element without evidence
    assert "แนะนำสำหรับข้อนี้" in text(section(page_of(client, entry_url("O26")), "h-documents")).split(
        "รายงานผล 2570")[1][:40]
    response = client.post(entry_url("O25"), {
        "url": "https://www.khokma.go.th/ita", "where": "", "status": EntryStatus.READY,
        f"ev-{first.element_id}-done": "on", f"ev-{first.element_id}-kind": "document",
        f"ev-{first.element_id}-document": plan_pdf.pk})
    assert response.status_code == 302
    stored = Evidence.objects.get(pk=first.pk)
    assert (stored.done, stored.kind, stored.document) == (True, EvidenceKind.DOCUMENT, plan_pdf)
    assert other.pk != report_pdf.pk


def test_another_organizations_document_cannot_be_chosen(client, admin_user, checklist):
    foreign = issued_document(organization=Organization.objects.get(slug="ban-phran"))
    client.force_login(admin_user)
    first = entry(checklist, "O25").evidence.order_by("element__order").first()
    before = state(checklist)
    response = client.post(entry_url("O25"), {
        "url": "", "where": "", "status": EntryStatus.IN_PROGRESS, f"ev-{first.element_id}-done": "on",
        f"ev-{first.element_id}-kind": "document", f"ev-{first.element_id}-document": foreign.pk})
    assert response.status_code == 200
    assert '<p class="error" role="alert">' in response.content.decode().split('id="element-1"', 1)[1]
    assert state(checklist) == before


def test_staff_see_their_departments_items_with_due_dates_in_my_work(client, staff_user, checklist, khok_ma):
    o3 = entry(checklist, "O3")
    o3.owners.add(khok_ma.departments.get(name="กองคลัง"))
    ChecklistEntry.objects.filter(pk=o3.pk).update(due_date=dt.date(2020, 3, 1))
    client.force_login(staff_user)
    page = page_of(client, reverse("measures:my_work"))
    rows = table_rows(page, "oit-items-to-do")
    assert rows[1] == ["เทศบาลตำบลโคกม้า · 2571", "O3 ข้อมูลการติดต่อและช่องทางการสอบถาม", "1 มี.ค. 2563 เลยกำหนด",
                       "ยังไม่เริ่ม"]
    assert len(rows) == 2
    assert f'href="{entry_url("O3")}"' in page


def test_an_executive_confirms_ready_to_submit_and_the_page_and_the_audit_log_show_it(client, executive, admin_user,
                                                                                    checklist, khok_ma):
    ready = reverse("oit:checklist_ready", args=["khok-ma", YEAR])
    client.force_login(admin_user)
    assert f'href="{ready}"' not in page_of(client)
    assert client.post(ready).status_code == 403
    assert Checklist.objects.get(pk=checklist.pk).state == ChecklistState.OPEN
    client.force_login(executive)
    assert f'href="{ready}"' in page_of(client)
    confirm = page_of(client, ready)
    assert "ข้อที่ยังไม่พร้อมส่ง: 4" in confirm and Checklist.objects.get(pk=checklist.pk).state == ChecklistState.OPEN
    assert client.post(ready).status_code == 302
    stored = Checklist.objects.get(pk=checklist.pk)
    assert (stored.state, stored.ready_by) == (ChecklistState.READY, executive)
    assert "พร้อมส่ง: ยืนยันโดย mayor-khok-ma" in text(page_of(client).split('id="checklist-state"', 1)[1][:400])
    logged = LogEntry.objects.get_for_object(stored).get(action=LogEntry.Action.UPDATE)
    assert (logged.actor, logged.changes_dict["state"]) == (executive, ["open", "ready"])


def test_an_admin_starts_the_year_by_copying_last_years_checklist_from_the_page(client, admin_user, khok_ma):
    oit_item_list(fiscal_year=YEAR - 1)
    oit_item_list()
    old = checklist_create(organization=khok_ma, fiscal_year=YEAR - 1, user=admin_user)
    ChecklistEntry.objects.filter(checklist=old, item__code="O3").update(url="https://www.khokma.go.th/contact")
    client.force_login(admin_user)
    page = page_of(client)
    assert 'id="checklist-start"' in page and f'<option value="{YEAR - 1}" selected>' in page
    assert client.post(PAGE, {"action": "create", "from_year": str(YEAR - 1)}).status_code == 302
    assert entry(Checklist.objects.get(organization=khok_ma, fiscal_year=YEAR), "O3").url == (
        "https://www.khokma.go.th/contact")
    assert "จัดทำรายการตรวจ OIT ปีงบประมาณ 2571 แล้ว" in page_of(client)


def test_a_year_without_a_list_says_so_and_staff_cannot_start_one(client, staff_user, admin_user):
    client.force_login(admin_user)
    page = page_of(client, reverse("oit:checklist_detail", args=["khok-ma", 2598]))
    assert "ยังไม่มีรายการข้อ OIT ของปีงบประมาณ 2598" in page and 'id="checklist-start"' not in page
    oit_item_list()
    client.force_login(staff_user)
    assert client.post(PAGE, {"action": "create", "from_year": ""}).status_code == 403
    assert not Checklist.objects.filter(fiscal_year=YEAR).exists()


def test_the_organizations_pages_link_to_the_checklists(client, admin_user, checklist):
    client.force_login(admin_user)
    index = reverse("oit:checklist_index", args=["khok-ma"])
    assert f'href="{index}"' in page_of(client, reverse("organizations:organization_detail", args=["khok-ma"]))
    assert f'href="{index}"' in page_of(client, reverse("dashboards:organization_dashboard", args=["khok-ma"]))
    assert f'href="{PAGE}"' in page_of(client, index)


def test_the_checklist_page_reads_in_a_constant_number_of_queries(client, admin_user, checklist, khok_ma):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ElementFactory, ItemFactory

    client.force_login(admin_user)
    client.get(PAGE)  # the session and the user, once
    with CaptureQueriesContext(connection) as four:
        page_of(client)
    for number in range(30, 50):  # twenty more items, each with two elements and an owner
        item = ItemFactory(item_list=checklist.item_list, code=f"O{number}", order=number)
        ElementFactory.create_batch(2, item=item)
        added = ChecklistEntry.objects.create(checklist=checklist, item=item)
        added.owners.add(khok_ma.departments.get(name="กองคลัง"))
    with CaptureQueriesContext(connection) as twenty_four:
        rows = table_rows(page_of(client), "oit-entries")
    assert len(rows) == 1 + 24
    assert len(twenty_four) == len(four) == 9  # the entries and their owners: 2 queries, whatever their number


def test_a_change_to_an_entrys_content_after_ready_puts_the_checklist_back_in_preparation(
        client, admin_user, executive, checklist, khok_ma):
    finance = khok_ma.departments.get(name="กองคลัง")
    client.force_login(admin_user)
    assert client.post(entry_url("O1"), o1_post(checklist)).status_code == 302
    client.force_login(executive)
    assert client.post(reverse("oit:checklist_ready", args=["khok-ma", YEAR])).status_code == 302
    client.force_login(admin_user)
    # Owners and due date are the organization's planning, not what is submitted: the checklist stays ready.
    assert client.post(entry_url("O1"), o1_post(checklist, owners=[finance.pk], due_date="15/2/2571")
                       ).status_code == 302
    assert Checklist.objects.get(pk=checklist.pk).state == ChecklistState.READY
    assert list(entry(checklist, "O1").owners.all()) == [finance]
    response = client.post(entry_url("O1"), o1_post(checklist, owners=[finance.pk], due_date="15/2/2571",
                                                    url="https://www.khokma.go.th/new-structure"), follow=True)
    stored = Checklist.objects.get(pk=checklist.pk)
    note = f"{admin_user.username} แก้ไขข้อ O1 หลังยืนยันว่ารายการตรวจพร้อมส่งแล้ว ผู้บริหารต้องยืนยันอีกครั้ง"
    assert (stored.state, stored.ready_at, stored.ready_by, stored.reopened_note) == (
        ChecklistState.OPEN, None, None, note)
    page = response.content.decode()
    assert "การแก้ไขนี้ทำให้กลับมาอยู่ระหว่างจัดเตรียม ผู้บริหารต้องยืนยันพร้อมส่งอีกครั้ง" in page
    assert text(page.split('id="checklist-reopened"', 1)[1].split("</p>", 1)[0]).strip(" >") == note
    reopened = LogEntry.objects.get_for_object(stored).filter(action=LogEntry.Action.UPDATE).order_by("pk").last()
    assert (reopened.actor, reopened.changes_dict["state"], reopened.changes_dict["reopened_note"][1]) == (
        admin_user, ["ready", "open"], note)
    client.force_login(executive)  # marking it ready again clears the note
    assert client.post(reverse("oit:checklist_ready", args=["khok-ma", YEAR])).status_code == 302
    again = Checklist.objects.get(pk=checklist.pk)
    assert (again.state, again.ready_by, again.reopened_note) == (ChecklistState.READY, executive, "")
    assert 'id="checklist-reopened"' not in page_of(client)
