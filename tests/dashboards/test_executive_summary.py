"""The one-page executive summary (issue 22 §8): it shows the dashboard's own figures for the same organization and
day (score, level, last year's, the weakest indicators, measures done / overdue / reported without a status, the
OIT readiness card), the memos waiting for the reader, one A4 page in the PDF whatever the data, and the dashboard
links to it."""
import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import IndicatorScore
from core.thai import to_arabic_digits
from dashboards import summary
from measures.services import measure_statuses_refresh
from memos.choices import MemoState
from oit.choices import EntryStatus, ProblemKind, RunStatus
from oit.models import ItemList, ReadinessRun
from oit.results import checklist_counts_refresh
from organizations.models import Organization
from tests.factories import (
    ChecklistEntryFactory,
    ChecklistFactory,
    ItemFactory,
    ItemListFactory,
    MeasureFactory,
    MemoFactory,
    OrganizationFactory,
)
from tests.helpers.pages import table_rows, text

TODAY = dt.date(2026, 12, 6)  # 6 ธ.ค. 2569: the plans of the seeds are over, their late measures are late
SEED_SLUGS = ["khok-ma", "pong-nam-ron", "mueang-phalai", "dong-sombun", "ban-phran"]
# The seeds with the most on the page: Khok Ma (two years of results, 8 measures reported without a status),
# Pong Nam Ron (a 2566 result with both scales, 10 measures late), Mueang Phalai (25 measures, 11 late).
FULLEST_SEEDS = ["khok-ma", "pong-nam-ron", "mueang-phalai"]
# The session, the user, the user's memberships with their organizations (3: organizations.selectors
# .active_memberships; a member's organization needs no query of its own), the dashboard's selectors (10:
# assessments, plans, reports, 4 for the latest year, 2 for the measures, the OIT checklist), the inbox (1); with a
# checklist, one more (its latest readiness run).
QUERIES = 14


@pytest.fixture(autouse=True)
def _today(on_day):
    on_day(TODAY)


def _page(client, name: str, slug: str) -> str:
    response = client.get(reverse(name, args=[slug]))
    assert response.status_code == 200
    return response.content.decode()


def dashboard_figures(page: str) -> dict[str, str]:
    """The dashboard's cards (label → value) and its weakest indicators, as the reader sees them."""
    cards = {text(label): text(value) for label, value in re.findall(
        r'<div class="stat[^"]*"[^>]*>\s*<span class="label">(.*?)</span>\s*<span class="value">(.*?)</span>', page,
        re.S)}
    weakest = re.search(r'<h3>ตัวชี้วัดที่ได้คะแนนต่ำสุด</h3>\s*<ol class="weakest">(.*?)</ol>', page, re.S)
    cards["weakest"] = [re.sub(r"\s*▼.*$", "", text(item))  # "4. การใช้ทรัพย์สินของราชการ — 98.37", without the badge
                        for item in re.findall(r"<li>(.*?)</li>", weakest.group(1))] if weakest else []
    return cards


def by_id(page: str, element_id: str) -> str:
    """The text of the element ``element_id`` of the summary, Thai digits read as Arabic ones ("" when absent)."""
    found = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    return to_arabic_digits(text(found.group(2))) if found else ""


@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_the_summary_shows_the_dashboards_figures(demo_client, slug):
    dashboard = dashboard_figures(_page(demo_client, "dashboards:organization_dashboard", slug))
    page = _page(demo_client, "dashboards:organization_summary", slug)
    year = next((label for label in dashboard if label.startswith("คะแนน ITA ปี")), None)
    if year:
        assert by_id(page, "summary-score") == dashboard[year]
        assert by_id(page, "summary-level") == dashboard["ระดับผลการประเมิน"].replace("–", "–")
        weakest = table_rows(to_arabic_digits(page), "summary-weakest")[1:] if dashboard["weakest"] else []
        assert [f"{row[0]} — {row[1]}" for row in weakest] == dashboard["weakest"]
    else:
        assert "ยังไม่มีผลการประเมิน ITA" in page
    done = next((value for label, value in dashboard.items() if label.startswith("มาตรการที่เสร็จแล้ว")), None)
    if done:
        assert f"{by_id(page, 'summary-done')} / {by_id(page, 'summary-total')}" == done
        assert by_id(page, "summary-overdue") == dashboard["มาตรการที่เลยกำหนด"]
        assert by_id(page, "summary-no-status") == dashboard.get("รายงานผลแล้ว (ไม่ระบุสถานะ)", "0")


