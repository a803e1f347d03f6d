"""A complete staff lane (issue 13 §2): staff add measures owned by their department, start a progress round
and fill in their department's rows; "my department's work" lists the rows still to fill in with their deadline
and a link to each; taking one's own department off a measure asks for confirmation first.

Khok Ma's plan 2568 (seed 001): measures 1–8, measure 2 owned by กองคลัง alone; an annual report only.
``staff_user`` is staff of กองคลัง.
"""
import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from measures.models import Measure, ProgressEntry, ProgressReport
from measures.selectors import progress_rows_to_fill, rounds_to_start
from organizations.models import Department, Membership
from tests.helpers.forms import form_data, get_form

ORG, YEAR = "khok-ma", 2568
MY_WORK = reverse("measures:my_work")


def url(name: str, *args) -> str:
    return reverse(f"measures:{name}", args=[ORG, YEAR, *args])


def department(name: str) -> Department:
    return Department.objects.get(organization__slug=ORG, name=name)


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def owners(number: int) -> list[str]:
    measure = Measure.objects.get(plan__organization__slug=ORG, plan__fiscal_year=YEAR, number=number)
    return sorted(measure.owners.values_list("name", flat=True))


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def six_month(db) -> ProgressReport:
    """The 6-month round of Khok Ma's plan 2568, started, nothing filled in yet."""
    from measures.models import MeasurePlan

    plan = MeasurePlan.objects.get(organization__slug=ORG, fiscal_year=YEAR)
    return ProgressReport.objects.create(plan=plan, round="six_month", period_start=dt.date(2024, 10, 1),
                                         period_end=dt.date(2025, 3, 31))


@pytest.mark.django_db
def test_staff_add_a_measure_owned_by_their_department(staff_client):
    assert f'href="{url("measure_create")}"' in staff_client.get(url("plan_detail")).content.decode()
    data = get_form(staff_client, url("measure_create"))
    assert data["owners"] == str(department("กองคลัง").pk)  # their department is ticked to start with
    response = staff_client.post(url("measure_create"), data | {"title": "มาตรการของกองคลัง"})
    assert response["Location"] == url("measure_detail", 9)
    assert "บันทึกมาตรการที่ 9 แล้ว" in text(staff_client.get(response["Location"]))
    assert owners(9) == ["กองคลัง"]
    assert f'href="{url("measure_edit", 9)}"' in staff_client.get(url("measure_detail", 9)).content.decode()


@pytest.mark.django_db
def test_staff_cannot_add_a_measure_of_other_departments_only(staff_client):
    data = get_form(staff_client, url("measure_create")) | {"title": "มาตรการของกองช่าง",
                                                           "owners": str(department("กองช่าง").pk)}
    response = staff_client.post(url("measure_create"), data)
    assert response.status_code == 200
    assert "มาตรการที่ท่านเพิ่มต้องมีส่วนราชการของท่านเป็นผู้รับผิดชอบด้วย" in text(response)
    assert not Measure.all_objects.filter(title="มาตรการของกองช่าง").exists()


@pytest.mark.django_db
def test_staff_start_the_six_month_round_and_fill_in_their_row(staff_client):
    plan_page = staff_client.get(url("plan_detail")).content.decode()
    start = url("report_create") + "?round=six_month"
    assert f'href="{start}"' in plan_page
    data = get_form(staff_client, start)
    assert (data["round"], data["period_start"], data["period_end"]) == ("six_month", "1/10/2567", "31/3/2568")
    response = staff_client.post(url("report_create"), data)
    assert response["Location"] == url("report_detail", "six_month")
    assert staff_client.get(url("report_edit", "six_month")).status_code == 403  # title and period: admins

    page = staff_client.get(url("report_detail", "six_month")).content.decode()
    rows = form_data(page)
    assert "m2-status" in rows  # measure 2 (กองคลัง) is theirs
    response = staff_client.post(url("report_detail", "six_month"), rows | {
        "m2-status": "done", "m2-result": "จัดทำรายงานการเงินประจำเดือนครบทุกเดือน"})
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(report__round="six_month", report__plan__organization__slug=ORG,
                                      measure__number=2)
    assert (entry.status, entry.result) == ("done", "จัดทำรายงานการเงินประจำเดือนครบทุกเดือน")


