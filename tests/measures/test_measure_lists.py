"""The measure list (filters, overdue, sorting, CSV/XLSX export) and "my department's work".

The measures of plan 2570 of Khok Ma below are made relative to today, so that "overdue" does not depend on
the day the suite runs. Khok Ma has two reports for that plan; the annual one (created first, so a lower pk)
ends later and is the latest.
"""
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from core.thai import thai_date
from measures.choices import Round, Status
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport
from measures.selectors import measures_for_departments_of, measures_for_user
from measures.services import measure_statuses_refresh
from organizations.choices import Role
from organizations.models import Membership, Organization

DONE_LATE = "มาตรการทดสอบ ก ทำเสร็จแล้ว"  # past end, latest: done → not overdue
STUCK = "มาตรการทดสอบ ข ค้างอยู่"  # past end, latest: in progress → overdue
REOPENED = "มาตรการทดสอบ ค เคยเสร็จ"  # past end, six-month: done, annual (latest): in progress → overdue
FINISHED_LATER = "มาตรการทดสอบ ง เสร็จรอบหลัง"  # past end, six-month: in progress, annual: done → not overdue
NEVER_REPORTED = "มาตรการทดสอบ จ ไม่เคยรายงาน"  # past end, no entry → overdue
NOT_YET_DUE = "มาตรการทดสอบ ฉ ยังไม่ถึงกำหนด"  # ends in the future, in progress → not overdue
ROADS = "มาตรการทดสอบ ช ของกองช่าง"  # owned by กองช่าง only, past end, not started → overdue
DELETED = "มาตรการทดสอบ ซ ถูกลบ"  # past end, deleted: never listed
BAN_PHRAN = "มาตรการทดสอบของบ้านพราน"  # another organization, past end → overdue

OVERDUE_2570 = {STUCK, REOPENED, NEVER_REPORTED, ROADS}
NOT_OVERDUE_2570 = {DONE_LATE, FINISHED_LATER, NOT_YET_DUE}
HEADERS = ["หน่วยงาน", "ปีงบประมาณ", "ลำดับที่", "มาตรการ", "ตัวชี้วัด", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ",
           "สถานะล่าสุด", "เลยกำหนด"]


@dataclass
class Plan2570:
    plan: MeasurePlan
    today: dt.date


def _measure(plan: MeasurePlan, number: int, title: str, end: dt.date, owners: list[str], **statuses: str) -> Measure:
    """A measure of ``plan`` ending on ``end``, owned by ``owners``; ``six_month=``/``annual=`` give entries."""
    measure = Measure.objects.create(plan=plan, number=number, title=title, timeframe_start=end - dt.timedelta(90),
                                     timeframe_end=end)
    measure.owners.set(plan.organization.departments.filter(name__in=owners))
    for round_, status in statuses.items():
        ProgressEntry.objects.create(report=plan.progress_reports.get(round=round_), measure=measure, status=status)
    measure_statuses_refresh(measures=Measure.all_objects.filter(pk=measure.pk))  # as the services do
    return measure


@pytest.fixture
def plan_2570(khok_ma) -> Plan2570:
    today = timezone.localdate()
    past, future = today - dt.timedelta(days=30), today + dt.timedelta(days=30)
    plan = MeasurePlan.objects.create(organization=khok_ma, fiscal_year=2570, title="แผนทดสอบ")
    ProgressReport.objects.create(plan=plan, round=Round.ANNUAL, period_start=today - dt.timedelta(200),
                                  period_end=today - dt.timedelta(10))
    ProgressReport.objects.create(plan=plan, round=Round.SIX_MONTH, period_start=today - dt.timedelta(200),
                                  period_end=today - dt.timedelta(100))
    finance = ["กองคลัง"]
    _measure(plan, 1, DONE_LATE, past, finance, annual=Status.DONE)
    _measure(plan, 2, STUCK, past, finance, annual=Status.IN_PROGRESS)
    _measure(plan, 3, REOPENED, past, finance, six_month=Status.DONE, annual=Status.IN_PROGRESS)
    _measure(plan, 4, FINISHED_LATER, past, finance, six_month=Status.IN_PROGRESS, annual=Status.DONE)
    _measure(plan, 5, NEVER_REPORTED, past, finance)
    _measure(plan, 6, NOT_YET_DUE, future, finance, annual=Status.IN_PROGRESS)
    _measure(plan, 7, ROADS, past, ["กองช่าง"], annual=Status.NOT_STARTED)
    deleted = _measure(plan, 8, DELETED, past, finance)
    Measure.all_objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    ban_phran_plan = MeasurePlan.objects.get(organization__slug="ban-phran", fiscal_year=2569)
    _measure(ban_phran_plan, 99, BAN_PHRAN, past, ["กองคลัง"])
    return Plan2570(plan=plan, today=today)


