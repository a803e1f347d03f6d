"""An overseer of the whole country filters the national table in Debian's Chromium, on a desktop and on a
390 px phone (issue 9, "Browser test"): they land on the overview after logging in, choose a province and a kind
in the filter form, and every row shown is of that province and kind, with the year's figures of exactly those
organizations.

The country is a small one made by ``generate_national_dataset`` (80 organizations, 3 fiscal years). Screenshots
go to a temporary directory, or to ``docs/screenshots/`` (``overview-country.png``, ``overview-national.png``
after filtering, ``overview-1366.png``, ``overview-phone.png``, ``overview-phone-figures.png``) with
``UPDATE_SCREENSHOTS=1``.
"""
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments.models import Assessment
from organizations.choices import OrganizationKind
from organizations.models import Organization, OversightScope

from .helpers import PASSWORD, PHONE, chromium, ensure_seed_data, log_in, new_page, screenshot, settle

pytestmark = pytest.mark.browser


def test_a_national_overseer_filters_the_national_table(live_server, screenshot_dir):
    ensure_seed_data()
    call_command("generate_national_dataset", organizations=80, years=3, seed=1, stdout=open(os.devnull, "w"))
    user = get_user_model().objects.create_user(username="e2e-national", password=PASSWORD)
    OversightScope.objects.create(user=user, province="")
    kind = OrganizationKind.SAO
    province = (Organization.objects.filter(kind=kind).values_list("province", flat=True)
                .order_by("province").first())
    expected = set(Organization.objects.filter(province=province, kind=kind).values_list("name", flat=True))
    assessed = Assessment.objects.filter(fiscal_year=2569, organization__province=province,
                                         organization__kind=kind).count()
    assert expected and assessed

    with chromium() as browser:
        page = new_page(browser, live_server.url)
        log_in(page, "e2e-national")
        assert page.url.endswith("/overview/")  # an overseer's home page
        assert page.locator("h1").inner_text() == "ภาพรวมหน่วยงาน · ปีงบประมาณ 2569"
        assert page.locator("table.overview tbody tr").count() == 50  # one page of the country
        screenshot(page, "overview-country.png", screenshot_dir, clip={"x": 0, "y": 0, "width": 1280, "height": 1700},
                   full_page=True)
        page.select_option("#id_province", province)
        page.select_option("#id_kind", kind)
        with page.expect_navigation():
            page.get_by_role("button", name="กรอง").click()
        rows = page.locator("table.overview tbody tr")
        names = {rows.nth(i).locator("td.org a").inner_text() for i in range(rows.count())}
        assert names == expected
        for i in range(rows.count()):  # kind · district · province, folded under the name (issue 22 §7)
            where = rows.nth(i).locator("td.org .meta").inner_text().split(" · ")
            assert (where[0], where[-1]) == ("องค์การบริหารส่วนตำบล (อบต.)", province)
        assert page.locator('[data-figure="assessed"]').inner_text() == str(assessed)
        assert page.get_by_role("img", name="จำนวนหน่วยงานตามระดับผลการประเมิน").is_visible()
        screenshot(page, "overview-national.png", screenshot_dir, full_page=True)

        # The organization table fits the main column at 1366 and 1920 px: no sideways scrolling (issue 22 §7: it
        # was 1,760 px wide in a 1,166 px column), every column in view, the ranks with how many they are out of.
        filtered = page.url
        for width, height in ((1366, 768), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto("/overview/")
            settle(page)
            fit = page.locator("table.overview").evaluate(
                "t => ({table: t.scrollWidth, box: t.parentElement.clientWidth})")
            assert fit["table"] <= fit["box"], f"at {width} px: {fit}"
            assert page.locator("table.overview tbody tr td").filter(has_text=" จาก ").count() > 0
            if width == 1366:
                screenshot(page, "overview-1366.png", screenshot_dir, full_page=True)

        page.set_viewport_size(PHONE)
        page.goto(filtered)
        settle(page)
        # The page fits the phone; the wide table scrolls inside its own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator(".table-wrap").first.evaluate("e => e.scrollWidth > e.clientWidth")
        screenshot(page, "overview-phone.png", screenshot_dir, clip={"x": 0, "y": 0, "width": PHONE["width"],
                                                                       "height": 1800}, full_page=True)

        # The whole country's figures on the phone: the small tables beside the charts (levels, the indicators most
        # often below the target, with long Thai names) fit their column; the "below" one was 403 px wide.
        page.goto("/overview/")
        settle(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        for heading in ("h-levels", "h-weak"):
            fit = page.locator(f'table[aria-labelledby="{heading}"]').evaluate(
                "t => ({table: t.getBoundingClientRect().right, column: t.parentElement.getBoundingClientRect().right,"
                " page: document.documentElement.clientWidth})")
            assert fit["table"] <= min(fit["column"], fit["page"]) + 0.5, f"{heading}: {fit}"
        top = page.locator("#h-levels").evaluate("e => e.getBoundingClientRect().top + window.scrollY")
        bottom = page.locator('table[aria-labelledby="h-weak"]').evaluate(
            "e => e.getBoundingClientRect().bottom + window.scrollY")
        screenshot(page, "overview-phone-figures.png", screenshot_dir, full_page=True,
                   clip={"x": 0, "y": top - 8, "width": PHONE["width"], "height": bottom - top + 16})
        assert not page.js_errors
