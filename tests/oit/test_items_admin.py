"""The Django admin's edits of OIT items and elements (oit/admin.py) count as corrections like the portal's own page
(oit.items.item_update): adding, changing or deleting an item, or adding, changing or deleting an element, makes a
new version of the year's list, in one home (``oit.items.item_list_version_bump``); an edit that changes nothing
does not. Tested through the admin's URLs as a superuser."""
import pytest
from django.urls import reverse

from oit.models import Element, Item, ItemList

ADMIN_FIELDS = ["code", "order", "title", "indicator_number", "sub_area", "period", "previous_code", "source",
                "grade", "portal_document"]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("national-admin-oit", password="x")  # noqa: S106


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def version(fiscal_year: int = 2569) -> int:
    return ItemList.objects.get(fiscal_year=fiscal_year).version


def item_post(item: Item, *, elements: list[tuple[int | None, str, bool]] | None = None, **changes) -> dict:
    """The admin's change form of ``item`` as posted, with ``changes``; ``elements``: (pk or None, text, delete)."""
    data = {name: getattr(item, name) if getattr(item, name) is not None else "" for name in ADMIN_FIELDS}
    data |= {"item_list": item.item_list_id} | ({"to_confirm": "on"} if item.to_confirm else {})
    data |= changes
    if elements is None:
        elements = [(e.pk, e.text, False) for e in item.elements.all()]
    stored = sum(1 for pk, _text, _delete in elements if pk is not None)
    data |= {"elements-TOTAL_FORMS": len(elements), "elements-INITIAL_FORMS": stored,
             "elements-MIN_NUM_FORMS": 0, "elements-MAX_NUM_FORMS": 1000}
    for i, (pk, text, delete) in enumerate(elements):
        data |= {f"elements-{i}-id": pk or "", f"elements-{i}-item": item.pk or "", f"elements-{i}-order": i + 1,
                 f"elements-{i}-text": text}
        if delete:
            data[f"elements-{i}-DELETE"] = "on"
    return data


def saved(response) -> None:
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.django_db
def test_changing_an_items_title_in_the_admin_bumps_the_version_and_marks_it_corrected(admin_client, superuser):
    item = Item.objects.get(item_list__fiscal_year=2569, code="O26")
    saved(admin_client.post(reverse("admin:oit_item_change", args=[item.pk]),
                            item_post(item, title="รายงานผลแก้ในหน้าผู้ดูแลระบบ")))
    item.refresh_from_db()
    assert item.title == "รายงานผลแก้ในหน้าผู้ดูแลระบบ"
    assert version() == 2
    assert item.corrected_by == superuser and item.corrected_at is not None  # the file loader now leaves it alone
    assert ItemList.history.filter(fiscal_year=2569).first().history_user == superuser


@pytest.mark.django_db
def test_saving_an_item_unchanged_in_the_admin_keeps_the_version(admin_client):
    item = Item.objects.get(item_list__fiscal_year=2569, code="O26")
    saved(admin_client.post(reverse("admin:oit_item_change", args=[item.pk]), item_post(item)))
    item.refresh_from_db()
    assert version() == 1 and item.corrected_at is None


@pytest.mark.django_db
def test_changing_adding_and_deleting_elements_in_the_admin_each_bump_the_version(admin_client):
    item = Item.objects.get(item_list__fiscal_year=2569, code="O13")
    url = reverse("admin:oit_item_change", args=[item.pk])
    first = item.elements.first()
    saved(admin_client.post(url, item_post(item, elements=[(first.pk, "องค์ประกอบที่แก้", False)])))
    assert Element.objects.get(pk=first.pk).text == "องค์ประกอบที่แก้"
    assert version() == 2
    saved(admin_client.post(url, item_post(item, elements=[(first.pk, "องค์ประกอบที่แก้", False),
                                                           (None, "องค์ประกอบใหม่", False)])))
    assert list(item.elements.values_list("text", flat=True)) == ["องค์ประกอบที่แก้", "องค์ประกอบใหม่"]
    assert version() == 3
    added = item.elements.get(text="องค์ประกอบใหม่")
    saved(admin_client.post(url, item_post(item, elements=[(first.pk, "องค์ประกอบที่แก้", False),
                                                           (added.pk, "องค์ประกอบใหม่", True)])))
    assert list(item.elements.values_list("text", flat=True)) == ["องค์ประกอบที่แก้"]
    assert version() == 4


