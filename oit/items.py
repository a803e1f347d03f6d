"""The OIT items of each fiscal year as data (../shared/domain/oit.md; docs/data/oit-items.md).

- Loading: ``item_lists_load`` reads ``data/oit/<year>.yaml`` (``item_list_read`` validates one file) into
  ``ItemList``/``Item``/``Element``, idempotently; a list's ``version`` grows by one when a load changes its items.
- Correcting: ``item_update`` (a national administrator's page) changes an item and its elements, records who and
  when, and bumps the list's version in the same transaction (``item_correction_record``, which the Django admin
  calls too; ``item_list_version_bump`` is the one home of the bump).
- Resolving codes across years: ``item_resolve`` (a code in a year's list), ``topic_in_year`` and
  ``topic_trace`` (the same topic in another year, following ``previous_code`` both ways), over an ``ItemIndex``
  read in two queries (the code links of the measure and assessment pages use one index per request).
"""
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import model_update

from .choices import Grade, Period, PortalDocument
from .codes import code_normalise
from .models import Element, Item, ItemList

# ---------------------------------------------------------------------------------------------------------------
# Reading and validating a year's file
# ---------------------------------------------------------------------------------------------------------------

LIST_KEYS = {"fiscal_year", "complete", "source", "note", "calendar", "items"}
ITEM_KEYS = {"code", "title", "indicator", "sub_area", "period", "previous_code", "source", "grade", "to_confirm",
             "portal_document", "elements"}
CALENDAR_KEYS = ("entry_opens", "entry_closes", "clarification_opens", "clarification_closes")
INDICATORS = (9, 10)  # OIT covers indicators 9 and 10 (ita-framework.md §2)


class ItemDataError(ValueError):
    """A year's file is malformed; the message names the file and the item (nothing is saved)."""


@dataclass(frozen=True)
class ItemSpec:
    """One item as the file states it (code canonical, ``elements`` in order)."""

    code: str
    order: int
    title: str
    indicator_number: int
    sub_area: str
    period: str
    previous_code: str
    source: str
    grade: str
    to_confirm: bool
    elements: tuple[str, ...]
    portal_document: str = ""

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ITEM_FIELDS}


ITEM_FIELDS = ["code", "order", "title", "indicator_number", "sub_area", "period", "previous_code", "source",
               "grade", "to_confirm", "portal_document"]


@dataclass(frozen=True)
class ListSpec:
    """One year's file: the list's fields, its OIT calendar (dates or None) and its items in order."""

    path: Path
    fiscal_year: int
    complete: bool
    source: str
    note: str
    calendar: dict[str, dt.date | None]
    items: tuple[ItemSpec, ...]


def item_list_read(path: Path) -> ListSpec:
    """The validated content of one year's file. Raises ``ItemDataError`` naming the file and the item: unknown
    keys, a fiscal year other than the file's name, a code that is not an OIT code or appears twice, an unknown
    period or grade, an indicator other than 9/10, an item without elements, a calendar window that closes before
    it opens."""
    name = path.name
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ItemDataError(f"{name}: not valid YAML: {error}") from error
    if not isinstance(document, dict):
        raise ItemDataError(f"{name}: the file must be a mapping with fiscal_year and items")
    unknown = {k for k in document if not str(k).startswith("x-")} - LIST_KEYS
    if unknown:
        raise ItemDataError(f"{name}: unknown keys {sorted(unknown)} (allowed: {sorted(LIST_KEYS)}, and x-… for "
                            f"YAML anchors)")
    year = document.get("fiscal_year")
    if not isinstance(year, int) or not 2500 <= year <= 2700:
        raise ItemDataError(f"{name}: fiscal_year must be a Buddhist-era year such as 2569, not {year!r}")
    if path.stem.isdigit() and int(path.stem) != year:
        raise ItemDataError(f"{name}: the file is named {path.stem} but states fiscal_year {year}")
    raw_items = document.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise ItemDataError(f"{name}: items must be a non-empty list")
    items, seen = [], {}
    for number, raw in enumerate(raw_items, start=1):
        spec = _item_read(name, number, raw)
        if spec.code in seen:
            raise ItemDataError(f"{name}: item {number} ({spec.code}): duplicate code {spec.code} (also item "
                                f"{seen[spec.code]})")
        seen[spec.code] = number
        items.append(spec)
    return ListSpec(path=path, fiscal_year=year, complete=_bool(name, "list", document.get("complete", True)),
                    source=str(document.get("source") or ""), note=str(document.get("note") or ""),
                    calendar=_calendar_read(name, document.get("calendar")), items=tuple(items))


