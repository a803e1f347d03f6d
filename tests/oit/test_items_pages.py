"""The pages of the OIT items (oit/views/items.py): every signed-in user reads a year's list and an item; a
national administrator (superuser) corrects an item with its history; others are refused; question codes on the
measure and assessment pages link to the item of the result's year and show the topic in the plan's year."""
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from oit.models import Item, ItemList
from tests.factories import OversightScopeFactory, UserFactory
from tests.helpers.forms import error_next_to, get_form
from tests.helpers.pages import section, text


def plain(fragment: str) -> str:
    """The text of an HTML fragment with tags removed (not replaced by spaces), spaces collapsed."""
    return " ".join(strip_tags(fragment).split())


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def national_admin(db):
    return UserFactory(username="national-admin", first_name="สมชาย", last_name="ใจดี", is_superuser=True)


@pytest.mark.django_db
def test_any_signed_in_user_reads_the_years_list_with_its_elements_and_badges(client, staff_user):
    client.force_login(staff_user)
    html = page(client.get(reverse("oit:item_list", args=[2569])))
    assert "<h1>รายการ OIT ปีงบประมาณ 2569</h1>" in html
    o25 = text(html.split('id="item-O25"')[1].split("</article>")[0])
    assert "O25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" in o25
    assert "ต้องตรวจสอบกับคู่มือ" in o25 and "อนุมานจากสำเนาของหน่วยงานหนึ่ง" in o25
    assert "10 · มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in o25 and "ปีงบประมาณ N" in o25
    assert "ประจำปีงบประมาณ พ.ศ. 2569" in o25  # its one element
    assert "(ไม่พบในสำเนา)" in text(html.split('id="item-O2"')[1].split("</article>")[0])
    assert html.count('class="card oit-item"') == 26
    assert reverse("oit:item_edit", args=[2569, "O25"]) not in html  # no edit button


