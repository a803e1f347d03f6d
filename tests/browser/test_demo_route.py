"""What a newcomer does after ``make run`` (issue 24, "Done when"), in Debian's Chromium: with the demo users, the
demo route (``manage.py demo_route``) and the demo certificate, and nothing set up by hand, ``clerk`` sends
เทศบาลตำบลโป่งน้ำร้อน's memo, ``deputy`` finds it in **หนังสือรอพิจารณา** and forwards it รักษาราชการแทน the ปลัด,
``executive`` approves it, ``clerk`` downloads the issued PDF from the outgoing register and uploads it on the
verify page, which says it was signed with the demo certificate. (The worker is the test settings' immediate task
backend here; a real ``make run`` with its worker was checked by hand: docs/operations/signing.md.)"""
import re

import pytest
from django.core.management import call_command

from memos.models import IssuedDocument, Memo
from reports.demo_certificate import DEMO_SIGNER_NAME

from .helpers import chromium, ensure_seed_data, follow, log_in, new_page, submit

pytestmark = pytest.mark.browser
SLUG, YEAR = "pong-nam-ron", 2567
PASSWORD = "demo-ita-portal"
DEMO_LINE = "ลงลายมือชื่อด้วยใบรับรองสาธิต (ไม่ได้รับความเชื่อถือนอกระบบที่ติดตั้งนี้)"


def _decide(page, comment: str, decision: str) -> None:
    page.get_by_label("ความเห็น / คำสั่ง").fill(comment)
    page.get_by_label(decision, exact=True).check()
    if decision == "อนุมัติ":
        page.get_by_label(re.compile("ข้าพเจ้าอนุมัติบันทึกข้อความนี้")).check()
    submit(page, page.get_by_role("button", name="บันทึกผลการพิจารณา"), r"/memos/\d+/$")


def test_after_make_run_the_demo_users_take_a_memo_along_the_demo_route_and_its_pdf_verifies_as_demo_signed(
        live_server, tmp_path, demo_signing):
    ensure_seed_data()
    for command in ("create_demo_users", "demo_route"):
        call_command(command, stdout=open(tmp_path / f"{command}.txt", "w"))  # noqa: SIM115
    memo = Memo.objects.get(organization__slug=SLUG, plan__fiscal_year=YEAR)

    with chromium() as browser:
        clerk = new_page(browser, live_server.url)
        log_in(clerk, "clerk", PASSWORD)
        clerk.goto(f"/organizations/{SLUG}/memos/{memo.pk}/")
        submit(clerk, clerk.get_by_role("button", name="ส่งเสนอพิจารณา"), r"/memos/\d+/$")

        deputy = new_page(browser, live_server.url)
        log_in(deputy, "deputy", PASSWORD)
        follow(deputy, deputy.get_by_role("link", name="หนังสือรอพิจารณา"))
        row = deputy.locator("#inbox tbody tr")
        assert row.count() == 1 and "ความเห็นปลัดเทศบาล (รักษาราชการแทน)" in row.inner_text()
        follow(deputy, row.get_by_role("link"))
        _decide(deputy, "เห็นควรพิจารณาอนุมัติ", "เสนอต่อ")
        assert "นราพร มิตรวิเชียร (รักษาราชการแทน)" in deputy.locator("#trail").inner_text()

        executive = new_page(browser, live_server.url)
        log_in(executive, "executive", PASSWORD)
        follow(executive, executive.get_by_role("link", name="หนังสือรอพิจารณา"))
        follow(executive, executive.locator("#inbox tbody a"))
        _decide(executive, "อนุมัติ", "อนุมัติ")
        assert "อนุมัติบันทึกข้อความและออกเลขที่หนังสือแล้ว" in executive.content()

        clerk.goto(f"/organizations/{SLUG}/")
        follow(clerk, clerk.get_by_role("link", name="ทะเบียนหนังสือส่ง"))
        with clerk.expect_download() as download:
            clerk.locator("#register tbody tr").get_by_role("link", name="ดาวน์โหลด PDF").click()
        path = tmp_path / "issued.pdf"
        download.value.save_as(path)

        follow(clerk, clerk.get_by_role("link", name="ตรวจสอบไฟล์ PDF"))
        assert "ระบบที่ติดตั้งนี้ลงลายมือชื่อไฟล์ PDF ด้วยใบรับรองสาธิต" in clerk.locator("#signing-demo").inner_text()
        clerk.set_input_files("#id_pdf", str(path))
        submit(clerk, clerk.get_by_role("button", name="ตรวจสอบ", exact=True), r"/documents/verify/$")
        headline = clerk.locator("#verify-headline").inner_text()
        result = clerk.locator("#verify-result table").inner_text()
        for page in (clerk, deputy, executive):
            assert not page.js_errors

    assert headline == ("ไฟล์นี้คือไฟล์ที่ระบบออก: พบในทะเบียนเอกสารที่ออกโดยระบบนี้ "
                        f"ลงลายมือชื่อดิจิทัล ไฟล์ครบถ้วน และใบรับรองเชื่อถือได้ {DEMO_LINE}")
    assert f"ใบรับรอง\t{DEMO_LINE}" in result and f"ผู้ลงนาม\t{DEMO_SIGNER_NAME}" in result
    issued = IssuedDocument.objects.get(memo=memo)
    assert issued.signed and path.read_bytes() == bytes(issued.content)
