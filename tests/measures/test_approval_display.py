"""How an approval is shown when the approver's account is gone (``approved_by`` is SET_NULL on user deletion)."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from measures.models import MeasurePlan


@pytest.mark.django_db
def test_a_plan_approved_by_a_deleted_user_shows_a_dash(demo_client):
    approver = get_user_model().objects.create_user(username="former-mayor")
    plan = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    plan.approved_at, plan.approved_by = timezone.now(), approver
    plan.save()
    approver.delete()

    response = demo_client.get(reverse("measures:plan_detail", args=["khok-ma", 2568]))

    assert response.status_code == 200
    assert "อนุมัติแล้ว</strong> โดย –," in response.content.decode()
