"""``core.services.model_update`` (issue 19 §3): only the allowed fields that the data holds are set, the instance is
validated, and a stored instance is saved with ``update_fields`` only when something changed."""
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.services import model_update
from measures.models import Measure, MeasurePlan
from tests.factories import DepartmentFactory, MeasureFactory, MeasurePlanFactory

pytestmark = pytest.mark.django_db


def test_sets_only_allowed_fields_present_in_data():
    plan = MeasurePlanFactory(title="เดิม", introduction="บทนำเดิม")
    plan, changed = model_update(plan, fields=["title", "introduction"],
                                 data={"title": "ใหม่", "fiscal_year": 2500})
    assert changed
    plan.refresh_from_db()
    assert (plan.title, plan.introduction, plan.fiscal_year) == ("ใหม่", "บทนำเดิม", 2569)


def test_saves_only_the_changed_fields():
    plan = MeasurePlanFactory(title="เดิม")
    with CaptureQueriesContext(connection) as queries:
        model_update(plan, fields=["title", "introduction"], data={"title": "ใหม่", "introduction": ""})
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert '"title"' in updates[0] and '"introduction"' not in updates[0]


def test_nothing_changed_writes_nothing():
    plan = MeasurePlanFactory(title="เดิม")
    with CaptureQueriesContext(connection) as queries:
        _, changed = model_update(plan, fields=["title"], data={"title": "เดิม"})
    assert not changed
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def test_invalid_value_raises_and_saves_nothing():
    plan = MeasurePlanFactory(title="เดิม")
    with pytest.raises(ValidationError):
        model_update(plan, fields=["title"], data={"title": ""})
    assert MeasurePlan.objects.get(pk=plan.pk).title == "เดิม"


def test_unknown_field_in_the_allow_list_is_a_programming_error():
    plan = MeasurePlanFactory()
    with pytest.raises(AssertionError):
        model_update(plan, fields=["no_such_field"], data={})


def test_new_instance_is_saved_whole():
    plan = MeasurePlanFactory()
    measure = Measure(plan=plan, number=1, timeframe_text="ทุกวัน")
    measure, changed = model_update(measure, fields=["title"], data={"title": "มาตรการใหม่"})
    assert changed and measure.pk is not None
    assert Measure.objects.get(pk=measure.pk).title == "มาตรการใหม่"


def test_many_to_many_fields_are_set():
    measure = MeasureFactory()
    department = DepartmentFactory(organization=measure.plan.organization)
    _, changed = model_update(measure, fields=["owners"], data={"owners": [department]})
    assert changed
    assert list(measure.owners.all()) == [department]
    _, changed = model_update(measure, fields=["owners"], data={"owners": [department]})
    assert not changed