def _bool(name: str, where: str, value) -> bool:
    if not isinstance(value, bool):
        raise ItemDataError(f"{name}: {where}: expected true or false, not {value!r}")
    return value


def _item_read(name: str, number: int, raw) -> ItemSpec:
    if not isinstance(raw, dict):
        raise ItemDataError(f"{name}: item {number}: must be a mapping")
    code = code_normalise(str(raw.get("code") or ""))
    where = f"item {number} ({code})" if code else f"item {number} ({raw.get('code')!r})"
    if code is None:
        raise ItemDataError(f"{name}: {where}: code must be an OIT code such as O12")
    unknown = set(raw) - ITEM_KEYS
    if unknown:
        raise ItemDataError(f"{name}: {where}: unknown keys {sorted(unknown)}")
    title = str(raw.get("title") or "").strip()
    if not title or len(title) > 500:
        raise ItemDataError(f"{name}: {where}: title must be 1–500 characters")
    if raw.get("indicator") not in INDICATORS:
        raise ItemDataError(f"{name}: {where}: indicator must be 9 or 10, not {raw.get('indicator')!r}")
    period = raw.get("period", Period.NONE)
    if period not in Period.values:
        raise ItemDataError(f"{name}: {where}: unknown period {period!r} (one of {', '.join(Period.values)})")
    grade = raw.get("grade", Grade.INFERRED)
    if grade not in Grade.values:
        raise ItemDataError(f"{name}: {where}: unknown grade {grade!r} (one of {', '.join(Grade.values)})")
    previous = raw.get("previous_code") or ""
    if previous and code_normalise(str(previous)) is None:
        raise ItemDataError(f"{name}: {where}: previous_code {previous!r} is not an OIT code")
    portal_document = raw.get("portal_document") or ""
    if portal_document and portal_document not in PortalDocument.values:
        raise ItemDataError(f"{name}: {where}: unknown portal_document {portal_document!r} (one of "
                            f"{', '.join(PortalDocument.values)})")
    elements = raw.get("elements")
    if not isinstance(elements, list) or not elements or not all(isinstance(e, str) and e.strip() for e in elements):
        raise ItemDataError(f"{name}: {where}: elements must be a non-empty list of sentences")
    return ItemSpec(code=code, order=number, title=title, indicator_number=raw["indicator"],
                    sub_area=str(raw.get("sub_area") or ""), period=period,
                    previous_code=code_normalise(str(previous)) if previous else "",
                    source=str(raw.get("source") or ""), grade=grade,
                    to_confirm=_bool(name, where, raw.get("to_confirm", False)),
                    elements=tuple(e.strip() for e in elements), portal_document=portal_document)


def _calendar_read(name: str, raw) -> dict[str, dt.date | None]:
    raw = raw or {}
    if not isinstance(raw, dict) or set(raw) - set(CALENDAR_KEYS):
        raise ItemDataError(f"{name}: calendar: a mapping of {', '.join(CALENDAR_KEYS)}")
    calendar = {}
    for key in CALENDAR_KEYS:
        value = raw.get(key)
        if value is not None and not isinstance(value, dt.date):
            raise ItemDataError(f"{name}: calendar: {key} must be a date (YYYY-MM-DD, Common Era) or null")
        calendar[key] = value
    for opens, closes in (("entry_opens", "entry_closes"), ("clarification_opens", "clarification_closes")):
        if calendar[opens] and calendar[closes] and calendar[closes] < calendar[opens]:
            raise ItemDataError(f"{name}: calendar: {closes} is before {opens}")
    return calendar


def item_files(path: Path) -> list[Path]:
    """The year files under ``path`` (a directory: every ``*.yaml`` by name; a file: itself)."""
    return sorted(path.glob("*.yaml")) if path.is_dir() else [path]


# ---------------------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class LoadOutcome:
    """What a load did to one year's list: created, changed (version bumped), the codes of items left as an
    administrator corrected them (``kept``)."""

    item_list: ItemList
    created: bool = False
    changed: bool = False
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ElementInput:
    """One element as a form or a file gives it: its sentence, and the stored element it replaces (None: new)."""

    text: str
    pk: int | None = None


