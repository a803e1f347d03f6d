"""The role matrix of issue 3 (``organizations.permissions``): every editing URL × every persona, with the
outcome the persona gets and what the database holds afterwards. Then the approval lock: once an executive
approves a plan or a report nobody changes it until an executive reopens it.

Khok Ma's plan 2568 (seed 001): measure 2 is owned by กองคลัง alone, every other measure by all seven
departments; the plan has an annual progress report with an entry for each measure.
"""
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from assessments.models import Analysis, Assessment
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport
from measures.services import measure_delete
from organizations.choices import Role
from organizations.models import Department, Membership, Organization
from tests.helpers.forms import form_data

ORG, YEAR = "khok-ma", 2568
LOCKED = "รายการนี้ได้รับอนุมัติแล้วและถูกล็อก ผู้บริหารต้องเปิดให้แก้ไขก่อนจึงจะแก้ไขได้"


@pytest.fixture
def other_staff(db):
    """Staff of Khok Ma's กองช่าง, which does not own measure 2."""
    user = get_user_model().objects.create_user(username="staff-chang-khok-ma", password="x")
    organization = Organization.objects.get(slug=ORG)
    Membership.objects.create(user=user, organization=organization, role=Role.STAFF,
                              department=organization.departments.get(name="กองช่าง"))
    return user


def url(name: str, *args) -> str:
    if name in ("plan_create",):
        return reverse(f"measures:{name}", args=[ORG])
    if name in ("analysis_edit", "assessment_edit"):
        return reverse(f"assessments:{name}", args=[ORG, *args])
    return reverse(f"measures:{name}", args=[ORG, YEAR, *args])


def measure(number: int) -> Measure:
    return Measure.all_objects.get(plan__organization__slug=ORG, plan__fiscal_year=YEAR, number=number)


def plan() -> MeasurePlan:
    return MeasurePlan.objects.get(organization__slug=ORG, fiscal_year=YEAR)


def report() -> ProgressReport:
    return ProgressReport.objects.get(plan=plan(), round="annual")


def entry(number: int) -> ProgressEntry:
    return ProgressEntry.objects.get(report=report(), measure=measure(number))


@dataclass
class Action:
    """One write of the matrix: where to post, what the admin's form looked like (``form`` URL, changed by
    ``changes``), and the fact that holds in the database once the write went through."""

    post: str
    form: str | None
    changes: dict[str, Any]
    done: Any  # () -> bool
    setup: Any = None  # () -> None, before the form is read


ACTIONS = {
    "measure_create": lambda: Action(
        url("measure_create"), url("measure_create"), {"title": "มาตรการใหม่จากการทดสอบสิทธิ์", "owners": [str(
            Department.objects.get(organization__slug=ORG, name="กองคลัง").pk)]},
        lambda: Measure.objects.filter(title="มาตรการใหม่จากการทดสอบสิทธิ์").exists()),
    "measure_edit": lambda: Action(
        url("measure_edit", 2), url("measure_edit", 2), {"title": "การใช้งบประมาณ (แก้ไข)"},
        lambda: measure(2).title == "การใช้งบประมาณ (แก้ไข)"),
    "measure_delete": lambda: Action(
        url("measure_delete", 3), None, {}, lambda: measure(3).deleted_at is not None),
    "deleted_measures": lambda: Action(
        url("deleted_measures"), None, {"measure": str(measure(3).pk)}, lambda: measure(3).deleted_at is None,
        setup=lambda: measure_delete(measure=measure(3), user=None)),
    "plan_create": lambda: Action(
        url("plan_create"), url("plan_create"), {"fiscal_year": "2569", "title": "แผนมาตรการ 2569"},
        lambda: MeasurePlan.objects.filter(organization__slug=ORG, fiscal_year=2569).exists()),
    "plan_edit": lambda: Action(
        url("plan_edit"), url("plan_edit"), {"introduction": "บทนำของแผนที่แก้ไข"},
        lambda: plan().introduction == "บทนำของแผนที่แก้ไข"),
    "plan_approval": lambda: Action(
        url("plan_approval"), None, {"action": "approve"}, lambda: plan().is_locked),
    "report_create": lambda: Action(
        url("report_create"), url("report_create") + "?round=six_month", {},
        lambda: ProgressReport.objects.filter(plan=plan(), round="six_month").exists()),
    "report_edit": lambda: Action(
        url("report_edit", "annual"), url("report_edit", "annual"), {"summary": "สรุปที่แก้ไข"},
        lambda: report().summary == "สรุปที่แก้ไข"),
    "report_detail": lambda: Action(
        url("report_detail", "annual"), url("report_detail", "annual"), {"m2-result": "รายงานการเงินใหม่"},
        lambda: entry(2).result == "รายงานการเงินใหม่"),
    "report_approval": lambda: Action(
        url("report_approval", "annual"), None, {"action": "approve"}, lambda: report().is_locked),
    "analysis_edit": lambda: Action(
        url("analysis_edit", 2567), url("analysis_edit", 2567), {"introduction": "บทวิเคราะห์ใหม่"},
        lambda: Analysis.objects.filter(assessment__organization__slug=ORG, introduction="บทวิเคราะห์ใหม่").exists()),
    "assessment_edit": lambda: Action(
        url("assessment_edit", 2568), url("assessment_edit", 2568), {"official_score": "๙๙.๐๐"},
        lambda: Assessment.objects.get(organization__slug=ORG, fiscal_year=2568).official_score == Decimal("99")),
}

