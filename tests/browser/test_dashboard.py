"""An executive's dashboard in Debian's Chromium, on a desktop and on a 390 px phone (issue 9, "Browser test"):
the executive lands on it after logging in, the charts are drawn and readable, nothing overflows the phone's width,
and the numbers of the tables are there.

Screenshots go to a temporary directory, or to ``docs/screenshots/`` (``dashboard-khok-ma.png``,
``dashboard-phone.png``) with ``UPDATE_SCREENSHOTS=1``.
"""

import pytest

from organizations.choices import Role
from organizations.models import Organization

from .helpers import PHONE, chromium, ensure_seed_data, log_in, member, new_page, screenshot, settle

pytestmark = pytest.mark.browser

CHART_WIDTH = 360  # the charts' viewBox width (dashboards/charts.py)
CHART_FONT = 15  # their text size in viewBox units; 13 for the small text


def chart_sizes(page) -> list[dict]:
    """Width of each chart on screen, in CSS pixels."""
    return page.evaluate("""() => [...document.querySelectorAll('svg.chart')].map(svg => (
        {width: svg.getBoundingClientRect().width, title: svg.querySelector('title').textContent}))""")


def test_an_executive_sees_the_dashboard_on_a_desktop_and_on_a_phone(live_server, screenshot_dir):
    ensure_seed_data()
    member("e2e-mayor-khok-ma", Organization.objects.get(slug="khok-ma"), Role.EXECUTIVE)

    with chromium() as browser:
        page = new_page(browser, live_server.url)
        log_in(page, "e2e-mayor-khok-ma")
        assert page.url.endswith("/organizations/khok-ma/dashboard/")  # the home page of a one-organization user
        assert page.get_by_role("link", name="แดชบอร์ด").count() == 1
        history = page.locator("#table-history tbody tr")
        assert history.all_inner_texts() == ["2567\t93.99\tผ่านดี\t–", "2568\t99.54\tผ่านดีเยี่ยม\t+5.55"]
        assert page.get_by_role("img", name="คะแนน ITA รายปีงบประมาณ").is_visible()
        assert page.get_by_role("img", name="ตัวชี้วัด 10 ตัว ปีงบประมาณ 2568 เทียบกับค่าเป้าหมาย").is_visible()
        assert len(chart_sizes(page)) == 4  # score, indicators, statuses, departments
        screenshot(page, "dashboard-khok-ma.png", screenshot_dir, full_page=True)

        page.set_viewport_size(PHONE)
        page.reload()
        settle(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        for chart in chart_sizes(page):
            assert chart["width"] <= PHONE["width"] - 30, chart
            # The small text of a chart is at least 11 px on the phone, the rest at least 13 px.
            assert chart["width"] / CHART_WIDTH * 13 >= 11, chart
        assert page.locator("#table-indicators").is_visible()
        screenshot(page, "dashboard-phone.png", screenshot_dir, clip={"x": 0, "y": 0, "width": PHONE["width"],
                                                                        "height": 2000}, full_page=True)
        assert not page.js_errors