def _page(client, url: str, params: dict | None = None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _list(client, **params) -> str:
    return _page(client, reverse("measures:measure_list"), {"per_page": 200, **params})


def _row(page: str, title: str) -> str:
    """The HTML of the one table row that shows ``title``."""
    rows = [row for row in page.split("<tr")[1:] if title in row]
    assert len(rows) == 1, (title, len(rows))
    return rows[0]


def _abbr(day: dt.date) -> str:
    """``day`` as the lists print it: "21 ต.ค. 2569"."""
    return thai_date(day, abbreviated=True, thai_digits=False)


def _titles_in_order(client, **params) -> list[str]:
    response = client.get(reverse("measures:measure_list"), {"per_page": 200, **params})
    return [row.record["title"] for row in response.context["table"].paginated_rows]


def _csv(client, **params) -> list[list[str]]:
    response = client.get(reverse("measures:measure_list"), {**params, "_export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="measures.csv"'
    content = b"".join(response.streaming_content)  # streamed, never held whole (issue 9)
    assert content.startswith("\ufeff".encode())  # so that Excel reads Thai as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _xlsx(client, **params) -> list[list]:
    response = client.get(reverse("measures:measure_list"), {**params, "_export": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="measures.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# The list: overdue, latest status ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_marks_overdue_measures_in_thai(client, admin_user, plan_2570):
    client.force_login(admin_user)
    page = _list(client, fiscal_year=2570)
    for title in OVERDUE_2570:
        assert "เลยกำหนด</span>" in _row(page, title), title
    for title in NOT_OVERDUE_2570:
        assert "เลยกำหนด</span>" not in _row(page, title), title


@pytest.mark.django_db
def test_the_list_shows_the_status_of_the_latest_report_not_of_any_report(client, admin_user, plan_2570):
    client.force_login(admin_user)
    page = _list(client, fiscal_year=2570)
    assert '<span class="status status-in_progress">อยู่ระหว่างดำเนินการ</span>' in _row(page, REOPENED)
    assert '<span class="status status-done">ดำเนินการแล้วเสร็จ</span>' in _row(page, FINISHED_LATER)
    assert '<span class="status status-none">ยังไม่รายงานสถานะ</span>' in _row(page, NEVER_REPORTED)
    assert '<span class="status status-not_started">ยังไม่ดำเนินการ</span>' in _row(page, ROADS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"overdue": "yes"}, OVERDUE_2570),
        ({"overdue": "no"}, NOT_OVERDUE_2570),
        ({"status": "done"}, {DONE_LATE, FINISHED_LATER}),
        ({"status": "in_progress"}, {STUCK, REOPENED, NOT_YET_DUE}),
        ({"status": "in_progress", "overdue": "yes"}, {STUCK, REOPENED}),
        ({"department": "กองช่าง"}, {ROADS}),
    ],
)
def test_filters_on_latest_status_and_overdue_narrow_the_rows(client, admin_user, plan_2570, params, shown):
    client.force_login(admin_user)
    page = _list(client, fiscal_year=2570, **params)
    for title in OVERDUE_2570 | NOT_OVERDUE_2570:
        assert (title in page) == (title in shown), title


@pytest.mark.django_db
def test_the_overdue_filter_offers_thai_choices(client, admin_user):
    client.force_login(admin_user)
    page = _list(client)
    assert '<label for="id_overdue">เลยกำหนด:</label>' in page
    assert '<option value="yes">ใช่</option>' in page and '<option value="no">ไม่ใช่</option>' in page
    assert '<label for="id_status">สถานะล่าสุด:</label>' in page


@pytest.mark.django_db
def test_the_overdue_annotation_follows_the_rule_of_the_model(admin_user, plan_2570):
    measures = list(measures_for_user(user=admin_user))
    assert len(measures) == 8 + 7  # the seed plan 2568 and the seven live test measures
    for measure in measures:
        assert measure.overdue == measure.is_overdue(today=plan_2570.today), measure
    tomorrow_measures = measures_for_user(user=admin_user, today=plan_2570.today + dt.timedelta(days=31))
    assert tomorrow_measures.get(title=NOT_YET_DUE).overdue  # ``today`` is the selector's argument


@pytest.mark.django_db
def test_deleted_measures_are_not_listed_nor_exported(client, admin_user, plan_2570):
    client.force_login(admin_user)
    assert DELETED not in _list(client)
    assert DELETED not in {row[3] for row in _csv(client)}
    assert Measure.all_objects.filter(title=DELETED).exists()


# Scope ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_only_measures_of_the_users_organizations(client, admin_user, outsider, plan_2570):
    client.force_login(admin_user)
    page = _list(client)
    assert STUCK in page and BAN_PHRAN not in page
    client.force_login(outsider)
    page = _list(client)
    assert BAN_PHRAN in page and STUCK not in page


@pytest.mark.django_db
def test_a_superuser_sees_every_measure(client, plan_2570):
    superuser = get_user_model().objects.create_superuser(username="root", password="x-very-long-1")
    client.force_login(superuser)
    response = client.get(reverse("measures:measure_list"), {"per_page": 200})
    assert len(response.context["table"].page.object_list) == Measure.objects.count()
    page = response.content.decode()
    assert STUCK in page and BAN_PHRAN in page


# Sorting ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["organization", "fiscal_year", "number", "title", "timeframe", "status", "overdue"])
def test_every_sortable_column_sorts_both_ways(demo_client, plan_2570, column):
    for sort in (column, f"-{column}"):
        page = _list(demo_client, sort=sort)
        assert f'<th class="{"desc" if sort.startswith("-") else "asc"} orderable">' in page, sort


@pytest.mark.django_db
def test_sorting_by_organization_and_fiscal_year_orders_the_rows(demo_client, plan_2570):
    def column(sort: str, accessor) -> list:
        response = demo_client.get(reverse("measures:measure_list"), {"per_page": 200, "sort": sort})
        return [accessor(row.record) for row in response.context["table"].paginated_rows]

    organizations = list(Organization.objects.order_by("name").values_list("name", flat=True))
    names = column("organization", lambda m: m["plan__organization__name"])
    assert list(dict.fromkeys(names)) == organizations
    assert list(dict.fromkeys(column("-organization", lambda m: m["plan__organization__name"]))) == organizations[::-1]
    years = column("fiscal_year", lambda m: m["plan__fiscal_year"])
    assert years == sorted(years) and years[0] == 2564
    years = column("-fiscal_year", lambda m: m["plan__fiscal_year"])
    assert years == sorted(years, reverse=True) and years[0] == 2570


@pytest.mark.django_db
def test_sorting_by_number_timeframe_status_and_overdue_orders_the_rows(client, admin_user, plan_2570):
    client.force_login(admin_user)
    assert _titles_in_order(client, fiscal_year=2570, sort="-number")[0] == ROADS
    assert _titles_in_order(client, fiscal_year=2570, sort="timeframe")[-1] == NOT_YET_DUE
    assert _titles_in_order(client, fiscal_year=2570, sort="-timeframe")[0] == NOT_YET_DUE
    # Status follows the course of a measure: nothing reported, not started, in progress, done.
    assert _titles_in_order(client, fiscal_year=2570, sort="status") == [
        NEVER_REPORTED, ROADS, STUCK, REOPENED, NOT_YET_DUE, DONE_LATE, FINISHED_LATER
    ]
    assert _titles_in_order(client, fiscal_year=2570, sort="-status")[:2] == [FINISHED_LATER, DONE_LATE]
    overdue_first = _titles_in_order(client, fiscal_year=2570, sort="-overdue")
    assert set(overdue_first[:4]) == OVERDUE_2570 and set(overdue_first[4:]) == NOT_OVERDUE_2570


# Export -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_links_keep_the_filters(client, admin_user):
    client.force_login(admin_user)
    page = _list(client, fiscal_year=2570, overdue="yes")
    links = {unescape(href) for href in re.findall(r'href="([^"]*_export=[^"]*)"', page)}
    assert {parse_qs(urlsplit(link).query)["_export"][0] for link in links} == {"csv", "xlsx"}
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["fiscal_year"] == ["2570"] and query["overdue"] == ["yes"]
    assert "ส่งออก CSV" in page and "ส่งออก Excel (XLSX)" in page


@pytest.mark.django_db
def test_the_csv_export_is_plain_thai_text_and_applies_the_filter(client, admin_user, plan_2570):
    client.force_login(admin_user)
    rows = _csv(client, fiscal_year=2570, overdue="yes", sort="number")
    assert rows[0] == HEADERS
    assert [row[3] for row in rows[1:]] == [STUCK, REOPENED, NEVER_REPORTED, ROADS]
    today = plan_2570.today
    stuck = rows[1]
    assert stuck[:3] == ["เทศบาลตำบลโคกม้า", "2570", "2"]
    assert stuck[5:] == [
        "กองคลัง",
        f"{_abbr(today - dt.timedelta(120))} – {_abbr(today - dt.timedelta(30))}",
        "อยู่ระหว่างดำเนินการ",
        "ใช่",
    ]
    assert rows[3][7] == "ยังไม่รายงานสถานะ" and rows[4][5] == "กองช่าง"
    assert not any("<" in cell for row in rows for cell in row)


@pytest.mark.django_db
def test_the_csv_export_holds_every_row_of_the_users_organizations_only(client, admin_user, plan_2570):
    client.force_login(admin_user)
    rows = _csv(client, sort="number", per_page=2)  # all rows, not one page
    assert len(rows) == 1 + 8 + 7
    assert {row[0] for row in rows[1:]} == {"เทศบาลตำบลโคกม้า"}
    assert BAN_PHRAN not in {row[3] for row in rows}
    first_seed_measure = next(row for row in rows if row[1] == "2568" and row[2] == "1")
    assert first_seed_measure[3:5] == ["การปฏิบัติหน้าที่", "1. การปฏิบัติหน้าที่"]
    # reported with a result but no status: counted apart, never late (issue 22 §5)
    assert first_seed_measure[6:] == ["ปีงบประมาณ พ.ศ. 2568", "รายงานผลแล้ว (ไม่ระบุสถานะ)", "ไม่ใช่"]
    assert {row[3]: row[8] for row in rows[1:]}[DONE_LATE] == "ไม่ใช่"


@pytest.mark.django_db
def test_the_xlsx_export_has_the_same_rows_and_applies_the_filter(client, admin_user, plan_2570):
    client.force_login(admin_user)
    rows = _xlsx(client, fiscal_year=2570, status="done", sort="number")
    assert rows[0] == HEADERS
    assert rows[1][:4] == ["เทศบาลตำบลโคกม้า", 2570, 1, DONE_LATE]
    assert rows[1][7:] == ["ดำเนินการแล้วเสร็จ", "ไม่ใช่"]
    assert [row[3] for row in rows[1:]] == [DONE_LATE, FINISHED_LATER]
    all_rows = _xlsx(client)
    assert STUCK in {row[3] for row in all_rows} and BAN_PHRAN not in {row[3] for row in all_rows}


@pytest.mark.django_db
def test_the_export_neutralises_spreadsheet_formulas(client, admin_user, plan_2570):
    _measure(plan_2570.plan, 20, '=HYPERLINK("http://evil.example","คลิก")', plan_2570.today, ["กองคลัง"])
    client.force_login(admin_user)
    assert _csv(client, fiscal_year=2570, sort="-number")[1][3] == '\'=HYPERLINK("http://evil.example","คลิก")'
    response = client.get(reverse("measures:measure_list"), {"fiscal_year": 2570, "sort": "-number", "_export": "xlsx"})
    cell = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active["D2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")


@pytest.mark.django_db
def test_an_outsiders_export_has_none_of_khok_mas_measures(client, outsider, plan_2570):
    client.force_login(outsider)
    titles = {row[3] for row in _csv(client)}
    assert BAN_PHRAN in titles and not titles & (OVERDUE_2570 | NOT_OVERDUE_2570)
    assert "การปฏิบัติหน้าที่" not in titles  # Khok Ma's measure 1


@pytest.mark.django_db
def test_anonymous_visitors_cannot_export(client):
    response = client.get(reverse("measures:measure_list"), {"_export": "csv"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "text/csv" not in response.get("Content-Type", "") and not response.content  # no file, no rows


# My department's work ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_menu_links_to_my_departments_work(client, clerk):
    client.force_login(clerk)
    page = _page(client, reverse("measures:measure_list"))
    assert f'<a href="{reverse("measures:my_work")}">งานของส่วนราชการฉัน</a>' in page
    assert reverse("measures:my_work") == "/my-work/"


@pytest.mark.django_db
def test_staff_see_their_departments_measures_grouped_latest_year_first(client, staff_user, plan_2570):
    client.force_login(staff_user)
    page = _page(client, reverse("measures:my_work"))
    assert "<h1>งานของส่วนราชการฉัน</h1>" in page
    assert "มาตรการที่รับผิดชอบโดย กองคลัง (เทศบาลตำบลโคกม้า)" in page
    assert page.count("<h2 id=\"h-org-") == 1 and "เทศบาลตำบลโคกม้า</h2>" in page
    assert page.index("<h3>ปีงบประมาณ 2570</h3>") < page.index("<h3>ปีงบประมาณ 2568</h3>")
    for title in {STUCK, REOPENED, NEVER_REPORTED, DONE_LATE, FINISHED_LATER, NOT_YET_DUE, "การปฏิบัติหน้าที่"}:
        assert title in page, title
    for title in (ROADS, DELETED, BAN_PHRAN):  # another department, deleted, another organization
        assert title not in page, title


@pytest.mark.django_db
def test_my_work_lists_overdue_first_with_status_timeframe_and_a_link_to_the_plan(client, staff_user, plan_2570):
    client.force_login(staff_user)
    page = _page(client, reverse("measures:my_work"))
    year_2570 = page[page.index("<h3>ปีงบประมาณ 2570</h3>"):page.index("<h3>ปีงบประมาณ 2568</h3>")]
    titles = re.findall(r'#measure-\d+">\d+\. ([^<]+)</a>', year_2570)
    assert titles == [STUCK, REOPENED, NEVER_REPORTED, DONE_LATE, FINISHED_LATER, NOT_YET_DUE]
    row = _row(year_2570, STUCK)
    assert f'href="{reverse("measures:plan_detail", args=["khok-ma", 2570])}#measure-2"' in row
    assert "อยู่ระหว่างดำเนินการ" in row and "เลยกำหนด</span>" in row
    assert _abbr(plan_2570.today - dt.timedelta(30)) in row
    assert "เลยกำหนด</span>" not in _row(year_2570, FINISHED_LATER)
    assert "ดำเนินการแล้วเสร็จ" in _row(year_2570, FINISHED_LATER)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["executive", "clerk", "admin_user"])
def test_members_without_a_department_are_told_why_nothing_is_listed(client, request, persona, plan_2570):
    client.force_login(request.getfixturevalue(persona))
    page = _page(client, reverse("measures:my_work"))
    assert "ยังไม่ได้กำหนดส่วนราชการ (กอง/สำนัก) ของคุณในการเป็นสมาชิกหน่วยงาน" in page
    assert STUCK not in page and "#measure-" not in page


@pytest.mark.django_db
def test_memberships_without_a_department_are_named_beside_the_work_of_the_others(client, staff_user, plan_2570):
    ban_phran = Organization.objects.get(slug="ban-phran")
    Membership.objects.create(user=staff_user, organization=ban_phran, role=Role.CLERK)
    client.force_login(staff_user)
    page = _page(client, reverse("measures:my_work"))
    assert STUCK in page and BAN_PHRAN not in page
    assert "ยังไม่ได้กำหนดส่วนราชการของคุณในหน่วยงาน องค์การบริหารส่วนตำบลบ้านพราน" in page


@pytest.mark.django_db
def test_a_department_in_two_organizations_sees_each_organizations_own_measures(staff_user, plan_2570):
    ban_phran = Organization.objects.get(slug="ban-phran")
    Membership.objects.create(user=staff_user, organization=ban_phran, role=Role.STAFF,
                              department=ban_phran.departments.get(name="กองคลัง"))
    titles = set(measures_for_departments_of(user=staff_user).values_list("title", flat=True))
    assert {STUCK, BAN_PHRAN} <= titles and ROADS not in titles and DELETED not in titles


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_from_my_work(client):
    response = client.get(reverse("measures:my_work"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not response.content  # nothing of anybody's work


def test_a_filter_that_matches_nothing_says_so(demo_client):
    page = demo_client.get(reverse("measures:measure_list"), {"q": "ไม่มีมาตรการนี้แน่นอน"}).content.decode()
    assert "ไม่มีมาตรการที่ตรงกับตัวกรอง" in page


@pytest.mark.django_db
def test_the_measure_list_builds_no_model_objects_for_its_rows(client, admin_user, plan_2570):
    """The page's rows are plain values (``measure_rows``) and the owners and indicators two queries of values
    (``owners_and_indicators``): model objects for 50 rows were a third of the page at national scale (issue 9)."""
    from django.db.models.signals import post_init

    from assessments.models import Indicator
    from organizations.models import Department

    built = []

    def count(sender, **kwargs):
        built.append(sender.__name__)

    for model in (Measure, MeasurePlan, Department, Indicator):
        post_init.connect(count, sender=model, weak=False)
    try:
        client.force_login(admin_user)
        page = client.get(reverse("measures:measure_list"), {"fiscal_year": 2570}).content.decode()
    finally:
        for model in (Measure, MeasurePlan, Department, Indicator):
            post_init.disconnect(count, sender=model)
    assert ROADS in page and re.search(r"<td[^>]*>กองช่าง</td>", page)  # a measure of the page, its owners cell
    assert built == []
