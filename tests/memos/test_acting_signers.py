"""Acting signers on the memo route (issue 22 §3): a step names a substitute, with a period and a capacity
(รักษาราชการแทน / ปฏิบัติราชการแทน). During the period the substitute finds the memo in their inbox and decides it;
outside it they may not; the holder may still decide. The decision records who decided and in what capacity, and the
printed block and the signature stamp name the official and the capacity, never the log-in account.

The organization of ``tests.helpers.memos.Route``: หัวหน้าสำนักปลัด → ปลัดเทศบาล → นายกเทศมนตรี.
"""
import datetime as dt
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from approvals.models import Transition
from memos.documents import memo_only_document
from memos.models import IssuedDocument, MemoIssue, RoutingStep
from memos.services import ActingInput, StepInput, memo_decide, routing_steps_set
from organizations.choices import Role
from reports.documents import document_html
from tests.factories import MembershipFactory, OfficialFactory, UserFactory
from tests.helpers.memos import Route, committed

PALAD, MAYOR = 1, 2  # indexes of the steps in ``Route.steps``
ACTING_NAME = "นายรักษา แทนปลัด"
HOLDER_POSITION = "ปลัดเทศบาลตำบลทดสอบ"


@pytest.fixture
def route(db) -> Route:
    route = Route()
    positions = ["หัวหน้าสำนักปลัด", HOLDER_POSITION, "นายกเทศมนตรีตำบลทดสอบ"]
    for step, position in zip(route.steps, positions, strict=True):
        step.official.position_lines = [position]
        step.official.save()
    return route


def name_substitute(route: Route, index: int, *, capacity: str = "acting", start: dt.date | None = None,
                    end: dt.date | None = None, username: str = "acting-palad", full_name: str = ACTING_NAME):
    """Make a member the substitute of step ``index`` from ``start`` to ``end`` (default: today only); returns the
    member and the official printed for them."""
    today = timezone.localdate()
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=route.organization, role=Role.EXECUTIVE)
    official = OfficialFactory(organization=route.organization, full_name=full_name, position_lines=["รองปลัดเทศบาล"])
    step = route.steps[index]
    step.substitute, step.substitute_official, step.capacity = user, official, capacity
    step.acting_from, step.acting_until = start or today, end or today
    step.full_clean()
    step.save()
    return user, official


def at_palad(route: Route):
    route.send()
    memo_decide(memo=route.memo_now(), user=route.head, action="forward", comment="เสนอปลัด")
    return route.memo_now()


# --- services ---------------------------------------------------------------------------------------------------

def test_in_the_period_the_substitute_forwards_and_the_log_and_the_block_carry_the_capacity(route):
    acting, official = name_substitute(route, PALAD)
    memo_decide(memo=at_palad(route), user=acting, action="forward", comment="เห็นควรอนุมัติ")
    memo = route.memo_now()
    assert (memo.current_step, memo.current_user) == (2, route.mayor)
    decision = Transition.objects.of(memo).last()
    assert (decision.action, decision.user, decision.capacity, decision.step_title) == (
        "forward", acting, "acting", "ความเห็นปลัดเทศบาล")
    block = memo.comments.get(transition=decision)
    assert (block.official, block.acting_for) == (official, route.steps[PALAD].official)
    assert block.capacity_line == f"รักษาราชการแทน {HOLDER_POSITION}"


def test_outside_the_period_the_substitute_is_refused_with_the_period_in_thai_and_nothing_changes(route):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    acting, _official = name_substitute(route, PALAD, start=yesterday - dt.timedelta(days=5), end=yesterday)
    memo = at_palad(route)
    with pytest.raises(PermissionDenied, match="ท่านทำการแทนในขั้นตอนนี้ได้เฉพาะตั้งแต่วันที่ ") as refused:
        memo_decide(memo=memo, user=acting, action="forward", comment="เสนอต่อ")
    assert str(yesterday.year + 543) in str(refused.value)
    assert (route.memo_now().current_step, Transition.objects.of(memo).count()) == (1, 2)  # send, head's forward


def test_a_period_that_has_not_begun_gives_no_turn(route):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    acting, _official = name_substitute(route, PALAD, start=tomorrow, end=tomorrow + dt.timedelta(days=3))
    with pytest.raises(PermissionDenied):
        memo_decide(memo=at_palad(route), user=acting, action="forward", comment="เสนอต่อ")


def test_the_holder_still_decides_during_the_period_in_their_own_right(route):
    name_substitute(route, PALAD)
    memo_decide(memo=at_palad(route), user=route.palad, action="forward", comment="เสนอนายก")
    decision = Transition.objects.of(route.memo).last()
    assert (decision.user, decision.capacity) == (route.palad, "")
    block = route.memo_now().comments.get(transition=decision)
    assert (block.official, block.acting_for, block.capacity_line) == (route.steps[PALAD].official, None, "")


