"""Two people editing the same measure or progress row (optimistic concurrency: the later save is refused,
the input kept), the history of changes on a measure's page, and the recoverable delete."""
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from measures.models import Measure, ProgressEntry
from organizations.models import Department
from tests.helpers.forms import form_data

ORG, YEAR = "khok-ma", 2568
CONFLICT = "มีผู้อื่นบันทึก มาตรการที่ 2 หลังจากที่ท่านเปิดหน้านี้ ระบบยังไม่ได้บันทึกข้อมูลของท่าน"


def url(name: str, *args) -> str:
    return reverse(f"measures:{name}", args=[ORG, YEAR, *args])


def measure(number: int) -> Measure:
    return Measure.all_objects.get(plan__organization__slug=ORG, plan__fiscal_year=YEAR, number=number)


def entry(number: int) -> ProgressEntry:
    return ProgressEntry.objects.get(report__plan__organization__slug=ORG, report__round="annual",
                                     measure__number=number)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(page: str) -> str:
    """The page as the user reads it: tags dropped (as a space), entities decoded, white space collapsed."""
    return " ".join(unescape(strip_tags(page.replace("<", " <"))).split()) + " "


# --- concurrency -------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_second_of_two_measure_saves_is_refused_and_keeps_the_users_input(admin_user, staff_user):
    first, second = logged_in(admin_user), logged_in(staff_user)
    first_form = form_data(first.get(url("measure_edit", 2)).content.decode())
    second_form = form_data(second.get(url("measure_edit", 2)).content.decode())
    assert first_form["version"] == second_form["version"] == "1"

    assert first.post(url("measure_edit", 2), first_form | {"title": "ชื่อของผู้ดูแล"}).status_code == 302
    response = second.post(url("measure_edit", 2), second_form | {"title": "ชื่อของกองคลัง",
                                                                  "steps-0-text": "ขั้นตอนของกองคลัง"})

    page = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT in page
    assert "\nชื่อของกองคลัง</textarea>" in page  # the second user's typing is still on the form
    assert "\nขั้นตอนของกองคลัง</textarea>" in page
    stored = measure(2)
    assert (stored.title, stored.version) == ("ชื่อของผู้ดูแล", 2)
    assert "ขั้นตอนของกองคลัง" not in stored.steps.values_list("text", flat=True)

    # Opened again, the form carries the new version and the save goes through.
    fresh = form_data(second.get(url("measure_edit", 2)).content.decode())
    assert (fresh["version"], fresh["title"]) == ("2", "ชื่อของผู้ดูแล")
    assert second.post(url("measure_edit", 2), fresh | {"title": "ชื่อของกองคลัง"}).status_code == 302
    assert measure(2).title == "ชื่อของกองคลัง"


@pytest.mark.django_db
def test_a_post_without_a_version_is_refused(admin_user):
    client = logged_in(admin_user)
    data = form_data(client.get(url("measure_edit", 2)).content.decode())
    del data["version"]
    assert CONFLICT in client.post(url("measure_edit", 2), data | {"title": "ไม่มีเวอร์ชัน"}).content.decode()
    assert measure(2).title == "การใช้งบประมาณ"


@pytest.mark.django_db
def test_the_second_of_two_progress_saves_is_refused_and_nothing_of_it_is_stored(admin_user, staff_user):
    first, second = logged_in(admin_user), logged_in(staff_user)
    first_rows = form_data(first.get(url("report_detail", "annual")).content.decode())
    second_rows = form_data(second.get(url("report_detail", "annual")).content.decode())
    assert first_rows["m2-version"] == second_rows["m2-version"] == "1"

    assert first.post(url("report_detail", "annual"), first_rows | {"m2-result": "ผลของผู้ดูแล"}).status_code == 302
    response = second.post(url("report_detail", "annual"),
                           second_rows | {"m2-result": "ผลของกองคลัง", "m1-result": "ผลข้อ 1 ของกองคลัง"})

    page = response.content.decode()
    assert response.status_code == 200
    assert CONFLICT in page
    assert "ผลของกองคลัง</textarea>" in page and "ผลข้อ 1 ของกองคลัง</textarea>" in page
    assert (entry(2).result, entry(2).version) == ("ผลของผู้ดูแล", 2)
    assert entry(1).result.startswith("1. จัดประชุมชี้แจง")  # all rows or none: the row nobody else touched too
    assert entry(1).version == 1


