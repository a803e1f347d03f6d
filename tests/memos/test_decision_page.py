"""The decision page of a memo (issue 22 §2): the person whose turn it is reads the memo as it will print, with
its PDF and its attachment, chooses a decision themselves, and confirms an approval, which issues a register
number, by ticking a box (no JavaScript needed); an unconfirmed approval changes nothing."""
import io
import re

import pytest
from pypdf import PdfReader

from approvals.models import Transition
from core.thai import to_thai_digits
from memos.models import IssuedDocument
from tests.helpers.memos import Route, committed


@pytest.fixture
def at_the_mayor(db, client) -> Route:
    route = Route()
    route.through(("forward", "เห็นควรเสนอปลัด"), ("forward", "เห็นควรอนุมัติ"))
    client.force_login(route.mayor)
    return route


def test_the_decision_page_frames_the_memo_as_it_will_print_and_links_its_pdf_and_attachment(client, at_the_mayor):
    route = at_the_mayor
    page = client.get(route.url("memo_detail")).content.decode()
    assert "บันทึกข้อความตามที่จะพิมพ์" in page
    assert f'<iframe class="memo-preview" src="{route.url("memo_preview")}"' in page
    assert f'href="{route.url("memo_pdf")}"' in page
    measures = f'/organizations/{route.organization.slug}/plans/{route.plan.fiscal_year}/documents/measures'
    assert f'href="{measures}/"' in page and f'href="{measures}.pdf"' in page
    preview = client.get(route.url("memo_preview"))
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    # The page's own frame may show it: the Content-Security-Policy, which browsers obey before X-Frame-Options,
    # says so too (with "frame-ancestors 'none'" Chromium showed an empty frame, issue 22 §C's screenshot).
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get(route.url("memo_detail"))["Content-Security-Policy"]
    text = preview.content.decode()
    assert to_thai_digits(route.memo.subject) in text and "ย่อหน้าที่สอง" in text and "เห็นควรอนุมัติ" in text


def test_no_decision_is_chosen_for_the_decider(client, at_the_mayor):
    page = client.get(at_the_mayor.url("memo_detail")).content.decode()
    radios = re.findall(r'<input type="radio" name="action"[^>]*>', page)
    assert len(radios) >= 2 and not [r for r in radios if "checked" in r]


def test_approving_without_the_confirmation_is_refused_beside_the_box_and_changes_nothing(client, at_the_mayor):
    route = at_the_mayor
    page = client.get(route.url("memo_detail")).content.decode()
    assert "ทราบว่าระบบจะออกเลขทะเบียนหนังสือส่ง" in page
    before = route.memo_now()
    response = client.post(route.url("memo_decide"), {"action": "approve", "comment": "อนุมัติ",
                                                       "version": before.version})
    text = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="id_confirm_issue".*?<p class="error" role="alert">โปรดทำเครื่องหมายในช่องเพื่อยืนยันการอนุมัติ',
                     text, re.S)
    after = route.memo_now()
    assert (after.state, after.version, after.document_number) == (before.state, before.version,
                                                                    before.document_number)
    assert not IssuedDocument.objects.filter(memo=route.memo).exists()
    assert [t.action for t in Transition.objects.of(route.memo)].count("approve") == 0
    with committed():
        response = client.post(route.url("memo_decide"), {"action": "approve", "comment": "อนุมัติ",
                                                           "confirm_issue": "on", "version": before.version})
    assert response.status_code == 302 and route.memo_now().state == "approved"
    assert route.memo_now().document_number == "บร 71001/1"


def test_forwarding_needs_no_confirmation(client, db):
    route = Route()
    route.send()
    client.force_login(route.head)
    page = client.get(route.url("memo_detail")).content.decode()
    assert 'name="confirm_issue"' not in page  # approving is not open at the first step
    client.post(route.url("memo_decide"), {"action": "forward", "comment": "เสนอ", "version": route.memo_now().version})
    assert route.memo_now().current_step == 1


@pytest.mark.pdf
def test_the_memo_pdf_is_the_memo_alone(client, at_the_mayor):
    response = client.get(at_the_mayor.url("memo_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "ย่อหน้าที่สอง" in text
