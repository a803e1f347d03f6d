"""The route of a memo (issue 11): each decision path, the turn order, the trail, the issued PDF frozen with its
SHA-256, the register number, the lock of the plan it carries, reopening, and who may do what.

A test organization (factories) with a route of three steps: หัวหน้าสำนักปลัด → ปลัดเทศบาล → นายกเทศมนตรี; a clerk
drafts and sends.
"""
import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from approvals.models import Transition
from measures.services import LockedError, measure_save
from memos.models import IssuedDocument
from memos.services import TransitionRefused, memo_decide, memo_reopen, memo_send
from organizations.choices import Role
from tests.factories import MembershipFactory
from tests.helpers.memos import TITLES, Route, approve_all, committed

NOT_YOUR_TURN = "ยังไม่ถึงลำดับของท่านในการพิจารณาบันทึกข้อความนี้"


@pytest.fixture
def route(db) -> Route:
    return Route()


def test_forward_forward_approve_prints_three_dated_blocks_locks_the_plan_and_issues_one_numbered_pdf(route):
    memo = approve_all(route)
    assert (memo.state, memo.current_user, memo.register_number, memo.document_number) == (
        "approved", None, 1, "บร 71001/1")
    blocks = list(memo.comments.order_by("order").values_list("title", "text", "official", "date"))
    assert blocks == [(TITLES[0], "เห็นควรเสนอปลัด", route.steps[0].official_id, dt.date(2025, 3, 5)),
                      (TITLES[1], "เห็นควรอนุมัติ", route.steps[1].official_id, dt.date(2025, 3, 5)),
                      (TITLES[2], "อนุมัติ", route.steps[2].official_id, dt.date(2025, 3, 5))]
    trail = list(memo.transitions.values_list("action", "from_state", "to_state", "user"))
    assert trail == [("send", "draft", "pending", route.clerk.pk), ("forward", "pending", "pending", route.head.pk),
                     ("forward", "pending", "pending", route.palad.pk),
                     ("approve", "pending", "approved", route.mayor.pk)]
    route.plan.refresh_from_db()
    assert route.plan.is_locked and route.plan.approved_by == route.mayor
    assert list(route.plan.transitions.values_list("action", "user")) == [("approve", route.mayor.pk)]
    issued = IssuedDocument.objects.get(memo=memo)
    content = bytes(issued.content)
    assert content.startswith(b"%PDF-") and issued.size == len(content)
    assert issued.sha256 == hashlib.sha256(content).hexdigest()
    assert (issued.version, issued.document_number, issued.register_number) == (1, "บร 71001/1", 1)


def test_each_person_finds_the_memo_in_their_inbox_only_at_their_turn(client, route):
    route.send()
    inbox = reverse("inbox")
    for user, expected in ((route.head, True), (route.palad, False), (route.mayor, False), (route.clerk, False)):
        client.force_login(user)
        page = client.get(inbox).content.decode()
        assert "หนังสือรอพิจารณา" in page
        assert (route.memo.subject in page) is expected, user
    memo_decide(memo=route.memo_now(), user=route.head, action="forward", comment="เสนอ")
    client.force_login(route.palad)
    assert route.memo.subject in client.get(inbox).content.decode()


def test_nobody_acts_out_of_turn(client, route):
    route.send()
    for user in (route.palad, route.mayor, route.clerk):
        with pytest.raises(PermissionDenied, match=NOT_YOUR_TURN):
            memo_decide(memo=route.memo_now(), user=user, action="forward", comment="ข้ามลำดับ")
        client.force_login(user)
        response = client.post(route.url("memo_decide"), {"action": "forward", "comment": "x",
                                                          "version": route.memo_now().version})
        assert response.status_code == 403
    assert route.memo_now().current_user == route.head
    assert Transition.objects.of(route.memo).count() == 1  # the sending only


def test_forward_is_not_offered_at_the_last_step_nor_approve_before_it(route):
    route.send()
    with pytest.raises(TransitionRefused):
        memo_decide(memo=route.memo_now(), user=route.head, action="approve", comment="ข้ามขั้น")
    memo_decide(memo=route.memo_now(), user=route.head, action="forward", comment="")
    memo_decide(memo=route.memo_now(), user=route.palad, action="forward", comment="")
    with pytest.raises(TransitionRefused):
        memo_decide(memo=route.memo_now(), user=route.mayor, action="forward", comment="ไม่มีขั้นถัดไป")
    assert route.memo_now().state == "pending"


