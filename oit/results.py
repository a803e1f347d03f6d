"""NACC's results per OIT item (issue 20 §4) and the derived counts of checklists (§5).

- ``item_results_set``: the one service that records an organization's results of a fiscal year, called by the
  results form (``oit.views.results``) and by the import (``oit.results_import``).
- ``failed_items``: the items that failed (final result when known, else the first), with the owner departments
  of the organization's checklist entry of that year — what next year's proposed measures and the result page show.
- ``checklist_counts_refresh``: the one home of ``Checklist.items_ready/items_total/problem_count/
  dead_link_count``, which the overview filters and sorts on in SQL.

Source of the rule: ../shared/domain/oit.md ("scoring": each item 100 or 0; "results": a clarification window,
then a final result).
"""
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.thai import fiscal_year_of, to_thai_digits
from measures.services import Proposal
from organizations.models import Department, Organization

from .choices import EntryStatus, ProblemKind, RunStatus
from .codes import code_normalise
from .models import Checklist, ChecklistEntry, Item, ItemList, ItemResult, Problem, ReadinessRun

READY_STATUSES = (EntryStatus.READY, EntryStatus.SUBMITTED)


@dataclass(frozen=True)
class ItemResultInput:
    """One item's result as entered: ``code`` in any spelling ``code_normalise`` accepts ("O๒๘", "o28");
    ``passed`` True (100), False (0) or None (no result: a stored one is removed); the clarification window's last
    day, the clarification filed, and the final result after it (None: not known yet)."""

    code: str
    passed: bool | None
    clarification_until: dt.date | None = None
    clarification: str = ""
    final_passed: bool | None = None


@dataclass
class ResultsOutcome:
    """How many results ``item_results_set`` created, changed, removed and left as they were."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


RESULT_FIELDS = ("passed", "clarification_until", "clarification", "final_passed")


def item_list_for(*, fiscal_year: int) -> ItemList | None:
    """The item list of ``fiscal_year`` with its items (ordered), or None. Two queries."""
    return ItemList.objects.filter(fiscal_year=fiscal_year).prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("order", "code"))).first()


@transaction.atomic
def item_results_set(*, organization: Organization, fiscal_year: int,
                     results: list[ItemResultInput]) -> ResultsOutcome:
    """Record NACC's results of ``organization`` for ``fiscal_year``: one ``ItemResult`` per item of the year's
    list named in ``results`` (items not named are left as they are; ``passed=None`` removes the stored result).

    Raises ``ValidationError`` (Thai, nothing saved) when the year has no item list, a code is not an OIT code or
    not in the year's list, a code is given twice, or a final result is given without a result. One transaction;
    ``full_clean`` before each save."""
    item_list = item_list_for(fiscal_year=fiscal_year)
    if item_list is None:
        raise ValidationError(_("There is no OIT item list for fiscal year %(year)s.") % {"year": fiscal_year})
    items = {item.code: item for item in item_list.items.all()}
    errors: list[str] = []
    chosen: dict[str, ItemResultInput] = {}
    for entry in results:
        code = code_normalise(entry.code)
        if code is None:
            errors.append(_("“%(code)s” is not an OIT item code (e.g. O25).") % {"code": entry.code})
        elif code not in items:
            errors.append(_("%(code)s is not in the OIT item list of fiscal year %(year)s.")
                          % {"code": code, "year": fiscal_year})
        elif code in chosen:
            errors.append(_("%(code)s is given twice.") % {"code": code})
        elif entry.passed is None and entry.final_passed is not None:
            errors.append(_("%(code)s: a final result needs the result first.") % {"code": code})
        else:
            chosen[code] = entry
    if errors:
        raise ValidationError(errors)
    stored = {r.item_id: r for r in ItemResult.objects.filter(organization=organization, fiscal_year=fiscal_year)}
    outcome = ResultsOutcome()
    for code, entry in chosen.items():
        item = items[code]
        result = stored.get(item.pk)
        if entry.passed is None:
            if result is not None:
                result.delete()
                outcome.deleted += 1
            continue
        values = {"passed": entry.passed, "clarification_until": entry.clarification_until,
                  "clarification": entry.clarification.strip(), "final_passed": entry.final_passed}
        if result is None:
            result = ItemResult(organization=organization, fiscal_year=fiscal_year, item=item, **values)
            outcome.created += 1
        elif all(getattr(result, name) == value for name, value in values.items()):
            outcome.unchanged += 1
            continue
        else:
            for name, value in values.items():
                setattr(result, name, value)
            outcome.updated += 1
        result.full_clean()
        result.save()
    return outcome


def item_results(*, organization: Organization, fiscal_year: int) -> dict[int, ItemResult]:
    """The stored results of ``organization`` for ``fiscal_year`` by item id. One query."""
    return {r.item_id: r for r in ItemResult.objects.filter(organization=organization, fiscal_year=fiscal_year)}


FAILED = Q(final_passed=False) | Q(final_passed__isnull=True, passed=False)


@dataclass(frozen=True)
class FailedItem:
    """An item that scored 0 (its final result when known): the item, its result, and the owner departments of
    the organization's checklist entry for it in that year ([] without a checklist or owners)."""

    item: Item
    result: ItemResult
    owners: list[Department] = field(default_factory=list)


