"""The public pages in Debian's Chromium (issue 21).

Done when: an admin of องค์การบริหารส่วนตำบลบ้านพราน (seed 002, whose measure plan is for 2569) publishes 2569; an
anonymous visitor opens its page and item O25, downloads the signed plan PDF and verifies it on the public verify
page; the admin withdraws the year and the pages answer 404. The plan is approved and issued first through the
memo services (seed 002 has no route nor memo). And axe-core (tests/vendor/axe-core, 4.14.1) finds no WCAG 2.1 A/AA
violation on any public page, on a desktop and a 390 px phone, which shows the page without sideways scrolling.

Screenshots go to a temporary directory, or with ``UPDATE_SCREENSHOTS=1`` to ``docs/screenshots/``
(``public-year-desktop.png``, ``public-year-phone.png``, ``public-item-phone.png``)."""
import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from measures.models import MeasurePlan
from memos.models import IssuedDocument, Memo, RoutingStep
from memos.services import memo_decide, memo_send
from oit.models import ChecklistEntry, Evidence, Item
from organizations.choices import Role
from organizations.models import Official, Organization
from tests.factories import ChecklistFactory, ElementFactory, ItemListFactory
from tests.helpers.public import YEAR, YearData

from .helpers import PHONE, chromium, ensure_seed_data, follow, log_in, member, new_page, screenshot, settle, submit

pytestmark = pytest.mark.browser
SLUG = "ban-phran"
AXE = settings.BASE_DIR / "tests" / "vendor" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _approved_and_issued_plan() -> IssuedDocument:
    """Ban Phran's 2569 plan sent along a two-step route and approved: the memo is issued, signed and stored."""
    organization = Organization.objects.get(slug=SLUG)
    organization.document_number_prefix = "บร 72001"
    organization.save()
    clerk = member("e2e-clerk-phran", organization, Role.CLERK)
    people = [member(f"e2e-{who}-phran", organization, Role.EXECUTIVE) for who in ("palad", "nayok")]
    for order, (user, title, name) in enumerate(zip(people, ["ความเห็นปลัด อบต.", "ความเห็น/คำสั่งนายก อบต."],
                                                    ["นายทดสอบ ปลัด", "นายทดสอบ นายก"], strict=True), start=1):
        official = Official.objects.create(organization=organization, full_name=name, position_lines=[title[8:]])
        RoutingStep.objects.create(organization=organization, order=order, title=title, user=user, official=official)
    plan = MeasurePlan.objects.get(organization=organization, fiscal_year=YEAR)
    memo = Memo.objects.create(organization=organization, plan=plan, date=dt.date(2025, 11, 3),
                               subject="ขออนุมัติมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ 2569",
                               addressee="นายกองค์การบริหารส่วนตำบลบ้านพราน", body="จึงเรียนมาเพื่อโปรดพิจารณา")
    memo_send(memo=memo, user=clerk)
    for user, action in zip(people, ["forward", "approve"], strict=True):
        with transaction.atomic():  # each decision commits: the approval's issue runs after it (immediate tasks)
            memo = memo_decide(memo=Memo.objects.get(pk=memo.pk), user=user, action=action, comment="เห็นชอบ",
                               today=dt.date(2025, 11, 5))
    return IssuedDocument.objects.get(memo=memo)


