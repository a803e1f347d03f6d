"""The OIT items as data per year (oit.items): the shipped files, loading (idempotent, version bumps), the errors
of a malformed file, corrections on the page, and codes resolved across years."""
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from oit.choices import Grade, Period
from oit.items import (
    ElementInput,
    ItemDataError,
    item_list_read,
    item_lists_load,
    item_resolve,
    item_update,
    topic_in_year,
    topic_trace,
)
from oit.models import Element, Item, ItemList
from tests.factories import ChecklistEntryFactory, UserFactory

DATA = Path(settings.OIT_DATA_DIR)


def _write(tmp_path: Path, year: int, document: dict) -> Path:
    path = tmp_path / f"{year}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _item(code="O1", **fields) -> dict:
    return {"code": code, "title": "โครงสร้าง", "indicator": 9, "period": "none", "elements": ["แสดงโครงสร้าง"]} | fields


# --- the shipped files -----------------------------------------------------------------------------------------

def test_the_shipped_years_are_2565_2566_2568_and_2569():
    assert [p.name for p in sorted(DATA.glob("*.yaml"))] == ["2565.yaml", "2566.yaml", "2568.yaml", "2569.yaml"]


@pytest.mark.parametrize("year", [2568, 2569])
def test_2568_and_2569_have_26_items_o1_to_o26_each_to_confirm(year):
    spec = item_list_read(DATA / f"{year}.yaml")
    assert [i.code for i in spec.items] == [f"O{n}" for n in range(1, 27)]
    assert spec.complete
    assert all(i.to_confirm and i.elements and i.indicator_number in (9, 10) for i in spec.items)
    assert not any(spec.calendar.values())  # oit.md gives no calendar for these years


def test_items_not_seen_in_the_copy_are_graded_n_and_say_so_in_their_title():
    for year, unseen in ((2568, {"O2", "O5", "O6", "O7"}), (2569, {"O2", "O4", "O5", "O6", "O7", "O8", "O9"})):
        items = {i.code: i for i in item_list_read(DATA / f"{year}.yaml").items}
        assert {code for code, i in items.items() if i.grade == Grade.NOT_FOUND} == unseen
        assert all(items[code].title.startswith("(ไม่พบในสำเนา)") for code in unseen)


def test_periods_follow_the_year_clauses_of_the_2569_titles():
    items = {i.code: i for i in item_list_read(DATA / "2569.yaml").items}
    assert items["O11"].period == Period.QUARTERLY
    assert {c for c, i in items.items() if i.period == Period.FY_N_MINUS_1} == {"O12", "O14", "O18", "O22", "O24",
                                                                               "O26"}
    assert {c for c, i in items.items() if i.period == Period.FY_N} == {"O13", "O19", "O21", "O23", "O25"}
    assert items["O13"].previous_code == "O14"  # the HR plan was O14 in 2568
    assert items["O12"].elements == ("แสดงรายงานสรุปผลการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. 2568",)


def test_the_2565_list_is_partial_with_the_2565_calendar():
    spec = item_list_read(DATA / "2565.yaml")
    assert not spec.complete
    assert [i.code for i in spec.items] == ["O2", "O28", "O36", "O37", "O42", "O43"]
    assert str(spec.calendar["entry_opens"]) == "2022-03-01"
    assert str(spec.calendar["clarification_closes"]) == "2022-06-15"


# --- loading -----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_seeded_database_has_the_items():
    assert ItemList.objects.get(fiscal_year=2569).items.count() == 26
    o25 = Item.objects.get(item_list__fiscal_year=2569, code="O25")
    assert o25.title == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    assert o25.period == Period.FY_N and o25.to_confirm and o25.indicator_number == 10


@pytest.mark.django_db
def test_loading_twice_changes_nothing_and_keeps_the_version():
    before = {(i.pk, i.title) for i in Item.objects.all()}, list(Element.objects.values_list("pk", "text"))
    outcomes = item_lists_load()
    assert [(o.created, o.changed) for o in outcomes] == [(False, False)] * 4
    assert ItemList.objects.get(fiscal_year=2569).version == 1
    assert ({(i.pk, i.title) for i in Item.objects.all()}, list(Element.objects.values_list("pk", "text"))) == before


