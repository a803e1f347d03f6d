"""Probe failures of issue 18 §8 on input: a reason made only of zero-width spaces, English answers to a forged
choice (``owners=abc``), a comment block deleted by one user while another saves an edit to it. Each ends in a Thai
message where the user looks, and nothing is saved."""
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from approvals.models import Transition
from memos.models import Memo
from tests.conftest import _member
from tests.helpers.forms import error_next_to, form_data, form_errors, get_form
from tests.helpers.measures import MEASURE_EDIT, plan_state
from tests.helpers.memos import MEMO_EDIT, Route, _memo, _memo_state, approve_all

INVISIBLE = ["\u200b\u200b", "\u200c \u200d", "\u2060\ufeff\n\u200b", "\u00ad\u200e"]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- 3. reasons made of invisible characters ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("reason", INVISIBLE)
def test_a_reopen_whose_reason_is_only_zero_width_characters_is_refused(client, reason):
    route = Route()
    memo = approve_all(route)
    client.force_login(route.mayor)
    response = client.post(route.url("memo_reopen"), {"comment": reason, "version": memo.version})
    assert _flash(response) == ["กรุณาระบุเหตุผล"]
    now = route.memo_now()
    assert (now.state, now.version) == ("approved", memo.version)
    assert not Transition.objects.of(memo).filter(action="reopen").exists()


@pytest.mark.django_db
def test_a_return_for_changes_whose_reason_is_only_zero_width_characters_is_refused(client):
    route = Route()
    route.send()
    memo = route.memo_now()
    client.force_login(route.head)
    response = client.post(route.url("memo_decide"), {"action": "return", "comment": "\u200b", "version": memo.version})
    assert _flash(response) == ["กรุณาระบุเหตุผล"]
    assert (route.memo_now().state, route.memo_now().version) == ("pending", memo.version)


@pytest.mark.django_db
def test_the_reopen_service_itself_refuses_a_reason_of_only_zero_width_characters():
    """The rule lives in the service too: a caller that skips the form (the shell, an import) is refused alike."""
    from memos.services import TransitionRefused, memo_reopen

    route = Route()
    memo = approve_all(route)
    with pytest.raises(TransitionRefused):
        memo_reopen(memo=route.memo_now(), user=route.mayor, reason="\u200b\u2060\ufeff", version=memo.version)
    assert route.memo_now().state == "approved"
    assert not Transition.objects.of(memo).filter(action="reopen").exists()


@pytest.mark.django_db
def test_a_reopen_with_a_real_reason_between_invisible_characters_keeps_the_reason(client):
    route = Route()
    memo = approve_all(route)
    client.force_login(route.mayor)
    client.post(route.url("memo_reopen"), {"comment": "\u200bแก้ไขมาตรการที่ ๑\u200b", "version": memo.version})
    assert route.memo_now().state == "draft"
    assert Transition.objects.of(memo).get(action="reopen").comment == "\u200bแก้ไขมาตรการที่ ๑\u200b"


@pytest.mark.django_db
def test_a_memo_body_of_zero_width_spaces_is_required_next_to_the_field(client):
    client.force_login(_member("pong-clerk-invisible", "pong-nam-ron", "clerk"))
    data = form_data(client.get(MEMO_EDIT).content.decode())
    before = _memo_state()
    response = client.post(MEMO_EDIT, data | {"body": "\u200b\n\u200b", "subject": "\ufeff"})
    assert response.status_code == 200  # not saved (302)
    page = response.content.decode()
    assert error_next_to(page, "body") == error_next_to(page, "subject") == "ฟิลด์นี้จำเป็น"
    assert _memo_state() == before


# --- 4. choice errors in Thai ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "message"), [
    ("owners", "abc", "“abc” ไม่ใช่ตัวเลือกที่ใช้ได้"),
    ("indicators", "abc", "“abc” ไม่ใช่ตัวเลือกที่ใช้ได้"),
    ("owners", "999999", "เลือกตัวเลือกที่ถูกต้อง. 999999 ไม่ใช่ตัวเลือกที่ใช้ได้."),
])
def test_a_forged_choice_on_the_measure_form_is_refused_in_thai_next_to_the_field(admin_client, field, value,
                                                                                  message):
    data = get_form(admin_client, MEASURE_EDIT)
    before = plan_state()
    page = admin_client.post(MEASURE_EDIT, data | {field: value}).content.decode()
    assert error_next_to(page, field) == message
    assert plan_state() == before


# --- 5. a comment block deleted while another user edits it -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("second_edit", ["edit", "delete", "untouched"])
def test_a_comment_block_deleted_meanwhile_gives_the_second_user_the_concurrent_edit_message(client, second_edit):
    first, second = (_member(f"pong-clerk-block-{n}", "pong-nam-ron", "clerk") for n in (1, 2))
    client.force_login(first)
    page = client.get(MEMO_EDIT).content.decode()
    data_first, data_second = form_data(page), form_data(page)
    assert data_first["comments-0-id"] and data_first["comments-0-title"]
    deleted = data_first["comments-0-id"]
    assert client.post(MEMO_EDIT, data_first | {"comments-0-DELETE": "on"}).status_code == 302
    assert not _memo().comments.filter(pk=deleted).exists()
    before = _memo_state()
    client.force_login(second)
    change = {"edit": {"comments-0-text": "แก้ไขความเห็นแล้ว"}, "delete": {"comments-0-DELETE": "on"},
              "untouched": {"subject": "เรื่องที่แก้ไขใหม่"}}[second_edit]
    response = client.post(MEMO_EDIT, data_second | change)
    assert response.status_code == 200
    assert "มีผู้อื่นบันทึก บันทึกข้อความนี้ หลังจากที่ท่านเปิดหน้านี้" in form_errors(response.content.decode())
    assert _memo_state() == before
    assert Memo.objects.filter(subject="เรื่องที่แก้ไขใหม่").count() == 0


def test_a_model_choice_checked_by_full_clean_is_refused_in_thai():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        Memo._meta.get_field("state").clean("zzz", None)
    assert refused.value.messages == ["ค่า 'zzz' ไม่ใช่ตัวเลือกที่ใช้ได้"]


@pytest.mark.django_db
def test_a_step_of_only_zero_width_spaces_is_not_stored_as_a_step(admin_client):
    from measures.models import Step

    url = reverse("measures:measure_edit", args=["khok-ma", 2568, 1])
    data = get_form(admin_client, url)
    stored = Step.objects.filter(measure__plan__organization__slug="khok-ma", measure__plan__fiscal_year=2568,
                                 measure__number=1)
    before = list(stored.values_list("text", flat=True))
    invisible = {"steps-4-text": "\u200b\u2060 \u200b", "steps-4-ORDER": "5"}
    assert admin_client.post(url, data | invisible).status_code == 302
    assert list(stored.values_list("text", flat=True)) == before