def test_return_for_changes_needs_a_reason_goes_back_to_the_sender_and_a_resend_starts_again(client, route):
    route.through(("forward", "เห็นควรเสนอ"))
    with pytest.raises(TransitionRefused, match="กรุณาระบุเหตุผล"):
        memo_decide(memo=route.memo_now(), user=route.palad, action="return", comment="  ")
    memo_decide(memo=route.memo_now(), user=route.palad, action="return", comment="แก้ตัวเลขในย่อหน้าที่สอง")
    memo = route.memo_now()
    assert (memo.state, memo.current_user) == ("returned", None)
    client.force_login(route.clerk)
    page = client.get(reverse("inbox")).content.decode()
    assert memo.subject in page and "ส่งกลับมาให้ท่านแก้ไข" in page
    page = client.get(route.url("memo_detail")).content.decode()
    assert "แก้ตัวเลขในย่อหน้าที่สอง" in page and "ส่งกลับให้แก้ไข" in page

    memo_send(memo=memo, user=route.clerk)  # the first step again; the earlier blocks leave the memo
    memo = route.memo_now()
    assert (memo.state, memo.current_user, memo.comments.count()) == ("pending", route.head, 0)
    assert list(memo.transitions.values_list("action", flat=True)) == ["send", "forward", "return", "send"]


def test_not_approve_at_the_last_step_leaves_the_plan_open_and_issues_nothing(route):
    memo = route.through(("forward", ""), ("forward", ""), ("reject", "ไม่อนุมัติ ให้ทบทวนมาตรการ"))
    assert memo.state == "rejected" and memo.register_number is None
    assert memo.comments.last().text == "ไม่อนุมัติ ให้ทบทวนมาตรการ"
    route.plan.refresh_from_db()
    assert not route.plan.is_locked and not IssuedDocument.objects.filter(memo=memo).exists()


def test_other_organizations_and_roles_are_refused(client, route):
    outsider = MembershipFactory(role=Role.EXECUTIVE).user  # of another organization
    staff = MembershipFactory(organization=route.organization, role=Role.STAFF).user
    client.force_login(outsider)
    for name in ("memo_detail", "memo_send", "memo_decide", "memo_reopen", "memo_issued_latest"):
        assert client.get(route.url(name)).status_code == 404, name
        assert client.post(route.url(name), {"action": "forward", "version": 1}).status_code == 404, name
    client.force_login(staff)  # a member, but not of the drafting side
    assert client.post(route.url("memo_send"), {"version": 1}).status_code == 403
    client.force_login(route.mayor)  # an executive, not at the first step
    assert client.post(route.url("memo_reopen"), {"comment": "x", "version": 1}).status_code == 302
    assert route.memo_now().state == "draft"  # nothing to reopen: refused with a message, nothing changed
    assert Transition.objects.of(route.memo).count() == 0


def test_the_whole_path_through_the_pages(client, route):
    client.force_login(route.clerk)
    page = client.get(route.url("memo_detail")).content.decode()
    assert "ส่งเสนอพิจารณา" in page
    client.post(route.url("memo_send"), {"comment": "", "version": route.memo_now().version})
    for user, action in ((route.head, "forward"), (route.palad, "forward"), (route.mayor, "approve")):
        client.force_login(user)
        page = client.get(route.url("memo_detail")).content.decode()
        assert "ความเห็นของท่าน" in page or "การพิจารณาของท่าน" in page
        with committed():
            response = client.post(route.url("memo_decide"), {"action": action, "comment": f"ความเห็นของ {user}",
                                                              "confirm_issue": "on",
                                                              "version": route.memo_now().version})
        assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "อนุมัติบันทึกข้อความและออกเลขที่หนังสือแล้ว" in page
    assert "บร 71001/1" in page and "กำลังออกเอกสาร" not in page  # issued by the worker after the commit
    issued = IssuedDocument.objects.get(memo=route.memo)
    download = client.get(route.url("memo_issued_pdf", 1))
    assert download.content == bytes(issued.content)
    assert download["Content-Disposition"] == f'attachment; filename="{issued.filename}"'
    assert client.get(route.url("memo_issued_latest")).content == bytes(issued.content)