def _o25_entry(issued: IssuedDocument) -> None:
    """Ban Phran's 2569 checklist with O25 answered by the issued plan (marked public)."""
    item_list = ItemListFactory(fiscal_year=YEAR)
    item, _created = Item.objects.get_or_create(item_list=item_list, code="O25", defaults={
        "order": 25, "title": "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"})
    element = ElementFactory(item=item, text="มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    checklist = ChecklistFactory(organization=issued.organization, item_list=item_list)
    entry = ChecklistEntry.objects.create(checklist=checklist, item=item, url="https://banphran.go.th/ita/o25")
    Evidence.objects.create(entry=entry, element=element, done=True, kind="document", document=issued)


def test_an_admin_publishes_a_visitor_reads_downloads_and_verifies_then_the_year_is_withdrawn(
        live_server, screenshot_dir, tmp_path, signing):
    ensure_seed_data()
    issued = _approved_and_issued_plan()
    assert issued.signed
    _o25_entry(issued)
    member("e2e-admin-phran", Organization.objects.get(slug=SLUG), Role.ADMIN)
    year_url = f"/p/{SLUG}/{YEAR}/"

    with chromium() as browser:
        visitor = new_page(browser, live_server.url)
        assert visitor.goto(year_url).status == 404  # nothing is public yet

        admin = new_page(browser, live_server.url)
        log_in(admin, "e2e-admin-phran")
        admin.goto(f"/organizations/{SLUG}/public/")
        row = admin.locator("#publications tbody tr", has=admin.get_by_role("rowheader", name=str(YEAR)))
        row.get_by_role("button", name="เผยแพร่").click()
        assert "เผยแพร่ปีงบประมาณ 2569?" in admin.locator("h1").inner_text()
        submit(admin, admin.get_by_role("button", name="เผยแพร่"), r"/public/$")
        assert "เผยแพร่ปีงบประมาณ 2569 แล้ว" in admin.content()

        visitor.goto(f"/p/{SLUG}/")
        assert "ITA ขององค์การบริหารส่วนตำบลบ้านพราน" in visitor.locator("h1").inner_text()
        follow(visitor, visitor.locator("#scores").get_by_role("link", name=str(YEAR)))
        visitor.wait_for_url(re.compile(rf"{year_url}$"))
        assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน (O25)" in visitor.content()
        screenshot(visitor, "public-year-desktop.png", screenshot_dir)
        follow(visitor, visitor.locator("#oit-items").get_by_role("link", name="O25", exact=True))
        visitor.wait_for_url(re.compile(rf"{year_url}oit/O25/$"))
        assert visitor.locator("h1").inner_text() == "O25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
        with visitor.expect_download() as download:
            visitor.get_by_role("link", name=issued.filename).click()
        path = tmp_path / "plan.pdf"
        download.value.save_as(path)

        visitor.goto("/p/verify/")
        visitor.get_by_label("ไฟล์ PDF").set_input_files(str(path))
        visitor.get_by_role("button", name="ตรวจสอบ").click()
        visitor.wait_for_selector("#verify-result")
        result = visitor.locator("#verify-result").inner_text()
        assert "ลงลายมือชื่อดิจิทัล ไฟล์ครบถ้วน และใบรับรองเชื่อถือได้" in result
        assert "ใช่ อยู่ในทะเบียนเอกสารที่ออกโดยระบบนี้" in result

        phone = new_page(browser, live_server.url, viewport=PHONE)
        phone.goto(year_url)
        settle(phone)
        screenshot(phone, "public-year-phone.png", screenshot_dir)
        phone.goto(f"{year_url}oit/O25/")
        screenshot(phone, "public-item-phone.png", screenshot_dir)

        admin.goto(f"/organizations/{SLUG}/public/")
        row = admin.locator("#publications tbody tr", has=admin.get_by_role("rowheader", name=str(YEAR)))
        row.get_by_role("button", name="ถอนการเผยแพร่").click()
        submit(admin, admin.get_by_role("button", name="ถอนการเผยแพร่"), r"/public/$")
        assert "ถอนปีงบประมาณ 2569 ออกจากหน้าสาธารณะแล้ว" in admin.content()

        for url in (year_url, f"{year_url}oit/O25/", f"/p/{SLUG}/", f"{year_url}documents/{issued.pk}/"):
            assert visitor.request.get(url).status == 404, url
        assert visitor.context.cookies() == [] and phone.context.cookies() == []
        assert not visitor.js_errors and not phone.js_errors

    assert Path(path).read_bytes() == bytes(issued.content)


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return result.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
    }""", WCAG)
    return found


def test_axe_finds_no_violation_on_any_public_page_on_a_desktop_and_a_phone(live_server):
    ensure_seed_data()
    data = YearData("axe-test")
    data.publish()
    pages = ["/p/", "/p/axe-test/", f"/p/axe-test/{YEAR}/", f"/p/axe-test/{YEAR}/oit/O1/",
             f"/p/axe-test/{YEAR}/oit/O25/", "/p/verify/"]
    found = {}
    with chromium() as browser:
        for viewport in ({"width": 1280, "height": 900}, PHONE):
            context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="th-TH",
                                          bypass_csp=True, java_script_enabled=True)
            page = context.new_page()
            for url in pages:
                assert page.goto(url).status == 200, url
                if violations := _violations(page):
                    found[f"{viewport['width']} {url}"] = violations
                if viewport == PHONE:  # no sideways scrolling at 390 px (tables scroll in their own box)
                    width = page.evaluate("() => document.documentElement.scrollWidth")
                    assert width <= PHONE["width"], (url, width)
            context.close()
    assert not found, found


def test_the_year_page_fits_a_390_px_phone_its_tables_stacked(live_server):
    """On a 390 px phone the year page does not scroll sideways, nor do its tables in their boxes: below 40em the
    OIT, measure and progress tables stack (public.css, no script), each cell under its column's name; axe finds
    nothing. On a desktop they stay tables."""
    ensure_seed_data()
    data = YearData("phone-test")
    data.entries["O1"].url = "https://example.go.th/ข้อมูลพื้นฐาน/โครงสร้างและอำนาจหน้าที่/" + "เอกสาร-" * 12 + ".pdf"
    data.entries["O1"].save()
    data.publish()
    url = f"/p/phone-test/{YEAR}/"
    with chromium() as browser:
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="th-TH", bypass_csp=True)
        page = context.new_page()
        assert page.goto(url).status == 200
        assert page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]") == [390, 390]
        assert page.evaluate("""() => [...document.querySelectorAll('.table-wrap')]
            .filter(box => box.scrollWidth > box.clientWidth).map(box => box.querySelector('table').id)""") == []
        o1 = page.evaluate("""() => [...document.querySelectorAll('#O1 > *')].map(cell => {
            const box = cell.getBoundingClientRect();
            return [Math.round(box.left), Math.round(box.top), getComputedStyle(cell, '::before').content]; })""")
        assert [left for left, _top, _label in o1] == [o1[0][0]] * 4  # one under the other
        assert [top for _left, top, _label in o1] == sorted({top for _left, top, _label in o1})
        assert [label for _left, _top, label in o1] == ["none", '"ชื่อรายการ"', '"บนเว็บไซต์หลัก"', '"หลักฐาน"']
        assert _violations(page) == []
        context.close()
        desktop = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                      locale="th-TH", bypass_csp=True).new_page()
        desktop.goto(url)
        tops = desktop.evaluate("() => [...document.querySelectorAll('#O1 > *')]"
                                ".map(cell => cell.getBoundingClientRect().top)")
        assert len(set(tops)) == 1  # a table row