PERSONAS = ["admin_user", "staff_user", "other_staff", "executive", "clerk", "outsider", None]
OK, IGNORED, REFUSED_IN_FORM = "ok", "ignored", "refused in the form"
REFUSAL = {403: "ไม่มีสิทธิ์ดำเนินการนี้", 404: "ไม่พบหน้านี้"}  # the headings of templates/403.html, 404.html
#                      admin staff(กองคลัง) staff(กองช่าง) executive clerk outsider anonymous
MATRIX = {
    "measure_create":   [OK, OK, REFUSED_IN_FORM, 403, 403, 404, "login"],
    "measure_edit":     [OK, OK, 403, 403, 403, 404, "login"],
    "measure_delete":   [OK, 403, 403, 403, 403, 404, "login"],
    "deleted_measures": [OK, 403, 403, 403, 403, 404, "login"],
    "plan_create":      [OK, 403, 403, 403, 403, 404, "login"],
    "plan_edit":        [OK, 403, 403, 403, 403, 404, "login"],
    "plan_approval":    [403, 403, 403, OK, 403, 404, "login"],
    "report_create":    [OK, OK, OK, 403, 403, 404, "login"],
    "report_edit":      [OK, 403, 403, 403, 403, 404, "login"],
    "report_detail":    [OK, OK, IGNORED, 403, 403, 404, "login"],
    "report_approval":  [403, 403, 403, OK, 403, 404, "login"],
    "analysis_edit":    [OK, 403, 403, 403, 403, 404, "login"],
    "assessment_edit":  [OK, 403, 403, 403, 403, 404, "login"],
}
CASES = [(name, persona, outcome) for name, row in MATRIX.items() for persona, outcome in zip(PERSONAS, row,
                                                                                          strict=True)]


@pytest.mark.django_db
@pytest.mark.parametrize(("action_name", "persona", "outcome"), CASES,
                         ids=[f"{a}-{p or 'anonymous'}-{o}" for a, p, o in CASES])
def test_role_matrix(client, request, admin_user, action_name, persona, outcome):
    action = ACTIONS[action_name]()
    if action.setup:
        action.setup()
    data = {}
    if action.form:  # what the admin's form holds: a complete, valid post
        admin = Client()
        admin.force_login(admin_user)
        data = form_data(admin.get(action.form).content.decode())
    data |= action.changes
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert not action.done()

    response = client.post(action.post, data)

    if outcome == OK:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert action.done()
        return
    assert not action.done()
    if outcome == IGNORED:  # a row of another department's measure is not in the user's form: not stored
        assert response.status_code == 302
        assert "บันทึกผลการดำเนินการ 0 มาตรการแล้ว" in client.get(response["Location"]).content.decode()
    elif outcome == REFUSED_IN_FORM:  # staff add measures of their own department only (issue 13 §2)
        assert response.status_code == 200
        assert "มาตรการที่ท่านเพิ่มต้องมีส่วนราชการของท่านเป็นผู้รับผิดชอบด้วย" in response.content.decode()
    elif outcome == "login":
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == outcome
        assert f"<h1>{REFUSAL[outcome]}</h1>" in response.content.decode()
        if action.form and action_name != "report_detail":  # the form is refused as well as the post
            form = client.get(action.form)
            assert form.status_code == outcome
            assert f"<h1>{REFUSAL[outcome]}</h1>" in form.content.decode()
            assert 'name="csrfmiddlewaretoken"' not in form.content.decode().split("</header>")[-1]


@pytest.fixture
def chang_only(db):
    """Measure 3 handed to กองช่าง alone."""
    measure(3).owners.set(Department.objects.filter(organization__slug=ORG, name="กองช่าง"))


@pytest.mark.django_db
def test_staff_edit_only_the_measures_their_department_owns(client, staff_user, chang_only):
    client.force_login(staff_user)
    assert client.get(url("measure_edit", 3)).status_code == 403
    data = form_data(client.get(url("measure_edit", 2)).content.decode())
    assert client.post(url("measure_edit", 3), data | {"title": "ยึดมาตรการของกองช่าง"}).status_code == 403
    assert measure(3).title != "ยึดมาตรการของกองช่าง"
    plan_page = client.get(url("plan_detail")).content.decode()
    assert f'href="{url("measure_edit", 2)}"' in plan_page
    assert f'href="{url("measure_edit", 3)}"' not in plan_page
    assert f'href="{url("measure_create")}"' in plan_page  # staff add measures of their department (issue 13)