def test_after_issue_the_plan_and_the_memo_are_refused_and_a_reopen_issues_a_second_version(client, route):
    memo = approve_all(route)
    first = bytes(IssuedDocument.objects.get(memo=memo).content)
    with pytest.raises(LockedError):
        measure_save(plan=route.plan, measure=route.measure, data={"title": "แก้หลังออกเลข"}, steps=[], version=1,
                     rights=None)
    reports_admin = MembershipFactory(organization=route.organization, role=Role.ADMIN).user
    client.force_login(reports_admin)
    edit = reverse("memos:plan_memo_edit", args=[route.organization.slug, route.plan.fiscal_year])
    page = client.get(edit).content.decode()
    from tests.helpers.forms import form_data

    response = client.post(edit, form_data(page) | {"subject": "แก้หลังออกเลข"})
    assert "บันทึกข้อความนี้ส่งเสนอพิจารณาหรือออกเลขแล้ว จึงแก้ไขไม่ได้ในขณะนี้" in response.content.decode()
    assert route.memo_now().subject != "แก้หลังออกเลข"

    memo_reopen(memo=route.memo_now(), user=route.mayor, reason="แก้ไขมาตรการที่ ๑")
    route.plan.refresh_from_db()
    assert not route.plan.is_locked and route.memo_now().state == "draft"
    assert list(route.plan.transitions.values_list("action", flat=True)) == ["approve", "reopen"]
    measure_save(plan=route.plan, measure=route.measure, data={"title": "มาตรการที่แก้แล้ว"}, steps=[], version=1,
                 rights=None)
    assert client.get(route.url("memo_issued_pdf", 1)).content == first  # the data moved; the file did not

    route.memo = route.memo_now()
    second = approve_all(route)
    versions = list(IssuedDocument.objects.filter(memo=second).order_by("version"))
    assert [(v.version, v.register_number) for v in versions] == [(1, 1), (2, 1)]  # the same letter, re-issued
    assert bytes(versions[0].content) == first and bytes(versions[1].content) != first
    assert client.get(route.url("memo_issued_pdf", 1)).content == first
    assert [t.action for t in Transition.objects.of(memo)].count("reopen") == 1


def test_the_one_click_approval_is_recorded_and_a_reopen_keeps_the_record(client, route):
    client.force_login(route.mayor)
    approval = reverse("measures:plan_approval", args=[route.organization.slug, route.plan.fiscal_year])
    client.post(approval, {"action": "approve"})
    client.post(approval, {"action": "reopen"})
    events = list(Transition.objects.of(route.plan).values_list("action", "user"))
    assert events == [("approve", route.mayor.pk), ("reopen", route.mayor.pk)]
    page = client.get(reverse("measures:plan_detail", args=[route.organization.slug, route.plan.fiscal_year]))
    text = page.content.decode()
    assert "บันทึกการอนุมัติ" in text and text.count(route.mayor.username) >= 2


def test_a_reopen_of_the_plan_from_its_page_reopens_the_approved_memo_in_its_trail(client, route):
    approve_all(route)
    client.force_login(route.mayor)
    client.post(reverse("measures:plan_approval", args=[route.organization.slug, route.plan.fiscal_year]),
                {"action": "reopen"})
    memo = route.memo_now()
    assert memo.state == "draft" and memo.transitions.last().action == "reopen"
    assert IssuedDocument.objects.filter(memo=memo).count() == 1


def test_an_overseer_reads_the_memo_and_its_trail_but_cannot_act(client, route):
    from tests.factories import OversightScopeFactory

    route.send()
    client.force_login(OversightScopeFactory(province="").user)
    page = client.get(route.url("memo_detail")).content.decode()
    assert "ประวัติการดำเนินการ" in page and route.memo.subject in page
    assert client.post(route.url("memo_decide"), {"action": "forward", "version": 2}).status_code == 403
    assert client.post(route.url("memo_send"), {"version": 2}).status_code == 403
    assert route.memo_now().current_user == route.head