@transaction.atomic
def item_lists_load(*, path: Path | None = None, overwrite: bool = False) -> list[LoadOutcome]:
    """Create or update the item list of every year file under ``path`` (default ``settings.OIT_DATA_DIR``).

    All files are validated first (``ItemDataError``, nothing saved). Idempotent: items are matched by code and
    updated in place (checklists keep pointing at them), elements by position; items no longer in the file are
    deleted. A list's ``version`` grows by one when its items or elements changed (not for its note, source or
    calendar). An item corrected on the portal's page (``corrected_at`` set) is left as corrected unless
    ``overwrite``, which puts the file's text back. Deleting an item or element that checklists use raises
    ``ItemDataError``."""
    specs = [item_list_read(p) for p in item_files(path or settings.OIT_DATA_DIR)]
    years = [spec.fiscal_year for spec in specs]
    if len(set(years)) != len(years):
        raise ItemDataError(f"two files state the same fiscal year: {sorted(years)}")
    return [_list_load(spec, overwrite=overwrite) for spec in specs]


def _list_load(spec: ListSpec, *, overwrite: bool) -> LoadOutcome:
    item_list = ItemList.objects.filter(fiscal_year=spec.fiscal_year).first()
    outcome = LoadOutcome(item_list=item_list or ItemList(fiscal_year=spec.fiscal_year), created=item_list is None)
    model_update(outcome.item_list, fields=["source", "complete", "note", *CALENDAR_KEYS],
                 data={"source": spec.source, "complete": spec.complete, "note": spec.note, **spec.calendar})
    existing = {item.code: item for item in outcome.item_list.items.prefetch_related("elements")}
    for item_spec in spec.items:
        item = existing.pop(item_spec.code, None)
        if item is not None and item.corrected_at and not overwrite:
            outcome.kept.append(item.code)
            continue
        outcome.changed |= _item_load(outcome.item_list, item, item_spec, spec.path.name)
    for item in existing.values():
        if item.corrected_at and not overwrite:
            outcome.kept.append(item.code)
            continue
        try:
            item.delete()
        except ProtectedError as error:
            raise ItemDataError(f"{spec.path.name}: {item.code} is no longer in the file but checklists or results "
                                f"use it; keep it in the file") from error
        outcome.changed = True
    if outcome.changed and not outcome.created:
        outcome.item_list = item_list_version_bump(item_list_id=outcome.item_list.pk)
    return outcome


def _item_load(item_list: ItemList, item: Item | None, spec: ItemSpec, name: str) -> bool:
    """Create or update one item and its elements from the file; whether anything changed."""
    data = spec.fields() | {"corrected_at": None, "corrected_by": None}
    item, changed = model_update(item or Item(item_list=item_list), fields=[*ITEM_FIELDS, "corrected_at",
                                                                           "corrected_by"], data=data)
    stored = list(item.elements.all())
    inputs = [ElementInput(text=text, pk=stored[i].pk if i < len(stored) else None)
              for i, text in enumerate(spec.elements)]
    try:
        return _elements_set(item=item, elements=inputs) or changed
    except ValidationError as error:
        raise ItemDataError(f"{name}: {item.code}: {' '.join(error.messages)}") from error


def _elements_set(*, item: Item, elements: list[ElementInput], user=None) -> bool:
    """Make ``item``'s elements ``elements``, in that order: listed stored ones updated in place, new ones created,
    the others deleted. Whether anything changed. ``ValidationError`` when an element to delete has evidence."""
    stored = {element.pk: element for element in item.elements.all()}
    changed = False
    keep = {e.pk for e in elements if e.pk is not None}
    for element in stored.values():
        if element.pk not in keep:
            try:
                element.delete()
            except ProtectedError as error:
                raise ValidationError(_("Element “%(text)s” has evidence in checklists and cannot be removed; "
                                        "change its text instead.") % {"text": element.text}) from error
            changed = True
    for order, given in enumerate(elements, start=1):
        element = stored.get(given.pk) if given.pk is not None else None
        if given.pk is not None and element is None:
            raise ValidationError(_("An element of another item was given."))
        element = element or Element(item=item)
        element._history_user = user
        changed |= model_update(element, fields=["order", "text"], data={"order": order,
                                                                        "text": given.text.strip()})[1]
    return changed


# ---------------------------------------------------------------------------------------------------------------
# Correcting on the page
# ---------------------------------------------------------------------------------------------------------------

ITEM_EDIT_FIELDS = ["title", "indicator_number", "sub_area", "period", "previous_code", "source", "grade",
                    "to_confirm"]


def can_edit_items(user) -> bool:
    """Who corrects the items of every year: a national administrator, i.e. a superuser (organizations has no
    other national-admin role: national overseers read only, ``organizations/permissions.py``)."""
    return bool(user.is_authenticated and user.is_superuser)