@pytest.mark.django_db
def test_a_changed_file_updates_in_place_and_bumps_the_version_once(tmp_path):
    document = yaml.safe_load((DATA / "2569.yaml").read_text(encoding="utf-8"))
    document["items"][24]["elements"] = ["แสดงการวิเคราะห์ผลการประเมิน", "แสดงมาตรการ"]
    document["items"][25]["title"] = "รายงานผลการดำเนินการ 2568"
    o25 = Item.objects.get(item_list__fiscal_year=2569, code="O25")
    first_element = o25.elements.get().pk
    entry = ChecklistEntryFactory(item=o25, checklist__item_list=o25.item_list)
    item_lists_load(path=_write(tmp_path, 2569, document))
    o25.refresh_from_db()
    assert [e.text for e in o25.elements.all()] == ["แสดงการวิเคราะห์ผลการประเมิน", "แสดงมาตรการ"]
    assert o25.elements.first().pk == first_element  # updated in place
    assert entry.item_id == o25.pk
    assert Item.objects.get(item_list__fiscal_year=2569, code="O26").title == "รายงานผลการดำเนินการ 2568"
    assert ItemList.objects.get(fiscal_year=2569).version == 2
    item_lists_load(path=tmp_path / "2569.yaml")  # the same file again
    assert ItemList.objects.get(fiscal_year=2569).version == 2


@pytest.mark.django_db
def test_a_calendar_or_note_change_does_not_bump_the_version(tmp_path):
    document = yaml.safe_load((DATA / "2569.yaml").read_text(encoding="utf-8"))
    document["calendar"]["entry_opens"] = dt.date(2026, 3, 1)
    document["note"] = "หมายเหตุใหม่"
    item_lists_load(path=_write(tmp_path, 2569, document))
    item_list = ItemList.objects.get(fiscal_year=2569)
    assert (item_list.version, str(item_list.entry_opens), item_list.note) == (1, "2026-03-01", "หมายเหตุใหม่")


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["items"][3].update(period="yearly"),
     "2569.yaml: item 4 (O4): unknown period 'yearly' (one of fy_n, fy_n_minus_1, quarterly, none)"),
    (lambda d: d["items"][11].update(code="o๑๑"), "2569.yaml: item 12 (O11): duplicate code O11 (also item 11)"),
    (lambda d: d["items"][0].update(indicator=5), "2569.yaml: item 1 (O1): indicator must be 9 or 10, not 5"),
    (lambda d: d["items"][0].update(elements=[]),
     "2569.yaml: item 1 (O1): elements must be a non-empty list of sentences"),
    (lambda d: d["items"][0].update(code="i13"), "2569.yaml: item 1 ('i13'): code must be an OIT code such as O12"),
    (lambda d: d["items"][0].update(grade="X"), "2569.yaml: item 1 (O1): unknown grade 'X' (one of V, I, N)"),
    (lambda d: d["items"][24].update(portal_document="report"),
     "2569.yaml: item 25 (O25): unknown portal_document 'report' (one of plan, annual_report)"),
    (lambda d: d.update(fiscal_year=2568), "2569.yaml: the file is named 2569 but states fiscal_year 2568"),
    (lambda d: d.update(items_=[]), "2569.yaml: unknown keys ['items_']"),
])
def test_a_malformed_file_is_refused_naming_the_file_and_the_item(tmp_path, change, message):
    document = yaml.safe_load((DATA / "2569.yaml").read_text(encoding="utf-8"))
    change(document)
    with pytest.raises(ItemDataError) as error:
        item_list_read(_write(tmp_path, 2569, document))
    assert str(error.value).startswith(message)


@pytest.mark.django_db
def test_the_command_reports_a_bad_file_and_saves_nothing(tmp_path):
    shutil.copy(DATA / "2568.yaml", tmp_path / "2568.yaml")
    _write(tmp_path, 2570, {"fiscal_year": 2570, "items": [_item(), _item(period="monthly")]})
    with pytest.raises(CommandError, match=r"2570.yaml: item 2 \(O1\): unknown period 'monthly'"):
        call_command("load_oit_items", path=tmp_path)
    assert not ItemList.objects.filter(fiscal_year=2570).exists()


