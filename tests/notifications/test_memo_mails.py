"""E-mails of a memo's route (issue 22 §1): the person of each step is told when the memo reaches them, the sender
when it comes back or is decided, the sender and the approver when the issued PDF is ready. Thai, one e-mail per
person, an absolute link to the memo; sent only after the commit, and never failing the decision when mail fails.

The organization of ``tests.helpers.memos.Route``: a clerk sends; หัวหน้าสำนักปลัด → ปลัดเทศบาล → นายกเทศมนตรี."""
import datetime as dt
import logging
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend

from memos.services import memo_decide
from tests.helpers.memos import TITLES, Route, committed

SITE = "https://ita.example.go.th"


@pytest.fixture
def route(db, settings) -> Route:
    settings.SITE_URL = SITE
    route = Route()
    for name, user in (("clerk", route.clerk), ("head", route.head), ("palad", route.palad), ("mayor", route.mayor)):
        user.email, user.first_name, user.last_name = f"{name}@example.go.th", name.title(), "ทดสอบ"
        user.save()
    return route


def decide(route: Route, user, action: str, comment: str):
    with committed():
        return memo_decide(memo=route.memo_now(), user=user, action=action, comment=comment,
                           today=dt.date(2025, 3, 5))


def sent() -> list[tuple[list[str], str]]:
    return [(message.to, message.subject) for message in mail.outbox]


def test_sending_tells_the_first_step_in_thai_with_a_link_to_the_memo(route):
    with committed():
        route.send()
    [message] = mail.outbox
    subject = route.memo.subject
    assert message.to == ["head@example.go.th"]
    assert message.subject == f"บันทึกข้อความรอท่านพิจารณา: {subject}"
    assert message.body.startswith("เรียน Head ทดสอบ\n")
    assert (f'บันทึกข้อความเรื่อง "{subject}" ของ{route.organization.name} ถึงลำดับของท่านแล้ว ({TITLES[0]}) '
            "และรอท่านพิจารณา") in message.body
    assert f"เปิดเพื่อพิจารณา:\n{SITE}/organizations/{route.organization.slug}/memos/{route.memo.pk}/\n" in message.body
    assert "อีเมลนี้ส่งโดยอัตโนมัติจากระบบ ITA กรุณาอย่าตอบกลับ" in message.body
    assert message.from_email == "ITA portal <noreply@localhost>"


def test_nothing_is_sent_before_the_commit(route):
    route.send()  # the test's transaction never commits
    assert mail.outbox == []


def test_each_forward_tells_the_next_step_only(route):
    with committed():
        route.send()
    decide(route, route.head, "forward", "เห็นควรเสนอปลัด")
    assert sent()[1:] == [(["palad@example.go.th"], f"บันทึกข้อความรอท่านพิจารณา: {route.memo.subject}")]
    assert TITLES[1] in mail.outbox[1].body


def test_a_returned_memo_tells_its_sender_with_the_reason(route):
    with committed():
        route.send()
    decide(route, route.head, "return", "แก้ไขวันที่ในย่อหน้าที่สอง")
    message = mail.outbox[-1]
    assert (message.to, message.subject) == (["clerk@example.go.th"],
                                             f"บันทึกข้อความถูกส่งกลับให้แก้ไข: {route.memo.subject}")
    assert "ถูกส่งกลับมาให้ท่านแก้ไข" in message.body
    assert "เหตุผล: แก้ไขวันที่ในย่อหน้าที่สอง" in message.body
    assert f"{SITE}/organizations/{route.organization.slug}/memos/{route.memo.pk}/" in message.body


def test_approval_tells_the_sender_then_the_issued_pdf_tells_sender_and_approver(route):
    with committed():
        route.send()
    decide(route, route.head, "forward", "เห็นควรเสนอปลัด")
    decide(route, route.palad, "forward", "เห็นควรอนุมัติ")
    decide(route, route.mayor, "approve", "อนุมัติ")
    subject, slug, pk = route.memo.subject, route.organization.slug, route.memo.pk
    assert sent()[3:] == [
        (["clerk@example.go.th"], f"บันทึกข้อความได้รับอนุมัติแล้ว: {subject}"),
        (["clerk@example.go.th"], f"ออกหนังสือที่ บร 71001/1 แล้ว: {subject}"),
        (["mayor@example.go.th"], f"ออกหนังสือที่ บร 71001/1 แล้ว: {subject}"),
    ]
    approved, issued = mail.outbox[3], mail.outbox[4]
    assert "ที่ท่านเสนอได้รับอนุมัติแล้ว ระบบกำลังออกเอกสาร" in approved.body
    assert "ความเห็น/คำสั่ง: อนุมัติ" in approved.body
    assert f'บันทึกข้อความเรื่อง "{subject}" ออกเป็นหนังสือที่ บร 71001/1 แล้ว (ฉบับที่ 1)' in issued.body
    assert f"ไฟล์ PDF:\n{SITE}/organizations/{slug}/memos/{pk}/issued/1.pdf\n" in issued.body


def test_a_memo_not_approved_tells_its_sender(route):
    with committed():
        route.send()
    decide(route, route.head, "forward", "เสนอ")
    decide(route, route.palad, "forward", "เสนอ")
    decide(route, route.mayor, "reject", "ยังไม่อนุมัติ ให้ทบทวนงบประมาณ")
    message = mail.outbox[-1]
    assert (message.to, message.subject) == (["clerk@example.go.th"],
                                             f"บันทึกข้อความไม่ได้รับอนุมัติ: {route.memo.subject}")
    assert "ความเห็น/คำสั่ง: ยังไม่อนุมัติ ให้ทบทวนงบประมาณ" in message.body


def test_an_approval_that_fails_sends_nothing(route):
    with committed():
        route.send()
    decide(route, route.head, "forward", "เสนอ")
    decide(route, route.palad, "forward", "เสนอ")
    route.organization.document_number_prefix = ""  # the register number cannot be taken: the approval fails
    route.organization.save()
    mail.outbox.clear()
    with pytest.raises(ValidationError), committed():
        memo_decide(memo=route.memo_now(), user=route.mayor, action="approve", comment="อนุมัติ")
    assert mail.outbox == []
    assert route.memo_now().state == "pending"


def test_a_person_without_an_address_is_skipped(route):
    route.head.email = ""
    route.head.save()
    with committed():
        route.send()
    assert mail.outbox == []
    decide(route, route.head, "forward", "เสนอ")
    assert sent() == [(["palad@example.go.th"], f"บันทึกข้อความรอท่านพิจารณา: {route.memo.subject}")]


def test_a_mail_server_failure_is_logged_and_the_decision_stands(route, monkeypatch, caplog):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("the relay is down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with caplog.at_level(logging.ERROR), committed():
        route.send()
    decide(route, route.head, "forward", "เสนอ")
    assert route.memo_now().current_user == route.palad
    assert mail.outbox == []
    failures = [record for record in caplog.records if record.name == "notifications.mail"]
    assert [record.getMessage() for record in failures] == [
        f"E-mail to head@example.go.th not sent: บันทึกข้อความรอท่านพิจารณา: {route.memo.subject}",
        f"E-mail to palad@example.go.th not sent: บันทึกข้อความรอท่านพิจารณา: {route.memo.subject}"]
