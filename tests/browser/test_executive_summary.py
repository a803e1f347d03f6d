"""The executive summary in Debian's Chromium (issue 22 §8): the นายก of เทศบาลตำบลโป่งน้ำร้อน opens it from the
dashboard, reads the print view (the toolbar is not printed), and downloads the PDF: one A4 page holding the same
figures. The organization keeps an OIT checklist of 2569 (18 of 26 items ready, a finished check that found three
problems) and two memos wait for the นายก.

Screenshots go to a temporary directory, or with ``UPDATE_SCREENSHOTS=1`` to ``docs/screenshots/``
(``executive-summary.png``).
"""
import datetime as dt
import re
import subprocess

import pytest
from django.utils import timezone

from memos.choices import MemoState
from oit.checklists import checklist_create
from oit.choices import EntryStatus, ProblemKind, RunStatus
from oit.items import item_lists_load
from oit.models import ReadinessRun
from oit.results import checklist_counts_refresh
from organizations.choices import Role
from organizations.models import Organization
from tests.factories import MemoFactory

from .helpers import chromium, ensure_seed_data, follow, log_in, member, new_page, screenshot

pytestmark = pytest.mark.browser
SLUG = "pong-nam-ron"


def _set_up():
    ensure_seed_data()
    item_lists_load()
    organization = Organization.objects.get(slug=SLUG)
    mayor = member("e2e-mayor-summary", organization, Role.EXECUTIVE)
    checklist = checklist_create(organization=organization, fiscal_year=2569, user=mayor)
    entries = list(checklist.entries.order_by("item__order"))
    for entry in entries[:18]:
        entry.status = EntryStatus.READY
        entry.save(update_fields=["status"])
    run = ReadinessRun.objects.create(checklist=checklist, status=RunStatus.DONE, requested_at=timezone.now(),
                                      finished_at=timezone.now())
    for entry, kind in zip(entries[18:], (ProblemKind.DEAD_LINK, ProblemKind.DEAD_LINK, ProblemKind.YEAR_MISSING),
                           strict=False):
        run.problems.create(entry=entry, kind=kind)
    checklist_counts_refresh(checklists=[checklist])
    plan = organization.measure_plans.get(fiscal_year=2567)
    route = [{"title": "ความเห็น/คำสั่งนายกเทศมนตรี"}]
    for day, subject in ((dt.date(2026, 11, 20), "รายงานผลการดำเนินการตามมาตรการ รอบ 12 เดือน"),
                         (dt.date(2026, 12, 1), "ขออนุมัติแผนมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปี 2570")):
        MemoFactory(organization=organization, plan=plan, date=day, subject=subject, state=MemoState.PENDING,
                    current_user=mayor, current_step=0, route=route)


def test_the_mayor_prints_the_one_page_summary_from_the_dashboard(live_server, screenshot_dir, tmp_path):
    _set_up()

    with chromium() as browser:
        page = new_page(browser, live_server.url)
        log_in(page, "e2e-mayor-summary")
        follow(page, page.get_by_role("link", name="สรุปหน้าเดียวสำหรับผู้บริหาร"))
        assert page.url.endswith(f"/organizations/{SLUG}/dashboard/summary/")
        body = " ".join(page.locator("main").inner_text().split())
        assert "เทศบาลตำบลโป่งน้ำร้อน" in body and "๙๖.๕๕" in body and "ผ่านดี (AA)" in body
        assert "ข้อที่พร้อมส่ง ๑๘ จาก ๒๖ ข้อ" in body and "ปัญหาจากการตรวจครั้งล่าสุด ๓ รายการ" in body
        assert "หนังสือรอการพิจารณาของท่าน ๒ ฉบับ" in body and "และอีก ๕ มาตรการ" in body
        toolbar = page.locator("nav.toolbar")
        assert toolbar.is_visible()
        page.emulate_media(media="print")
        assert not toolbar.is_visible()  # the print view prints the page alone
        page.emulate_media(media="screen")
        screenshot(page, "executive-summary.png", screenshot_dir, full_page=True)

        with page.expect_download() as download:
            toolbar.get_by_role("link", name="ดาวน์โหลด PDF").click()
        path = tmp_path / "summary.pdf"
        download.value.save_as(path)
        assert download.value.suggested_filename.startswith(f"executive-summary-{SLUG}-")
        assert not page.js_errors

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                                   text=True).stdout.split())
    assert "๙๖.๕๕" in text and "ผ่านดี (AA)" in text and "๑๘ จาก ๒๖" in text
    assert "ขออนุมัติแผนมาตรการส่งเสริมคุณธรรมและความโปร่งใส ปี ๒๕๗๐" in text
