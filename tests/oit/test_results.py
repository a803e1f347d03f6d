"""NACC's results per OIT item (issue 20 §4): the form and the import go through ``item_results_set``; errors by
row in Thai with nothing saved; Thai-digit codes; organizations are never created; failed items reach next year's
proposed measures and the result page."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures.services import proposed_measures
from oit.models import ItemList, ItemResult
from oit.results import ItemResultInput, failed_items, item_results_set
from oit.results_import import item_results_import
from organizations.choices import OrganizationKind, Role
from organizations.models import Organization
from tests.factories import (
    AssessmentFactory,
    ChecklistEntryFactory,
    ChecklistFactory,
    DepartmentFactory,
    ItemFactory,
    ItemListFactory,
    MembershipFactory,
    OrganizationFactory,
    OversightScopeFactory,
)
from tests.helpers.people import text


@pytest.fixture
def items(db):
    """The 2569 list with O1, O25 and O26."""
    ItemList.objects.filter(fiscal_year=2569).delete()  # the loaded list makes way for the test's own
    item_list = ItemListFactory(fiscal_year=2569)
    return {code: ItemFactory(item_list=item_list, code=code, order=order, title=title, indicator_number=number)
            for code, order, title, number in [
                ("O1", 1, "โครงสร้าง หน้าที่และอำนาจ", 9),
                ("O25", 25, "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", 10),
                ("O26", 26, "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรม", 10)]}


@pytest.fixture
def town(db):
    return OrganizationFactory(name="เทศบาลตำบลหนองแวง", kind=OrganizationKind.TAMBON_MUNICIPALITY,
                               province="บุรีรัมย์", slug="nong-waeng")


def _results(organization) -> dict[str, tuple]:
    return {r.item.code: (r.passed, r.clarification_until, r.clarification, r.final_passed)
            for r in ItemResult.objects.filter(organization=organization).select_related("item")}


# --- the service -------------------------------------------------------------------------------------------------

def test_the_service_records_results_by_any_spelling_of_the_code(items, town):
    outcome = item_results_set(organization=town, fiscal_year=2569, results=[
        ItemResultInput("o๒๕", passed=False, clarification_until=dt.date(2026, 6, 15), clarification="ส่งลิงก์ใหม่"),
        ItemResultInput("O1", passed=True)])
    assert (outcome.created, outcome.updated) == (2, 0)
    assert _results(town) == {"O25": (False, dt.date(2026, 6, 15), "ส่งลิงก์ใหม่", None), "O1": (True, None, "", None)}
    again = item_results_set(organization=town, fiscal_year=2569, results=[
        ItemResultInput("O25", passed=False, clarification_until=dt.date(2026, 6, 15), clarification="ส่งลิงก์ใหม่",
                        final_passed=True), ItemResultInput("O1", passed=None)])
    assert (again.updated, again.deleted) == (1, 1)
    assert _results(town) == {"O25": (False, dt.date(2026, 6, 15), "ส่งลิงก์ใหม่", True)}


def test_the_service_refuses_unknown_and_repeated_codes_and_saves_nothing(items, town):
    with pytest.raises(ValidationError) as error:
        item_results_set(organization=town, fiscal_year=2569, results=[
            ItemResultInput("O1", passed=True), ItemResultInput("O40", passed=False),
            ItemResultInput("i13", passed=False), ItemResultInput("o1", passed=False)])
    assert error.value.messages == ["O40 ไม่อยู่ในรายการข้อ OIT ของปีงบประมาณ 2569",
                                    "“i13” ไม่ใช่รหัสข้อ OIT (เช่น O25)", "O1 ระบุซ้ำ"]
    assert not ItemResult.objects.exists()


# --- the form ----------------------------------------------------------------------------------------------------

def _form_data(rows: dict[str, dict]) -> dict:
    codes = ["O1", "O25", "O26"]
    data = {"item-TOTAL_FORMS": "3", "item-INITIAL_FORMS": "3"}
    for index, code in enumerate(codes):
        row = rows.get(code, {})
        data |= {f"item-{index}-code": code, f"item-{index}-passed": row.get("passed", ""),
                 f"item-{index}-clarification_until": row.get("until", ""),
                 f"item-{index}-clarification": row.get("clarification", ""),
                 f"item-{index}-final_passed": row.get("final", "")}
    return data


def test_an_admin_enters_the_results_by_the_form_and_others_read_them(client, items, town):
    admin = MembershipFactory(organization=town, role=Role.ADMIN).user
    client.force_login(admin)
    url = reverse("oit:results", args=[town.slug, 2569])
    response = client.post(url, _form_data({"O1": {"passed": "passed"},
                                            "O25": {"passed": "failed", "until": "15/๖/๒๕๖๙",
                                                    "clarification": "แนบแผนฉบับลงนาม"}}))
    assert response.status_code == 302
    assert _results(town) == {"O1": (True, None, "", None),
                              "O25": (False, dt.date(2026, 6, 15), "แนบแผนฉบับลงนาม", None)}
    assert "บันทึกผลรายข้อ OIT ปีงบประมาณ 2569 แล้ว" in text(client.get(url))
    staff = MembershipFactory(organization=town, role=Role.STAFF).user
    client.force_login(staff)
    page = text(client.get(url))
    assert "O25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ไม่ผ่าน (0) ๑๕ มิถุนายน ๒๕๖๙ แนบแผนฉบับลงนาม" in page
    assert 'name="item-0-passed"' not in client.get(url).content.decode()  # read only
    assert client.post(url, _form_data({"O1": {"passed": "failed"}})).status_code == 403
    assert _results(town)["O1"][0] is True


def test_a_bad_row_of_the_form_is_marked_beside_the_field_and_nothing_is_saved(client, items, town):
    client.force_login(MembershipFactory(organization=town, role=Role.ADMIN).user)
    url = reverse("oit:results", args=[town.slug, 2569])
    response = client.post(url, _form_data({"O1": {"passed": "passed"}, "O26": {"final": "passed"},
                                            "O25": {"passed": "failed", "until": "31/2/2569"}}))
    page = text(response)
    assert "ใส่ผลก่อน" in page  # O26: a final result without the result
    assert "กุมภาพันธ์ 2569 มี 28 วัน" in page
    assert not ItemResult.objects.exists()


def test_a_provincial_overseer_reads_the_results_of_their_province_only(client, items, town):
    item_results_set(organization=town, fiscal_year=2569, results=[ItemResultInput("O26", passed=False)])
    elsewhere = OrganizationFactory(province="สุรินทร์")
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    assert "O26 รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรม ไม่ผ่าน (0)" in text(
        client.get(reverse("oit:results", args=[town.slug, 2569])))
    assert client.post(reverse("oit:results", args=[town.slug, 2569]), _form_data({})).status_code == 403
    assert client.get(reverse("oit:results", args=[elsewhere.slug, 2569])).status_code == 404


# --- the import --------------------------------------------------------------------------------------------------

HEADER = "ปีงบประมาณ,หน่วยงาน,จังหวัด,ข้อ,ผล\n"


def _import(body: str, **options):
    return item_results_import(content=(HEADER + body).encode(), filename="results.csv", **options)


def test_the_import_records_results_with_thai_digits_and_lower_case_codes(items, town):
    report = _import("๒๕๖๙,ทต.หนองแวง,จ.บุรีรัมย์,o๒๕,ไม่ผ่าน\n2569,เทศบาลตำบลหนองแวง,บุรีรัมย์,O1,๑๐๐\n")
    assert (report.refused, report.saved, report.created) == (False, True, 2)
    assert _results(town) == {"O25": (False, None, "", None), "O1": (True, None, "", None)}


def test_the_import_checks_every_row_first_and_saves_nothing_when_one_is_wrong(items, town):
    report = _import("2569,ทต.หนองแวง,บุรีรัมย์,O25,ไม่ผ่าน\n"
                     "2569,เทศบาลตำบลไม่มีจริง,บุรีรัมย์,O1,ผ่าน\n"
                     "2569,ทต.หนองแวง,บุรีรัมย์,O99,ผ่าน\n"
                     "2567,ทต.หนองแวง,บุรีรัมย์,O1,ผ่าน\n"
                     "2569,ทต.หนองแวง,บุรีรัมย์,O26,ดี\n")
    assert report.refused and not report.saved
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "หน่วยงาน"), (4, "ข้อ"), (5, "ปีงบประมาณ"), (6, "ผล")]
    messages = [e.message for e in report.errors]
    assert messages[0].startswith("ไม่พบหน่วยงานชื่อนี้ในจังหวัดบุรีรัมย์ในระบบ")
    assert messages[1] == "O99 ไม่อยู่ในรายการข้อ OIT ของปีงบประมาณ 2569"
    assert messages[2] == "ไม่มีรายการข้อ OIT ของปีงบประมาณ 2567"  # no data file loads 2567
    assert not ItemResult.objects.exists()
    assert not Organization.objects.filter(name__contains="ไม่มีจริง").exists()  # never created


def test_the_import_keeps_the_stored_clarification_when_its_cells_are_blank(items, town):
    item_results_set(organization=town, fiscal_year=2569, results=[
        ItemResultInput("O25", passed=False, clarification="ชี้แจงแล้ว", final_passed=True)])
    body = "ปีงบประมาณ,หน่วยงาน,จังหวัด,ข้อ,ผล,คำชี้แจง,ผลหลังชี้แจง\n2569,ทต.หนองแวง,บุรีรัมย์,O25,0,,\n"
    report = item_results_import(content=body.encode(), filename="r.csv")
    assert report.unchanged == 1
    assert _results(town)["O25"] == (False, None, "ชี้แจงแล้ว", True)


def test_a_dry_run_counts_and_saves_nothing(items, town):
    report = _import("2569,ทต.หนองแวง,บุรีรัมย์,O25,ไม่ผ่าน\n", dry_run=True)
    assert (report.created, report.saved, report.refused) == (1, False, False)
    assert not ItemResult.objects.exists()


def test_a_provincial_overseer_imports_only_rows_of_their_province(client, items, town):
    OrganizationFactory(name="เทศบาลตำบลท่าตูม", province="สุรินทร์")
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    from django.core.files.uploadedfile import SimpleUploadedFile
    upload = SimpleUploadedFile("r.csv", (HEADER + "2569,ทต.หนองแวง,บุรีรัมย์,O25,ไม่ผ่าน\n"
                                                   "2569,ทต.ท่าตูม,สุรินทร์,O25,ไม่ผ่าน\n").encode())
    page = text(client.post(reverse("oit:results_import"), {"file": upload}))
    assert "ไม่ได้บันทึกข้อมูลใด ๆ" in page
    assert "3 จังหวัด อยู่นอกขอบเขตการกำกับดูแลของท่าน" in page
    assert not ItemResult.objects.exists()
    client.force_login(MembershipFactory(organization=town, role=Role.ADMIN).user)
    assert client.get(reverse("oit:results_import")).status_code == 403


# --- failed items: next year's proposals and the result page ----------------------------------------------------

def test_failed_items_carry_the_owners_of_that_years_checklist_entry(items, town):
    finance = DepartmentFactory(organization=town, name="กองคลัง")
    checklist = ChecklistFactory(organization=town, item_list=items["O1"].item_list)
    entry = ChecklistEntryFactory(checklist=checklist, item=items["O25"])
    entry.owners.set([finance])
    item_results_set(organization=town, fiscal_year=2569, results=[
        ItemResultInput("O25", passed=False), ItemResultInput("O26", passed=False, final_passed=True),
        ItemResultInput("O1", passed=True, final_passed=False)])
    failed = failed_items(organization=town, fiscal_year=2569)
    assert [(row.item.code, [d.name for d in row.owners]) for row in failed] == [("O1", []), ("O25", ["กองคลัง"])]


def test_failed_items_are_proposed_for_next_years_plan_with_their_owners(items, town):
    finance = DepartmentFactory(organization=town, name="กองคลัง")
    entry = ChecklistEntryFactory(checklist=ChecklistFactory(organization=town, item_list=items["O1"].item_list),
                                  item=items["O25"])
    entry.owners.set([finance])
    item_results_set(organization=town, fiscal_year=2569, results=[ItemResultInput("O25", passed=False)])
    assessment = AssessmentFactory(organization=town, fiscal_year=2569)
    proposal = proposed_measures(assessment=assessment).items[-1]
    assert proposal.title == "เผยแพร่ข้อ OIT O25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ให้ครบถ้วน"
    assert proposal.issue == "ข้อ OIT O25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ได้ 0 คะแนนในการประเมิน ITA ปี ๒๕๖๙"
    assert (proposal.indicator, proposal.question_codes, proposal.owners) == (10, ["O25"], [finance.pk])


def test_the_new_plan_form_lists_the_failed_item(client, items, town):
    item_results_set(organization=town, fiscal_year=2569, results=[ItemResultInput("O26", passed=False)])
    AssessmentFactory(organization=town, fiscal_year=2569)
    client.force_login(MembershipFactory(organization=town, role=Role.ADMIN).user)
    page = client.get(reverse("measures:plan_create", args=[town.slug]), {"assessment": 2569}).content.decode()
    assert "เผยแพร่ข้อ OIT O26 รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรม ให้ครบถ้วน" in page


def test_the_result_page_shows_the_failed_items_beside_the_published_oit_score(client, items, town):
    item_results_set(organization=town, fiscal_year=2569, results=[
        ItemResultInput("O25", passed=False), ItemResultInput("O1", passed=True)])
    AssessmentFactory(organization=town, fiscal_year=2569, official_oit="96.15")
    client.force_login(MembershipFactory(organization=town, role=Role.EXECUTIVE).user)
    page = text(client.get(reverse("assessments:assessment_detail", args=[town.slug, 2569])))
    assert "ข้อ OIT ที่ไม่ผ่าน คะแนน OIT ที่ประกาศ: 96.15" in page
    assert "O25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" in page
    assert "O1 โครงสร้าง" not in page


def test_the_result_page_says_nothing_of_oit_items_when_none_failed(client, items, town):
    item_results_set(organization=town, fiscal_year=2569, results=[ItemResultInput("O1", passed=True)])
    AssessmentFactory(organization=town, fiscal_year=2569, official_oit="100.00")
    client.force_login(MembershipFactory(organization=town, role=Role.EXECUTIVE).user)
    page = text(client.get(reverse("assessments:assessment_detail", args=[town.slug, 2569])))
    assert "ข้อ OIT ที่ไม่ผ่าน" not in page
