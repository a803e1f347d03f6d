"""The OIT checklists of the generated country (issue 20 §5): for the last fiscal year, one checklist per
organization with an entry per item of the year's list (26 in 2569), each with an owner department, a URL on the
organization's site, a status — how far along an organization is follows its ``diligence`` — and, for about six
organizations in ten, a finished readiness check with a few problems (dead links among them).

The year's ``ItemList`` is used as loaded (``data/oit``); where the database has none (a benchmark database made
before the lists were loaded), a stand-in list O1…O26 marked ``source = "generated"`` is created so the figures have
their real shape. The derived counts (``Checklist.items_ready`` …) are not written here: the command calls
``oit.results.checklist_counts_refresh`` afterwards, their one home.
"""
import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone

from oit.choices import EntryStatus, ProblemKind, RunStatus
from oit.models import Checklist, ChecklistEntry, Item, ItemList, Problem, ReadinessRun

from .spec import GeneratedOrganization
from .writer import RowWriter, ids_reserve, sequences_reset

ITEMS_IN_STAND_IN_LIST = 26
GENERATED_SOURCE = "generated"
# Problems a check finds on an entry, and how often (dead links are the commonest failure: oit.md, seed 000 §1.3).
PROBLEM_WEIGHTS = {ProblemKind.DEAD_LINK: 4, ProblemKind.YEAR_MISSING: 3, ProblemKind.ELEMENT_MISSING: 3,
                   ProblemKind.OFF_SITE: 1, ProblemKind.NO_URL: 1}


def item_list_for_generation(fiscal_year: int) -> tuple[ItemList, list[Item]]:
    """The item list of ``fiscal_year`` and its items in order: as loaded, else a stand-in list (see the module)."""
    item_list = ItemList.objects.filter(fiscal_year=fiscal_year).first()
    if item_list is None:
        item_list = ItemList.objects.create(fiscal_year=fiscal_year, source=GENERATED_SOURCE,
                                            entry_opens=dt.date(fiscal_year - 543, 3, 1),
                                            entry_closes=dt.date(fiscal_year - 543, 4, 30))
    items = list(item_list.items.order_by("order", "code"))
    if not items:
        Item.objects.bulk_create(Item(item_list=item_list, code=f"O{n}", order=n, title=f"ข้อ OIT ที่ {n}",
                                      indicator_number=9 if n <= 24 else 10, source=GENERATED_SOURCE)
                                 for n in range(1, ITEMS_IN_STAND_IN_LIST + 1))
        items = list(item_list.items.order_by("order", "code"))
    return item_list, items


@dataclass
class ChecklistRows:
    checklists: list[tuple] = field(default_factory=list)
    entries: list[tuple] = field(default_factory=list)
    owners: list[tuple] = field(default_factory=list)
    runs: list[tuple] = field(default_factory=list)
    problems: list[tuple] = field(default_factory=list)


def checklist_rows(organizations: list[GeneratedOrganization], rng: random.Random, item_list: ItemList,
                   items: list[Item]) -> ChecklistRows:
    """The rows of one checklist per organization (ids numbered from the tables' next free ids)."""
    rows = ChecklistRows()
    now = timezone.now()
    next_checklist, next_entry, next_run = ids_reserve(Checklist), ids_reserve(ChecklistEntry), ids_reserve(
        ReadinessRun)
    kinds, weights = list(PROBLEM_WEIGHTS), list(PROBLEM_WEIGHTS.values())
    for organization in organizations:
        checklist_id, next_checklist = next_checklist, next_checklist + 1
        rows.checklists.append((checklist_id, organization.id, item_list.fiscal_year, item_list.id,
                                item_list.version, now))
        progress = min(1.0, max(0.0, rng.gauss(0.55 * organization.diligence + 0.1, 0.25)))
        entry_ids = []
        for item in items:
            entry_id, next_entry = next_entry, next_entry + 1
            entry_ids.append(entry_id)
            draw = rng.random()
            status = (EntryStatus.SUBMITTED if draw < progress * 0.4 else EntryStatus.READY if draw < progress
                      else EntryStatus.IN_PROGRESS if draw < progress + 0.2 else EntryStatus.NOT_STARTED)
            url = "" if status == EntryStatus.NOT_STARTED else f"https://{organization.slug}.go.th/oit/{item.code}"
            rows.entries.append((entry_id, checklist_id, item.id, url, status))
            if organization.departments:
                rows.owners.append((entry_id, rng.choice(organization.departments)))
        if rng.random() < 0.6:
            run_id, next_run = next_run, next_run + 1
            rows.runs.append((run_id, checklist_id, RunStatus.DONE, now, now, now))
            for _ in range(min(len(entry_ids), int(rng.expovariate(0.5)))):  # 0 for about four in ten, mean 2
                kind = rng.choices(kinds, weights)[0]
                rows.problems.append((run_id, rng.choice(entry_ids), kind))
    return rows


def write_checklists(writer: RowWriter, rows: ChecklistRows) -> None:
    """Write ``rows`` with ``writer`` (COPY on PostgreSQL) and move the id sequences past them."""
    writer.write(Checklist, ("id", "organization_id", "fiscal_year", "item_list_id", "list_version", "created_at"),
                 rows.checklists)
    writer.write(ChecklistEntry, ("id", "checklist_id", "item_id", "url", "status"), rows.entries)
    writer.write(ChecklistEntry.owners.through, ("checklistentry_id", "department_id"), rows.owners)
    writer.write(ReadinessRun, ("id", "checklist_id", "status", "requested_at", "started_at", "finished_at"),
                 rows.runs)
    writer.write(Problem, ("run_id", "entry_id", "kind"), rows.problems)
    sequences_reset([Checklist, ChecklistEntry, ReadinessRun])
