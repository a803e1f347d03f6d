"""One memo along its route in Debian's Chromium (issue 11, "Browser test"): the clerk of เทศบาลตำบลโป่งน้ำร้อน
sends the plan's cover memo; the ปลัด finds it in **หนังสือรอพิจารณา** and returns it for changes; the clerk
corrects it and sends it again; the ปลัด forwards it and the นายก approves it; the clerk downloads the issued
PDF from the outgoing register, and it is the stored file, byte for byte.

Screenshots go to a temporary directory, or with ``UPDATE_SCREENSHOTS=1`` to ``docs/screenshots/``
(``memo-inbox.png``, ``memo-decision.png``, ``memo-trail.png``, ``memo-register.png``).
"""
import hashlib
import io
import re
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command

from memos.models import IssuedDocument, Memo, RoutingStep
from organizations.choices import Role
from organizations.models import Organization

from .helpers import chromium, ensure_seed_data, follow, log_in, member, new_page, screenshot, submit

pytestmark = pytest.mark.browser
SLUG, YEAR = "pong-nam-ron", 2567


def _set_up():
    ensure_seed_data()
    organization = Organization.objects.get(slug=SLUG)
    clerk = member("e2e-clerk-pong", organization, Role.CLERK)
    palad = member("e2e-palad-pong", organization, Role.EXECUTIVE)
    mayor = member("e2e-mayor-pong", organization, Role.EXECUTIVE)
    for user, first, last in ((clerk, "สมใจ", "ธุรการ"), (palad, "เศกสรรค์", "แก้วเชื้อ"), (mayor, "พิบิจ", "เพชรนำชม")):
        user.first_name, user.last_name = first, last
        user.save()
    officials = {o.full_name: o for o in organization.officials.all()}
    RoutingStep.objects.create(organization=organization, order=1, title="ความเห็นปลัดเทศบาล", user=palad,
                               official=officials["นายเศกสรรค์ แก้วเชื้อ"])
    RoutingStep.objects.create(organization=organization, order=2, title="ความเห็น/คำสั่งนายกเทศมนตรี", user=mayor,
                               official=officials["นายพิบิจ เพชรนำชม"])
    return Memo.objects.get(organization=organization, plan__fiscal_year=YEAR)


def _decide(page, comment: str, decision: str, *, before_submit: Callable[[], object] | None = None) -> None:
    page.get_by_label("ความเห็น / คำสั่ง").fill(comment)
    page.get_by_label(decision, exact=True).check()
    if decision == "อนุมัติ":  # approving issues a register number: confirmed by a box
        page.get_by_label("ข้าพเจ้าอนุมัติบันทึกข้อความนี้ และทราบว่าระบบจะออกเลขทะเบียนหนังสือส่งให้บันทึกข้อความนี้").check()
    if before_submit:
        before_submit()
    submit(page, page.get_by_role("button", name="บันทึกผลการพิจารณา"), r"/memos/\d+/$")