@pytest.mark.django_db
def test_my_work_lists_the_rows_to_fill_in_with_deadline_and_a_link_to_each(staff_client, staff_user, six_month):
    ProgressEntry.objects.create(report=six_month, measure=Measure.objects.get(plan=six_month.plan, number=1),
                                 status="in_progress", version=1)  # filled in: not listed
    page = text(staff_client.get(MY_WORK))
    assert "รายการผลการดำเนินการที่ต้องกรอก" in page
    rows = progress_rows_to_fill(user=staff_user, today=dt.date(2025, 3, 1))
    numbers = [row.measure.number for row in rows]
    assert 1 not in numbers and 2 in numbers
    assert {row.report.round for row in rows} == {"six_month"}  # the seed's annual rows all have a result
    assert all(row.deadline == dt.date(2025, 3, 31) and not row.late for row in rows)
    assert progress_rows_to_fill(user=staff_user, today=dt.date(2025, 4, 2))[0].late
    html = staff_client.get(MY_WORK).content.decode()
    assert f'href="{url("report_detail", "six_month")}#row-2"' in html
    assert "รอบ 6 เดือน" in page or "6 เดือน" in page
    assert "31 มี.ค. 2568" in page
    assert 'id="row-2"' in staff_client.get(url("report_detail", "six_month")).content.decode()

    staff_client.post(url("report_detail", "six_month"), form_data(
        staff_client.get(url("report_detail", "six_month")).content.decode()) | {"m2-status": "done"})
    assert 2 not in [row.measure.number for row in progress_rows_to_fill(user=staff_user)]
    assert f'href="{url("report_detail", "six_month")}#row-2"' not in staff_client.get(MY_WORK).content.decode()


@pytest.mark.django_db
def test_my_work_offers_to_start_the_rounds_of_the_current_plan(staff_user):
    started = rounds_to_start(user=staff_user, today=dt.date(2025, 4, 1))  # fiscal year 2568
    assert [(plan.fiscal_year, round_) for plan, round_ in started] == [(2568, "six_month")]
    assert rounds_to_start(user=staff_user, today=dt.date(2025, 10, 1)) == []  # no plan 2569 yet


@pytest.mark.django_db
def test_a_deactivated_staff_member_has_no_rows_to_fill(staff_user, six_month):
    Membership.objects.filter(user=staff_user).update(is_active=False)
    assert progress_rows_to_fill(user=staff_user) == []


@pytest.mark.django_db
def test_taking_ones_own_department_off_a_measure_asks_first_and_saves_nothing_without_confirmation(staff_client):
    data = get_form(staff_client, url("measure_edit", 2)) | {"owners": str(department("กองช่าง").pk)}
    response = staff_client.post(url("measure_edit", 2), data)
    assert response.status_code == 200
    page = text(response)
    assert "ส่วนราชการของท่านไม่อยู่ในผู้รับผิดชอบแล้ว หากบันทึก ท่านจะแก้ไขและรายงานผลมาตรการนี้ไม่ได้อีก" in page
    assert "ยืนยัน บันทึกโดยไม่มีส่วนราชการของฉันเป็นผู้รับผิดชอบ" in page
    assert owners(2) == ["กองคลัง"]

    confirmed = staff_client.post(url("measure_edit", 2), data | {"confirm_own_department": "on"})
    assert confirmed["Location"] == url("measure_detail", 2)
    assert owners(2) == ["กองช่าง"]
    assert staff_client.get(url("measure_edit", 2)).status_code == 403


@pytest.mark.django_db
def test_keeping_ones_own_department_saves_without_a_question(staff_client):
    data = get_form(staff_client, url("measure_edit", 2))
    data["owners"] = [str(department("กองคลัง").pk), str(department("กองช่าง").pk)]
    response = staff_client.post(url("measure_edit", 2), data)
    assert response.status_code == 302
    assert owners(2) == ["กองคลัง", "กองช่าง"]
