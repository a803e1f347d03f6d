"""The top bar on a 390 px phone and on a desktop, and the in-page navigation of long pages (issue 22 §7, "Phone").

On the phone the menu is folded: the header is at most ``PHONE_HEADER_MAX`` px tall (it was 257 px, 30 % of the
screen, before), a tap on **เมนู** opens it, every label stays on one line, the keyboard opens and closes it, and it
works with JavaScript turned off. The in-page links of the dashboard and of the plan page bring their section to
the top of the screen. On a desktop nothing moved: no menu button, every link in the bar, the bar as tall as before
(``DESKTOP_HEADER_MAX``; 105 px before and after).

Screenshots go to a temporary directory, or with ``UPDATE_SCREENSHOTS=1`` to ``docs/screenshots/``
(``phone-menu-open.png``).
"""
import pytest

from organizations.choices import Role
from organizations.models import Organization

from .helpers import PHONE, chromium, ensure_seed_data, log_in, member, new_page, screenshot, settle

pytestmark = pytest.mark.browser

PHONE_HEADER_MAX = 64  # px: 7.6 % of the 844 px screen (the brand and the 44 px menu button, 8 px above and below)
DESKTOP_HEADER_MAX = 110  # px at 1280 px: two rows (the links, then the language and the account), as before
MENU_LINKS = ["แดชบอร์ด", "หน่วยงาน", "มาตรการ", "งานของส่วนราชการฉัน", "รายการ OIT รายปี", "ตรวจสอบไฟล์ PDF",
              "หนังสือรอพิจารณา"]


def header_height(page) -> float:
    return page.evaluate("document.querySelector('header.topbar').getBoundingClientRect().height")


def lines_of(page, selector: str) -> dict[str, int]:
    """How many printed lines each element matching ``selector`` takes (label → distinct line tops)."""
    return page.evaluate("""selector => Object.fromEntries([...document.querySelectorAll(selector)].map(element => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
        return [element.textContent.trim(), tops.size];
    }))""", selector)


def jumped_to(page, element_id: str) -> bool:
    """Whether the element ``element_id`` is at the top of the screen (within 40 px), or on the screen when the page
    is scrolled to its end (the last section cannot come higher), after the page was scrolled down to it."""
    return page.evaluate("""id => {
        const top = document.getElementById(id).getBoundingClientRect().top;
        const atEnd = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;
        return window.scrollY > 0 && top >= 0 && (top <= 40 || (atEnd && top < window.innerHeight - 100));
    }""", element_id)


def menu_link(page, name: str):
    return page.locator("header nav").get_by_role("link", name=name, exact=True)


def test_on_a_phone_the_menu_folds_opens_on_a_tap_and_the_page_links_jump(live_server, screenshot_dir):
    ensure_seed_data()
    member("e2e-mayor-phone", Organization.objects.get(slug="khok-ma"), Role.EXECUTIVE)

    with chromium() as browser:
        page = new_page(browser, live_server.url, viewport=PHONE, touch=True)
        log_in(page, "e2e-mayor-phone")
        assert page.url.endswith("/organizations/khok-ma/dashboard/")
        button = page.locator("header summary")
        assert button.inner_text().strip() == "เมนู"
        assert header_height(page) <= PHONE_HEADER_MAX
        assert not menu_link(page, "หน่วยงาน").is_visible()

        button.tap()
        assert page.locator("details#menu").get_attribute("open") is not None
        for name in MENU_LINKS:
            assert menu_link(page, name).is_visible(), name
        lines = lines_of(page, "header nav a, header .tools a, header .tools button, header .who")
        assert set(MENU_LINKS) <= set(lines) and "ออกจากระบบ" in lines
        assert all(count == 1 for count in lines.values()), lines  # no label broken inside
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "phone-menu-open.png", screenshot_dir)
        button.tap()
        assert not menu_link(page, "หน่วยงาน").is_visible()

        button.focus()  # the keyboard: Enter opens and closes it, as a button
        page.keyboard.press("Enter")
        assert menu_link(page, "หน่วยงาน").is_visible()
        page.keyboard.press("Enter")
        assert not menu_link(page, "หน่วยงาน").is_visible()

        toc = page.get_by_role("navigation", name="ในหน้านี้")
        assert toc.get_by_role("link").all_inner_texts() == [
            "คะแนน ITA รายปี", "ตัวชี้วัดปีงบประมาณ 2568", "มาตรการตามแผนปีงบประมาณ 2568",
            "ขั้นตอนของรอบการประเมินประจำปี"]
        toc.get_by_role("link", name="ขั้นตอนของรอบการประเมินประจำปี").tap()
        settle(page)
        assert page.url.endswith("#h-cycle") and jumped_to(page, "h-cycle")
        page.goto("/organizations/khok-ma/dashboard/")
        page.get_by_role("navigation", name="ในหน้านี้").get_by_role("link", name="มาตรการตามแผนปีงบประมาณ 2568").tap()
        settle(page)
        assert jumped_to(page, "h-measures")

        page.goto("/organizations/khok-ma/plans/2568/")
        toc = page.get_by_role("navigation", name="ในหน้านี้")
        assert toc.get_by_role("link").all_inner_texts() == ["มาตรการ (8)", "รายงานผลการดำเนินการ: ประจำปี"]
        toc.get_by_role("link", name="รายงานผลการดำเนินการ: ประจำปี").tap()
        settle(page)
        report = page.locator("section.report h2").first.get_attribute("id")
        assert page.url.endswith(f"#{report}") and jumped_to(page, report)
        assert not page.js_errors

        # Without JavaScript the menu opens and closes all the same.
        still = new_page(browser, live_server.url, viewport=PHONE, touch=True, javascript=False)
        log_in(still, "e2e-mayor-phone")
        assert header_height(still) <= PHONE_HEADER_MAX and not menu_link(still, "หน่วยงาน").is_visible()
        still.locator("header summary").tap()
        assert menu_link(still, "หนังสือรอพิจารณา").is_visible()


def test_on_a_desktop_the_menu_is_the_bar_it_was(live_server):
    ensure_seed_data()
    member("e2e-mayor-desk", Organization.objects.get(slug="khok-ma"), Role.EXECUTIVE)

    with chromium() as browser:
        page = new_page(browser, live_server.url)
        log_in(page, "e2e-mayor-desk")
        assert not page.locator("header summary").is_visible()
        assert header_height(page) <= DESKTOP_HEADER_MAX
        tops = {name: menu_link(page, name).bounding_box()["y"] for name in MENU_LINKS}
        assert len({round(top) for top in tops.values()}) == 1, tops  # one row, every link shown
        assert page.get_by_role("button", name="ออกจากระบบ").is_visible()
        assert page.get_by_label("ภาษา").is_visible()
        assert all(count == 1 for count in lines_of(page, "header nav a, header .tools a").values())
        assert not page.js_errors
