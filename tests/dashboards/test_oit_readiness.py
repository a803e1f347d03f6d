"""OIT readiness on the dashboards (issue 20 §5): the checklists' stored counts, the organization dashboard's card,
the overview's columns, figures and filters, within the reader's scope."""
import datetime as dt
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from oit.choices import EntryStatus, ProblemKind, RunStatus
from oit.models import Checklist, ItemList, ReadinessRun
from oit.results import checklist_counts_refresh
from organizations.choices import Role
from tests.factories import (
    ChecklistEntryFactory,
    ChecklistFactory,
    ItemFactory,
    ItemListFactory,
    MembershipFactory,
    OrganizationFactory,
    OversightScopeFactory,
)

YEAR = 2569


def _text(response) -> str:
    return " ".join(unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def item_list(db):
    ItemList.objects.filter(fiscal_year=YEAR).delete()  # the loaded list makes way for the test's own
    item_list = ItemListFactory(fiscal_year=YEAR, entry_opens=dt.date(2026, 3, 1), entry_closes=dt.date(2026, 4, 30))
    for order in range(1, 5):
        ItemFactory(item_list=item_list, code=f"O{order}", order=order)
    return item_list


def _checklist(organization, item_list, statuses: list[str], problems: dict[str, int] | None = None) -> Checklist:
    """A checklist with one entry per status (items in order) and, when ``problems`` ({kind: count}) is given, a
    finished readiness run that found them on its first entry; counts refreshed as the services do."""
    checklist = ChecklistFactory(organization=organization, item_list=item_list)
    entries = [ChecklistEntryFactory(checklist=checklist, item=item, status=status)
               for item, status in zip(item_list.items.order_by("order"), statuses, strict=False)]
    if problems is not None:
        run = ReadinessRun.objects.create(checklist=checklist, status=RunStatus.DONE, requested_at=timezone.now())
        for kind, count in problems.items():
            for _ in range(count):
                run.problems.create(entry=entries[0], kind=kind)
    checklist_counts_refresh(checklists=[checklist])
    checklist.refresh_from_db()
    return checklist


def test_the_counts_come_from_the_statuses_and_the_latest_finished_run(item_list):
    checklist = _checklist(OrganizationFactory(), item_list,
                           [EntryStatus.READY, EntryStatus.SUBMITTED, EntryStatus.IN_PROGRESS, EntryStatus.NOT_STARTED],
                           {ProblemKind.DEAD_LINK: 2, ProblemKind.YEAR_MISSING: 1})
    assert (checklist.items_ready, checklist.items_total, checklist.problem_count, checklist.dead_link_count) == (
        2, 4, 3, 2)
    entry = checklist.entries.order_by("item__order").first()
    older = ReadinessRun.objects.create(checklist=checklist, status=RunStatus.DONE,
                                        requested_at=timezone.now() - dt.timedelta(days=3))
    older.problems.create(entry=entry, kind=ProblemKind.NO_URL)
    latest = ReadinessRun.objects.create(checklist=checklist, status=RunStatus.DONE,
                                         requested_at=timezone.now() + dt.timedelta(minutes=1))
    latest.problems.create(entry=entry, kind=ProblemKind.OFF_SITE)
    ReadinessRun.objects.create(checklist=checklist, status=RunStatus.FAILED,  # unfinished runs do not count
                                requested_at=timezone.now() + dt.timedelta(minutes=2))
    checklist.entries.update(status=EntryStatus.SUBMITTED)
    assert checklist_counts_refresh(checklists=Checklist.objects.filter(pk=checklist.pk)) == 1
    checklist.refresh_from_db()
    assert (checklist.items_ready, checklist.items_total, checklist.problem_count, checklist.dead_link_count) == (
        4, 4, 1, 0)


def test_the_dashboard_shows_items_ready_problems_and_days_to_the_entry_window(client, item_list, on_day):
    town = OrganizationFactory(name="เทศบาลตำบลหนองแวง")
    checklist = _checklist(town, item_list, [EntryStatus.READY, EntryStatus.SUBMITTED, "", ""],
                           {ProblemKind.DEAD_LINK: 2, ProblemKind.ELEMENT_MISSING: 1})
    client.force_login(MembershipFactory(organization=town, role=Role.EXECUTIVE).user)
    url = reverse("dashboards:organization_dashboard", args=[town.slug])
    on_day(dt.date(2026, 2, 20))
    page = _text(client.get(url))
    assert ("ความพร้อม OIT ปีงบประมาณ 2569 ข้อที่พร้อมส่ง 2 / 4 ปัญหาจากการตรวจครั้งล่าสุด 3 ลิงก์เสีย 2 ลิงก์ "
            "ช่วงกรอกข้อมูล OIT ของ ป.ป.ช. เปิดในอีก 9 วัน 1 มี.ค. 2569 – 30 เม.ย. 2569") in page
    checklist.entries.update(status=EntryStatus.SUBMITTED)  # however written: the cache sees the refreshed counts
    checklist_counts_refresh(checklists=[checklist])
    on_day(dt.date(2026, 4, 28))
    page = _text(client.get(url))
    assert "ข้อที่พร้อมส่ง 4 / 4" in page and "เหลืออีก 3 วัน" in page
    on_day(dt.date(2026, 5, 2))
    assert "ช่วงกรอกข้อมูล OIT ของ ป.ป.ช. ปิดแล้ว" in _text(client.get(url))


def test_the_dashboard_has_no_oit_card_without_a_checklist(client, item_list):
    town = OrganizationFactory()
    client.force_login(MembershipFactory(organization=town, role=Role.EXECUTIVE).user)
    assert "ความพร้อม OIT" not in _text(client.get(reverse("dashboards:organization_dashboard", args=[town.slug])))


@pytest.fixture
def three(item_list):
    """In Buriram: ready (4/4, no dead link), behind (1/4, 2 dead links), none (no checklist); in Surin: far
    (0/4, 1 dead link)."""
    found = {
        "ready": OrganizationFactory(name="เทศบาลตำบลพร้อม", province="บุรีรัมย์"),
        "behind": OrganizationFactory(name="เทศบาลตำบลช้า", province="บุรีรัมย์"),
        "none": OrganizationFactory(name="เทศบาลตำบลว่าง", province="บุรีรัมย์"),
        "far": OrganizationFactory(name="เทศบาลตำบลไกล", province="สุรินทร์"),
    }
    _checklist(found["ready"], item_list, [EntryStatus.READY] * 4, {})
    _checklist(found["behind"], item_list, [EntryStatus.SUBMITTED, "", "", ""], {ProblemKind.DEAD_LINK: 2})
    _checklist(found["far"], item_list, ["", "", "", ""], {ProblemKind.DEAD_LINK: 1})
    return found


def _names(response) -> list[str]:
    return sorted(row.record.name for row in response.context["table"].paginated_rows
                  if row.record.name.startswith("เทศบาลตำบล") and row.record.province in ("บุรีรัมย์", "สุรินทร์")
                  and row.record.name[len("เทศบาลตำบล"):] in ("พร้อม", "ช้า", "ว่าง", "ไกล"))


def _figure(response, name: str) -> str:
    return response.content.decode().split(f'data-figure="{name}">', 1)[1].split("<", 1)[0]


def test_the_overview_shows_readiness_and_dead_links_and_filters_on_them(client, three):
    client.force_login(OversightScopeFactory(province="").user)
    overview = reverse("dashboards:overview")
    response = client.get(overview, {"fiscal_year": YEAR, "sort": "name"})
    cells = {row.record.name: (row.get_cell("oit_ready"), strip_tags(row.get_cell("oit_dead_links")))
             for row in response.context["table"].paginated_rows}
    assert cells["เทศบาลตำบลพร้อม"] == ("4/4", "0")
    assert cells["เทศบาลตำบลช้า"] == ("1/4", "2")
    assert cells["เทศบาลตำบลว่าง"] == ("—", "—")
    assert (_figure(response, "oit-checklists"), _figure(response, "oit-ready"), _figure(response, "oit-dead")) == (
        "3", "5 / 12", "2")
    below = client.get(overview, {"fiscal_year": YEAR, "oit_below": "50"})
    assert _names(below) == ["เทศบาลตำบลช้า", "เทศบาลตำบลไกล"]
    assert _figure(below, "oit-checklists") == "2"  # the figures follow the filters
    assert _names(client.get(overview, {"fiscal_year": YEAR, "dead_links": "yes"})) == [
        "เทศบาลตำบลช้า", "เทศบาลตำบลไกล"]
    assert _names(client.get(overview, {"fiscal_year": YEAR, "dead_links": "no"})) == ["เทศบาลตำบลพร้อม"]
    both = client.get(overview, {"fiscal_year": YEAR, "oit_below": "50", "dead_links": "yes",
                                 "province": "บุรีรัมย์"})
    assert _names(both) == ["เทศบาลตำบลช้า"]


def test_a_provincial_overseer_sees_only_their_provinces_readiness(client, three):
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    response = client.get(reverse("dashboards:overview"), {"fiscal_year": YEAR, "dead_links": "yes"})
    assert _names(response) == ["เทศบาลตำบลช้า"]
    assert _figure(response, "oit-dead") == "1"
    assert "เทศบาลตำบลไกล" not in response.content.decode()


def test_the_overview_export_carries_the_oit_columns(client, three):
    client.force_login(OversightScopeFactory(province="สุรินทร์").user)
    content = b"".join(client.get(reverse("dashboards:overview"), {"fiscal_year": YEAR, "_export": "csv"})
                       .streaming_content).decode("utf-8-sig")
    lines = content.splitlines()
    assert lines[0].endswith(",ข้อ OIT ที่พร้อม,ลิงก์เสีย OIT")
    assert any(line.startswith("เทศบาลตำบลไกล,") and line.endswith(",0/4,1") for line in lines)
