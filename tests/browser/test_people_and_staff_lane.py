"""People and the staff lane in Debian's Chromium (issue 13, "Browser test"): a new organization admin adds a
staff user (กองคลัง), a clerk and an executive through the people pages; the staff user logs in through the
log-in form, adds a measure for their department, starts the 6-month round, finds their row on
**งานของส่วนราชการฉัน** and fills it in with a small PDF as evidence.

Screenshots go to a temporary directory, or with ``UPDATE_SCREENSHOTS=1`` to ``docs/screenshots/``
(``people-add-user.png``, ``people-members.png``, ``staff-measure-form.png``, ``staff-my-work.png``,
``staff-progress-row.png``).
"""
import re

import pytest

from measures.models import Measure, MeasurePlan, ProgressEntry
from organizations.choices import Role
from organizations.models import Membership

from .helpers import (
    PASSWORD,
    admin_of,
    chromium,
    ensure_seed_data,
    follow,
    log_in,
    new_page,
    organization_like,
    screenshot,
    submit,
)

pytestmark = pytest.mark.browser
SLUG, YEAR = "e2e-people", 2570
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PEOPLE = [  # username, first name, last name, role, department
    ("e2e-staff", "สมหญิง", "การเงิน", "staff", "กองคลัง"),
    ("e2e-clerk", "สมใจ", "ธุรการ", "clerk", None),
    ("e2e-mayor", "สมศักดิ์", "ผู้นำ", "executive", None),
]


def _set_up():
    ensure_seed_data()
    organization = organization_like("khok-ma", SLUG)
    admin_of(organization, "e2e-new-admin")
    MeasurePlan.objects.create(organization=organization, fiscal_year=YEAR,
                               title=f"มาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ {YEAR}")
    return organization


def _add_person(page, directory, username, first, last, role, department, *, shot: bool) -> None:
    page.goto(f"/organizations/{SLUG}/members/")
    follow(page, page.get_by_role("link", name="เพิ่มผู้ใช้ใหม่"))
    page.fill("#id_username", username)
    page.fill("#id_first_name", first)
    page.fill("#id_last_name", last)
    page.fill("#id_email", f"{username}@example.go.th")
    page.fill("#id_password", PASSWORD)
    page.select_option("#id_role", role)
    if department:
        page.select_option("#id_department", label=department)
    if shot:
        screenshot(page, "people-add-user.png", directory, full_page=True)
    submit(page, page.get_by_role("button", name="บันทึก"), rf"/organizations/{SLUG}/members/$")
    assert f"เพิ่ม {username} แล้ว" in page.content()


def test_a_new_admin_adds_people_and_the_staff_member_adds_a_measure_and_reports_with_evidence(
        live_server, screenshot_dir, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _set_up()
    evidence = tmp_path / "รายงานการเงิน.pdf"
    evidence.write_bytes(PDF)

    with chromium() as browser:
        admin = new_page(browser, live_server.url)
        log_in(admin, "e2e-new-admin")
        admin.goto(f"/organizations/{SLUG}/")
        follow(admin, admin.get_by_role("link", name="ผู้ใช้และบทบาท"))
        for index, person in enumerate(PEOPLE):
            _add_person(admin, screenshot_dir, *person, shot=index == 0)
        rows = admin.locator("#members tbody tr").all_inner_texts()
        assert any("e2e-staff" in row and "กองคลัง" in row and "เจ้าหน้าที่ของส่วนราชการ" in row for row in rows)
        assert any("e2e-clerk" in row and "เจ้าหน้าที่สารบรรณ" in row for row in rows)
        assert any("e2e-mayor" in row and "ผู้บริหาร" in row for row in rows)
        screenshot(admin, "people-members.png", screenshot_dir, full_page=True)

        staff = new_page(browser, live_server.url)
        log_in(staff, "e2e-staff")  # through the log-in form
        staff.goto(f"/organizations/{SLUG}/plans/{YEAR}/")
        follow(staff, staff.get_by_role("link", name="เพิ่มมาตรการ"))
        staff.fill("#id_title", "จัดทำรายงานการเงินประจำเดือนและเผยแพร่บนเว็บไซต์")
        staff.fill("#id_method", "รายงานการเงินทุกเดือนและเผยแพร่ภายในวันที่ ๑๐ ของเดือนถัดไป")
        owners = staff.locator("#id_owners input[type=checkbox]:checked")
        assert owners.count() == 1  # their department, ticked to start with
        screenshot(staff, "staff-measure-form.png", screenshot_dir, full_page=True)
        submit(staff, staff.get_by_role("button", name="บันทึก", exact=True), rf"/plans/{YEAR}/measures/1/$")

        staff.goto(f"/organizations/{SLUG}/plans/{YEAR}/")
        follow(staff, staff.get_by_role("link", name=re.compile("เริ่มรายงานผล.*6 เดือน")))
        submit(staff, staff.get_by_role("button", name="บันทึก", exact=True), rf"/plans/{YEAR}/reports/six_month/$")

        follow(staff, staff.get_by_role("link", name="งานของส่วนราชการฉัน").first)
        assert "จัดทำรายงานการเงินประจำเดือน" in staff.locator("#rows-to-fill").inner_text()
        screenshot(staff, "staff-my-work.png", screenshot_dir, full_page=True)
        follow(staff, staff.get_by_role("link", name="กรอกผลของมาตรการนี้"))
        staff.wait_for_url(re.compile(r"/reports/six_month/#row-1$"))
        staff.select_option("#id_m1-status", "done")
        staff.fill("#id_m1-result", "จัดทำและเผยแพร่รายงานการเงินครบ ๖ เดือน")
        staff.set_input_files("#id_m1-evidence_file", str(evidence))
        screenshot(staff, "staff-progress-row.png", screenshot_dir, full_page=True)
        # The redirect keeps the #row-1 the page was opened with.
        submit(staff, staff.get_by_role("button", name="บันทึกผลการดำเนินการ"), r"/reports/six_month/(#row-1)?$")
        assert "บันทึกผลการดำเนินการ 1 มาตรการแล้ว" in staff.content()
        staff.goto("/my-work/")
        assert staff.locator("#rows-to-fill").count() == 0
        assert not admin.js_errors and not staff.js_errors

    memberships = {m.user.username: (m.role, m.department.name if m.department else None)
                   for m in Membership.objects.filter(organization__slug=SLUG).select_related("user", "department")}
    assert memberships == {"e2e-new-admin": (Role.ADMIN, None), "e2e-staff": (Role.STAFF, "กองคลัง"),
                           "e2e-clerk": (Role.CLERK, None), "e2e-mayor": (Role.EXECUTIVE, None)}
    measure = Measure.objects.get(plan__organization__slug=SLUG, number=1)
    assert [d.name for d in measure.owners.all()] == ["กองคลัง"]
    entry = ProgressEntry.objects.get(measure=measure, report__round="six_month")
    assert (entry.status, entry.evidence_filename) == ("done", "รายงานการเงิน.pdf")
    assert entry.evidence_file.read() == PDF
