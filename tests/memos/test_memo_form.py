"""The memo form: what the clerk types is what the memo prints; the comment chain keeps its order."""
import pytest
from django.urls import reverse

from memos.models import Memo
from tests.helpers.forms import form_data

EDIT = reverse("memos:plan_memo_edit", args=["pong-nam-ron", 2567])
PLAN_PAGE = reverse("measures:plan_detail", args=["pong-nam-ron", 2567])


@pytest.fixture
def pong_clerk(db):
    from tests.conftest import _member

    return _member("pong-clerk", "pong-nam-ron", "clerk")


@pytest.fixture
def pong_staff(db):
    from tests.conftest import _member

    return _member("pong-staff", "pong-nam-ron", "staff", "สำนักปลัด")


def _memo() -> Memo:
    return Memo.objects.get(organization__slug="pong-nam-ron", plan__fiscal_year=2567)


def test_clerk_edits_body_typed_with_browser_line_breaks_into_paragraphs(client, pong_clerk):
    client.force_login(pong_clerk)
    data = form_data(client.get(EDIT).content.decode())
    data["body"] = "ย่อหน้าแรก\r\n\r\nย่อหน้าที่สอง <b>ตัวหนา</b>"
    data["date"] = "๒๘/๑๒/๒๕๖๖"
    response = client.post(EDIT, data, follow=True)
    assert "บันทึกบันทึกข้อความแล้ว" in response.content.decode()
    memo = _memo()
    assert memo.paragraphs == ["ย่อหน้าแรก", "ย่อหน้าที่สอง <b>ตัวหนา</b>"]
    assert memo.date.isoformat() == "2023-12-28"
    assert "ย่อหน้าที่สอง &lt;b&gt;ตัวหนา&lt;/b&gt;" in response.content.decode()


def test_comment_blocks_are_renumbered_in_the_order_chosen(client, pong_clerk):
    client.force_login(pong_clerk)
    before = list(_memo().comments.values_list("title", flat=True))
    assert len(before) == 2
    data = form_data(client.get(EDIT).content.decode())
    data["comments-0-ORDER"], data["comments-1-ORDER"] = "2", "1"  # swap the two blocks
    data["comments-2-title"] = "ความเห็นของนายก"
    data["comments-2-ORDER"] = "3"
    client.post(EDIT, data)
    after = list(_memo().comments.order_by("order").values_list("order", "title"))
    assert after == [(1, before[1]), (2, before[0]), (3, "ความเห็นของนายก")]


def test_bad_date_keeps_everything_and_saves_nothing(client, pong_clerk):
    client.force_login(pong_clerk)
    stored = Memo.objects.filter(pk=_memo().pk).values().get()
    data = form_data(client.get(EDIT).content.decode())
    data["date"] = "28/12/2023"
    data["subject"] = "เรื่องใหม่"
    page = client.post(EDIT, data).content.decode()
    assert "ใช้ปี พ.ศ." in page
    assert 'value="เรื่องใหม่"' in page
    assert Memo.objects.filter(pk=stored["id"]).values().get() == stored


def test_staff_may_not_edit_memos_and_outsiders_get_404(client, pong_staff, outsider):
    client.force_login(pong_staff)
    assert client.get(EDIT).status_code == 403
    assert "แก้ไขบันทึกข้อความ" not in client.get(PLAN_PAGE).content.decode()
    client.force_login(outsider)
    assert client.post(EDIT, {"subject": "x"}).status_code == 404
    assert _memo().subject != "x"


def test_the_memo_of_a_report_starts_from_its_draft_and_prints_what_the_clerk_wrote(client, db):
    from tests.conftest import _member

    client.force_login(_member("phalai-clerk", "mueang-phalai", "clerk"))
    documents = client.get(reverse("reports:document_list", args=["mueang-phalai", 2566])).content.decode()
    edit = reverse("memos:plan_memo_edit", args=["mueang-phalai", 2566]) + "?round=six_month"
    assert f'href="{edit}"' in documents
    page = client.get(edit).content.decode()
    assert "รอบ 6 เดือน 1 ต.ค. 2565 – 31 มี.ค. 2566" in page  # the generated draft, ready to edit
    data = form_data(page)
    data["body"] = "รายงานผลรอบหกเดือนตามเอกสารแนบ"
    data["date"] = "5/4/2566"
    client.post(edit, data)
    memo = Memo.objects.get(organization__slug="mueang-phalai")
    assert memo.progress_report.round == "six_month" and memo.plan is None
    preview = client.get(reverse("reports:document_preview", args=["mueang-phalai", 2566, "memo"]),
                         {"round": "six_month", "attach": "progress"}).content.decode()
    assert "รายงานผลรอบหกเดือนตามเอกสารแนบ" in preview and "๕ เมษายน ๒๕๖๖" in preview
    assert "(IIT)" in preview  # the attached report follows the memo
    assert client.get(reverse("memos:plan_memo_edit", args=["mueang-phalai", 2566]) + "?round=annual"
                      ).status_code == 404  # no annual report yet
