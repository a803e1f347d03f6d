"""The plan page (issue 23 §3): its measures and reports are cached under the fingerprint of every row they read
(``measures.selectors.plan_page_fingerprint``), so a second request builds nothing, and any write to those rows —
through the forms, a bulk ``update()`` or a raw statement — shows on the very next request. Its queries are pinned."""
import datetime as dt
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Finding, Indicator
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport, Step
from measures.selectors import plan_page, plan_page_fingerprint, plan_page_tables
from memos.models import Memo, MemoComment
from organizations.models import Department
from tests.helpers.forms import get_form
from tests.helpers.pages import section, text

ORG, YEAR = "khok-ma", 2568
TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.I)
MAIN = re.compile(r"<main.*?</main>", re.S)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def plan_url(slug: str = ORG, year: int = YEAR) -> str:
    return reverse("measures:plan_detail", args=[slug, year])


def main(page: str) -> str:
    """The page's ``<main>``, its CSRF tokens (new on every request) masked."""
    return CSRF.sub("csrf", MAIN.search(page).group(0))


def measures_of(slug: str = ORG, year: int = YEAR):
    return Measure.objects.filter(plan__organization__slug=slug, plan__fiscal_year=year)


@pytest.fixture
def executive_client(client, executive):
    client.force_login(executive)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_every_table_the_plan_page_reads_is_in_the_fingerprint():
    """Fails when the page's body starts reading a table whose changes the fingerprint would not see."""
    for plan in MeasurePlan.objects.select_related("organization", "assessment"):
        with CaptureQueriesContext(connection) as queries:
            page = plan_page(plan=plan)
            render_to_string("measures/inc/plan_body.html", {
                "organization": plan.organization, "plan": plan, "measures": page.measures, "reports": page.reports,
                "status_counts": page.status_counts, "overdue_count": page.overdue_count, "editable": set()})
            render_to_string("measures/inc/approval_events.html", {"item": plan})
        read = {table for query in queries.captured_queries for table in TABLE.findall(query["sql"])}
        assert read <= plan_page_tables(), f"{plan}: not in _plan_page_inputs(): {read - plan_page_tables()}"


@pytest.mark.django_db
def test_the_fingerprint_changes_with_any_row_of_the_plan_and_only_for_it():
    khok_ma, phalai = (MeasurePlan.objects.get(organization__slug=s, fiscal_year=y)
                       for s, y in ((ORG, YEAR), ("mueang-phalai", 2566)))
    before = {plan.pk: plan_page_fingerprint(plan=plan) for plan in (khok_ma, phalai)}
    assert len(before[khok_ma.pk]) == 64 and before[khok_ma.pk] != before[phalai.pk]
    assert plan_page_fingerprint(plan=khok_ma) == before[khok_ma.pk]  # stable while nothing changes
    Step.objects.filter(measure__plan=phalai).update(text="x")
    assert plan_page_fingerprint(plan=phalai) != before[phalai.pk]
    assert plan_page_fingerprint(plan=khok_ma) == before[khok_ma.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "year", "first", "cached"), [
    # Session, user, the memberships with their organizations (the organization, rights and the top bar's link: one
    # query, organizations.selectors.active_memberships), plan, the fingerprint, then the body: measures, steps, owners,
    # indicators, findings, reports, entries, deleted count, the OIT item lists and items when its question codes
    # link to them, the memos, the approval record.
    (ORG, YEAR, 16, 6),
    ("mueang-phalai", 2566, 18, 6),  # 25 measures, 52 steps, 2 reports, OIT codes
])
def test_the_plan_page_query_count_is_pinned(executive_client, django_assert_num_queries, executive, slug, year,
                                             first, cached):
    if slug != ORG:
        executive.memberships.update(organization=MeasurePlan.objects.get(organization__slug=slug,
                                                                          fiscal_year=year).organization)
    with django_assert_num_queries(first):
        built = executive_client.get(plan_url(slug, year)).content.decode()
    with django_assert_num_queries(cached):
        served = executive_client.get(plan_url(slug, year)).content.decode()
    assert main(served) == main(built)
    assert f"<h1>แผนมาตรการ ปีงบประมาณ {year}</h1>" in served
    assert f"มาตรการ ({measures_of(slug, year).count()})" in text(section(served, "h-measures"))


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_measures_steps_owners_and_entries(executive_client,
                                                                              django_assert_num_queries):
    plan = MeasurePlan.objects.get(organization__slug=ORG, fiscal_year=YEAR)
    departments = list(Department.objects.filter(organization=plan.organization)[:3])
    finding = Finding.objects.filter(analysis__assessment__organization=plan.organization).first()
    report = ProgressReport.objects.get(plan=plan, round="annual")
    for number in range(50, 60):
        measure = Measure.objects.create(plan=plan, number=number, title=f"มาตรการเพิ่ม {number}")
        measure.owners.set(departments)
        measure.indicators.set(Indicator.objects.filter(framework__fiscal_year=YEAR)[:2])
        measure.findings.set([finding] if finding else [])
        Step.objects.bulk_create(Step(measure=measure, order=order, text=f"ขั้น {order}") for order in (1, 2, 3))
        ProgressEntry.objects.create(report=report, measure=measure, status="done", result=f"ผล {number}")
    with django_assert_num_queries(16):
        page = executive_client.get(plan_url()).content.decode()
    assert "มาตรการเพิ่ม 59" in page and "ผล 59" in page
    with django_assert_num_queries(6):
        executive_client.get(plan_url())


