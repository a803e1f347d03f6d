"""The demo route of ``make run`` (``manage.py demo_route`` after ``create_demo_users``): เทศบาลตำบลโป่งน้ำร้อน's memos
go ความเห็นปลัดเทศบาล → ความเห็น/คำสั่งนายกเทศมนตรี, both decided by ``executive``, and the demo user ``deputy``
(นราพร มิตรวิเชียร, หัวหน้าสำนักปลัด) acts for the ปลัด (รักษาราชการแทน) over a period that includes today, so that a
newcomer sends a memo as ``clerk`` at once and sees an acting signer (issue 22 §3) without setting anything up."""
import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from approvals.models import Transition
from measures.models import MeasurePlan
from memos.models import Memo, RoutingStep
from memos.services import StepInput, memo_decide, memo_send, routing_steps_set
from organizations.choices import Role
from organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db
SLUG = "pong-nam-ron"
User = get_user_model()


def _route_rows():
    return list(RoutingStep.objects.filter(organization__slug=SLUG).order_by("order").values_list(
        "order", "title", "official__full_name", "user__username", "substitute__username",
        "substitute_official__full_name", "capacity", "acting_from", "acting_until"))


def test_the_demo_users_include_a_deputy_executive_of_pong_nam_ron_only(capsys):
    call_command("create_demo_users")
    deputy = User.objects.get(username="deputy")
    assert deputy.check_password("demo-ita-portal") and not deputy.is_staff
    assert deputy.get_full_name() == "นราพร มิตรวิเชียร"
    assert list(Membership.objects.filter(user=deputy).values_list("organization__slug", "role", "is_active")) == [
        (SLUG, Role.EXECUTIVE, True)]
    assert "  log in as deputy / demo-ita-portal  (ผู้บริหาร: เทศบาลตำบลโป่งน้ำร้อน" in capsys.readouterr().out


def test_the_demo_route_lets_the_deputy_decide_for_the_palad_today_and_the_executive_approve(client, capsys):
    call_command("create_demo_users")
    capsys.readouterr()
    call_command("demo_route")
    today = timezone.localdate()
    until = today + dt.timedelta(days=365)
    assert _route_rows() == [
        (1, "ความเห็นปลัดเทศบาล", "นายเศกสรรค์ แก้วเชื้อ", "executive", "deputy", "นางนราพร มิตรวิเชียร", "acting",
         today, until),
        (2, "ความเห็น/คำสั่งนายกเทศมนตรี", "นายพิบิจ เพชรนำชม", "executive", None, None, "", None, None),
    ]
    out = capsys.readouterr().out
    assert out.startswith("Set the demo route of memos of เทศบาลตำบลโป่งน้ำร้อน: ความเห็นปลัดเทศบาล (executive; "
                          "deputy acts for them, รักษาราชการแทน, until ")

    organization = Organization.objects.get(slug=SLUG)
    memo = Memo.objects.get(organization=organization, plan=MeasurePlan.objects.get(organization=organization,
                                                                                   fiscal_year=2567))
    clerk, deputy, executive = (User.objects.get(username=name) for name in ("clerk", "deputy", "executive"))
    memo_send(memo=memo, user=clerk)

    client.force_login(deputy)
    inbox = re.sub(r"\s+", " ", client.get(reverse("inbox")).content.decode())
    assert "ความเห็นปลัดเทศบาล (รักษาราชการแทน)" in inbox and memo.subject in inbox
    memo_decide(memo=Memo.objects.get(pk=memo.pk), user=deputy, action="forward", comment="เห็นควรอนุมัติ")
    memo_decide(memo=Memo.objects.get(pk=memo.pk), user=executive, action="approve", comment="อนุมัติ")
    assert list(Transition.objects.of(memo).values_list("action", "user__username", "capacity")) == [
        ("send", "clerk", ""), ("forward", "deputy", "acting"), ("approve", "executive", "")]
    assert Memo.objects.get(pk=memo.pk).state == "approved"


def test_a_later_run_keeps_the_route_as_the_admin_left_it(capsys):
    call_command("create_demo_users")
    organization = Organization.objects.get(slug=SLUG)
    mayor = organization.officials.get(full_name="นายพิบิจ เพชรนำชม")
    routing_steps_set(organization=organization, steps=[
        StepInput("ความเห็น/คำสั่งนายกเทศมนตรี", mayor, User.objects.get(username="executive"))])
    before = _route_rows()
    capsys.readouterr()
    call_command("demo_route")
    assert _route_rows() == before
    assert capsys.readouterr().out.startswith("Kept the route of memos of เทศบาลตำบลโป่งน้ำร้อน")


def test_without_the_deputy_or_the_seed_there_is_no_demo_route(capsys):
    call_command("demo_route")  # create_demo_users not run: no deputy
    assert not RoutingStep.objects.filter(organization__slug=SLUG).exists()
    assert "no demo route" in capsys.readouterr().out


def test_the_demo_route_is_refused_where_demo_users_are(settings):
    settings.DEMO_USERS_ENABLED = False
    with pytest.raises(CommandError, match="only under the local settings"):
        call_command("demo_route")