#                   admin  staff  executive (not on the route)  clerk  user of another organization  anonymous
ROUTE_MATRIX = {
    "memo_send":    [302, 403, 403, 302, 404, "login"],
    "memo_decide":  [403, 403, 403, 403, 404, "login"],
    "memo_reopen":  [403, 403, 302, 403, 404, "login"],
    "routing_edit": [200, 403, 403, 403, 404, "login"],
}
PERSONAS = [Role.ADMIN, Role.STAFF, Role.EXECUTIVE, Role.CLERK, "outsider", None]
ROUTE_CASES = [(name, persona, outcome) for name, row in ROUTE_MATRIX.items()
               for persona, outcome in zip(PERSONAS, row, strict=True)]


@pytest.mark.parametrize(("name", "persona", "outcome"), ROUTE_CASES,
                         ids=[f"{n}-{p or 'anonymous'}-{o}" for n, p, o in ROUTE_CASES])
def test_route_role_matrix(client, route, name, persona, outcome):
    """Who may post each route URL: a memo on its way at the first step for decide, an approved one for reopen. A
    302 is the action done (the memo moved); the others leave the memo as it was."""
    if name == "memo_decide":
        route.send()
    if name == "memo_reopen":
        approve_all(route)
    if persona == "outsider":
        client.force_login(MembershipFactory(role=Role.ADMIN).user)
    elif persona:
        client.force_login(MembershipFactory(organization=route.organization, role=persona).user)
    before = (route.memo_now().state, route.memo_now().version)
    if name == "routing_edit":
        url = reverse("memos:routing_edit", args=[route.organization.slug])
        response = client.get(url)
    else:
        response = client.post(route.url(name), {"action": "forward", "comment": "เหตุผล",
                                                 "version": route.memo_now().version})
    if outcome == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == outcome
    moved = (route.memo_now().state, route.memo_now().version) != before
    assert moved is (outcome == 302)


def test_the_memo_form_never_edits_a_decision_of_the_route(client, route):
    """On a returned memo the clerk edits the memo and the blocks typed on the form, never a superior's decision."""
    from memos.models import MemoComment
    from tests.helpers.forms import form_data

    route.through(("forward", "ความเห็นของหัวหน้าสำนักปลัดเอง"))
    memo_decide(memo=route.memo_now(), user=route.palad, action="return", comment="แก้ไขย่อหน้าที่สอง")
    client.force_login(route.clerk)
    edit = reverse("memos:plan_memo_edit", args=[route.organization.slug, route.plan.fiscal_year])
    page = client.get(edit).content.decode()
    assert "ความเห็นของหัวหน้าสำนักปลัดเอง" not in page
    data = form_data(page) | {"body": "ย่อหน้าที่แก้แล้ว", "comments-0-title": "ช่องที่พิมพ์เอง"}
    assert client.post(edit, data).status_code == 302
    decision = MemoComment.objects.get(memo=route.memo, transition__isnull=False)
    assert (decision.text, decision.order) == ("ความเห็นของหัวหน้าสำนักปลัดเอง", 501)
    assert route.memo_now().body == "ย่อหน้าที่แก้แล้ว"
    assert MemoComment.objects.filter(memo=route.memo, transition__isnull=True).count() == 1


def test_the_issued_pdf_is_signed_and_verifies_as_issued_by_the_portal(route, signing):
    """With a certificate configured, the stored bytes are the signed PDF: intact, trusted, in the register."""
    from reports.signing import verify_pdf

    issued = IssuedDocument.objects.get(memo=approve_all(route))
    content = bytes(issued.content)
    assert issued.signed and issued.sha256 == hashlib.sha256(content).hexdigest()
    result = verify_pdf(content)
    assert (result.ok, result.issued, result.covers_entire_file) == (True, True, True)
    changed = bytearray(content)
    changed[len(changed) // 2] ^= 0x01
    assert verify_pdf(bytes(changed)).ok is False and verify_pdf(bytes(changed)).issued is False


def test_without_a_certificate_the_issued_pdf_is_stored_unsigned(route, settings):
    settings.SIGNING_PKCS12 = ""
    issued = IssuedDocument.objects.get(memo=approve_all(route))
    assert issued.signed is False and b"/ByteRange" not in bytes(issued.content)