def test_the_substitute_of_another_step_does_not_act_before_that_step(route):
    acting, _official = name_substitute(route, MAYOR, username="acting-mayor")
    with pytest.raises(PermissionDenied):
        memo_decide(memo=at_palad(route), user=acting, action="forward", comment="ข้ามขั้น")


def test_a_substitute_whose_membership_ended_does_not_act(route):
    acting, _official = name_substitute(route, PALAD)
    acting.memberships.update(is_active=False)
    with pytest.raises(PermissionDenied):
        memo_decide(memo=at_palad(route), user=acting, action="forward", comment="เสนอต่อ")


def test_the_route_refuses_a_substitute_who_is_not_a_member(route):
    outsider = MembershipFactory(role=Role.EXECUTIVE).user  # a member of another organization
    official = OfficialFactory(organization=route.organization)
    today = timezone.localdate()
    steps = [StepInput(s.title, s.official, s.user) for s in route.steps]
    steps[PALAD] = StepInput(route.steps[PALAD].title, route.steps[PALAD].official, route.palad,
                             acting=ActingInput(outsider, official, "acting", today, today))
    with pytest.raises(Exception, match="ไม่ใช่สมาชิกของหน่วยงานนี้"):
        routing_steps_set(organization=route.organization, steps=steps)
    assert not RoutingStep.objects.filter(substitute__isnull=False).exists()


# --- the inbox --------------------------------------------------------------------------------------------------

def test_the_substitute_finds_the_memo_in_the_inbox_only_during_the_period(client, route):
    acting, _official = name_substitute(route, PALAD)
    at_palad(route)
    inbox = reverse("inbox")
    client.force_login(acting)
    rows = client.get(inbox).content.decode()
    assert route.memo.subject in rows and "ความเห็นปลัดเทศบาล (รักษาราชการแทน)" in rows
    client.force_login(route.palad)
    assert route.memo.subject in client.get(inbox).content.decode()  # the holder still has it
    today = timezone.localdate()
    RoutingStep.objects.filter(pk=route.steps[PALAD].pk).update(acting_from=today - dt.timedelta(days=3),
                                                                acting_until=today - dt.timedelta(days=1))
    client.force_login(acting)
    page = client.get(inbox).content.decode()
    assert route.memo.subject not in page and "ไม่มีหนังสือรอการพิจารณาของท่าน" in page


def test_the_substitute_decides_on_the_memo_page_and_the_trail_says_in_what_capacity(client, route):
    acting, _official = name_substitute(route, PALAD, capacity="delegated")
    acting.first_name, acting.last_name = "รักษา", "แทนปลัด"
    acting.save()
    memo = at_palad(route)
    client.force_login(acting)
    page = client.get(route.url("memo_detail")).content.decode()
    assert "ท่านพิจารณาในขั้นตอน “ความเห็นปลัดเทศบาล” ในฐานะปฏิบัติราชการแทน" in page
    response = client.post(route.url("memo_decide"), {"action": "forward", "comment": "เห็นควรอนุมัติ",
                                                      "version": memo.version}, follow=True)
    page = response.content.decode()
    assert "เสนอบันทึกข้อความต่อไปยังขั้นถัดไปแล้ว" in page
    assert "รักษา แทนปลัด (ปฏิบัติราชการแทน)" in page  # the trail


# --- the printed memo and the signature stamp -------------------------------------------------------------------

def test_the_printed_memo_names_the_substitutes_official_and_the_capacity_not_the_username(route):
    acting, _official = name_substitute(route, PALAD)
    memo_decide(memo=at_palad(route), user=acting, action="forward", comment="เห็นควรอนุมัติ")
    html = document_html(memo_only_document(route.memo_now()))
    assert f"({ACTING_NAME})" in html and f"รักษาราชการแทน {HOLDER_POSITION}" in html
    assert acting.username not in html


def test_the_stamp_names_the_approving_official_not_the_log_in_account(route):
    """Before issue 22 the stamp named ``user.get_full_name() or username``: "user-3" here, "executive" in the
    demo."""
    route.send()
    for user, action in ((route.head, "forward"), (route.palad, "forward"), (route.mayor, "approve")):
        with committed():
            memo_decide(memo=route.memo_now(), user=user, action=action, comment="เห็นชอบ")
    issue = MemoIssue.objects.get(memo=route.memo)
    assert issue.signer_name == route.steps[MAYOR].official.full_name
    assert route.mayor.username not in issue.signer_name


def test_an_acting_approver_is_named_on_the_stamp_with_the_capacity_line(route):
    acting, official = name_substitute(route, MAYOR, capacity="delegated", username="acting-mayor",
                                       full_name="นายปฏิบัติ แทนนายก")
    route.send()
    for user, action in ((route.head, "forward"), (route.palad, "forward"), (acting, "approve")):
        with committed():
            memo_decide(memo=route.memo_now(), user=user, action=action, comment="อนุมัติ")
    issue = MemoIssue.objects.get(memo=route.memo)
    assert issue.signer_name == "นายปฏิบัติ แทนนายก\nปฏิบัติราชการแทน นายกเทศมนตรีตำบลทดสอบ"


