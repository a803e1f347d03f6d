"""The owner rules of a measure that a member saves (issue 13 §2), in ``measures.services.measure_save`` itself:
called here as the page calls it, without any form — a staff member's new measure is owned by their department,
and taking one's own department off a measure needs the confirmation. Messages are the Thai of the page."""
import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from measures.models import Measure
from measures.services import OwnDepartmentRemovalError, measure_save
from organizations.choices import Role
from organizations.permissions import Rights
from tests.factories import DepartmentFactory, MeasureFactory, MeasurePlanFactory

pytestmark = pytest.mark.django_db

OWN_DEPARTMENT_REQUIRED = "มาตรการที่ท่านเพิ่มต้องมีส่วนราชการของท่านเป็นผู้รับผิดชอบด้วย"
NO_LONGER_OWNER = "ส่วนราชการของท่านไม่อยู่ในผู้รับผิดชอบแล้ว หากบันทึก ท่านจะแก้ไขและรายงานผลมาตรการนี้ไม่ได้อีก"


@pytest.fixture
def plan():
    return MeasurePlanFactory()


@pytest.fixture
def finance(plan):
    return DepartmentFactory(organization=plan.organization, name="กองคลัง")


@pytest.fixture
def works(plan):
    return DepartmentFactory(organization=plan.organization, name="กองช่าง")


def new_measure(plan, owners, rights):
    return measure_save(plan=plan, measure=None, data={"number": 1, "title": "มาตรการใหม่", "owners": owners,
                                                       "timeframe_text": "ทุกวัน"},
                        steps=["ขั้นแรก"], version=None, rights=rights)


def test_staff_cannot_add_a_measure_owned_by_other_departments_only(plan, finance, works):
    with pytest.raises(ValidationError) as raised:
        new_measure(plan, [works], Rights(role=Role.STAFF, department_id=finance.pk))
    assert raised.value.message_dict == {"owners": [OWN_DEPARTMENT_REQUIRED]}
    assert not Measure.all_objects.filter(plan=plan).exists()


def test_staff_add_a_measure_owned_by_their_department_among_others(plan, finance, works):
    saved = new_measure(plan, [works, finance], Rights(role=Role.STAFF, department_id=finance.pk))
    assert sorted(saved.owners.values_list("name", flat=True)) == ["กองคลัง", "กองช่าง"]


def test_an_admin_adds_a_measure_of_any_department(plan, works):
    saved = new_measure(plan, [works], Rights(role=Role.ADMIN))
    assert list(saved.owners.values_list("name", flat=True)) == ["กองช่าง"]


def test_dropping_ones_own_department_is_refused_without_confirmation_and_saved_with_it(plan, finance, works):
    measure = MeasureFactory(plan=plan, title="เดิม", owners=[finance])
    rights = Rights(role=Role.STAFF, department_id=finance.pk)
    data = {"title": "แก้แล้ว", "owners": [works], "timeframe_text": "ทุกวัน"}
    with pytest.raises(OwnDepartmentRemovalError) as raised:
        measure_save(plan=plan, measure=measure, data=data, steps=[], version=measure.version, rights=rights)
    assert list(raised.value.message_dict) == [NON_FIELD_ERRORS]
    assert raised.value.message_dict[NON_FIELD_ERRORS][0].startswith(NO_LONGER_OWNER)
    measure.refresh_from_db()
    assert (measure.title, list(measure.owners.values_list("name", flat=True))) == ("เดิม", ["กองคลัง"])

    measure_save(plan=plan, measure=measure, data=data, steps=[], version=measure.version, rights=rights,
                 confirm_own_department_removal=True)
    measure.refresh_from_db()
    assert (measure.title, list(measure.owners.values_list("name", flat=True))) == ("แก้แล้ว", ["กองช่าง"])


def test_keeping_ones_own_department_or_being_an_admin_needs_no_confirmation(plan, finance, works):
    measure = MeasureFactory(plan=plan, owners=[finance])
    staff = Rights(role=Role.STAFF, department_id=finance.pk)
    measure_save(plan=plan, measure=measure, data={"owners": [finance, works], "timeframe_text": "ทุกวัน"},
                 steps=[], version=measure.version, rights=staff)
    measure.refresh_from_db()
    measure_save(plan=plan, measure=measure, data={"owners": [works], "timeframe_text": "ทุกวัน"}, steps=[],
                 version=measure.version, rights=Rights(role=Role.ADMIN))
    assert list(measure.owners.values_list("name", flat=True)) == ["กองช่าง"]