@pytest.mark.django_db
def test_adding_an_item_in_the_admin_bumps_its_lists_version(admin_client, superuser):
    the_list = ItemList.objects.get(fiscal_year=2569)
    data = item_post(Item(item_list=the_list, code="O27", order=27, title="รายการใหม่", indicator_number=10),
                     elements=[(None, "องค์ประกอบของรายการใหม่", False)])
    saved(admin_client.post(reverse("admin:oit_item_add"), data))
    added = Item.objects.get(item_list=the_list, code="O27")
    assert list(added.elements.values_list("text", flat=True)) == ["องค์ประกอบของรายการใหม่"]
    assert version() == 2 and added.corrected_by == superuser  # kept by the file loader, which does not name it
    assert ItemList.objects.get(fiscal_year=2568).version == 1


@pytest.mark.django_db
def test_deleting_an_item_in_the_admin_bumps_its_lists_version(admin_client):
    item = Item.objects.get(item_list__fiscal_year=2569, code="O26")
    saved(admin_client.post(reverse("admin:oit_item_delete", args=[item.pk]), {"post": "yes"}))
    assert not Item.objects.filter(pk=item.pk).exists()
    assert version() == 2


@pytest.mark.django_db
def test_deleting_items_of_two_years_with_the_admins_action_bumps_each_list_once(admin_client):
    items = [Item.objects.get(item_list__fiscal_year=2569, code="O26"),
             Item.objects.get(item_list__fiscal_year=2569, code="O25"),
             Item.objects.get(item_list__fiscal_year=2568, code="O26")]
    response = admin_client.post(reverse("admin:oit_item_changelist"), {
        "action": "delete_selected", "_selected_action": [i.pk for i in items], "post": "yes"})
    saved(response)
    assert not Item.objects.filter(pk__in=[i.pk for i in items]).exists()
    assert (version(2569), version(2568)) == (2, 2)


@pytest.mark.django_db
def test_the_version_is_not_typed_in_the_admin(admin_client):
    the_list = ItemList.objects.get(fiscal_year=2569)
    html = admin_client.get(reverse("admin:oit_itemlist_change", args=[the_list.pk])).content.decode()
    assert 'name="version"' not in html
    assert 'name="note"' in html


@pytest.mark.django_db
def test_reverting_an_item_on_its_admin_history_page_bumps_the_version(admin_client, superuser):
    item = Item.objects.get(item_list__fiscal_year=2569, code="O26")
    original = item.title
    saved(admin_client.post(reverse("admin:oit_item_change", args=[item.pk]), item_post(item, title="ชื่อที่แก้")))
    first = item.history.order_by("history_date", "history_id").first()
    data = {name: value for name, value in item_post(item).items() if not name.startswith("elements-")}
    saved(admin_client.post(reverse("admin:oit_item_simple_history", args=[item.pk, first.history_id]),
                            data | {"title": original}))
    item.refresh_from_db()
    assert item.title == original
    assert version() == 3 and item.corrected_by == superuser


@pytest.mark.django_db
def test_reverting_a_list_on_its_admin_history_page_keeps_its_version(admin_client):
    the_list = ItemList.objects.get(fiscal_year=2569)
    item = Item.objects.get(item_list=the_list, code="O26")
    saved(admin_client.post(reverse("admin:oit_item_change", args=[item.pk]), item_post(item, title="ชื่อที่แก้")))
    first = the_list.history.order_by("history_date", "history_id").first()
    assert first.version == 1 and version() == 2
    data = {"fiscal_year": 2569, "source": the_list.source, "note": "บันทึกที่ย้อนกลับ",
            "complete": "on" if the_list.complete else ""}
    data |= {name: getattr(the_list, name) or "" for name in ["entry_opens", "entry_closes", "clarification_opens",
                                                              "clarification_closes"]}
    saved(admin_client.post(reverse("admin:oit_itemlist_simple_history", args=[the_list.pk, first.history_id]),
                            data))
    the_list.refresh_from_db()
    assert the_list.note == "บันทึกที่ย้อนกลับ" and the_list.version == 2  # a version number is never reused