@pytest.mark.django_db
def test_the_command_loads_a_new_year(tmp_path, capsys):
    _write(tmp_path, 2570, {"fiscal_year": 2570, "items": [_item(), _item("O2", title="ข้อมูลผู้บริหาร")]})
    call_command("load_oit_items", path=tmp_path)
    assert "OIT 2570: 2 items, version 1 (created)" in capsys.readouterr().out
    assert list(Item.objects.filter(item_list__fiscal_year=2570).values_list("code", flat=True)) == ["O1", "O2"]


# --- corrections on the page (the service) -----------------------------------------------------------------------

@pytest.mark.django_db
def test_item_update_changes_fields_and_elements_bumps_the_version_and_records_who():
    admin = UserFactory(username="national-admin", is_superuser=True)
    item = Item.objects.get(item_list__fiscal_year=2569, code="O26")
    kept = item.elements.get()
    changed = item_update(item=item, data={"title": "รายงานผล 2568", "to_confirm": False},
                          elements=[ElementInput("แสดงผลการดำเนินการของแต่ละมาตรการ", pk=kept.pk),
                                    ElementInput("เป็นการดำเนินการในปีงบประมาณ พ.ศ. 2568")], user=admin)
    item.refresh_from_db()
    assert changed and item.title == "รายงานผล 2568" and not item.to_confirm
    assert [(e.pk == kept.pk, e.text) for e in item.elements.all()] == [
        (True, "แสดงผลการดำเนินการของแต่ละมาตรการ"), (False, "เป็นการดำเนินการในปีงบประมาณ พ.ศ. 2568")]
    assert item.corrected_by == admin and item.corrected_at
    assert ItemList.objects.get(fiscal_year=2569).version == 2
    assert item.history.first().history_user == admin
    assert not item_update(item=item, data={"title": "รายงานผล 2568"}, elements=[
        ElementInput(e.text, pk=e.pk) for e in item.elements.all()], user=admin)  # nothing changed
    assert ItemList.objects.get(fiscal_year=2569).version == 2


@pytest.mark.django_db
def test_the_loader_keeps_a_corrected_item_unless_told_to_overwrite():
    admin = UserFactory(username="national-admin", is_superuser=True)
    item = Item.objects.get(item_list__fiscal_year=2569, code="O26")
    item_update(item=item, data={"title": "แก้แล้ว"}, elements=[ElementInput("องค์ประกอบ")], user=admin)
    outcome = {o.item_list.fiscal_year: o for o in item_lists_load()}[2569]
    assert outcome.kept == ["O26"] and not outcome.changed
    assert Item.objects.get(pk=item.pk).title == "แก้แล้ว"
    item_lists_load(overwrite=True)
    item.refresh_from_db()
    assert item.title.startswith("รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรม") and item.corrected_at is None
    assert ItemList.objects.get(fiscal_year=2569).version == 3


@pytest.mark.django_db
def test_an_item_without_elements_or_an_element_with_evidence_is_refused():
    from tests.factories import ChecklistFactory

    admin = UserFactory(username="national-admin", is_superuser=True)
    item = Item.objects.get(item_list__fiscal_year=2569, code="O25")
    with pytest.raises(ValidationError, match="อย่างน้อยหนึ่ง|at least one"):
        item_update(item=item, data={}, elements=[ElementInput("  ")], user=admin)
    entry = ChecklistEntryFactory(item=item, checklist=ChecklistFactory(item_list=item.item_list))
    entry.evidence.create(element=item.elements.get(), done=True)
    with pytest.raises(ValidationError):
        item_update(item=item, data={"title": "ใหม่"}, elements=[ElementInput("อื่น")], user=admin)
    item.refresh_from_db()
    assert item.title == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"  # nothing saved half-way
    assert ItemList.objects.get(fiscal_year=2569).version == 1