@transaction.atomic
def item_update(*, item: Item, data: dict[str, Any], elements: list[ElementInput], user) -> bool:
    """Correct ``item``: the fields of ``ITEM_EDIT_FIELDS`` that ``data`` holds, and its elements (in order;
    ``ElementInput.pk`` names the stored element a text replaces, None a new one; stored elements not given are
    deleted). When anything changed: ``corrected_at``/``corrected_by`` are set (the file loader then leaves the item
    alone) and the list's ``version`` grows by one, in the same transaction, the list row locked. Returns whether
    anything changed. Raises ``ValidationError`` (nothing saved): no element, a bad field value, an element with
    evidence removed."""
    if not [e for e in elements if e.text.strip()]:
        raise ValidationError(_("An item needs at least one element."))
    ItemList.objects.select_for_update().get(pk=item.item_list_id)  # corrections of one list, one at a time
    if data.get("previous_code"):
        data = data | {"previous_code": code_normalise(data["previous_code"]) or data["previous_code"]}
    item._history_user = user
    changed = model_update(item, fields=ITEM_EDIT_FIELDS, data=data)[1]
    changed = _elements_set(item=item, elements=[e for e in elements if e.text.strip()], user=user) or changed
    if not changed:
        return False
    item.item_list = item_correction_record(item=item, user=user)
    return True


def item_correction_record(*, item: Item, user) -> ItemList:
    """Record that ``user`` corrected ``item`` (its fields or elements, or created it): ``corrected_at``/
    ``corrected_by`` set (the file loader then leaves the item alone) and its list's ``version`` grows by one.
    Called by ``item_update`` (the portal's page) and the Django admin (oit/admin.py), inside their transaction.
    Returns the list with its new version."""
    model_update(item, fields=["corrected_at", "corrected_by"], data={"corrected_at": timezone.now(),
                                                                     "corrected_by": user})
    return item_list_version_bump(item_list_id=item.item_list_id, user=user)


@transaction.atomic
def item_list_version_bump(*, item_list_id: int, user=None) -> ItemList:
    """The one home of "a change of a list's items or elements makes a new version" (issue 20 §1: each checklist
    records the version of the list it was made from): the list row is locked, its ``version`` grows by one and
    its history names ``user`` (None: the file loader). Called by ``item_correction_record``, the file loader and
    the Django admin's deletes. Returns the list as saved; ``ItemList.DoesNotExist`` if it is gone."""
    item_list = ItemList.objects.select_for_update().get(pk=item_list_id)
    item_list.version += 1
    item_list._history_user = user
    item_list.save(update_fields=["version"])
    return item_list


# ---------------------------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------------------------

def item_lists() -> QuerySet[ItemList]:
    """Every year's list, newest first, with ``item_count``."""
    from django.db.models import Count

    return ItemList.objects.annotate(item_count=Count("items")).order_by("-fiscal_year")


def items_of_year(*, item_list: ItemList) -> QuerySet[Item]:
    """The items of ``item_list`` in order, elements prefetched."""
    return item_list.items.prefetch_related("elements").order_by("order", "code")


def item_history(*, item: Item) -> list[dict]:
    """Changes of ``item`` and its elements, newest first: ``{"when", "who", "what", "old", "new"}`` per changed
    field (texts as stored; the correction stamps are left out)."""
    hidden = {"corrected_at", "corrected_by", "order"}
    rows = []
    records = list(item.history.select_related("history_user").order_by("history_date", "history_id"))
    for previous, record in zip([None, *records], records, strict=False):
        if record.history_type == "+":
            rows.append(_history_row(record, _("created"), "", record.title))
        elif previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field not in hidden:
                    rows.append(_history_row(record, str(Item._meta.get_field(change.field).verbose_name),
                                             change.old, change.new))
    element_records = Element.history.filter(item_id=item.pk).select_related("history_user").order_by(
        "history_date", "history_id")
    last: dict[int, Any] = {}
    for record in element_records:
        what = _("Element %(order)s") % {"order": record.order}
        previous = last.get(record.id)
        if record.history_type == "+":
            rows.append(_history_row(record, what, "", record.text))
        elif record.history_type == "-":
            rows.append(_history_row(record, what, record.text, ""))
        elif previous is not None and previous.text != record.text:
            rows.append(_history_row(record, what, previous.text, record.text))
        last[record.id] = record
    rows.sort(key=lambda row: row["when"], reverse=True)
    return rows