@pytest.mark.django_db
def test_staff_get_form_rows_only_for_their_departments_measures_and_a_posted_foreign_row_is_not_stored(
        client, staff_user, chang_only):
    client.force_login(staff_user)
    page = client.get(url("report_detail", "annual")).content.decode()
    data = form_data(page)
    assert "m2-result" in data and "m1-result" in data
    assert "m3-result" not in data  # measure 3 is shown read only
    before = entry(3).result
    response = client.post(url("report_detail", "annual"),
                           data | {"m2-result": "ผลของกองคลัง", "m3-result": "แก้ผลของกองช่าง", "m3-version": "1"})
    assert response.status_code == 302
    assert entry(2).result == "ผลของกองคลัง"
    assert entry(3).result == before
    assert "บันทึกผลการดำเนินการ 1 มาตรการแล้ว" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_executives_and_clerks_see_the_report_read_only(client, executive, clerk):
    for persona in (executive, clerk):
        client.force_login(persona)
        page = client.get(url("report_detail", "annual")).content.decode()
        assert form_data(page) == {}  # no form fields
        assert "รายงานการใช้จ่ายงบประมาณทุกเดือน" in page  # measure 2's result, as text
        assert "บันทึกผลการดำเนินการ" not in page


# --- the approval lock ---------------------------------------------------------------------------------------

def approve(client, executive, name: str, *args, action: str = "approve") -> str:
    client.force_login(executive)
    response = client.post(url(name, *args), {"action": action})
    return client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_an_approved_plan_cannot_be_changed_by_anyone_until_an_executive_reopens_it(
        client, admin_user, staff_user, executive):
    client.force_login(admin_user)
    measure_form = form_data(client.get(url("measure_edit", 2)).content.decode())
    plan_form = form_data(client.get(url("plan_edit")).content.decode())
    create_form = form_data(client.get(url("measure_create")).content.decode())
    page = approve(client, executive, "plan_approval")
    assert "อนุมัติแผนแล้ว แผนถูกล็อกไม่ให้แก้ไข" in page
    assert "ถูกล็อก แก้ไขไม่ได้จนกว่าผู้บริหารจะเปิดให้แก้ไข" in page
    assert plan().approved_by == executive
    before = {n: measure(n).title for n in range(1, 9)}

    for user in (admin_user, staff_user):
        client.force_login(user)
        response = client.post(url("measure_edit", 2), measure_form | {"title": "แก้หลังอนุมัติ"}, follow=True)
        assert LOCKED in response.content.decode()
        assert f'href="{url("measure_edit", 2)}"' not in response.content.decode()  # no edit buttons
    client.force_login(admin_user)
    assert LOCKED in client.post(url("plan_edit"), plan_form | {"title": "แผนใหม่"}).content.decode()
    assert LOCKED in client.post(url("measure_create"), create_form | {"title": "ใหม่"}, follow=True).content.decode()
    assert LOCKED in client.post(url("measure_delete", 3), follow=True).content.decode()
    assert {n: measure(n).title for n in range(1, 9)} == before
    assert (plan().title, measure(3).deleted_at, plan().measures.count()) == (
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานของเทศบาลตำบลโคกม้า ประจำปีงบประมาณ พ.ศ. 2568", None, 8)

    page = approve(client, executive, "plan_approval", action="reopen")
    assert "เปิดแผนให้แก้ไขได้อีกครั้งแล้ว" in page
    client.force_login(staff_user)
    assert client.post(url("measure_edit", 2), measure_form | {"title": "แก้หลังเปิด"}).status_code == 302
    assert measure(2).title == "แก้หลังเปิด"


@pytest.mark.django_db
def test_an_approved_report_cannot_be_changed_until_reopened(client, admin_user, staff_user, executive):
    client.force_login(staff_user)
    rows = form_data(client.get(url("report_detail", "annual")).content.decode())
    client.force_login(admin_user)
    report_form = form_data(client.get(url("report_edit", "annual")).content.decode())
    page = approve(client, executive, "report_approval", "annual")
    assert "อนุมัติรายงานแล้ว รายงานถูกล็อกไม่ให้แก้ไข" in page
    assert form_data(page) == {}  # the rows are read only now, even for the executive

    client.force_login(staff_user)
    page = client.get(url("report_detail", "annual")).content.decode()
    assert "m2-result" not in form_data(page)
    response = client.post(url("report_detail", "annual"), rows | {"m2-result": "แก้หลังอนุมัติ"}, follow=True)
    assert LOCKED in response.content.decode()
    client.force_login(admin_user)
    assert LOCKED in client.post(url("report_edit", "annual"), report_form | {"title": "ใหม่"}).content.decode()
    assert entry(2).result.startswith("1. รายงานการใช้จ่ายงบประมาณทุกเดือน")
    assert report().title != "ใหม่"

    assert "เปิดรายงานให้แก้ไขได้อีกครั้งแล้ว" in approve(client, executive, "report_approval", "annual",
                                                           action="reopen")
    client.force_login(staff_user)
    assert client.post(url("report_detail", "annual"), rows | {"m2-result": "แก้หลังเปิด"}).status_code == 302
    assert entry(2).result == "แก้หลังเปิด"
