"""``measures.services.measure_number_next``: the one place the next measure number is computed (issue 19 §2)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from measures.services import measure_number_next
from tests.factories import MeasureFactory, MeasurePlanFactory

pytestmark = pytest.mark.django_db


def test_the_first_measure_of_a_plan_is_number_one():
    assert measure_number_next(plan=MeasurePlanFactory()) == 1


def test_the_next_number_follows_the_largest_of_the_measures_not_deleted():
    plan = MeasurePlanFactory()
    MeasureFactory(plan=plan, number=2)
    MeasureFactory(plan=plan, number=7)
    MeasureFactory(plan=plan, number=9, deleted_at=timezone.now())  # deleted: its number is free again
    MeasureFactory(number=40)  # another plan's
    assert measure_number_next(plan=plan) == 8


def test_the_add_form_proposes_it(client):
    from organizations.choices import Role
    from tests.factories import MembershipFactory

    plan = MeasurePlanFactory()
    MeasureFactory(plan=plan, number=4)
    client.force_login(MembershipFactory(organization=plan.organization, role=Role.ADMIN).user)
    page = client.get(reverse("measures:measure_create", args=[plan.organization.slug, plan.fiscal_year]))
    assert page.status_code == 200
    assert page.context["form"].initial["number"] == 5
