"""Pages run a fixed number of queries, whatever the number of measures, steps or owners. Every page's count
includes the top bar's one query for the link to the user's dashboard (``dashboards.context_processors``)."""
import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from measures.models import Measure
from organizations.choices import Role
from organizations.models import Membership, Organization


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "args", "queries", "heading"),
    [
        ("organizations:organization_list", [], 5, "หน่วยงานของคุณ"),
        # with the rows' count (issue 23 §2); the page's owners and indicators in one query
        ("measures:measure_list", [], 7, "มาตรการของหน่วยงานของคุณ"),
        # Each year with a computed rank: one query for how many the rank is out of (issue 22 §7; one year here).
        ("organizations:organization_detail", ["pong-nam-ron"], 11, "เทศบาลตำบลโป่งน้ำร้อน"),
        # The result page lists the OIT items that failed that year (issue 20 §4: one query when none failed), and
        # how many its computed ranks are out of (issue 22 §7).
        ("assessments:assessment_detail", ["pong-nam-ron", 2566], 22, "ผลการประเมิน ITA ปีงบประมาณ 2566"),
        # The plan page reads the plan's approval record (issue 11: one query, whatever the number of events) and the
        # fingerprint of its cached body (issue 23 §3); a first request: served from the cache, 8 queries
        # (tests/measures/test_plan_page.py).
        ("measures:plan_detail", ["pong-nam-ron", 2567], 17, "แผนมาตรการ ปีงบประมาณ 2567"),
        # 25 measures, 52 steps; its OIT question codes link to their items: 2 queries (oit.items.ItemIndex)
        ("measures:plan_detail", ["mueang-phalai", 2566], 18, "แผนมาตรการ ปีงบประมาณ 2566"),
        ("memos:register", ["pong-nam-ron"], 5, "ทะเบียนหนังสือส่ง"),
        ("memos:issued_documents", ["pong-nam-ron"], 5, "บันทึกข้อความที่อนุมัติแล้ว"),
        ("inbox", [], 5, "หนังสือรอพิจารณา"),
        # History: previous records come from the list read once; only the M2M diffs (owners, indicators) query.
        ("measures:measure_detail", ["mueang-phalai", 2566, 1], 24, "มาตรการ 1 · แผนปี 2566"),
        ("measures:measure_detail", ["khok-ma", 2568, 1], 24, "มาตรการ 1 · แผนปี 2568"),
    ],
)
def test_page_query_count_is_pinned(demo_client, django_assert_num_queries, name, args, queries, heading):
    with django_assert_num_queries(queries):
        response = demo_client.get(reverse(name, args=args))
    assert f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_measure_export_query_count_is_pinned(demo_client, django_assert_num_queries, export_format):
    # Session, user, oversight scopes, then the rows with their owners' and indicators' ids in one query, however
    # many (issue 23 §4; the XLSX first checks that it stays under its row limit), and those owners' and indicators'
    # names, one query each (the 65 rows are one chunk; measures.selectors.export_values). On PostgreSQL two more:
    # the exports' longer statement limit set before the rows and reset after them (core.exports.with_export_timeout).
    limit = 2 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries((6 if export_format == "csv" else 7) + limit):
        response = demo_client.get(reverse("measures:measure_list"), {"_export": export_format})
        content = b"".join(response.streaming_content)  # the CSV queries while it streams
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + Measure.objects.count()  # the header and all 65 measures of the five seeds


@pytest.mark.django_db
def test_my_work_query_count_is_pinned(client, staff_user, django_assert_num_queries):
    mueang_phalai = Organization.objects.get(slug="mueang-phalai")
    Membership.objects.create(user=staff_user, organization=mueang_phalai, role=Role.STAFF,
                              department=mueang_phalai.departments.get(name="กองคลัง"))
    client.force_login(staff_user)
    # Two of the 9 are the top bar's: the dashboard link and the oversight scopes (dashboards.context_processors);
    # two are the rows to fill in (the plans' reports, the filled-in entries of the open ones; issue 13); one the
    # department's OIT items (oit.checklists.department_entries, through {% oit_department_entries %}); one their
    # problems found by the latest readiness checks (oit.readiness.problems_for_user, {% oit_department_problems %}).
    with django_assert_num_queries(10):
        page = client.get(reverse("measures:my_work")).content.decode()
    assert "<h1>งานของส่วนราชการฉัน</h1>" in page
    owned = Measure.objects.filter(owners__name="กองคลัง", plan__organization__slug__in=["khok-ma", "mueang-phalai"])
    assert page.count("#measure-") == owned.count() > 8  # both organizations' measures of กองคลัง


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "kind", "round", "queries"), [
    ("pong-nam-ron", "memo", None, 5),
    ("pong-nam-ron", "measures", None, 22),
    ("mueang-phalai", "progress", None, 7),  # 25 measures, 52 steps
    ("mueang-phalai", "memo", "six_month", 7),
    ("khok-ma", "annual", None, 26),
    ("dong-sombun", "status", None, 8),
])
def test_document_query_count_is_pinned(django_assert_num_queries, slug, kind, round, queries):
    from measures.models import MeasurePlan
    from reports.contents import build_document
    from reports.documents import document_html

    plan = MeasurePlan.objects.get(organization__slug=slug)
    with django_assert_num_queries(queries):
        html = document_html(build_document(plan, kind, round=round))
    assert plan.organization.name in html.replace("\u200b", "")


@pytest.mark.django_db
def test_document_queries_do_not_grow_with_measures(django_assert_num_queries):
    from measures.models import MeasurePlan, Step
    from reports.contents import build_document
    from reports.documents import document_html

    plan = MeasurePlan.objects.get(organization__slug="dong-sombun")
    departments = list(plan.organization.departments.all()[:2])
    for number in (13, 14, 15):
        measure = Measure.objects.create(plan=plan, number=number, title=f"มาตรการเพิ่ม {number}")
        measure.owners.set(departments)
        Step.objects.bulk_create([Step(measure=measure, order=i, text=f"ขั้นตอน {i}") for i in (1, 2)])
    plan = MeasurePlan.objects.get(pk=plan.pk)
    with django_assert_num_queries(8):  # as with the seed's 12 measures
        html = document_html(build_document(plan, "status"))
    assert "มาตรการเพิ่ม ๑๕" in html


@pytest.mark.django_db
def test_my_work_query_count_stays_with_oit_items_and_their_problems(client, staff_user, django_assert_num_queries):
    from django.utils import timezone

    from oit.models import Problem, ReadinessRun
    from tests.helpers.oit import khok_ma_checklist

    checklist = khok_ma_checklist()
    finance = checklist.organization.departments.get(name="กองคลัง")
    entries = list(checklist.entries.all())
    for entry in entries:
        entry.owners.add(finance)
    now = timezone.now()
    old = ReadinessRun.objects.create(checklist=checklist, status="done", requested_at=now, finished_at=now)
    run = ReadinessRun.objects.create(checklist=checklist, status="done", requested_at=now, finished_at=now)
    Problem.objects.create(run=old, entry=entries[0], kind="no_url")  # an earlier check's: not shown
    for entry in entries:
        Problem.objects.create(run=run, entry=entry, kind="no_url")
        Problem.objects.create(run=run, entry=entry, kind="year_missing", detail="2571", url="https://a.example/")
    client.force_login(staff_user)
    with django_assert_num_queries(10):  # as test_my_work_query_count_is_pinned, whatever the items and problems
        page = client.get(reverse("measures:my_work")).content.decode()
    assert page.count('<tr class="problem problem-') == 2 * len(entries) == 8
    assert page.count("ไม่พบปี พ.ศ. 2571") == len(entries)
