"""Document numbers (ที่) from the outgoing register (ทะเบียนหนังสือส่ง): prefix + "/" + a running number per
organization and BE year, calendar by rule, fiscal where the organization chose it (thai-documents.md §1)."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from memos.models import Memo
from memos.services import memo_take_number, register_year_of
from organizations.models import Organization
from tests.helpers.forms import form_data

EDIT = reverse("memos:plan_memo_edit", args=["pong-nam-ron", 2567])
PREVIEW = reverse("reports:document_preview", args=["pong-nam-ron", 2567, "memo"])
TAKEN_TWICE = "บันทึกข้อความนี้ได้เลขจากทะเบียนหนังสือส่งแล้ว"


@pytest.fixture
def organization(db) -> Organization:
    organization = Organization.objects.get(slug="dong-sombun")
    assert organization.document_number_prefix == "กส 74601"
    return organization


def new_memo(organization: Organization, day: dt.date, **fields) -> Memo:
    return Memo.objects.create(organization=organization, date=day, subject="เรื่องทดสอบ",
                               addressee="นายกเทศมนตรี", body="ข้อความ", **fields)


def test_two_memos_get_1_and_2_and_print_prefix_slash_number(organization):
    first = memo_take_number(memo=new_memo(organization, dt.date(2025, 3, 1), document_number="พิมพ์เอง"))
    second = memo_take_number(memo=new_memo(organization, dt.date(2025, 3, 2)))
    stored = Memo.objects.filter(pk__in=[first.pk, second.pk]).order_by("register_number")
    assert list(stored.values_list("register_year", "register_number", "document_number")) == [
        (2568, 1, "กส 74601/1"), (2568, 2, "กส 74601/2")]  # the typed "พิมพ์เอง" is replaced


def test_an_unsaved_memo_is_saved_with_its_number(organization):
    memo = memo_take_number(memo=Memo(organization=organization, date=dt.date(2025, 3, 1), subject="ส",
                                      addressee="น", body="ข"))
    assert Memo.objects.get(pk=memo.pk).document_number == "กส 74601/1"


def test_numbers_continue_after_the_largest_and_other_organizations_do_not_count(organization):
    new_memo(organization, dt.date(2025, 1, 5), register_year=2568, register_number=41)
    other = Organization.objects.get(slug="pong-nam-ron")
    new_memo(other, dt.date(2025, 1, 5), register_year=2568, register_number=99)
    assert memo_take_number(memo=new_memo(organization, dt.date(2025, 6, 1))).register_number == 42
    assert memo_take_number(memo=new_memo(other, dt.date(2025, 6, 1))).document_number == "จป.53001/100"


def test_a_new_calendar_year_restarts_at_1(organization):
    december = memo_take_number(memo=new_memo(organization, dt.date(2025, 12, 31)))
    memo_take_number(memo=new_memo(organization, dt.date(2025, 10, 1)))  # October stays in 2568 by calendar
    january = memo_take_number(memo=new_memo(organization, dt.date(2026, 1, 2)))
    assert (december.register_year, december.register_number) == (2568, 1)
    assert (january.register_year, january.register_number, january.document_number) == (2569, 1, "กส 74601/1")


def test_fiscal_basis_counts_1_october_2567_into_2568(organization):
    organization.register_year_basis = "fiscal"
    organization.save()
    september = memo_take_number(memo=new_memo(organization, dt.date(2024, 9, 30)))
    october = memo_take_number(memo=new_memo(organization, dt.date(2024, 10, 1)))
    next_one = memo_take_number(memo=new_memo(organization, dt.date(2025, 2, 1)))
    assert (september.register_year, september.register_number) == (2567, 1)
    assert (october.register_year, october.register_number) == (2568, 1)
    assert (next_one.register_year, next_one.register_number) == (2568, 2)


@pytest.mark.parametrize(
    ("day", "basis", "year"),
    [(dt.date(2024, 10, 1), "calendar", 2567), (dt.date(2024, 10, 1), "fiscal", 2568),
     (dt.date(2024, 9, 30), "fiscal", 2567), (dt.date(2025, 1, 1), "calendar", 2568),
     (dt.date(2024, 12, 31), "fiscal", 2568)],
)
def test_register_year_of(day, basis, year):
    assert register_year_of(day, basis) == year


def test_taking_a_number_twice_is_refused_even_from_a_stale_copy(organization):
    memo = memo_take_number(memo=new_memo(organization, dt.date(2025, 3, 1)))
    with pytest.raises(ValidationError, match=TAKEN_TWICE):
        memo_take_number(memo=memo)
    stale = new_memo(organization, dt.date(2025, 3, 2))
    fresh = Memo.objects.get(pk=stale.pk)
    memo_take_number(memo=fresh)
    with pytest.raises(ValidationError, match=TAKEN_TWICE):
        memo_take_number(memo=stale)  # read before the other copy took its number
    assert list(Memo.objects.filter(organization=organization, register_number__isnull=False)
                .values_list("register_number", flat=True).order_by("register_number")) == [1, 2]


def test_without_a_prefix_no_number_is_taken(db):
    khok_ma = Organization.objects.get(slug="khok-ma")
    memo = new_memo(khok_ma, dt.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="ต้องตั้งรหัสเลขที่หนังสือของหน่วยงาน"):
        memo_take_number(memo=memo)
    assert Memo.objects.get(pk=memo.pk).register_number is None


def test_the_unique_constraint_holds(organization):
    first = memo_take_number(memo=new_memo(organization, dt.date(2025, 3, 1)))
    second = new_memo(organization, dt.date(2025, 3, 2))
    second.register_year, second.register_number = first.register_year, first.register_number
    with pytest.raises(ValidationError, match="เลขทะเบียนหนังสือส่งนี้ถูกใช้แล้ว"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Memo.objects.filter(pk=second.pk).update(register_year=2568, register_number=1)
    with pytest.raises(IntegrityError), transaction.atomic():  # a number always comes with its year
        Memo.objects.filter(pk=second.pk).update(register_number=7)
    new_memo(organization, dt.date(2025, 3, 3))  # memos without a number do not collide


# --- the memo form ---------------------------------------------------------------------------------------

@pytest.fixture
def pong_clerk(db):
    from tests.conftest import _member

    return _member("pong-clerk", "pong-nam-ron", "clerk")


def _memo() -> Memo:
    return Memo.objects.get(organization__slug="pong-nam-ron", plan__fiscal_year=2567)


def test_ticking_the_box_takes_the_number_when_the_memo_is_saved(client, pong_clerk):
    client.force_login(pong_clerk)
    page = client.get(EDIT).content.decode()
    assert "ออกเลขที่หนังสือจากทะเบียนหนังสือส่ง" in page
    data = form_data(page) | {"take_register_number": "on", "document_number": "พิมพ์เอง", "date": "5/1/2568"}
    response = client.post(EDIT, data, follow=True)
    assert "บันทึกบันทึกข้อความแล้ว" in response.content.decode()
    memo = _memo()
    assert (memo.register_year, memo.register_number, memo.document_number) == (2568, 1, "จป.53001/1")
    assert memo.date == dt.date(2025, 1, 5)

    page = client.get(EDIT).content.decode()
    assert "ออกเลขที่หนังสือจากทะเบียนหนังสือส่ง" not in page  # the box is gone once a number is taken
    assert "ทะเบียนหนังสือส่ง: <strong>จป.53001/1</strong> (เลขที่ 1 ปี 2568)" in page
    # The number can no longer be retyped, and a form that still ticks the box takes no second number.
    client.post(EDIT, form_data(page) | {"document_number": "จป.53001/99", "take_register_number": "on"})
    memo = _memo()
    assert (memo.register_number, memo.document_number) == (1, "จป.53001/1")


@pytest.mark.parametrize("tick", [False, True], ids=["box-not-ticked", "box-ticked"])
def test_a_form_opened_before_the_number_was_taken_neither_erases_it_nor_takes_another(client, pong_clerk, tick):
    client.force_login(pong_clerk)
    stale = form_data(client.get(EDIT).content.decode()) | {"subject": "เรื่องแก้ไขภายหลัง"}
    if tick:
        stale["take_register_number"] = "on"
    memo_take_number(memo=_memo())  # someone else takes the number meanwhile
    taken = _memo().document_number
    assert client.post(EDIT, stale).status_code == 302
    memo = _memo()
    assert (memo.subject, memo.register_number, memo.document_number) == ("เรื่องแก้ไขภายหลัง", 1, taken)
    assert Memo.objects.filter(organization__slug="pong-nam-ron", register_number__isnull=False).count() == 1


def test_the_box_without_a_prefix_is_refused_on_the_form(client, admin_user):
    client.force_login(admin_user)
    edit = reverse("memos:plan_memo_edit", args=["khok-ma", 2568])
    data = form_data(client.get(edit).content.decode()) | {"take_register_number": "on", "subject": "ใหม่"}
    page = client.post(edit, data).content.decode()
    assert "หน่วยงานยังไม่ได้ตั้งรหัสเลขที่หนังสือ" in page
    assert not Memo.objects.filter(organization__slug="khok-ma", subject="ใหม่").exists()


def test_the_memo_prints_the_taken_number_in_thai_digits(client, pong_clerk):
    client.force_login(pong_clerk)
    memo = _memo()
    for _ in range(11):  # eleven earlier letters of the year
        memo_take_number(memo=new_memo(memo.organization, memo.date))
    memo_take_number(memo=memo)
    assert memo.document_number == "จป.53001/12"
    assert "จป.๕๓๐๐๑/๑๒" in client.get(PREVIEW).content.decode()


def test_a_number_taken_between_the_check_and_the_save_makes_the_whole_save_refused(client, pong_clerk):
    """The race the form cannot see: the form was built (box offered and ticked) before another request took the
    number; ``memo_save`` then refuses in its transaction and nothing of the form is saved."""
    from django.http import QueryDict

    from memos.forms import MemoCommentFormSet, MemoForm
    from memos.services import memo_save

    client.force_login(pong_clerk)
    data = form_data(client.get(EDIT).content.decode()) | {"take_register_number": "on", "subject": "ไม่ควรบันทึก"}
    post = QueryDict(mutable=True)
    for name, value in data.items():
        post.setlist(name, value if isinstance(value, list) else [value])
    memo = _memo()
    form = MemoForm(post, instance=memo, plan=memo.plan)
    comments = MemoCommentFormSet(post, instance=memo, prefix="comments",
                                  form_kwargs={"organization": memo.organization})
    assert form.is_valid() and comments.is_valid()
    memo_take_number(memo=_memo())  # another request, after the form was checked
    with pytest.raises(ValidationError, match=TAKEN_TWICE):
        memo_save(memo=memo, data=form.memo_data(), comments=comments.comment_inputs(),
                  take_register_number=form.cleaned_data["take_register_number"])
    stored = _memo()
    assert stored.subject != "ไม่ควรบันทึก" and stored.register_number == 1