def _history_row(record, what: str, old, new) -> dict:
    user = record.history_user
    who = (user.get_full_name() or user.username) if user else _("the system (data import)")
    show = {True: _("yes"), False: _("no"), None: "–"}
    return {"when": record.history_date, "who": who, "what": what,
            "old": show.get(old, old) if isinstance(old, bool | None) else str(old),
            "new": show.get(new, new) if isinstance(new, bool | None) else str(new)}


# ---------------------------------------------------------------------------------------------------------------
# Resolving codes across years
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TopicInYear:
    """The same topic as an item, looked up in ``fiscal_year``: the ``item``, or None and why — ``missing_year``:
    the list of that year (on the way) is not stored; ``partial``: the list where the chain ended holds only part
    of the year's items; otherwise the topic is not in that year's list."""

    fiscal_year: int
    item: Item | None
    missing_year: int | None = None
    partial: bool = False


class ItemIndex:
    """Every stored list's items in memory (two queries), to follow codes across years without a query per code.

    ``lists``: fiscal year → complete?; ``items``: (year, code) → Item (its ``item_list`` attached)."""

    def __init__(self, item_lists: Iterable[ItemList], items: Iterable[Item]):
        self.lists = {item_list.fiscal_year: item_list.complete for item_list in item_lists}
        self.items: dict[tuple[int, str], Item] = {}
        self.successors: dict[tuple[int, str], Item] = {}
        for item in items:
            year = item.item_list.fiscal_year
            self.items[(year, item.code)] = item
            if item.previous_code:
                self.successors.setdefault((year, item.previous_code), item)

    @classmethod
    def load(cls, *, fiscal_years: Iterable[int] | None = None) -> "ItemIndex":
        lists = ItemList.objects.only("fiscal_year", "complete", "version")
        items = Item.objects.select_related("item_list").only(
            "code", "order", "title", "previous_code", "to_confirm", "grade", "period", "item_list__fiscal_year",
            "item_list__complete").order_by("item_list__fiscal_year", "order", "code")
        if fiscal_years is not None:
            years = list(fiscal_years)
            lists, items = lists.filter(fiscal_year__in=years), items.filter(item_list__fiscal_year__in=years)
        return cls(list(lists), list(items))

    def resolve(self, code: str, fiscal_year: int) -> Item | None:
        canonical = code_normalise(code)
        return self.items.get((fiscal_year, canonical)) if canonical else None

    def trace(self, item: Item, fiscal_year: int) -> TopicInYear:
        """The same topic as ``item`` in ``fiscal_year``, one year at a time along ``previous_code``."""
        year, current = item.item_list.fiscal_year, item
        step = 1 if fiscal_year > year else -1
        while year != fiscal_year:
            if step == 1:
                year += 1
                if year not in self.lists:
                    return TopicInYear(fiscal_year, None, missing_year=year)
                current = self.successors.get((year, current.code))
            else:
                year -= 1
                if year not in self.lists:
                    return TopicInYear(fiscal_year, None, missing_year=year)
                # A blank previous code: a new topic, not in the year before.
                current = self.items.get((year, current.previous_code)) if current.previous_code else None
            if current is None:
                return TopicInYear(fiscal_year, None, partial=not self.lists[year])
        return TopicInYear(fiscal_year, current)


def item_resolve(*, code: str, fiscal_year: int) -> Item | None:
    """The item of ``fiscal_year``'s list whose code is ``code`` in any spelling ("o28", "O๒๘"), or None (no such
    list, not an OIT code, or not in the list)."""
    canonical = code_normalise(code)
    if canonical is None:
        return None
    return Item.objects.select_related("item_list").filter(item_list__fiscal_year=fiscal_year,
                                                           code=canonical).first()


def topic_trace(*, item: Item, fiscal_year: int) -> TopicInYear:
    """The same topic as ``item`` in ``fiscal_year`` and, when there is none, why (``TopicInYear``). Follows
    ``previous_code`` one year at a time, forward (the item of the next year whose previous code is this one) or
    backward; two queries."""
    years = range(min(item.item_list.fiscal_year, fiscal_year), max(item.item_list.fiscal_year, fiscal_year) + 1)
    return ItemIndex.load(fiscal_years=years).trace(item, fiscal_year)


def topic_in_year(*, item: Item, fiscal_year: int) -> Item | None:
    """The item of the same topic as ``item`` in ``fiscal_year``, or None (see ``topic_trace`` for why)."""
    return topic_trace(item=item, fiscal_year=fiscal_year).item
