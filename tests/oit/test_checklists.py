"""An organization's OIT checklist (oit.checklists): made from the year's item list, copied from last year with
codes mapped by topic, the main-website rule, marking ready, and the staff's items to do."""
import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from oit.checklists import (
    checklist_copy,
    checklist_create,
    checklist_mark_ready,
    default_due_date,
    department_entries,
    url_on_main_website,
)
from oit.choices import ChecklistState, EntryStatus, EvidenceKind, Period
from oit.models import Checklist, ChecklistEntry, Evidence
from organizations.permissions import rights_of
from tests.factories import ItemListFactory
from tests.helpers.oit import ITEMS, YEAR, oit_item_list


@pytest.mark.parametrize(("url", "website", "on"), [
    ("https://www.khokma.go.th/oit/o1", "https://www.khokma.go.th/", True),
    ("http://khokma.go.th/oit/o1", "https://www.khokma.go.th/", True),  # scheme and www. make no difference
    ("https://WWW.KhokMa.go.th:443/x", "khokma.go.th", True),  # case, port, no scheme typed
    ("https://khokma.go.th./x", "https://www.khokma.go.th", True),  # a trailing dot
    ("https://www.facebook.com/khokma", "https://www.khokma.go.th/", False),
    ("https://drive.google.com/file/d/1", "https://www.khokma.go.th/", False),
    ("https://eservice.khokma.go.th/", "https://www.khokma.go.th/", False),  # a sub-domain is another host
    ("https://khokma.go.th.evil.example/", "https://www.khokma.go.th/", False),
    ("https://www.khokma.go.th/", "", False),  # no main website set
    ("", "https://www.khokma.go.th/", False),
    ("https://เทศบาลโคกม้า.ไทย/oit", f"https://www.{'เทศบาลโคกม้า.ไทย'.encode('idna').decode()}/", True),  # IDNA
])
def test_a_url_is_on_the_main_website_only_on_its_host(url, website, on):
    assert url_on_main_website(url=url, website=website) is on


@pytest.mark.django_db
def test_the_checklist_has_every_item_and_element_unticked_due_before_the_window_opens(khok_ma, admin_user):
    item_list = oit_item_list()
    item_list.version = 3
    item_list.save()
    checklist = checklist_create(organization=khok_ma, fiscal_year=YEAR, user=admin_user)
    assert (checklist.item_list, checklist.list_version, checklist.state) == (item_list, 3, ChecklistState.OPEN)
    entries = list(checklist.entries.order_by("item__order"))
    assert [e.item.code for e in entries] == ["O1", "O3", "O25", "O26"]
    assert {(e.status, e.due_date) for e in entries} == {(EntryStatus.NOT_STARTED, dt.date(2028, 2, 16))}
    evidence = Evidence.objects.filter(entry__checklist=checklist)
    assert evidence.count() == sum(len(elements) for *_rest, elements in ITEMS) == 8
    assert not evidence.filter(done=True).exists()
    assert [e.history.get().history_user for e in entries] == [admin_user] * 4  # simple-history knows who


def test_the_due_date_falls_back_to_the_windows_close_then_to_none():
    assert default_due_date(ItemListFactory.build(entry_opens=dt.date(2028, 3, 1))) == dt.date(2028, 2, 16)
    assert default_due_date(ItemListFactory.build(entry_closes=dt.date(2028, 4, 30))) == dt.date(2028, 4, 30)
    assert default_due_date(ItemListFactory.build()) is None


@pytest.mark.django_db
def test_a_year_without_an_item_list_is_refused_in_thai(khok_ma, admin_user):
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        checklist_create(organization=khok_ma, fiscal_year=2598, user=admin_user)
    assert refused.value.messages == ["ยังไม่มีรายการข้อ OIT ของปีงบประมาณ 2598 ผู้ดูแลระบบระดับประเทศต้องนำเข้าก่อน"]
    assert not Checklist.objects.filter(fiscal_year=2598).exists()


@pytest.mark.django_db
def test_a_second_checklist_of_the_same_year_is_refused_and_nothing_is_added(khok_ma, admin_user):
    oit_item_list()
    checklist_create(organization=khok_ma, fiscal_year=YEAR, user=admin_user)
    with translation.override("th"), pytest.raises(ValidationError):
        checklist_create(organization=khok_ma, fiscal_year=YEAR, user=admin_user)
    assert ChecklistEntry.objects.filter(checklist__organization=khok_ma, checklist__fiscal_year=YEAR).count() == 4


