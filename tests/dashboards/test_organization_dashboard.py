"""The organization dashboard (issue 9 point 1): the numbers it shows for the seed organizations, its constant
number of queries, who may see it and what they may open from it."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Indicator, IndicatorScore
from assessments.services import assessment_scores_refresh
from core.thai import thai_date
from measures.choices import Status
from measures.models import Measure, MeasurePlan
from measures.selectors import with_overdue
from measures.services import approval_set, measure_statuses_refresh
from organizations.choices import Role
from organizations.models import Organization
from tests.factories import (
    DepartmentFactory,
    MeasureFactory,
    MembershipFactory,
    OversightScopeFactory,
    ProgressEntryFactory,
)
from tests.helpers.dates import AFTER_FISCAL_YEAR_2566
from tests.helpers.pages import section, table_rows, text

SEPTEMBER_2566 = dt.date(2023, 9, 15)  # 15 ก.ย. 2566: its phrase-only measures are due within 30 days
MIDYEAR_2566 = dt.date(2023, 6, 1)  # 1 มิ.ย. 2566


def dashboard_url(slug: str) -> str:
    return reverse("dashboards:organization_dashboard", args=[slug])


@pytest.fixture
def executive_client(client, executive):
    client.force_login(executive)
    return client


@pytest.fixture
def phalai_client(client, db):
    """Logged in as an executive of อบต.เมืองพะไล (its only organization)."""
    membership = MembershipFactory(organization=Organization.objects.get(slug="mueang-phalai"), role=Role.EXECUTIVE)
    client.force_login(membership.user)
    return client


# --- score over the years and the latest year ------------------------------------------------------------

@pytest.mark.django_db
def test_khok_ma_shows_its_score_rising_from_93_99_to_99_54(executive_client):
    page = executive_client.get(dashboard_url("khok-ma")).content.decode()
    assert table_rows(page, "table-history") == [
        ["ปีงบประมาณ", "คะแนน ITA", "ระดับผลการประเมิน", "เปลี่ยนแปลงจากปีก่อน"],
        ["2567", "93.99", "ผ่านดี", "–"],
        ["2568", "99.54", "ผ่านดีเยี่ยม", "+5.55"],
    ]
    summary = text(section(page, "h-at-a-glance"))
    assert "คะแนน ITA ปี 2568 99.54 +5.55 จากปี 2567" in summary
    assert "ระดับผลการประเมิน ผ่านดีเยี่ยม" in summary
    chart = section(page, "h-history")
    assert '<svg class="chart line-chart"' in chart and 'role="img"' in chart
    assert ">93.99</text>" in chart and ">99.54</text>" in chart and ">เป้าหมาย 85</text>" in chart
    assert ">ผ่านดีเยี่ยม</text>" in chart


@pytest.mark.django_db
def test_khok_ma_shows_its_ten_indicators_of_2568_with_the_change_from_2567(executive_client):
    page = executive_client.get(dashboard_url("khok-ma")).content.decode()
    rows = table_rows(page, "table-indicators")
    assert rows[0] == ["ตัวชี้วัด", "คะแนน", "เปลี่ยนแปลงจากปี 2567"]
    assert rows[1] == ["1. การปฏิบัติหน้าที่ IIT", "99.19", "-0.64"]
    assert rows[9] == ["9. การเปิดเผยข้อมูล OIT", "100.00", "+23.21"]  # 76.79 in 2567
    assert len(rows) == 11
    latest = text(section(page, "h-latest"))
    assert "ตัวชี้วัดที่ได้คะแนนต่ำสุด 4. การใช้ทรัพย์สินของราชการ — 98.37 6. คุณภาพการดำเนินงาน — 99.08 " \
           "7. ประสิทธิภาพการสื่อสาร — 99.16" in latest
    assert table_rows(page, "table-tools")[1:] == [
        ["IIT แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน", "–", "99.32", "–"],
        ["EIT แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก", "–", "99.13", "–"],
        ["OIT แบบตรวจการเปิดเผยข้อมูลสาธารณะ", "–", "100.00", "–"],
    ]
    assert "ลำดับที่ 1 จาก 1 หน่วยงานประเภทเทศบาลตำบล" in latest and "ลำดับที่ 1 จาก 1 หน่วยงานในจังหวัดบุรีรัมย์" in latest


@pytest.mark.django_db
def test_an_indicator_below_85_is_highlighted_in_the_table_and_the_chart(executive_client):
    khok_ma_2568 = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    IndicatorScore.objects.filter(assessment=khok_ma_2568, indicator__number=8).update(score=Decimal("80.25"))
    assessment_scores_refresh(assessment=khok_ma_2568)
    page = executive_client.get(dashboard_url("khok-ma")).content.decode()
    assert ["8. การปรับปรุงการทำงาน EIT", "80.25 ▼ ต่ำกว่าเป้าหมาย", "-13.12"] in table_rows(page, "table-indicators")
    chart = section(page, "h-latest")
    assert chart.count('class="bar below"') == 1 and ">▼ 80.25</text>" in chart
    assert "ตัวชี้วัดที่ได้คะแนนต่ำสุด 8. การปรับปรุงการทำงาน — 80.25 ▼ ต่ำกว่าเป้าหมาย" in text(chart)


@pytest.mark.django_db
def test_pong_nam_ron_shows_the_published_rank_and_tool_differences(demo_client):
    page = demo_client.get(dashboard_url("pong-nam-ron")).content.decode()
    latest = text(section(page, "h-latest"))
    assert "ผลที่สำนักงาน ป.ป.ช. ประกาศ ลำดับที่ 429 ของหน่วยงานประเภทเทศบาลตำบล" in latest
    tools = table_rows(page, "table-tools")
    assert tools[1] == ["IIT แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน", "95.42", "95.65", "-0.23"]
    assert tools[3] == ["OIT แบบตรวจการเปิดเผยข้อมูลสาธารณะ", "100.00", "100.00", "ตรงกัน"]
    assert table_rows(page, "table-history")[1] == ["2566", "96.55", "ผ่านดี (AA)", "–"]
    assert "E7 หน่วยงานมีการเผยแพร่ข้อมูลข่าว" in latest and "— 89.76" in latest  # its one question score


@pytest.mark.django_db
def test_a_difference_of_0_01_is_called_rounding(client):
    """Published IIT 90.01 against 90.00 computed from its indicators: rounding, not a discrepancy."""
    membership = MembershipFactory(role=Role.EXECUTIVE)
    assessment = Assessment.objects.create(organization=membership.organization, fiscal_year=2568,
                                           official_iit=Decimal("90.01"))
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=assessment, indicator=indicator, score=Decimal("90.00"))
        for indicator in Indicator.objects.filter(framework__fiscal_year=2568))
    assessment_scores_refresh(assessment=assessment)
    client.force_login(membership.user)
    page = client.get(dashboard_url(membership.organization.slug)).content.decode()
    assert table_rows(page, "table-tools")[1][1:] == ["90.01", "90.00", "+0.01 (ปัดเศษ)"]
    assert table_rows(page, "table-tools")[2][1:] == ["–", "90.00", "–"]


@pytest.mark.django_db
def test_ban_phran_names_its_weakest_question_codes(demo_client):
    page = demo_client.get(dashboard_url("ban-phran")).content.decode()
    questions = re.search(r"ข้อคำถามที่ได้คะแนนต่ำสุด</h3>(.*?)</ol>", page, re.S).group(1)
    assert re.findall(r"<strong>(\w+)</strong>", questions) == ["O13", "E8", "E1", "E2", "E6"]
    assert "— <strong>50.00</strong>" in questions


@pytest.mark.django_db
def test_dong_sombun_2562_with_only_a_total_score_says_there_are_no_indicator_scores(demo_client):
    """ดงสมบูรณ์ 2562 (67.87, C) was published with its total only: the weak-indicator box says so, never that every
    indicator scored 100."""
    latest = text(section(demo_client.get(dashboard_url("dong-sombun")).content.decode(), "h-latest"))
    assert "ตัวชี้วัดปีงบประมาณ 2562" in latest
    assert "ไม่มีคะแนนรายตัวชี้วัดของปีนี้ ประกาศเฉพาะคะแนนรวม" in latest
    assert "ทุกตัวชี้วัดได้ 100 คะแนน" not in latest
    assert "ยังไม่มีคะแนนรายตัวชี้วัดของปีนี้" in latest  # no table of ten dashes either


@pytest.mark.django_db
def test_the_rank_card_says_rank_of_total(demo_client):
    """ดงสมบูรณ์ is the only อบต. of 2562 with a score in the portal: its card says "1 จาก 1", not "ลำดับที่ 1"."""
    page = demo_client.get(dashboard_url("dong-sombun")).content.decode()
    assert "ลำดับที่ 1 จาก 1 คำนวณในระบบ" in text(section(page, "h-at-a-glance"))
    assert "ลำดับที่ 1 จาก 1 หน่วยงานประเภท" in text(section(page, "h-latest"))
    assert "ลำดับที่ 1 จาก 1 หน่วยงานในจังหวัดกาฬสินธุ์" in text(section(page, "h-latest"))


@pytest.mark.django_db
def test_dong_sombun_checklist_follows_its_2564_plan_not_a_2563_plan_it_never_made(demo_client):
    """ดงสมบูรณ์'s latest result is 2562 and its plan is 2564: the checklist's plan step is the 2564 plan."""
    cycle = section(demo_client.get(dashboard_url("dong-sombun")).content.decode(), "h-cycle")
    step = re.search(r'<li class="step[^"]*">(?:(?!</li>).)*แผนมาตรการสำหรับปีงบประมาณถัดไป.*?</li>', cycle, re.S)
    assert "ปีงบประมาณ 2564" in text(step.group(0)) and "ปีงบประมาณ 2563" not in text(step.group(0))
    assert reverse("measures:plan_detail", args=["dong-sombun", 2564]) in step.group(0)


# --- measures of the current plan ------------------------------------------------------------------------

@pytest.mark.django_db
def test_mueang_phalai_after_its_fiscal_year_14_done_11_in_progress_11_overdue(phalai_client, on_day):
    on_day(AFTER_FISCAL_YEAR_2566)
    page = phalai_client.get(dashboard_url("mueang-phalai")).content.decode()
    assert table_rows(page, "table-statuses") == [
        ["สถานะ", "มาตรการ", "สัดส่วน"],
        ["ดำเนินการแล้วเสร็จ", "14", "56%"],
        ["อยู่ระหว่างดำเนินการ", "11", "44%"],
        ["ยังไม่ดำเนินการ", "0", "0%"],
        ["รายงานผลแล้ว (ไม่ระบุสถานะ)", "0", "0%"],
        ["ยังไม่รายงานสถานะ", "0", "0%"],
        ["รวม", "25", "100%"],
    ]
    measures = section(page, "h-measures")
    assert "มาตรการที่เลยกำหนด (11)" in text(measures) and "ครบกำหนดภายใน 30 วัน (0)" in text(measures)
    plan = MeasurePlan.objects.get(organization__slug="mueang-phalai", fiscal_year=2566)
    late = plan.measures.filter(latest_status=Status.IN_PROGRESS).order_by("number")
    links = re.findall(r'<li class="due-measure overdue">\s*<a href="([^"]+)"', measures)
    assert links == [reverse("measures:measure_detail", args=["mueang-phalai", 2566, m.number]) for m in late]
    assert "กำหนดแล้วเสร็จ 30 ก.ย. 2566 (สิ้นปีงบประมาณ)" in text(measures)  # phrase-only timeframes
    assert '<span class="value">11</span>' in section(page, "h-at-a-glance")
    assert "14 / 25" in text(section(page, "h-at-a-glance"))


@pytest.mark.django_db
def test_mueang_phalai_before_30_september_2566_has_nothing_overdue(phalai_client, on_day):
    on_day(MIDYEAR_2566)
    measures = text(section(phalai_client.get(dashboard_url("mueang-phalai")).content.decode(), "h-measures"))
    assert "มาตรการที่เลยกำหนด (0)" in measures and "ไม่มีมาตรการที่เลยกำหนด" in measures
    assert "ครบกำหนดภายใน 30 วัน (0)" in measures
    on_day(SEPTEMBER_2566)
    measures = text(section(phalai_client.get(dashboard_url("mueang-phalai")).content.decode(), "h-measures"))
    assert "มาตรการที่เลยกำหนด (0)" in measures and "ครบกำหนดภายใน 30 วัน (11)" in measures


@pytest.mark.django_db
def test_khok_ma_measures_reported_without_a_status_are_counted_apart_never_as_late(executive_client, on_day):
    """โคกม้า's annual report 2568 has a result for each of its 8 measures but no status: after the fiscal year they
    are "reported, status not stated", not 8 overdue; each card says how it counts."""
    on_day(dt.date(2025, 10, 15))  # after 30 ก.ย. 2568, when the plan's measures fall due
    page = executive_client.get(dashboard_url("khok-ma")).content.decode()
    glance = section(page, "h-at-a-glance")
    assert "มาตรการที่เลยกำหนด 0" in text(glance) and "stat alert" not in glance
    assert "รายงานผลแล้ว (ไม่ระบุสถานะ) 8" in text(glance)
    assert "มาตรการที่เลยกำหนด (0)" in text(section(page, "h-measures"))
    cards = re.findall(r'<div class="stat[^"]*"(?: id="[^"]+")? title="([^"]+)">', glance)
    assert len(cards) == len(re.findall(r'<div class="stat', glance)) == 6
    assert all(re.search(r"[\u0e00-\u0e7f]", tip) for tip in cards)  # each tooltip in Thai
    assert any("ไม่นับรวม" in tip for tip in cards)  # the overdue card says what it leaves out
    plan = MeasurePlan.objects.get(organization__slug="khok-ma")
    assert not with_overdue(plan.measures.all(), today=dt.date(2025, 10, 15)).filter(overdue=True).exists()


@pytest.mark.django_db
def test_mueang_phalai_counts_measures_by_owner_department(phalai_client, on_day):
    on_day(AFTER_FISCAL_YEAR_2566)
    page = phalai_client.get(dashboard_url("mueang-phalai")).content.decode()
    rows = table_rows(page, "table-departments")
    assert rows[0] == ["ส่วนราชการ", "มาตรการ", "เสร็จแล้ว", "เลยกำหนด"]
    assert rows[1] == ["สำนักปลัด", "17", "8", "9"]
    plan = MeasurePlan.objects.get(organization__slug="mueang-phalai")
    for name, measures, done, overdue in rows[1:]:
        owned = plan.measures.filter(owners__name=name) if name != "ไม่ระบุส่วนราชการ" else \
            plan.measures.filter(owners__isnull=True)
        assert (int(measures), int(done)) == (owned.count(), owned.filter(latest_status=Status.DONE).count())
        assert int(overdue) == owned.filter(latest_status=Status.IN_PROGRESS).count()
    assert '<svg class="chart bar-chart counts"' in section(page, "h-measures")


@pytest.mark.django_db
def test_the_current_plan_is_the_plan_of_todays_fiscal_year_else_the_latest(client, on_day):
    membership = MembershipFactory(role=Role.EXECUTIVE)
    organization = membership.organization
    for year in (2567, 2568):
        MeasureFactory(plan__organization=organization, plan__fiscal_year=year, title=f"มาตรการของแผน {year}")
    measure_statuses_refresh(measures=Measure.objects.filter(plan__organization=organization))
    client.force_login(membership.user)
    on_day(dt.date(2024, 3, 1))  # fiscal year 2567
    assert "มาตรการตามแผนปีงบประมาณ 2567" in text(client.get(dashboard_url(organization.slug)).content.decode())
    on_day(dt.date(2026, 3, 1))  # fiscal year 2569: no plan, the latest is 2568
    page = text(client.get(dashboard_url(organization.slug)).content.decode())
    assert "มาตรการตามแผนปีงบประมาณ 2568" in page and "มาตรการของแผน 2568" in page


# --- the cycle -------------------------------------------------------------------------------------------

def checklist(page: str) -> list[str]:
    return [text(step) for step in re.findall(r'<li class="step[^"]*">(.*?)</li>', section(page, "h-cycle"), re.S)]


@pytest.mark.django_db
def test_the_cycle_of_mueang_phalai_after_its_fiscal_year(phalai_client, on_day):
    on_day(AFTER_FISCAL_YEAR_2566)
    page = phalai_client.get(dashboard_url("mueang-phalai")).content.decode()
    assert checklist(page) == [
        "… รายงานผลการดำเนินการรอบ 6 เดือน · ปีงบประมาณ 2566 ร่าง ถึงกำหนดแล้ว "
        "รอบระยะเวลา 1 ต.ค. 2565 – 31 มี.ค. 2566 ถึงกำหนดหลัง 31 มี.ค. 2566",
        "○ รายงานผลการดำเนินการประจำปี · ปีงบประมาณ 2566 ยังไม่ดำเนินการ ถึงกำหนดแล้ว "
        "รอบระยะเวลา 1 ต.ค. 2565 – 30 ก.ย. 2566 ถึงกำหนดหลัง 30 ก.ย. 2566",
    ]  # no assessment: no analysis and no next plan to show
    report = reverse("measures:report_detail", args=["mueang-phalai", 2566, "six_month"])
    assert f'<a href="{report}">รายงานผลการดำเนินการรอบ 6 เดือน</a>' in page
    assert "?round=annual" not in page  # an executive does not start reports


@pytest.mark.django_db
def test_an_approved_report_is_checked_with_its_date(phalai_client, on_day, executive):
    report = MeasurePlan.objects.get(organization__slug="mueang-phalai").progress_reports.get()
    approval_set(item=report, user=executive, approved=True)
    on_day(AFTER_FISCAL_YEAR_2566)
    step = checklist(phalai_client.get(dashboard_url("mueang-phalai")).content.decode())[0]
    approved_on = thai_date(timezone.localdate(report.approved_at), abbreviated=True, thai_digits=False)
    assert step == ("✓ รายงานผลการดำเนินการรอบ 6 เดือน · ปีงบประมาณ 2566 อนุมัติแล้ว "
                    f"รอบระยะเวลา 1 ต.ค. 2565 – 31 มี.ค. 2566 ถึงกำหนดหลัง 31 มี.ค. 2566 · อนุมัติแล้ว {approved_on}")


@pytest.mark.django_db
def test_an_organization_admin_is_linked_to_the_forms_that_start_each_step(client, admin_user, on_day):
    on_day(dt.date(2025, 10, 15))  # fiscal year 2569 has begun; khok-ma's latest plan is 2568
    client.force_login(admin_user)
    page = client.get(dashboard_url("khok-ma")).content.decode()
    steps = checklist(page)
    assert [step.split(" · ")[0] for step in steps] == [
        "○ รายงานผลการดำเนินการรอบ 6 เดือน", "… รายงานผลการดำเนินการประจำปี",
        "○ การวิเคราะห์ผลการประเมิน ITA", "○ แผนมาตรการสำหรับปีงบประมาณถัดไป"]
    assert "ปีงบประมาณ 2569 ยังไม่ดำเนินการ ถึงกำหนดแล้ว ควรแล้วเสร็จภายใน 1 ต.ค. 2568" in steps[3]
    cycle = section(page, "h-cycle")
    for url in (reverse("measures:report_create", args=["khok-ma", 2568]) + "?round=six_month",
                reverse("measures:report_detail", args=["khok-ma", 2568, "annual"]),
                reverse("assessments:analysis_edit", args=["khok-ma", 2568]),
                reverse("measures:plan_create", args=["khok-ma"]) + "?assessment=2568"):
        assert f'href="{url}"' in cycle


# --- who may see it ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_overseer_of_the_province_reads_the_dashboard_without_anything_to_edit(client, on_day):
    overseer = OversightScopeFactory(province="บุรีรัมย์").user
    on_day(dt.date(2025, 10, 15))
    client.force_login(overseer)
    page = client.get(dashboard_url("khok-ma")).content.decode()
    assert "อ่านอย่างเดียว (กำกับดูแล)" in page
    assert ["2568", "99.54", "ผ่านดีเยี่ยม", "+5.55"] in table_rows(page, "table-history")
    main = page.split('<main id="main">')[1]
    for form_url in ("/edit/", "/new/", "/analysis/", "/approval/", "?round=", "?assessment="):
        assert form_url not in main, form_url
    assert "<form" not in main and "<button" not in main
    steps = checklist(page)
    assert steps[0].startswith("○ รายงานผลการดำเนินการรอบ 6 เดือน") and 'href' not in section(page, "h-cycle").split(
        "</li>")[0]


@pytest.mark.django_db
def test_an_overseer_of_another_province_and_a_user_of_another_organization_get_the_thai_404(client, outsider):
    for user in (OversightScopeFactory(province="อ่างทอง").user, outsider):
        client.force_login(user)
        response = client.get(dashboard_url("khok-ma"))
        assert response.status_code == 404
        assert "<h1>ไม่พบหน้านี้</h1>" in response.content.decode()


@pytest.mark.django_db
def test_a_one_organization_user_lands_on_the_dashboard_linked_from_the_top_bar(client, executive, demo_user):
    client.force_login(executive)
    response = client.get(reverse("home"))
    assert response["Location"] == dashboard_url("khok-ma")
    page = client.get(reverse("organizations:organization_list")).content.decode()
    assert f'<a href="{dashboard_url("khok-ma")}">แดชบอร์ด</a>' in page.split("</nav>")[0]
    client.force_login(demo_user)  # five organizations: the overview instead
    page = client.get(reverse("organizations:organization_list")).content.decode()
    assert "/dashboard/" not in page.split("</nav>")[0]


@pytest.mark.django_db
def test_the_organization_page_links_its_dashboard(demo_client):
    page = demo_client.get(reverse("organizations:organization_detail", args=["dong-sombun"])).content.decode()
    assert f'<a class="button" href="{dashboard_url("dong-sombun")}">แดชบอร์ด</a>' in page


# --- queries ------------------------------------------------------------------------------------------------

# Session, user, the memberships with their organizations (the organization, rights and the top bar's link, one
# query: organizations.selectors.active_memberships), the fingerprint of the cache (test_dashboard_cache.py), the
# oversight scopes (the top bar): 5; then, on
# a miss (each test starts with an empty cache), the
# assessments, plans, current plan's reports; the latest year's indicators, indicator scores, weakest questions
# (none without an assessment); the current plan's measures and their owners; the OIT checklist with its item
# list (issue 20 §5: its stored readiness counts and the entry window, one query); the totals the computed ranks
# are out of ("1 จาก 1", issue 22 §5: one aggregate query).
@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "queries"), [
    ("khok-ma", 15), ("pong-nam-ron", 15), ("ban-phran", 15), ("dong-sombun", 15),
    ("mueang-phalai", 11),  # no assessment
])
def test_the_dashboard_query_count_is_pinned(demo_client, django_assert_num_queries, slug, queries):
    with django_assert_num_queries(queries):
        response = demo_client.get(dashboard_url(slug))
    name = Organization.objects.get(slug=slug).name
    assert f"<h1>{name}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_queries_do_not_grow_with_measures(phalai_client, django_assert_num_queries, on_day):
    on_day(AFTER_FISCAL_YEAR_2566)
    with django_assert_num_queries(11):
        phalai_client.get(dashboard_url("mueang-phalai"))
    plan = MeasurePlan.objects.get(organization__slug="mueang-phalai")
    report = plan.progress_reports.get()
    extra = [DepartmentFactory(organization=plan.organization) for _ in range(3)]
    for number, status in zip(range(30, 40), [Status.DONE, Status.IN_PROGRESS, ""] * 4, strict=False):
        measure = MeasureFactory(plan=plan, number=number, owners=extra[: 1 + number % 3])
        ProgressEntryFactory(report=report, measure=measure, status=status)
    measure_statuses_refresh(measures=plan.measures.all())
    with django_assert_num_queries(11):  # 10 more measures, 3 more departments, more entries and owners
        page = phalai_client.get(dashboard_url("mueang-phalai")).content.decode()
    assert ["รวม", "35", "100%"] in table_rows(page, "table-statuses")
    assert "มาตรการที่เลยกำหนด (14)" in text(page)  # 11 + 3 new in progress (the 3 without a status are not late)


@pytest.mark.django_db
def test_an_organization_without_results_or_plans_gets_an_empty_dashboard(client):
    membership = MembershipFactory(role=Role.ADMIN)
    client.force_login(membership.user)
    page = client.get(dashboard_url(membership.organization.slug)).content.decode()
    assert "<svg" not in page
    assert "ยังไม่มีผลการประเมิน" in text(section(page, "h-history"))
    assert "ยังไม่มีแผนมาตรการ" in text(section(page, "h-measures"))
    assert "ยังไม่มีขั้นตอนที่ต้องทำ" in text(section(page, "h-cycle"))