@pytest.mark.django_db
def test_the_years_index_lists_the_stored_years_and_marks_partial_lists(client, staff_user):
    client.force_login(staff_user)
    body = page(client.get(reverse("oit:item_lists"))).split("<tbody>")[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert [text(r).split()[:2] for r in rows] == [["2569", "26"], ["2568", "26"], ["2566", "5"], ["2565", "6"]]
    assert "รายการบางส่วน" in text(rows[2]) and "รายการบางส่วน" not in text(rows[0])


@pytest.mark.django_db
def test_a_partial_year_shows_its_calendar_and_note(client, staff_user):
    client.force_login(staff_user)
    html = text(page(client.get(reverse("oit:item_list", args=[2565]))))
    assert "รายการบางส่วน" in html and "O28 รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี" in html
    assert "กรอกข้อมูล 1 มี.ค. 2565 – 30 เม.ย. 2565" in html
    assert "ชี้แจงเพิ่มเติม 1 มิ.ย. 2565 – 15 มิ.ย. 2565" in html


@pytest.mark.django_db
def test_the_item_page_shows_the_same_topic_the_year_before_and_says_when_a_list_is_missing(client, staff_user):
    client.force_login(staff_user)
    html = page(client.get(reverse("oit:item_detail", args=[2569, "O13"])))
    assert "<h1>O13 หลักเกณฑ์และแผนการบริหารและพัฒนาทรัพยากรบุคคล 2569</h1>" in html
    topics = text(section(html, "h-topic"))
    assert "ปีงบประมาณ 2568: O14 แผนการบริหารและพัฒนาทรัพยากรบุคคล" in topics
    assert "ปีงบประมาณ 2570: ยังไม่มีรายการ OIT ของปี 2570 ในระบบ" in topics
    assert "แสดงหลักเกณฑ์และแผนการบริหารและพัฒนาทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. 2569" in text(
        section(html, "h-elements"))


@pytest.mark.django_db
def test_seed_003s_code_typed_in_thai_digits_opens_its_2565_item(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("oit:item_detail", args=[2565, "O๒๘"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("oit:item_detail", args=[2565, "O28"])
    topics = text(section(page(response), "h-topic"))
    assert "ปีงบประมาณ 2566: O26 รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี" in topics
    assert "ปีงบประมาณ 2564: ยังไม่มีรายการ OIT ของปี 2564 ในระบบ" in topics


@pytest.mark.django_db
@pytest.mark.parametrize("args", [[2570], [2569, "O99"], [2569, "i13"]])
def test_unknown_years_and_codes_are_404(client, staff_user, args):
    client.force_login(staff_user)
    name = "oit:item_list" if len(args) == 1 else "oit:item_detail"
    assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.django_db
def test_a_national_admin_corrects_an_item_and_its_elements_with_history_and_a_new_version(client, national_admin):
    client.force_login(national_admin)
    url = reverse("oit:item_edit", args=[2569, "O26"])
    data = get_form(client, url)
    assert data["title"].startswith("รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรม")
    data |= {"title": "รายงานผลการดำเนินการตามมาตรการ 2568", "elements-0-text": "แสดงผลของแต่ละมาตรการ",
             "elements-1-text": "เป็นการดำเนินการในปีงบประมาณ พ.ศ. 2568", "elements-1-ORDER": "2"}
    response = client.post(url, data, follow=True)
    html = page(response)
    assert "แก้ไขข้อ O26 แล้ว รายการของปี 2569 เป็นฉบับที่ 2" in html
    assert "<h1>O26 รายงานผลการดำเนินการตามมาตรการ 2568</h1>" in html
    item = Item.objects.get(item_list__fiscal_year=2569, code="O26")
    assert [e.text for e in item.elements.all()] == ["แสดงผลของแต่ละมาตรการ", "เป็นการดำเนินการในปีงบประมาณ พ.ศ. 2568"]
    assert ItemList.objects.get(fiscal_year=2569).version == 2
    history = text(section(html, "h-history"))
    assert "สมชาย ใจดี" in history and "รายงานผลการดำเนินการตามมาตรการ 2568" in history
    assert "องค์ประกอบที่ 2" in history and "ระบบ (นำเข้าข้อมูล)" in history  # created by the loader
    assert "แก้ไขโดย" not in history  # the correction stamps are not shown as changes


@pytest.mark.django_db
def test_a_bad_previous_code_is_shown_beside_the_field_and_nothing_is_saved(client, national_admin):
    client.force_login(national_admin)
    url = reverse("oit:item_edit", args=[2569, "O25"])
    html = page(client.post(url, get_form(client, url) | {"previous_code": "x1", "title": "ใหม่"}))
    assert error_next_to(html, "previous_code") == "“x1” ไม่ใช่รหัสข้อ OIT ให้ใส่ เช่น O12"
    assert Item.objects.get(item_list__fiscal_year=2569, code="O25").title == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"


@pytest.mark.django_db
def test_the_national_admin_sees_edit_buttons(client, national_admin):
    client.force_login(national_admin)
    assert reverse("oit:item_edit", args=[2569, "O25"]) in page(client.get(reverse("oit:item_list", args=[2569])))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin_user", "staff_user", "executive", "outsider", "overseer"])
def test_everyone_else_is_refused_the_edit_page_and_changes_nothing(client, request, persona):
    user = OversightScopeFactory(province="").user if persona == "overseer" else request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("oit:item_edit", args=[2569, "O25"])
    for response in (client.get(url), client.post(url, {"title": "ถูกแก้", "elements-TOTAL_FORMS": "0"})):
        assert response.status_code == 403
        assert "<h1>ไม่มีสิทธิ์ดำเนินการนี้</h1>" in response.content.decode()
    assert Item.objects.get(item_list__fiscal_year=2569, code="O25").title == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    assert ItemList.objects.get(fiscal_year=2569).version == 1


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (reverse("oit:item_lists"), reverse("oit:item_list", args=[2569]),
                reverse("oit:item_detail", args=[2569, "O25"]), reverse("oit:item_edit", args=[2569, "O25"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- question codes on the pages of measures and assessments -----------------------------------------------------

def _questions(html: str, card_id: str) -> str:
    card = html.split(f'id="{card_id}"')[1].split("</article>")[0]
    return card.split("<dt>ข้อคำถาม</dt><dd>")[1].split("</dd>")[0]


@pytest.mark.django_db
def test_seed_003s_plan_links_its_oit_codes_to_2565_and_shows_2566(demo_client):
    """Seed 003's plan (FY 2566, from the analysis of ITA 2565) cites O๒๘, O๒, O๓๖/O๓๗ in the 2563–2565 numbering."""
    html = page(demo_client.get(reverse("measures:plan_detail", args=["mueang-phalai", 2566])))
    o28 = _questions(html, "measure-24")
    assert f'<a href="{reverse("oit:item_detail", args=[2565, "O28"])}"' in o28
    assert plain(o28) == "o28 (ปี 2566: O26)"
    assert f'href="{reverse("oit:item_detail", args=[2566, "O26"])}"' in o28
    assert plain(_questions(html, "measure-23")) == "o2 (ไม่อยู่ในส่วนที่บันทึกไว้ของรายการปี 2566)"
    assert plain(_questions(html, "measure-25")) == "o36 (ปี 2566: O34), o37 (ปี 2566: O35)"
    assert plain(_questions(html, "measure-1")) == "i1"  # IIT questions stay plain


@pytest.mark.django_db
def test_a_2568_analysis_links_its_oit_codes_and_shows_the_2569_topic(demo_client):
    html = page(demo_client.get(reverse("assessments:assessment_detail", args=["ban-phran", 2568])))
    analysis = section(html, "h-analysis")
    assert f'<a href="{reverse("oit:item_detail", args=[2568, "O21"])}"' in analysis
    assert "o21 (ปี 2569: O20)" in plain(analysis)
    assert "o22 (ไม่อยู่ในรายการของปี 2569)" in plain(analysis)
    assert "o27 (ไม่อยู่ในรายการของปี 2568)" in plain(analysis)  # seed 002 cites o27; the 2568 copy stops at O26


@pytest.mark.django_db
def test_a_code_of_a_year_without_a_list_says_so(demo_client):
    from measures.models import Measure

    measure = Measure.objects.get(plan__organization__slug="khok-ma", plan__fiscal_year=2568, number=1)
    measure.question_codes = ["o5"]
    measure.save()
    html = page(demo_client.get(reverse("measures:measure_detail", args=["khok-ma", 2568, 1])))
    assert "o5 (ยังไม่มีรายการ OIT ของปี 2567 ในระบบ)" in plain(html)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "args", "queries"), [
    ("oit:item_list", [2569], 7),  # session, user, top bar's link, list, items, elements
    ("oit:item_detail", [2569, "O13"], 10),  # … the item, elements, the index (2), history of item and elements
])
def test_the_item_pages_query_count_is_pinned_and_does_not_grow(client, staff_user, name, args, queries,
                                                                 django_assert_num_queries):
    from tests.factories import ElementFactory, ItemFactory

    client.force_login(staff_user)
    with django_assert_num_queries(queries):
        client.get(reverse(name, args=args))
    item_list = ItemList.objects.get(fiscal_year=2569)
    for _ in range(3):
        ElementFactory(item=ItemFactory(item_list=item_list))
    ElementFactory(item=Item.objects.get(item_list=item_list, code="O13"))
    with django_assert_num_queries(queries):
        client.get(reverse(name, args=args))


@pytest.mark.django_db
def test_the_national_admins_pages_are_thai(client, national_admin):
    from tests.helpers.thai import english_words

    client.force_login(national_admin)
    for url in (reverse("oit:item_list", args=[2569]), reverse("oit:item_detail", args=[2569, "O10"]),
                reverse("oit:item_edit", args=[2569, "O10"]), reverse("oit:item_lists")):
        assert english_words(page(client.get(url)), {"national"}) == set(), url
