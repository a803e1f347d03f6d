"""A progress row with one wrong date, and a text at its limit, in Debian's Chromium (issue 22 §7, "Forms"): only the
wrong box is marked red, never every box of its row; a text area shows a live counter near its limit and keeps a
text over it — the server refuses it in Thai instead of the browser cutting it silently at ``maxlength``."""
import pytest

from organizations.choices import Role
from organizations.models import Organization

from .helpers import chromium, ensure_seed_data, log_in, member, new_page

pytestmark = pytest.mark.browser

REPORT = "/organizations/khok-ma/plans/2568/reports/annual/"
SAVE = "บันทึกผลการดำเนินการ"
BAD = "rgb(179, 38, 30)"  # --bad, #b3261e


def _border(page, selector: str) -> str:
    return page.locator(selector).evaluate("e => getComputedStyle(e).borderTopColor")


def _report_page(browser, live_server, username: str):
    page = new_page(browser, live_server.url)
    log_in(page, username)
    page.goto(REPORT)
    return page


def _save(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=SAVE).click()


def test_only_the_wrong_date_of_a_row_is_marked(live_server):
    ensure_seed_data()
    member("e2e-date-admin", Organization.objects.get(slug="khok-ma"), Role.ADMIN)
    with chromium() as browser:
        page = _report_page(browser, live_server, "e2e-date-admin")
        page.fill("#id_m1-date_done", "31/13/2567")  # no 13th month
        page.fill("#id_m1-evidence_url", "https://example.org/report")
        _save(page)
        row = page.locator("#row-1")
        assert row.locator(".field.has-error").count() == 1
        assert "ไม่มีเดือน" in row.locator(".field.has-error").inner_text()
        assert _border(page, "#id_m1-date_done") == BAD
        for other in ("#id_m1-date_text", "#id_m1-evidence_url", "#id_m1-status", "#id_m1-result",
                      "#id_m1-recommendation"):
            assert _border(page, other) != BAD, other
        assert not page.js_errors


def test_a_long_text_is_counted_near_its_limit_kept_whole_and_refused_in_thai(live_server):
    ensure_seed_data()
    member("e2e-text-admin", Organization.objects.get(slug="khok-ma"), Role.ADMIN)
    with chromium() as browser:
        page = _report_page(browser, live_server, "e2e-text-admin")
        area = page.locator("#id_m1-result")
        assert area.get_attribute("maxlength") is None  # a browser cuts a pasted text at maxlength, silently
        assert "ไม่เกิน 10,000 ตัวอักษร" in page.locator("#id_m1-result_helptext").inner_text()
        counter = page.locator("#id_m1-result + .counter")
        page.fill("#id_m1-result", "ก" * 7_000)
        assert counter.count() == 0 or counter.is_hidden()  # far from the limit: no counter
        page.fill("#id_m1-result", "ก" * 9_000)
        assert counter.inner_text() == "9,000 จาก 10,000 ตัวอักษร"
        page.fill("#id_m1-result", "ก" * 10_001)
        assert area.input_value() == "ก" * 10_001
        assert counter.inner_text().startswith("เกินความยาวสูงสุด 10,000 ตัวอักษรอยู่ 1 ตัวอักษร")
        _save(page)
        assert ("ข้อความนี้มี 10001 ตัวอักษร เกินความยาวสูงสุด 10000 ตัวอักษร"
                in page.locator("#row-1 .field.has-error").inner_text())
        assert page.locator("#id_m1-result").input_value() == "ก" * 10_001  # kept, for the writer to shorten
        assert not page.js_errors