def test_a_memo_goes_the_route_back_for_changes_then_approved_and_its_pdf_is_downloaded(live_server, screenshot_dir,
                                                                                      tmp_path, signing):
    memo = _set_up()
    memo_url = f"/organizations/{SLUG}/memos/{memo.pk}/"

    with chromium() as browser:
        clerk = new_page(browser, live_server.url)
        log_in(clerk, "e2e-clerk-pong")
        clerk.goto(f"/organizations/{SLUG}/plans/{YEAR}/")
        follow(clerk, clerk.get_by_role("link", name=re.compile("เส้นทางเสนอ ประวัติ และไฟล์ PDF")))
        assert clerk.get_by_text("ความเห็นปลัดเทศบาล").count() >= 1
        submit(clerk, clerk.get_by_role("button", name="ส่งเสนอพิจารณา"), r"/memos/\d+/$")
        assert "ส่งเสนอบันทึกข้อความเพื่อพิจารณาแล้ว" in clerk.content()

        palad = new_page(browser, live_server.url)
        log_in(palad, "e2e-palad-pong")
        follow(palad, palad.get_by_role("link", name="หนังสือรอพิจารณา"))
        row = palad.locator("#inbox tbody tr")
        assert row.count() == 1 and "ความเห็นปลัดเทศบาล" in row.inner_text()
        screenshot(palad, "memo-inbox.png", screenshot_dir)
        follow(palad, row.get_by_role("link"))
        _decide(palad, "ขอให้ระบุจำนวนมาตรการในย่อหน้าที่สองให้ชัดเจน", "ส่งกลับให้แก้ไข")
        assert "ส่งบันทึกข้อความกลับให้แก้ไขแล้ว" in palad.content()

        follow(clerk, clerk.get_by_role("link", name="หนังสือรอพิจารณา"))
        assert "ส่งกลับมาให้ท่านแก้ไข" in clerk.locator("#inbox").inner_text()
        follow(clerk, clerk.locator("#inbox tbody a"))
        assert "ขอให้ระบุจำนวนมาตรการ" in clerk.locator("#trail").inner_text()
        follow(clerk, clerk.get_by_role("link", name="แก้ไขบันทึกข้อความ").first)
        body = clerk.locator("#id_body")
        body.fill(body.input_value() + "\n\nรวมทั้งสิ้น ๑๐ มาตรการ")
        submit(clerk, clerk.get_by_role("button", name="บันทึก", exact=True), rf"/plans/{YEAR}/$")
        clerk.goto(memo_url)
        submit(clerk, clerk.get_by_role("button", name="ส่งเสนอพิจารณา"), r"/memos/\d+/$")

        palad.goto(memo_url)
        _decide(palad, "เห็นควรพิจารณาอนุมัติ", "เสนอต่อ")
        mayor = new_page(browser, live_server.url)
        log_in(mayor, "e2e-mayor-pong")
        follow(mayor, mayor.get_by_role("link", name="หนังสือรอพิจารณา"))
        follow(mayor, mayor.locator("#inbox tbody a"))
        # The memo as it will print shows in the page's frame (a policy of frame-ancestors 'none' left it empty).
        assert "จึงเรียนมาเพื่อโปรดพิจารณา" in mayor.frame_locator("iframe.memo-preview").locator("main").inner_text()
        # The decision page as the นายก fills it in: the memo as it will print, its PDF, the decision, the confirmation.
        _decide(mayor, "อนุมัติ", "อนุมัติ",
                before_submit=lambda: screenshot(mayor, "memo-decision.png", screenshot_dir, full_page=True))
        assert "อนุมัติบันทึกข้อความและออกเลขที่หนังสือแล้ว" in mayor.content()
        trail = mayor.locator("#trail tbody tr")
        assert trail.count() == 5  # send, return, send, forward, approve
        assert "ขอให้ระบุจำนวนมาตรการ" in trail.nth(1).inner_text()
        screenshot(mayor, "memo-trail.png", screenshot_dir, full_page=True)

        clerk.goto(f"/organizations/{SLUG}/")
        follow(clerk, clerk.get_by_role("link", name="ทะเบียนหนังสือส่ง"))
        register = clerk.locator("#register tbody tr")
        assert register.count() == 1 and "จป.53001/1" in register.inner_text()
        screenshot(clerk, "memo-register.png", screenshot_dir)
        with clerk.expect_download() as download:
            register.get_by_role("link", name="ดาวน์โหลด PDF").click()
        path = tmp_path / "issued.pdf"
        download.value.save_as(path)
        for page in (clerk, palad, mayor):
            assert not page.js_errors

    issued = IssuedDocument.objects.get(memo=memo)
    content = path.read_bytes()
    assert content == bytes(issued.content) and hashlib.sha256(content).hexdigest() == issued.sha256
    assert content.startswith(b"%PDF-") and issued.signed
    # The downloaded file is the signed one we issued: verify_pdf accepts it and refuses a copy with a byte changed.
    out = io.StringIO()
    call_command("verify_pdf", str(path), stdout=out)
    assert "ออกโดยระบบนี้: ใช่ อยู่ในทะเบียนเอกสารที่ออกโดยระบบนี้" in out.getvalue()
    assert "ผ่านการตรวจสอบ" in out.getvalue()
    changed = bytearray(content)
    changed[len(changed) // 3] ^= 0x01
    (tmp_path / "changed.pdf").write_bytes(bytes(changed))
    with pytest.raises((SystemExit, CommandError)):
        call_command("verify_pdf", str(tmp_path / "changed.pdf"), stdout=io.StringIO())
    memo.refresh_from_db()
    assert (memo.state, memo.document_number) == ("approved", "จป.53001/1")
    assert list(memo.comments.filter(transition__isnull=False).values_list("title", "text")) == [
        ("ความเห็นปลัดเทศบาล", "เห็นควรพิจารณาอนุมัติ"), ("ความเห็น/คำสั่งนายกเทศมนตรี", "อนุมัติ")]
    assert memo.plan.is_locked