@pytest.mark.django_db
def test_a_conflict_names_every_row_that_changed_meanwhile(admin_user, staff_user):
    first, second = logged_in(admin_user), logged_in(staff_user)
    rows = form_data(second.get(url("report_detail", "annual")).content.decode())
    first_rows = form_data(first.get(url("report_detail", "annual")).content.decode())
    first.post(url("report_detail", "annual"), first_rows | {"m2-result": "ก", "m5-result": "ข"})
    page = second.post(url("report_detail", "annual"), rows | {"m2-result": "ค", "m5-result": "ง"}).content.decode()
    assert "มีผู้อื่นบันทึก มาตรการที่ 2, มาตรการที่ 5 หลังจากที่ท่านเปิดหน้านี้" in page
    assert (entry(2).result, entry(5).result) == ("ก", "ข")


# --- history -----------------------------------------------------------------------------------------------

@pytest.fixture
def editor(admin_user):
    admin_user.first_name, admin_user.last_name = "สมศรี", "ตั้งใจ"
    admin_user.save()
    return admin_user


def history_of(client, number: int) -> str:
    page = text_of(client.get(url("measure_detail", number)).content.decode())
    assert "ประวัติการแก้ไข" in page
    return page[page.index("ประวัติการแก้ไข"):]


@pytest.mark.django_db
def test_an_edit_shows_who_changed_which_field_from_what_to_what(editor):
    client = logged_in(editor)
    data = form_data(client.get(url("measure_edit", 2)).content.decode())
    old_step = data["steps-0-text"]
    assert data["steps-TOTAL_FORMS"] == "3"  # two steps and an empty one
    chang = str(Department.objects.get(organization__slug=ORG, name="กองช่าง").pk)
    data |= {"title": "การใช้งบประมาณอย่างโปร่งใส", "monitoring": "รายงานทุกไตรมาส", "owners": [data["owners"], chang],
             "steps-0-text": "ขั้นตอนแรกที่แก้ไข", "steps-2-text": "ขั้นตอนที่เพิ่มใหม่"}
    assert client.post(url("measure_edit", 2), data).status_code == 302

    history = history_of(client, 2)
    latest = history[:history.index("ระบบ (นำเข้าข้อมูล)")]  # the newest entry, above the seed import
    assert latest.startswith("ประวัติการแก้ไข สมศรี ตั้งใจ · ")
    assert "มาตรการ: การใช้งบประมาณ → การใช้งบประมาณอย่างโปร่งใส" in latest
    assert "การกำกับติดตาม: – → รายงานทุกไตรมาส" in latest
    assert "ผู้รับผิดชอบ: กองคลัง → กองคลัง, กองช่าง" in latest
    assert f"ขั้นตอนที่ 1: ขั้นตอน: {old_step} → ขั้นตอนแรกที่แก้ไข" in latest
    assert "ขั้นตอนที่ 3: สร้าง: ขั้นตอนที่เพิ่มใหม่" in latest
    assert "ขั้นตอนที่ 2" not in latest  # untouched


@pytest.mark.django_db
def test_a_removed_step_is_shown_with_its_text_and_a_user_without_full_name_by_username(admin_user):
    client = logged_in(admin_user)
    data = form_data(client.get(url("measure_edit", 1)).content.decode())
    assert data["steps-TOTAL_FORMS"] == "5"
    removed = data["steps-3-text"]
    assert client.post(url("measure_edit", 1), data | {"steps-3-DELETE": "on"}).status_code == 302
    history = history_of(client, 1)
    latest = history[:history.index("ระบบ (นำเข้าข้อมูล)")]
    assert latest.startswith("ประวัติการแก้ไข admin-khok-ma · ")
    assert latest.endswith(f"ขั้นตอนที่ 4: ลบ: {removed} → ")  # struck through; the only change of that save