def failed_items(*, organization: Organization | int, fiscal_year: int) -> list[FailedItem]:
    """The items of ``fiscal_year`` that ``organization`` failed, in the list's order. One query, three when some
    failed (the entries of that year's checklist and their owners)."""
    organization_id = getattr(organization, "pk", organization)
    entries = ChecklistEntry.objects.filter(checklist__organization_id=organization_id,
                                            checklist__fiscal_year=fiscal_year).prefetch_related("owners")
    results = (ItemResult.objects.filter(FAILED, organization_id=organization_id, fiscal_year=fiscal_year)
               .select_related("item").prefetch_related(Prefetch("item__entries", queryset=entries,
                                                                 to_attr="organization_entries"))
               .order_by("item__order", "item__code"))
    found = []
    for result in results:
        owners = [owner for entry in result.item.organization_entries for owner in entry.owners.all()]
        found.append(FailedItem(result.item, result, owners))
    return found


# --- the derived counts of checklists ------------------------------------------------------------------------

def _count(queryset: QuerySet, column: str) -> Coalesce:
    return Coalesce(Subquery(queryset.order_by().values(column).annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def checklist_counts_refresh(*, checklists: Iterable[Checklist | int] | QuerySet[Checklist]) -> int:
    """Recompute ``items_total`` (entries), ``items_ready`` (entries ready to submit or submitted),
    ``problem_count`` and ``dead_link_count`` (problems of the checklist's latest finished readiness run, all
    kinds and ``ProblemKind.DEAD_LINK``; 0 without one) of ``checklists`` (objects, ids or a queryset), in one
    UPDATE. Call it after creating a checklist, changing an entry's status, or finishing a run. Returns the number
    of checklists updated. Objects passed in are not refreshed in memory."""
    if isinstance(checklists, QuerySet):
        chosen = Checklist.objects.filter(pk__in=checklists.values("pk"))
    else:
        chosen = Checklist.objects.filter(pk__in=[getattr(c, "pk", c) for c in checklists])
    entries = ChecklistEntry.objects.filter(checklist=OuterRef("pk"))
    latest_run = (ReadinessRun.objects.filter(checklist=OuterRef(OuterRef("pk")), status=RunStatus.DONE)
                  .order_by("-requested_at", "-pk").values("pk")[:1])
    problems = Problem.objects.filter(run=Subquery(latest_run))
    return chosen.update(
        items_total=_count(entries, "checklist"),
        items_ready=_count(entries.filter(status__in=READY_STATUSES), "checklist"),
        problem_count=_count(problems, "run"),
        dead_link_count=_count(problems.filter(kind=ProblemKind.DEAD_LINK), "run"),
    )


def failed_item_proposals(*, assessment) -> list[Proposal]:
    """Draft measures for next year's plan (``measures.services.proposed_measures``; registered in
    ``OitConfig.ready``): one per OIT item the organization failed in the assessment's fiscal year, linked to the
    item's indicator (9 or 10), its code as the question code, and the owner departments of that year's checklist
    entry."""
    year = to_thai_digits(assessment.fiscal_year)
    proposals = []
    for row in failed_items(organization=assessment.organization_id, fiscal_year=assessment.fiscal_year):
        values = {"code": row.item.code, "title": row.item.title, "year": year}
        proposals.append(Proposal(
            indicator=row.item.indicator_number,
            title=_("Publish OIT item %(code)s %(title)s completely") % values,
            issue=_("OIT item %(code)s %(title)s scored 0 in the ITA of %(year)s.") % values,
            method="", question_codes=[row.item.code], owners=[owner.pk for owner in row.owners]))
    return proposals


# --- readiness at a glance (dashboards) ------------------------------------------------------------------------

@dataclass(frozen=True)
class ReadinessGlance:
    """One checklist's readiness for the organization dashboard, from its stored counts: items ready (ready to
    submit or submitted) of the total, problems and dead links of the latest readiness check, and the year's NACC
    entry window (``ItemList.entry_opens/closes``) as seen on ``today``."""

    checklist: Checklist
    today: dt.date

    @property
    def entry_opens(self) -> dt.date | None:
        return self.checklist.item_list.entry_opens

    @property
    def entry_closes(self) -> dt.date | None:
        return self.checklist.item_list.entry_closes

    @property
    def days_to_open(self) -> int | None:
        """Days until the entry window opens (None once open, or without a date)."""
        opens = self.entry_opens
        return (opens - self.today).days if opens and self.today < opens else None

    @property
    def days_to_close(self) -> int | None:
        """Days left in the open entry window, the closing day counted (None when not open)."""
        opens, closes = self.entry_opens, self.entry_closes
        if closes and (opens is None or opens <= self.today) and self.today <= closes:
            return (closes - self.today).days + 1
        return None

    @property
    def closed(self) -> bool:
        return bool(self.entry_closes and self.today > self.entry_closes)


def readiness_glance(*, organization: Organization, today: dt.date) -> ReadinessGlance | None:
    """The readiness of ``organization``'s latest checklist up to the fiscal year of ``today`` (None without one).
    One query."""
    checklist = (Checklist.objects.filter(organization=organization, fiscal_year__lte=fiscal_year_of(today))
                 .select_related("item_list").order_by("-fiscal_year").first())
    return ReadinessGlance(checklist, today) if checklist else None