# --- codes across years ------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["O๒๘", "o28", "O28", " o ๒๘ "])
def test_seed_003s_o28_resolves_to_its_topic_in_2565_and_2566(typed):
    item = item_resolve(code=typed, fiscal_year=2565)
    assert item.title == "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี"
    assert topic_in_year(item=item, fiscal_year=2566).code == "O26"


@pytest.mark.django_db
def test_seed_003s_o28_says_which_list_is_missing_beyond_2566():
    item = item_resolve(code="O๒๘", fiscal_year=2565)
    assert topic_trace(item=item, fiscal_year=2569).missing_year == 2567
    assert item_resolve(code="O๒๘", fiscal_year=2567) is None  # no list of 2567


@pytest.mark.django_db
def test_seed_003s_o2_is_not_in_the_stored_part_of_2566():
    trace = topic_trace(item=item_resolve(code="o2", fiscal_year=2565), fiscal_year=2566)
    assert trace.item is None and trace.partial and trace.missing_year is None


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "code", "other_year", "expected"), [
    (2569, "O13", 2568, "O14"), (2568, "O14", 2569, "O13"), (2568, "O21", 2569, "O20"), (2569, "O1", 2568, "O1"),
    (2568, "O22", 2569, None), (2569, "O25", 2568, None), (2566, "O34", 2565, "O36"), (2566, "O42", 2565, "O42"),
])
def test_topics_follow_previous_codes_both_ways(year, code, other_year, expected):
    found = topic_in_year(item=item_resolve(code=code, fiscal_year=year), fiscal_year=other_year)
    assert (found.code if found else None) == expected


def test_non_oit_codes_resolve_to_nothing():
    assert item_resolve(code="i13", fiscal_year=2569) is None


# --- the portal's own documents --------------------------------------------------------------------------------

def test_only_o25_and_o26_of_2569_are_the_portals_own_documents_in_the_shipped_files():
    stated = {(spec.fiscal_year, item.code): item.portal_document
              for spec in map(item_list_read, sorted(DATA.glob("*.yaml"))) for item in spec.items
              if item.portal_document}
    # 2568's O25/O26 are the anti-corruption plan and its report, which the portal does not make
    assert stated == {(2569, "O25"): "plan", (2569, "O26"): "annual_report"}


@pytest.mark.django_db
def test_the_portal_document_of_an_item_is_loaded_from_its_file_and_decides_the_suggested_document(tmp_path):
    from oit.checklists import checklist_create, issued_documents_for
    from organizations.models import Organization
    from tests.helpers.oit import issued_document, plan_and_annual_report

    document = {"fiscal_year": 2572, "items": [_item("O7", portal_document="plan"), _item("O25")]}
    item_lists_load(path=_write(tmp_path, 2572, document))
    items = {i.code: i for i in Item.objects.filter(item_list__fiscal_year=2572)}
    assert (items["O7"].portal_document, items["O25"].portal_document) == ("plan", "")
    organization = Organization.objects.get(slug="khok-ma")
    plan, _report = plan_and_annual_report(organization=organization, fiscal_year=2572)
    plan_pdf = issued_document(organization=organization, plan=plan)
    checklist = checklist_create(organization=organization, fiscal_year=2572, user=None)
    entries = checklist.entries.select_related("item__item_list", "checklist")
    o7, o25 = (entries.get(item__code=code) for code in ("O7", "O25"))
    assert issued_documents_for(entry=o7)[1] == {plan_pdf.pk}  # the file says O7 is the plan, not a code table
    assert issued_documents_for(entry=o25)[1] == set()


@pytest.mark.django_db
def test_the_migration_gives_stored_lists_the_former_rule_of_o25_and_o26_from_2569_on():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("oit.migrations.0006_item_portal_document")
    item_lists_load()
    Item.objects.update(portal_document="")  # as stored before the field
    migration.set_former_rule(apps, None)
    stated = set(Item.objects.exclude(portal_document="").values_list("item_list__fiscal_year", "code",
                                                                      "portal_document"))
    assert stated == {(2569, "O25", "plan"), (2569, "O26", "annual_report")}  # 2568's O25/O26 are not the portal's