def test_an_indicator_below_the_target_is_marked_as_on_the_dashboard(demo_client, khok_ma):
    IndicatorScore.objects.filter(assessment__organization=khok_ma, assessment__fiscal_year=2568,
                                  indicator__number=4).update(score=Decimal("80.50"))
    dashboard = dashboard_figures(_page(demo_client, "dashboards:organization_dashboard", "khok-ma"))
    assert dashboard["weakest"][0] == "4. การใช้ทรัพย์สินของราชการ — 80.50"
    rows = table_rows(to_arabic_digits(_page(demo_client, "dashboards:organization_summary", "khok-ma")),
                      "summary-weakest")
    assert rows[0] == ["ตัวชี้วัด", "คะแนน", "เทียบปี 2567", "ค่าเป้าหมาย 85.00"]
    assert rows[1] == ["4. การใช้ทรัพย์สินของราชการ", "80.50", "-16.33", "ต่ำกว่าเป้าหมาย"]


def test_last_years_score_and_level_are_the_dashboards_history(demo_client):
    history = table_rows(_page(demo_client, "dashboards:organization_dashboard", "khok-ma"), "table-history")
    assert history[1][:3] == ["2567", "93.99", "ผ่านดี"]
    page = _page(demo_client, "dashboards:organization_summary", "khok-ma")
    assert (by_id(page, "summary-previous-score"), by_id(page, "summary-previous-level")) == ("93.99", "ผ่านดี")
    assert by_id(page, "summary-change") == "+5.55"
    assert "ผ่านค่าเป้าหมาย ๘๕.๐๐ คะแนน (สูงกว่า ๑๔.๕๔ คะแนน)" in text(page)


def test_a_year_with_only_its_total_says_so_and_shows_the_gap_to_the_target(demo_client):
    page = text(_page(demo_client, "dashboards:organization_summary", "dong-sombun"))
    assert "ไม่มีคะแนนรายตัวชี้วัดของปีนี้ ประกาศเฉพาะคะแนนรวม" in page
    assert "ต่ำกว่าค่าเป้าหมาย ๘๕.๐๐ คะแนน อยู่ ๑๗.๑๓ คะแนน" in page


@pytest.fixture
def oit_and_memos(executive, khok_ma):
    """Khok Ma with an OIT checklist of 2569 (2 of 4 items ready, a finished check that found 3 problems, 2 of
    them dead links) and three memos waiting for ``executive`` — two on their route at its step, one returned to
    them — beside a memo of another organization and a memo at someone else's step."""
    ItemList.objects.filter(fiscal_year=2569).delete()
    item_list = ItemListFactory(fiscal_year=2569, entry_opens=dt.date(2027, 3, 1), entry_closes=dt.date(2027, 4, 30))
    checklist = ChecklistFactory(organization=khok_ma, item_list=item_list, fiscal_year=2569)
    statuses = [EntryStatus.READY, EntryStatus.SUBMITTED, EntryStatus.IN_PROGRESS, EntryStatus.NOT_STARTED]
    entries = [ChecklistEntryFactory(checklist=checklist, item=ItemFactory(item_list=item_list, code=f"O{n}", order=n),
                                     status=status) for n, status in enumerate(statuses, start=1)]
    run = ReadinessRun.objects.create(checklist=checklist, status=RunStatus.DONE, requested_at=timezone.now(),
                                      finished_at=timezone.now())
    for kind in (ProblemKind.DEAD_LINK, ProblemKind.DEAD_LINK, ProblemKind.YEAR_MISSING):
        run.problems.create(entry=entries[0], kind=kind)
    checklist_counts_refresh(checklists=[checklist])
    route = [{"title": "ความเห็น/คำสั่งนายกเทศมนตรี"}]
    plan = khok_ma.measure_plans.get(fiscal_year=2568)
    for n in range(2):
        MemoFactory(organization=khok_ma, plan=plan, subject=f"ขออนุมัติมาตรการ เรื่องที่ {n + 1}", state=MemoState.PENDING,
                    current_user=executive, current_step=0, route=route)
    MemoFactory(organization=khok_ma, plan=plan, subject="รายงานผลที่ส่งกลับ", state=MemoState.RETURNED,
                sent_by=executive)
    MemoFactory(organization=khok_ma, plan=plan, subject="รอผู้อื่นพิจารณา", state=MemoState.PENDING, current_step=0,
                route=route)
    MemoFactory(organization=OrganizationFactory(), subject="หนังสือของหน่วยงานอื่น", state=MemoState.PENDING,
                current_user=executive, current_step=0, route=route)


