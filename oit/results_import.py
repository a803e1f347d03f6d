"""Import of NACC's results per OIT item (issue 20 §4): a CSV or XLSX file, one row per organization, fiscal year
and item (columns in ``COLUMNS``; docs/data/oit-results.md).

The reading is the score import's (``assessments.importers``: ``core.imports.iter_table``, headers by name in
English or Thai, cells typed with Thai or Arabic digits, errors by row and column in Thai). Every row is checked
first — fiscal year with an item list, the code in that list (``oit.codes.code_normalise``: "O๒๘", "o28"), the
result, an existing organization in the user's oversight (organizations are never created here), no duplicate —
and nothing is saved unless every row is valid. Then the rows of each organization and year go, in one
transaction, through ``oit.results.item_results_set``, the service the results form calls.
"""
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.importers import Column, RowError, RowReader, is_blank, read_header
from core.imports import FileError, iter_table
from core.thai import ThaiDateError, parse_thai_date, to_arabic_digits
from organizations.models import Organization
from organizations.naming import clean_province, kind_from_text, name_key, province_key, split_kind_prefix

from .codes import code_normalise
from .models import Item, ItemResult
from .results import ItemResultInput, item_results_set

COLUMNS: tuple[Column, ...] = (
    Column("fiscal_year", "ปีงบประมาณ", True, ("ปี", "ปีงบประมาณ พ.ศ.")),
    Column("organization", "หน่วยงาน", True, ("ชื่อหน่วยงาน",)),
    Column("kind", "ประเภท", False, ("ประเภทหน่วยงาน",)),
    Column("province", "จังหวัด", True),
    Column("code", "ข้อ", True, ("รหัสข้อ", "ข้อ OIT", "item code", "item_code", "item")),
    Column("result", "ผล", True, ("ผลการประเมิน", "คะแนน", "score")),
    Column("clarification_until", "ชี้แจงได้ถึง", False, ("ชี้แจงได้ถึงวันที่",)),
    Column("clarification", "คำชี้แจง", False, ("การชี้แจง",)),
    Column("final_result", "ผลหลังชี้แจง", False, ("ผลสุดท้าย", "final")),
)

PASSED_WORDS = {"ผ่าน", "100", "100.0", "100.00", "pass", "passed", "yes", "มี"}
FAILED_WORDS = {"ไม่ผ่าน", "0", "0.0", "0.00", "fail", "failed", "no", "ไม่มี"}