@pytest.mark.pdf
def test_the_issued_pdf_prints_the_acting_official_and_the_capacity_and_the_stamp_names_the_approver(route, signing):
    acting, _official = name_substitute(route, PALAD)
    route.send()
    for user, action in ((route.head, "forward"), (acting, "forward"), (route.mayor, "approve")):
        with committed():
            memo_decide(memo=route.memo_now(), user=user, action=action, comment="เห็นชอบ")
    content = bytes(IssuedDocument.objects.get(memo=route.memo).content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    assert f"({ACTING_NAME})" in text and f"รักษาราชการแทน {HOLDER_POSITION}" in text
    mayor = route.steps[MAYOR].official.full_name
    assert f"ลงลายมือชื่อดิจิทัลโดย {mayor}" in text
    for username in (acting.username, route.mayor.username, route.palad.username):
        assert username not in text


# --- the route page ---------------------------------------------------------------------------------------------

def _route_post(route: Route, **palad) -> dict:
    data = {"steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "3"}
    for n, step in enumerate(route.steps):
        data |= {f"steps-{n}-title": step.title, f"steps-{n}-official": step.official_id,
                 f"steps-{n}-user": step.user_id, f"steps-{n}-ORDER": str(n + 1)}
    return data | {f"steps-{PALAD}-{name}": value for name, value in palad.items()}


@pytest.fixture
def admin_client(client, route):
    client.force_login(MembershipFactory(organization=route.organization, role=Role.ADMIN).user)
    return client


def test_an_admin_names_a_substitute_for_a_period_typed_in_the_buddhist_era(admin_client, route):
    acting = MembershipFactory(organization=route.organization, role=Role.EXECUTIVE).user
    official = OfficialFactory(organization=route.organization, full_name=ACTING_NAME)
    url = reverse("memos:routing_edit", args=[route.organization.slug])
    response = admin_client.post(url, _route_post(route, substitute=acting.pk, substitute_official=official.pk,
                                                  capacity="acting", acting_from="1/3/2568", acting_until="๕/๓/๒๕๖๘"),
                                 follow=True)
    page = response.content.decode()
    assert "บันทึกเส้นทางเสนอหนังสือแล้ว" in page
    step = RoutingStep.objects.get(organization=route.organization, order=2)
    assert (step.substitute, step.substitute_official, step.capacity, step.acting_from, step.acting_until) == (
        acting, official, "acting", dt.date(2025, 3, 1), dt.date(2025, 3, 5))
    assert 'value="1/3/2568"' in page and 'value="5/3/2568"' in page  # shown back in the Buddhist era
    assert RoutingStep.objects.filter(organization=route.organization, substitute__isnull=True).count() == 2


@pytest.mark.parametrize(("fields", "message"), [
    ({"acting_from": "5/3/2568", "acting_until": "1/3/2568"}, "วันสุดท้ายของช่วงเวลาต้องไม่อยู่ก่อนวันแรก"),
    ({"substitute_official": ""}, "เลือกชื่อและตำแหน่งที่จะพิมพ์ของผู้ทำการแทน"),
    ({"substitute": "outsider"}, "ผู้ทำการแทนต้องเป็นสมาชิกของหน่วยงานนี้"),
    ({"substitute": "holder"}, "ผู้ทำการแทนต้องไม่ใช่ผู้พิจารณาของขั้นตอนนี้เอง"),
    ({"capacity": ""}, "เลือกฐานะ: รักษาราชการแทน หรือ ปฏิบัติราชการแทน"),
])
def test_bad_input_is_told_in_thai_beside_its_field_and_nothing_is_saved(admin_client, route, fields, message):
    acting = MembershipFactory(organization=route.organization, role=Role.EXECUTIVE).user
    official = OfficialFactory(organization=route.organization)
    values = {"substitute": acting.pk, "substitute_official": official.pk, "capacity": "acting",
              "acting_from": "1/3/2568", "acting_until": "5/3/2568"} | fields
    if values["substitute"] == "outsider":
        values["substitute"] = MembershipFactory(role=Role.EXECUTIVE).user.pk
    elif values["substitute"] == "holder":
        values["substitute"] = route.palad.pk
    before = list(RoutingStep.objects.values())
    page = admin_client.post(reverse("memos:routing_edit", args=[route.organization.slug]),
                             _route_post(route, **values)).content.decode()
    field = page[page.index(message) - 2000:page.index(message)]
    assert 'class="error" role="alert"' in page[page.index(message) - 40:page.index(message)]
    assert "has-error" in field
    assert list(RoutingStep.objects.values()) == before