LAST_YEAR = [  # 2570: the participation topic was O24, plus an item that is dropped in 2571
    ("O1", "โครงสร้าง หน้าที่และอำนาจ", Period.NONE, "", ["แผนผังโครงสร้างการแบ่งส่วนราชการ", "หน้าที่และอำนาจตามกฎหมาย"]),
    ("O24", "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", Period.FY_N, "",
     ["ผลการวิเคราะห์ผลการประเมินปีที่ผ่านมา", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"]),
    ("O25", "ข้อที่เลิกใช้", Period.NONE, "", ["ข้อความเดิม"]),
]
THIS_YEAR = [  # 2571: O24's topic is now O25 (previous_code O24); O26 is new
    ("O1", "โครงสร้าง หน้าที่และอำนาจ", Period.NONE, "O1", ["แผนผังโครงสร้างการแบ่งส่วนราชการ", "หน้าที่และอำนาจตามกฎหมาย"]),
    ("O25", "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", Period.FY_N, "O24",
     ["มาตรการส่งเสริมคุณธรรมและความโปร่งใส", "ผลการวิเคราะห์ผลการประเมินปีที่ผ่านมา", "เป็นการดำเนินการในปีงบประมาณ"]),
    ("O26", "รายงานผลการดำเนินการ", Period.FY_N_MINUS_1, "", ["ผลการดำเนินการตามมาตรการ"]),
]


@pytest.mark.django_db
def test_copying_last_year_carries_links_where_and_owners_by_topic_and_leaves_evidence_unticked(khok_ma,
                                                                                                  admin_user):
    oit_item_list(fiscal_year=YEAR - 1, items=LAST_YEAR)
    oit_item_list(fiscal_year=YEAR, items=THIS_YEAR)
    old = checklist_create(organization=khok_ma, fiscal_year=YEAR - 1, user=admin_user)
    finance, office = khok_ma.departments.get(name="กองคลัง"), khok_ma.departments.get(name="กองช่าง")
    for code, url, owners in [("O1", "https://www.khokma.go.th/structure", [office]),
                              ("O24", "https://www.khokma.go.th/ita-2570", [finance, office]),
                              ("O25", "https://www.khokma.go.th/old", [finance])]:
        entry = old.entries.get(item__code=code)
        ChecklistEntry.objects.filter(pk=entry.pk).update(url=url, where=f"เมนู {code}",
                                                          status=EntryStatus.SUBMITTED)
        entry.owners.set(owners)
    analysis = old.entries.get(item__code="O24").evidence.get(element__text="ผลการวิเคราะห์ผลการประเมินปีที่ผ่านมา")
    Evidence.objects.filter(pk=analysis.pk).update(done=True, kind=EvidenceKind.URL,
                                                   url="https://www.khokma.go.th/ita-2570/analysis.pdf")

    new = checklist_copy(organization=khok_ma, fiscal_year=YEAR, from_year=YEAR - 1, user=admin_user)

    o25 = new.entries.get(item__code="O25")  # the topic of last year's O24, not last year's O25
    assert (o25.url, o25.where, set(o25.owners.all())) == ("https://www.khokma.go.th/ita-2570", "เมนู O24",
                                                           {finance, office})
    assert o25.status == EntryStatus.NOT_STARTED
    evidence = {e.element.text: (e.done, e.kind, e.url) for e in o25.evidence.all()}
    assert evidence == {  # matched by the element's text, not its position; unticked until confirmed
        "ผลการวิเคราะห์ผลการประเมินปีที่ผ่านมา": (False, EvidenceKind.URL, "https://www.khokma.go.th/ita-2570/analysis.pdf"),
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส": (False, "", ""),
        "เป็นการดำเนินการในปีงบประมาณ": (False, "", ""),
    }
    o1 = new.entries.get(item__code="O1")
    assert (o1.url, list(o1.owners.all())) == ("https://www.khokma.go.th/structure", [office])
    o26 = new.entries.get(item__code="O26")  # a new topic starts empty
    assert (o26.url, o26.where, o26.owners.count()) == ("", "", 0)


@pytest.mark.django_db
def test_copying_from_a_year_without_a_checklist_is_refused_and_makes_nothing(khok_ma, admin_user):
    oit_item_list()
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        checklist_copy(organization=khok_ma, fiscal_year=YEAR, from_year=YEAR - 1, user=admin_user)
    assert refused.value.messages == [f"ไม่มีรายการตรวจ OIT ของปีงบประมาณ {YEAR - 1} ให้คัดลอก"]
    assert not Checklist.objects.filter(organization=khok_ma).exists()


@pytest.mark.django_db
def test_marking_ready_is_for_executives_and_goes_into_the_audit_log(khok_ma, admin_user, executive):
    oit_item_list()
    checklist = checklist_create(organization=khok_ma, fiscal_year=YEAR, user=admin_user)
    with pytest.raises(PermissionDenied):
        checklist_mark_ready(checklist=checklist, rights=rights_of(user=admin_user, organization=khok_ma),
                             user=admin_user)
    assert Checklist.objects.get(pk=checklist.pk).state == ChecklistState.OPEN
    checklist_mark_ready(checklist=checklist, rights=rights_of(user=executive, organization=khok_ma), user=executive)
    stored = Checklist.objects.get(pk=checklist.pk)
    assert (stored.state, stored.ready_by) == (ChecklistState.READY, executive)
    logged = LogEntry.objects.get_for_object(stored).filter(action=LogEntry.Action.UPDATE).get()
    assert logged.changes_dict["state"] == ["open", "ready"]
    assert logged.additional_data == {"organization_id": khok_ma.pk}
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        checklist_mark_ready(checklist=stored, rights=rights_of(user=executive, organization=khok_ma),
                             user=executive)
    assert refused.value.messages == ["รายการตรวจนี้ได้รับการยืนยันว่าพร้อมส่งแล้ว"]


@pytest.mark.django_db
def test_staff_get_their_departments_unfinished_items_earliest_due_first(khok_ma, admin_user, staff_user):
    oit_item_list()
    checklist = checklist_create(organization=khok_ma, fiscal_year=YEAR, user=admin_user)
    finance = khok_ma.departments.get(name="กองคลัง")
    entries = {e.item.code: e for e in checklist.entries.all()}
    for code, due, status in [("O1", dt.date(2028, 3, 1), EntryStatus.IN_PROGRESS),
                              ("O3", dt.date(2028, 1, 15), EntryStatus.NOT_STARTED),
                              ("O25", dt.date(2028, 1, 1), EntryStatus.READY)]:  # ready: not to do any more
        ChecklistEntry.objects.filter(pk=entries[code].pk).update(due_date=due, status=status)
        entries[code].owners.add(finance)
    entries["O26"].owners.add(khok_ma.departments.get(name="กองช่าง"))  # another department's
    rows = department_entries(user=staff_user, today=dt.date(2028, 2, 1))
    assert [(r.entry.item.code, r.due_date, r.late) for r in rows] == [("O3", dt.date(2028, 1, 15), True),
                                                                      ("O1", dt.date(2028, 3, 1), False)]
    Checklist.objects.filter(pk=checklist.pk).update(state=ChecklistState.READY)
    assert department_entries(user=staff_user, today=dt.date(2028, 2, 1)) == []


@pytest.mark.django_db
def test_the_service_ignores_owners_and_due_date_from_staff_and_refuses_non_owners(khok_ma, admin_user, staff_user):
    from oit.checklists import entry_update

    oit_item_list()
    checklist = checklist_create(organization=khok_ma, fiscal_year=YEAR, user=admin_user)
    finance, works = khok_ma.departments.get(name="กองคลัง"), khok_ma.departments.get(name="กองช่าง")
    o1 = checklist.entries.get(item__code="O1")
    rights = rights_of(user=staff_user, organization=khok_ma)
    with pytest.raises(PermissionDenied):  # not yet an owner
        entry_update(entry=o1, rights=rights, user=staff_user, data={"url": "https://www.khokma.go.th/x"},
                     evidence=[])
    o1.owners.add(finance)
    o1 = checklist.entries.prefetch_related("owners").get(pk=o1.pk)
    entry_update(entry=o1, rights=rights, user=staff_user, evidence=[],
                 data={"url": "https://www.khokma.go.th/x", "owners": [works], "due_date": dt.date(2099, 1, 1)})
    stored = ChecklistEntry.objects.get(pk=o1.pk)
    assert (stored.url, list(stored.owners.all()), stored.due_date) == ("https://www.khokma.go.th/x", [finance],
                                                                        dt.date(2028, 2, 16))