@dataclass
class ResultsImportReport:
    """What an import found and did: ``rows`` read, ``errors`` (row 0 is the file, 1 the header), results
    ``created``/``updated``/``unchanged``; ``refused``: nothing was written; ``saved``: committed (False for a dry
    run)."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: bool = False
    saved: bool = False
    dry_run: bool = False

    def counts(self) -> list[tuple[str, int]]:
        return [(_("Results created"), self.created), (_("Results updated"), self.updated),
                (_("Unchanged"), self.unchanged)]


@dataclass
class _Row:
    row: int
    fiscal_year: int
    organization: Organization
    code: str
    passed: bool
    clarification_until: dt.date | None
    clarification: str | None  # None: the column is absent or the cell blank (keep what is stored)
    final_passed: bool | None
    has_until: bool
    has_final: bool


def _result(reader: RowReader, column: str, *, required: bool) -> bool | None:
    value = reader.required(column) if required else reader.text(column)
    if not value:
        return None
    word = to_arabic_digits(value).strip().casefold()
    if word in PASSED_WORDS:
        return True
    if word in FAILED_WORDS:
        return False
    reader.error(column, _("“%(value)s” is not a result; write ผ่าน or ไม่ผ่าน (or 100 or 0).") % {"value": value})
    return None


def _date(reader: RowReader, column: str) -> dt.date | None:
    index = reader.header.positions.get(column)
    cell = reader.cells[index] if index is not None and index < len(reader.cells) else None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    value = reader.text(column)
    if not value:
        return None
    try:
        return parse_thai_date(value)
    except ThaiDateError:
        reader.error(column, _("“%(value)s” is not a date; write it as 15/6/2569.") % {"value": value})
        return None


def _organization(reader: RowReader, index: dict, provinces: frozenset[str] | None) -> Organization | None:
    name = reader.required("organization")
    province = clean_province(reader.required("province"))
    kind_text = reader.text("kind")
    kind = kind_from_text(kind_text) if kind_text else None
    if kind_text and kind is None:
        reader.error("kind", _("Unknown kind “%(value)s”; write อบต., ทต., ทม., ทน., อบจ. or อื่น ๆ.")
                     % {"value": kind_text})
        return None
    if not name or not province:
        return None
    kind = kind or split_kind_prefix(name)[0]
    found = [o for o in index.get((name_key(name), province_key(province)), []) if kind is None or o.kind == kind]
    if not found:
        reader.error("organization", _("No organization of this name in the province of %(province)s is in the "
                                       "portal; add it first (the import does not create organizations).")
                     % {"province": province})
        return None
    if len(found) > 1:
        reader.error("organization", _("%(count)s organizations of this name and province exist; add the kind "
                                       "column or merge them first.") % {"count": len(found)})
        return None
    if provinces is not None and province_key(found[0].province) not in {province_key(p) for p in provinces}:
        reader.error("province", _("This is outside your oversight."))
        return None
    return found[0]


def _read_row(number: int, cells: list[object], header, index: dict, codes: dict[int, set[str]],
              provinces: frozenset[str] | None) -> tuple[_Row | None, list[RowError]]:
    reader = RowReader(number, cells, header)
    fiscal_year = reader.fiscal_year()
    if fiscal_year and fiscal_year not in codes:
        reader.error("fiscal_year", _("There is no OIT item list for fiscal year %(year)s.") % {"year": fiscal_year})
    organization = _organization(reader, index, provinces)
    written = reader.required("code")
    code = code_normalise(written) if written else None
    if written and code is None:
        reader.error("code", _("“%(code)s” is not an OIT item code (e.g. O25).") % {"code": written})
    elif code and fiscal_year in codes and code not in codes[fiscal_year]:
        reader.error("code", _("%(code)s is not in the OIT item list of fiscal year %(year)s.")
                     % {"code": code, "year": fiscal_year})
    passed = _result(reader, "result", required=True)
    until = _date(reader, "clarification_until")
    clarification = reader.text("clarification")
    final = _result(reader, "final_result", required=False)
    if reader.errors:
        return None, reader.errors
    return _Row(number, fiscal_year, organization, code, passed, until, clarification or None, final,
                has_until=until is not None, has_final=final is not None), []


def _organization_index() -> dict[tuple[str, str], list[Organization]]:
    """Every organization under ``(name_key, province_key)`` (the kind is checked apart: the file may not have
    it). One query."""
    index: dict[tuple[str, str], list[Organization]] = defaultdict(list)
    for organization in Organization.objects.only("pk", "slug", "name", "kind", "province").order_by("pk"):
        index[name_key(organization.name), province_key(organization.province)].append(organization)
    return index


def _parse(table: Iterable[list[object]], report: ResultsImportReport,
           provinces: frozenset[str] | None) -> list[_Row]:
    rows_of_table = iter(table)
    first = next(rows_of_table, None)
    if first is None or is_blank(first):
        report.errors.append(RowError(0, "", _("The file is empty.")))
        return []
    header = read_header(first, report, COLUMNS)
    if header is None:
        return []
    codes: dict[int, set[str]] = defaultdict(set)
    for year, code in Item.objects.values_list("item_list__fiscal_year", "code"):
        codes[year].add(code)
    index = _organization_index()
    rows: list[_Row] = []
    for number, cells in enumerate(rows_of_table, start=2):
        if is_blank(cells):
            continue
        report.rows += 1
        row, errors = _read_row(number, cells, header, index, codes, provinces)
        report.errors.extend(errors)
        if row:
            rows.append(row)
    if not report.rows:
        report.errors.append(RowError(0, "", _("The file has no data rows.")))
    groups: dict[tuple, list[_Row]] = defaultdict(list)
    for row in rows:
        groups[row.organization.pk, row.fiscal_year, row.code].append(row)
    for group in groups.values():
        if len(group) > 1:
            for row in group:
                others = ", ".join(str(other.row) for other in group if other is not row)
                report.errors.append(RowError(row.row, header.written["code"], _(
                    "Duplicate of row %(rows)s: the same organization, fiscal year and item.") % {"rows": others}))
    return rows


def item_results_import(*, content: bytes, filename: str = "", provinces: frozenset[str] | None = None,
                        dry_run: bool = False) -> ResultsImportReport:
    """Import NACC's item results of the file ``content`` (CSV or XLSX; columns ``COLUMNS``).

    ``provinces``: the provinces the user oversees (rows elsewhere are errors); None for the whole country.
    ``dry_run``: check and count, save nothing. Blank optional cells (clarification, its window, the final result)
    keep what is stored. Nothing is saved when any row is invalid (``refused``). One transaction; each organization
    and year through ``item_results_set``. Returns the report; raises nothing for a bad file."""
    report = ResultsImportReport(dry_run=dry_run)
    try:
        rows = _parse(iter_table(content, filename), report, provinces)
    except FileError as error:
        report.errors[:] = [RowError(0, "", str(error))]
        report.ignored_columns.clear()
        report.rows = 0
        report.refused = True
        return report
    if report.errors:
        report.refused = True
        return report
    by_target: dict[tuple[int, int], list[_Row]] = defaultdict(list)
    for row in rows:
        by_target[row.organization.pk, row.fiscal_year].append(row)
    stored: dict[tuple[int, int, str], ItemResult] = {
        (r.organization_id, r.fiscal_year, r.item.code): r
        for r in ItemResult.objects.filter(organization_id__in={k[0] for k in by_target},
                                           fiscal_year__in={k[1] for k in by_target}).select_related("item")}
    with transaction.atomic():
        for (organization_id, fiscal_year), group in by_target.items():
            inputs = []
            for row in group:
                before = stored.get((organization_id, fiscal_year, row.code))
                kept = before or ItemResult(clarification="")  # blank cells keep what is stored
                inputs.append(ItemResultInput(
                    code=row.code, passed=row.passed,
                    clarification_until=row.clarification_until if row.has_until else kept.clarification_until,
                    clarification=row.clarification if row.clarification is not None else kept.clarification,
                    final_passed=row.final_passed if row.has_final else kept.final_passed))
            try:
                outcome = item_results_set(organization=group[0].organization, fiscal_year=fiscal_year,
                                           results=inputs)
            except ValidationError as error:
                report.errors.extend(RowError(group[0].row, "", message) for message in error.messages)
                continue
            report.created += outcome.created
            report.updated += outcome.updated
            report.unchanged += outcome.unchanged
        if report.errors:
            transaction.set_rollback(True)
            report.created = report.updated = report.unchanged = 0
            report.refused = True
            return report
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.saved = True
    return report
