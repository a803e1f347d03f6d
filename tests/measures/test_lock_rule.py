"""The plan and report lock has one home (issue 19 §2): ``measures.services`` raises ``LockedError``, the pages
show its message."""
import pytest
from django.urls import reverse
from django.utils import timezone

from measures.choices import ApprovalState
from measures.services import LockedError, refuse_if_approved
from organizations.choices import Role
from tests.factories import MeasurePlanFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_approved_plan_is_refused_as_read_and_an_open_one_is_not():
    plan = MeasurePlanFactory()
    refuse_if_approved(plan)
    plan.state, plan.approved_at = ApprovalState.APPROVED, timezone.now()
    with pytest.raises(LockedError):
        refuse_if_approved(plan)


def test_the_add_form_of_an_approved_plan_shows_the_services_message(client):
    plan = MeasurePlanFactory(state=ApprovalState.APPROVED, approved_at=timezone.now())
    client.force_login(MembershipFactory(organization=plan.organization, role=Role.ADMIN).user)
    response = client.get(reverse("measures:measure_create", args=[plan.organization.slug, plan.fiscal_year]),
                          follow=True)
    assert response.redirect_chain[0][1] == 302
    assert LockedError().messages[0] in [str(m) for m in response.context["messages"]]
