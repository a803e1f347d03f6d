"""Plans and reports carry a stored approval state moved only through the transition table (``measures.workflow``),
and every approval and reopening is a row of the one approval log (``approvals.Transition``), as memos have had
(issue 19 §2)."""
import pytest
from django.urls import reverse

from approvals.models import Transition
from measures.models import MeasurePlan
from measures.services import approval_reopen, approval_set
from measures.workflow import ApprovalRefused
from tests.factories import MeasurePlanFactory, UserFactory

pytestmark = pytest.mark.django_db

ALREADY_APPROVED = "รายการนี้อนุมัติแล้ว อาจมีผู้อนุมัติไปหลังจากที่ท่านเปิดหน้านี้"
NOT_APPROVED = ("รายการนี้ยังไม่ได้อนุมัติ จึงไม่มีสิ่งที่ต้องเปิดให้แก้ไข "
                "อาจมีผู้เปิดให้แก้ไขไปหลังจากที่ท่านเปิดหน้านี้")
LOGGED = ("action", "from_state", "to_state", "user", "comment")


def _stored(item) -> tuple:
    item.refresh_from_db()
    return item.state, item.is_locked, item.approved_by


def test_approving_and_reopening_a_plan_moves_its_state_and_logs_each_transition():
    plan, mayor = MeasurePlanFactory(), UserFactory()
    assert _stored(plan) == ("draft", False, None)

    record = approval_set(item=plan, user=mayor, approved=True, note="บันทึกข้อความ ขออนุมัติแผน")
    assert _stored(plan) == ("approved", True, mayor) and plan.approved_at == record.at
    approval_reopen(item=plan, user=mayor)
    assert _stored(plan) == ("draft", False, None) and plan.approved_at is None

    assert list(Transition.objects.of(plan).values_list(*LOGGED)) == [
        ("approve", "draft", "approved", mayor.pk, "บันทึกข้อความ ขออนุมัติแผน"),
        ("reopen", "approved", "draft", mayor.pk, "")]
    assert [t.item for t in Transition.objects.of(plan)] == [plan, plan]


def test_approving_an_approved_plan_or_reopening_a_draft_is_refused_in_thai_and_changes_nothing():
    plan, mayor = MeasurePlanFactory(), UserFactory()
    with pytest.raises(ApprovalRefused) as refused:
        approval_set(item=plan, user=mayor, approved=False)
    assert refused.value.messages == [NOT_APPROVED]
    approval_set(item=plan, user=mayor, approved=True)
    approved_at = MeasurePlan.objects.get(pk=plan.pk).approved_at
    with pytest.raises(ApprovalRefused) as refused:
        approval_set(item=plan, user=UserFactory(), approved=True)
    assert refused.value.messages == [ALREADY_APPROVED]
    assert _stored(plan) == ("approved", True, mayor) and plan.approved_at == approved_at
    assert Transition.objects.of(plan).count() == 1


def test_a_second_click_on_approve_shows_the_refusal_and_logs_one_approval(client, executive):
    client.force_login(executive)
    url = reverse("measures:plan_approval", args=["khok-ma", 2568])
    client.post(url, {"action": "approve"})
    page = client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert ALREADY_APPROVED in page
    plan = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    assert list(Transition.objects.of(plan).values_list("action", "user")) == [("approve", executive.pk)]


def test_a_report_approved_and_reopened_from_its_page_lists_both_in_its_approval_record(client, executive):
    client.force_login(executive)
    url = reverse("measures:report_approval", args=["khok-ma", 2568, "annual"])
    client.post(url, {"action": "approve"})
    report = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568).progress_reports.get(
        round="annual")
    assert _stored(report)[:2] == ("approved", True)
    page = client.post(url, {"action": "reopen"}, follow=True).content.decode()
    assert _stored(report) == ("draft", False, None)
    assert list(Transition.objects.of(report).values_list("action", "from_state", "to_state")) == [
        ("approve", "draft", "approved"), ("reopen", "approved", "draft")]
    name = executive.get_full_name() or executive.username
    assert "<summary>บันทึกการอนุมัติ</summary>" in page
    assert f"<li>อนุมัติแล้ว โดย {name}," in page and f"<li>เปิดให้แก้ไข โดย {name}," in page