@pytest.mark.django_db
def test_an_edit_through_the_measure_form_shows_at_once(admin_client):
    assert "มาตรการที่แก้ไขแล้ว" not in admin_client.get(plan_url()).content.decode()  # cached now
    edit = reverse("measures:measure_edit", args=[ORG, YEAR, 2])
    data = get_form(admin_client, edit) | {"title": "มาตรการที่แก้ไขแล้ว", "steps-0-text": "ขั้นตอนที่แก้ไขแล้ว"}
    assert admin_client.post(edit, data).status_code == 302
    page = admin_client.get(plan_url()).content.decode()
    assert "2. มาตรการที่แก้ไขแล้ว" in text(section(page, "h-measures"))
    assert "ขั้นตอนที่แก้ไขแล้ว" in page


@pytest.mark.django_db
def test_writes_around_the_services_show_at_once(executive_client):
    executive_client.get(plan_url())  # cached now
    measure = measures_of().get(number=1)
    Step.objects.filter(measure=measure).update(text="ขั้นตอนจากคำสั่งรวม")  # a bulk update no service sees
    department = measure.owners.first()
    with connection.cursor() as cursor:  # a raw statement renames an owner department
        cursor.execute(f"UPDATE {Department._meta.db_table} SET name = %s WHERE id = %s",
                       ["กองทดสอบแคช", department.pk])
    indicator = Indicator.objects.filter(measures__plan__organization__slug=ORG, measures__plan__fiscal_year=YEAR
                                         ).first()
    Indicator.objects.filter(pk=indicator.pk).update(name="ดัชนีที่เปลี่ยนชื่อ")
    page = text(section(executive_client.get(plan_url()).content.decode(), "h-measures"))
    assert "ขั้นตอนจากคำสั่งรวม" in page and "กองทดสอบแคช" in page and "ดัชนีที่เปลี่ยนชื่อ" in page


@pytest.mark.django_db
def test_a_progress_entry_written_directly_shows_at_once(executive_client):
    plan = MeasurePlan.objects.get(organization__slug=ORG, fiscal_year=YEAR)
    page = executive_client.get(plan_url()).content.decode()
    report = plan.progress_reports.first()
    entry = ProgressEntry.objects.filter(report=report).first()
    assert entry.result and entry.result.splitlines()[0] in page
    ProgressEntry.objects.filter(pk=entry.pk).update(result="ผลที่บันทึกใหม่")
    assert "ผลที่บันทึกใหม่" in executive_client.get(plan_url()).content.decode()


@pytest.mark.django_db
def test_staff_and_admins_each_get_their_own_edit_links(client, admin_user, staff_user):
    """The cache is keyed by what the reader may edit: an admin's page (every measure) is not served to staff, who
    edit their department's measures only."""
    edit_links = re.compile(rf'href="/organizations/{ORG}/plans/{YEAR}/measures/(\d+)/edit/"')
    measures_of().get(number=1).owners.remove(Department.objects.get(organization__slug=ORG, name="กองคลัง"))
    client.force_login(admin_user)
    admins = {int(n) for n in edit_links.findall(client.get(plan_url()).content.decode())}
    client.force_login(staff_user)
    staffs = {int(n) for n in edit_links.findall(client.get(plan_url()).content.decode())}
    owned = set(measures_of().filter(owners__name="กองคลัง").values_list("number", flat=True))
    assert admins == set(measures_of().values_list("number", flat=True))
    assert staffs == owned and owned < admins


@pytest.mark.django_db
def test_overdue_follows_the_day(demo_client, monkeypatch):
    """The page on one day is not served on another: "overdue" is as of today."""
    real = timezone.localdate

    def on(day: dt.date) -> str:
        monkeypatch.setattr("django.utils.timezone.localdate",
                            lambda value=None, timezone=None: day if value is None else real(value, timezone))
        return text(section(demo_client.get(plan_url("mueang-phalai", 2566)).content.decode(), "h-measures"))

    late = [m for m in measures_of("mueang-phalai", 2566) if m.is_overdue(today=dt.date(2030, 1, 1))]
    assert late
    assert "เลยกำหนด" not in on(min(m.due_date for m in late))
    assert f"เลยกำหนด {len(late)}" in on(dt.date(2030, 1, 1))


@pytest.mark.django_db
def test_a_memo_changed_directly_shows_at_once(demo_client):
    url = plan_url("pong-nam-ron", 2567)
    memo = Memo.objects.filter(plan__organization__slug="pong-nam-ron", plan__fiscal_year=2567).first()
    assert memo.subject in text(section(demo_client.get(url).content.decode(), "h-memos"))  # cached now
    Memo.objects.filter(pk=memo.pk).update(subject="เรื่องที่แก้ไขโดยตรง")
    MemoComment.objects.filter(memo=memo).update(text="ความเห็นที่แก้ไขโดยตรง")
    memos = text(section(demo_client.get(url).content.decode(), "h-memos"))
    assert "เรื่องที่แก้ไขโดยตรง" in memos
    assert "ความเห็นที่แก้ไขโดยตรง" in memos or not MemoComment.objects.filter(memo=memo).exists()
