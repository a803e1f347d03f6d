"""Memo defects of issue 11: a memo carries a version like measures, so a form opened before someone else saved
is refused with the input kept, and two people each adding a comment block get a clear message, not a server
error; two people saving the first memo of a plan do not make two cover memos."""
import pytest
from django.urls import reverse

from memos.models import Memo
from tests.conftest import _member
from tests.helpers.forms import form_data

EDIT = reverse("memos:plan_memo_edit", args=["pong-nam-ron", 2567])
CONFLICT = "มีผู้อื่นบันทึก บันทึกข้อความนี้ หลังจากที่ท่านเปิดหน้านี้ ระบบยังไม่ได้บันทึกข้อมูลของท่าน"


@pytest.fixture
def clerks(db):
    return _member("pong-clerk-1", "pong-nam-ron", "clerk"), _member("pong-clerk-2", "pong-nam-ron", "clerk")


def _memo() -> Memo:
    return Memo.objects.get(organization__slug="pong-nam-ron", plan__fiscal_year=2567)


def test_a_save_from_an_older_version_is_refused_and_the_input_stays_on_the_form(client, clerks):
    first, second = clerks
    client.force_login(first)
    stale = form_data(client.get(EDIT).content.decode())
    assert stale["seen_version"] == str(_memo().version)
    assert client.post(EDIT, stale | {"subject": "เรื่องของคนแรก"}).status_code == 302
    client.force_login(second)
    page = client.post(EDIT, stale | {"subject": "เรื่องของคนที่สอง"}).content.decode()
    assert CONFLICT in page
    assert 'value="เรื่องของคนที่สอง"' in page  # the input is kept
    assert _memo().subject == "เรื่องของคนแรก"


def test_two_people_adding_a_comment_block_get_a_message_not_a_server_error(client, clerks):
    first, second = clerks
    client.force_login(first)
    page = client.get(EDIT).content.decode()
    data_first, data_second = form_data(page), form_data(page)
    blocks = _memo().comments.count()
    new = f"comments-{blocks}"  # the first empty block of the formset
    data_first |= {f"{new}-title": "ความเห็นรองนายก", f"{new}-text": "เห็นชอบ"}
    data_second |= {f"{new}-title": "ความเห็นหัวหน้ากอง", f"{new}-text": "ทราบ"}
    assert client.post(EDIT, data_first).status_code == 302
    client.force_login(second)
    response = client.post(EDIT, data_second)
    assert response.status_code == 200 and CONFLICT in response.content.decode()
    titles = list(_memo().comments.values_list("title", flat=True))
    assert "ความเห็นรองนายก" in titles and "ความเห็นหัวหน้ากอง" not in titles and len(titles) == blocks + 1


def test_two_people_writing_the_first_memo_of_a_plan_make_one_memo(client, clerks):
    edit = reverse("memos:plan_memo_edit", args=["pong-nam-ron", 2567])
    Memo.objects.filter(organization__slug="pong-nam-ron").delete()
    first, second = clerks
    client.force_login(first)
    draft = form_data(client.get(edit).content.decode())
    assert client.post(edit, draft | {"subject": "ฉบับแรก"}).status_code == 302
    client.force_login(second)
    assert CONFLICT in client.post(edit, draft | {"subject": "ฉบับที่สอง"}).content.decode()
    assert list(Memo.objects.filter(organization__slug="pong-nam-ron").values_list("subject", flat=True)) == [
        "ฉบับแรก"]


def test_the_memo_of_an_approved_plan_cannot_be_edited(client, clerks):
    from measures.services import approval_set

    client.force_login(clerks[0])
    data = form_data(client.get(EDIT).content.decode()) | {"subject": "แก้หลังแผนอนุมัติ"}
    approval_set(item=_memo().plan, user=None, approved=True)
    page = client.post(EDIT, data).content.decode()
    assert "รายการนี้ได้รับอนุมัติแล้วและถูกล็อก ผู้บริหารต้องเปิดให้แก้ไขก่อนจึงจะแก้ไขได้" in page
    assert _memo().subject != "แก้หลังแผนอนุมัติ"