@pytest.mark.django_db
def test_a_progress_change_is_in_the_measures_history(staff_user):
    client = logged_in(staff_user)
    rows = form_data(client.get(url("report_detail", "annual")).content.decode())
    old_result = rows["m2-result"]
    response = client.post(url("report_detail", "annual"),
                           rows | {"m2-status": "done", "m2-date_done": "30/9/2568", "m2-result": "รายงานครบทุกเดือน"})
    assert response.status_code == 302
    history = history_of(client, 2)
    latest = history[:history.index("ระบบ (นำเข้าข้อมูล)")]
    assert latest.startswith("ประวัติการแก้ไข staff-khok-ma · ")
    assert "ประจำปี – สถานะ: – → ดำเนินการแล้วเสร็จ" in latest
    assert "ประจำปี – วันที่ดำเนินการ: – → 30 กันยายน 2568" in latest
    assert f"ประจำปี – ผลการดำเนินการ: {' '.join(old_result.split())} → รายงานครบทุกเดือน" in latest


# --- delete and restore ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_deleted_measure_with_progress_disappears_and_the_admin_restores_it_whole(admin_user, staff_user):
    client = logged_in(admin_user)
    doomed = measure(3)
    steps = list(doomed.steps.values_list("order", "text"))
    progress = list(doomed.progress_entries.values_list("report__round", "result"))
    assert len(steps) >= 1 and len(progress) == 1

    confirm = text_of(client.get(url("measure_delete", 3)).content.decode())
    assert f"มี {len(steps)} ขั้นตอน" in confirm
    assert "มีผลการดำเนินการใน 1 รายงาน ซึ่งจะถูกซ่อนไปพร้อมกัน" in confirm

    staff = logged_in(staff_user)
    assert staff.post(url("measure_delete", 3)).status_code == 403  # staff of an owner department: no
    assert measure(3).deleted_at is None

    listing_url = reverse("measures:measure_list")
    assert doomed.title in text_of(client.get(listing_url).content.decode())
    response = client.post(url("measure_delete", 3), follow=True)
    page = response.content.decode()
    assert "ลบมาตรการที่ 3 แล้ว" in page
    assert 'id="measure-3"' not in page and doomed.title not in text_of(page[page.index('id="h-measures"'):])
    assert doomed.title not in text_of(client.get(listing_url).content.decode())
    assert client.get(url("measure_detail", 3)).status_code == 404
    assert measure(3).deleted_by == admin_user

    assert staff.get(url("deleted_measures")).status_code == 403
    assert staff.post(url("deleted_measures"), {"measure": doomed.pk}).status_code == 403
    assert measure(3).deleted_at is not None

    deleted_page = text_of(client.get(url("deleted_measures")).content.decode())
    assert f"3. {doomed.title}" in deleted_page and "admin-khok-ma" in deleted_page
    response = client.post(url("deleted_measures"), {"measure": doomed.pk}, follow=True)
    page = response.content.decode()
    assert "กู้คืนมาตรการที่ 3 แล้ว" in page
    restored = measure(3)
    assert restored.deleted_at is None
    assert list(restored.steps.values_list("order", "text")) == steps
    assert list(restored.progress_entries.values_list("report__round", "result")) == progress
    assert 'id="measure-3"' in client.get(url("plan_detail")).content.decode()


@pytest.mark.django_db
def test_a_restored_measure_whose_number_was_taken_gets_the_next_free_number(admin_user):
    client = logged_in(admin_user)
    doomed = measure(3)
    client.post(url("measure_delete", 3))
    data = form_data(client.get(url("measure_create")).content.decode())
    assert client.post(url("measure_create"), data | {"number": "3", "title": "มาตรการแทนที่"}).status_code == 302
    response = client.post(url("deleted_measures"), {"measure": doomed.pk})
    assert response["Location"] == url("measure_detail", 9)
    assert Measure.objects.get(pk=doomed.pk).number == 9
    assert measure(3).title == "มาตรการแทนที่"


@pytest.mark.django_db
def test_delete_and_restore_are_in_the_history(admin_user):
    client = logged_in(admin_user)
    pk = measure(3).pk
    client.post(url("measure_delete", 3))
    client.post(url("deleted_measures"), {"measure": pk})
    history = history_of(client, 3)
    latest = history[:history.index("ระบบ (นำเข้าข้อมูล)")]
    assert latest.startswith("ประวัติการแก้ไข admin-khok-ma · ")
    assert "สถานะการลบ: – → ลบ สถานะการลบ: ลบ → กู้คืน " in latest