def test_the_oit_card_and_the_readers_memos_are_on_the_summary(client, executive, oit_and_memos):
    client.force_login(executive)
    dashboard = _page(client, "dashboards:organization_dashboard", "khok-ma")
    cards = dashboard_figures(dashboard)
    page = _page(client, "dashboards:organization_summary", "khok-ma")
    assert cards["ข้อที่พร้อมส่ง"] == by_id(page, "summary-oit-ready").replace(" จาก ", " / ") == "2 / 4"
    assert cards["ปัญหาจากการตรวจครั้งล่าสุด"] == by_id(page, "summary-oit-problems") == "3"
    oit = by_id(page, "summary-oit")
    assert "ลิงก์เปิดไม่ได้ 2 ลิงก์" in oit and "ตรวจความพร้อมล่าสุด" in oit and "(เสร็จแล้ว)" in oit
    assert "ช่วงส่งข้อมูลให้ ป.ป.ช. 1 มี.ค. 2570 – 30 เม.ย. 2570 (อีก 85 วันจะเปิด)" in oit
    assert by_id(page, "summary-memo-count") == "3"
    memos = table_rows(to_arabic_digits(page), "summary-memos")[1:]
    assert [row[1:] for row in memos] == [["ขออนุมัติมาตรการ เรื่องที่ 1", "ความเห็น/คำสั่งนายกเทศมนตรี"],
                                          ["ขออนุมัติมาตรการ เรื่องที่ 2", "ความเห็น/คำสั่งนายกเทศมนตรี"],
                                          ["รายงานผลที่ส่งกลับ", "ส่งกลับมาให้ท่านแก้ไข"]]
    assert "หนังสือของหน่วยงานอื่น" not in page and "รอผู้อื่นพิจารณา" not in page


def test_without_a_checklist_there_is_no_oit_section_and_no_memo_is_said_plainly(demo_client):
    page = text(_page(demo_client, "dashboards:organization_summary", "pong-nam-ron"))
    assert "ความพร้อม OIT" not in page
    assert "หนังสือรอการพิจารณาของท่าน ๐ ฉบับ ไม่มีหนังสือรอการพิจารณาของท่านในหน่วยงานนี้" in page


def test_the_dashboard_links_the_print_view_and_the_pdf(demo_client):
    page = _page(demo_client, "dashboards:organization_dashboard", "khok-ma")
    assert re.search(r'<a [^>]*id="summary-link" href="/organizations/khok-ma/dashboard/summary/">'
                     r"สรุปหน้าเดียวสำหรับผู้บริหาร</a>", page)
    assert 'href="/organizations/khok-ma/dashboard/summary.pdf" download>สรุป (PDF)</a>' in page
    view = _page(demo_client, "dashboards:organization_summary", "khok-ma")
    assert '<a class="button" href="/organizations/khok-ma/dashboard/summary.pdf" download>ดาวน์โหลด PDF</a>' in view
    assert '<a href="/organizations/khok-ma/dashboard/" target="_top">← กลับ</a>' in view
    assert "@media print" in view  # the toolbar is not printed (the browser test prints it)


def test_a_user_of_another_organization_gets_404(client, outsider):
    client.force_login(outsider)
    for name in ("dashboards:organization_summary", "dashboards:organization_summary_pdf"):
        response = client.get(reverse(name, args=["khok-ma"]))
        assert response.status_code == 404 and "โคกม้า" not in response.content.decode()


# --- the PDF (marker ``pdf``: tests/conftest.py PDF_TESTS) ------------------------------------------------------

def pdf_pages(content: bytes) -> int:
    """``Pages:`` of poppler's pdfinfo."""
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))


