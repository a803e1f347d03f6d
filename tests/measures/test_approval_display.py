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
    plan.state, plan.approved_at, plan.approved_by = "approved", timezone.now(), approver
    plan.save()
    approver.delete()

    response = demo_client.get(reverse("measures:plan_detail", args=["khok-ma", 2568]))

    assert response.status_code == 200
    assert "อนุมัติแล้ว</strong> โดย –," in response.content.decode()


@pytest.mark.django_db
def test_a_new_report_title_names_its_round_once(client, admin_user):
    client.force_login(admin_user)
    admin_client = client
    page = admin_client.get(reverse("measures:report_create", args=["khok-ma", 2568]) + "?round=six_month")
    text = page.content.decode()
    assert "ประจำปีงบประมาณ พ.ศ. 2568 รอบ 6 เดือน" in text and "รอบ รอบ" not in text