def pdf_text(content: bytes) -> str:
    """poppler's pdftotext, spaces collapsed."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def _thai(value: str) -> str:
    return value.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


@pytest.mark.parametrize("slug", FULLEST_SEEDS)
def test_the_pdf_is_one_page_holding_the_dashboards_figures(demo_client, slug):
    cards = dashboard_figures(_page(demo_client, "dashboards:organization_dashboard", slug))
    response = demo_client.get(reverse("dashboards:organization_summary_pdf", args=[slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="executive-summary-{slug}-2026-12-06.pdf"'
    assert pdf_pages(response.content) == 1
    content = pdf_text(response.content)
    organization = Organization.objects.get(slug=slug)
    assert organization.name in content and "ข้อมูล ณ วันที่ ๖ ธันวาคม ๒๕๖๙" in content
    year = next((label for label in cards if label.startswith("คะแนน ITA ปี")), None)
    if year:
        assert _thai(cards[year]) in content and _thai(cards["ระดับผลการประเมิน"]) in content
        for item in cards["weakest"]:
            number_and_name, score = item.split(" — ")
            assert _thai(number_and_name) in content and _thai(score) in content
    done, total = next(value for label, value in cards.items() if label.startswith("มาตรการที่เสร็จแล้ว")).split(" / ")
    figures = f"{_thai(total)} {_thai(done)} {_thai(cards['มาตรการที่เลยกำหนด'])}"
    # the row of counts under the headers (all, done, overdue, reported without a status), then the note under it
    assert f"{figures} {_thai(cards.get('รายงานผลแล้ว (ไม่ระบุสถานะ)', '0'))} เลยกำหนด: พ้นวันสิ้นสุด" in content


def test_the_pdf_stays_one_page_with_long_lists_and_counts_the_rest(client, executive, khok_ma, oit_and_memos):
    plan = khok_ma.measure_plans.get(fiscal_year=2568)
    for n in range(30):
        MeasureFactory(plan=plan, number=200 + n, title="มาตรการที่มีชื่อยาวมากเพื่อทดสอบการตัดบรรทัด " * 4,
                       timeframe_end=dt.date(2025, 9, 30))
    measure_statuses_refresh(measures=plan.measures.all())
    route = [{"title": "ความเห็น/คำสั่งนายกเทศมนตรี ผู้มีอำนาจพิจารณาสั่งการขั้นสุดท้าย"}]
    for _ in range(10):
        MemoFactory(organization=khok_ma, plan=plan, subject="ขอความเห็นชอบรายงานผลการดำเนินงานตามมาตรการ " * 4,
                    state=MemoState.PENDING, current_user=executive, current_step=0, route=route)
    client.force_login(executive)
    content = client.get(reverse("dashboards:organization_summary_pdf", args=["khok-ma"])).content
    assert pdf_pages(content) == 1
    text_ = pdf_text(content)
    assert f"และอีก {_thai(str(30 - summary.OVERDUE_LINES))} มาตรการ" in text_
    assert f"หนังสือรอการพิจารณาของท่าน {_thai('13')} ฉบับ" in text_
    assert f"และอีก {_thai(str(13 - summary.MEMO_LINES))} ฉบับ" in text_
    assert "ความพร้อม OIT ปีงบประมาณ ๒๕๖๙" in text_ and "๒ จาก ๔" in text_


def test_the_summary_reads_a_fixed_number_of_queries_whatever_the_data(client, executive, khok_ma,
                                                                        django_assert_num_queries):
    client.force_login(executive)
    url = reverse("dashboards:organization_summary", args=["khok-ma"])
    client.get(url)  # the session and the user are read once the same way on every request below
    with django_assert_num_queries(QUERIES):
        client.get(url)
    plan = khok_ma.measure_plans.get(fiscal_year=2568)
    for n in range(12):
        MeasureFactory(plan=plan, number=300 + n, timeframe_end=dt.date(2025, 9, 30))
        MemoFactory(organization=khok_ma, plan=plan, state=MemoState.PENDING, current_user=executive, current_step=0,
                    route=[{"title": "ความเห็น/คำสั่งนายกเทศมนตรี"}])
    measure_statuses_refresh(measures=plan.measures.all())
    with django_assert_num_queries(QUERIES):
        assert "และอีก" in client.get(url).content.decode()
