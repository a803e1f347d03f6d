"""Score import: the figures NACC published, from a CSV or XLSX file with one row per organization and fiscal year
(issue 9 §3; the columns, Thai headers and options are listed in docs/data/import.md).

    ``core.imports.iter_table`` (CSV UTF-8 with or without BOM, or XLSX; streamed, within the row and size
    limits of the settings) → header by column name → one
    ``ScoreRow`` per row, typed (Thai or Arabic digits) → checks across rows (duplicates, framework of the year,
    matching organization, oversight scope) → writes through ``services.assessment_scores_set``, the service the
    results form calls.

Every row is checked before anything is saved; errors name the row (as a spreadsheet numbers it: the header is
row 1), the column (as written in the file) and the reason, in Thai. A control character (NUL …) in any cell is such
an error. Nothing is saved when a row is invalid,
unless ``valid_only``. Everything happens in one transaction; a dry run rolls it back.
"""
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from core.forms import SCORE_RANGE
from core.imports import FileError, cell_text, control_character, iter_table
from core.thai import normalise_text, plain_number, to_arabic_digits
from organizations.choices import OrganizationKind
from organizations.models import Organization
from organizations.naming import (
    KIND_ABBREVIATIONS,
    KIND_PREFIXES,
    clean_province,
    kind_from_text,
    name_key,
    province_key,
    split_kind_prefix,
)
from organizations.selectors import organizations_by_name_key
from organizations.services import organization_create

from .models import Assessment, Framework, LevelScale
from .scoring import primary_scale
from .selectors import assessments_with_scores
from .services import (
    PublishedFigures,
    ScoreConflict,
    ScoreDifference,
    ScoresOutcome,
    assessment_scores_set,
    scores_refresh,
)

INDICATORS = range(1, 11)
MAX_LENGTHS = {"organization": 200, "amphoe": 100, "province": 100, "level": 50}


@dataclass(frozen=True)
class Column:
    """A column of the import file: its name, the Thai header accepted for it, other spellings accepted."""

    name: str
    thai: str
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("fiscal_year", "ปีงบประมาณ", True, ("ปี", "ปีงบประมาณ พ.ศ.")),
    Column("organization", "หน่วยงาน", True, ("ชื่อหน่วยงาน",)),
    Column("kind", "ประเภท", True, ("ประเภทหน่วยงาน",)),
    Column("amphoe", "อำเภอ"),
    Column("province", "จังหวัด", True),
    *(Column(f"indicator_{n}", f"ตัวชี้วัดที่ {n}") for n in INDICATORS),
    Column("iit", "IIT"),
    Column("eit", "EIT"),
    Column("oit", "OIT"),
    Column("ita", "คะแนน ITA", aliases=("คะแนน", "ITA")),
    Column("level", "ระดับผลการประเมิน", aliases=("ระดับ",)),
    Column("rank", "ลำดับ", aliases=("ลำดับที่",)),
)


def _header_key(text: str) -> str:
    return "".join(to_arabic_digits(str(text)).split()).casefold()


_HEADERS: dict[str, Column] = {}
for _column in COLUMNS:
    for _spelling in (_column.name, _column.thai, *_column.aliases):
        _HEADERS[_header_key(_spelling)] = _column


@dataclass(frozen=True)
class RowError:
    """Why a row cannot be imported: ``row`` as a spreadsheet numbers it (1 is the header row; 0 the whole file),
    ``column`` as written in the file's header ("" for the whole row)."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Conflict:
    """A row left unchanged because it would overwrite the organization's own indicator scores."""

    row: int
    organization: str
    fiscal_year: int
    differences: list[ScoreDifference]

    @property
    def message(self) -> str:
        """"ตัวชี้วัดที่ 9: ในระบบ 76.79 ในแฟ้ม 80.00; …" """
        return "; ".join(
            _("Indicator %(number)s: %(stored)s in the portal, %(given)s in the file")
            % {"number": d.indicator, "stored": d.stored, "given": "–" if d.given is None else d.given}
            for d in self.differences
        )


@dataclass
class ScoreRow:
    """One valid row, typed: who (as written, kind as ``OrganizationKind`` value), which year, what was published."""

    row: int
    fiscal_year: int
    organization: str
    kind: str
    amphoe: str
    province: str
    indicator_scores: dict[int, Decimal]
    published: PublishedFigures

    @cached_property
    def key(self) -> tuple[str, str, str]:
        """The organization's matching key (``organizations.selectors.organizations_by_name_key``)."""
        return self.kind, name_key(self.organization), province_key(self.province)


@dataclass(frozen=True)
class NewOrganization:
    """An organization the file names that the portal does not hold (first row it is on, name, kind label,
    province as written): created only when the import is asked to (``create_organizations``)."""

    row: int
    name: str
    kind: str
    province: str


@dataclass
class ImportReport:
    """What an import found and did. Counts are of assessments (one per row); ``organizations_created`` of
    organizations met for the first time; ``new_organizations`` lists them (also in a dry run, where nothing is
    created); ``skipped`` the invalid rows left out by ``valid_only``. ``refused``:
    errors stopped everything and nothing was written; ``saved``: the writes were committed (False for a dry run
    and when refused)."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    organizations_created: int = 0
    new_organizations: list[NewOrganization] = field(default_factory=list)
    refused: bool = False
    saved: bool = False
    dry_run: bool = False

    def counts(self) -> list[tuple[str, int]]:
        """(Thai label, number) for the page and the command."""
        return [
            (_("Assessments created"), self.created),
            (_("Assessments updated"), self.updated),
            (_("Unchanged"), self.unchanged),
            (_("Conflicts left unchanged"), len(self.conflicts)),
            (_("Invalid rows skipped"), self.skipped),
            (_("Organizations created"), self.organizations_created),
        ]


# --- Typing and checking rows ---------------------------------------------------------------------------------


@dataclass
class _Header:
    positions: dict[str, int]  # column name → index
    written: dict[str, str]  # column name → header as written in the file


def _control_character_message(character: str) -> str:
    """"มีอักขระควบคุม (U+0000) ซึ่งไม่อนุญาตในข้อความ …": NUL cannot be stored on PostgreSQL (issue 18 §8)."""
    return _("It contains a control character (%(character)s), which is not allowed in a text; remove it and "
             "import again.") % {"character": character}


def headers_of(columns: Iterable[Column]) -> dict[str, Column]:
    """{header key: column} for every spelling of ``columns`` (name, Thai header, aliases)."""
    return {_header_key(spelling): column for column in columns
            for spelling in (column.name, column.thai, *column.aliases)}


def _read_header(cells: list[object], report: ImportReport, columns: tuple[Column, ...] = COLUMNS) -> _Header | None:
    """The columns of the header row ``cells`` (of ``columns``, by any spelling); errors (unknown spellings are
    only listed in ``report.ignored_columns``, a column twice, a required column missing) go to ``report.errors``
    and then None is returned. ``report`` needs ``errors`` and ``ignored_columns``."""
    headers = _HEADERS if columns is COLUMNS else headers_of(columns)
    header = _Header({}, {})
    for index, cell in enumerate(cells):
        written = cell_text(cell)
        if not written:
            continue
        if character := control_character(cell):
            shown = "".join(c for c in written if control_character(c) is None)
            report.errors.append(RowError(1, shown, _control_character_message(character)))
            continue
        column = headers.get(_header_key(written))
        if column is None:
            report.ignored_columns.append(written)
        elif column.name in header.positions:
            report.errors.append(RowError(1, written, _("This column appears twice in the header row.")))
        else:
            header.positions[column.name] = index
            header.written[column.name] = written
    for column in columns:
        if column.required and column.name not in header.positions:
            report.errors.append(RowError(1, column.name, _(
                "The header row has no such column; it is required (in Thai: “%(thai)s”).") % {"thai": column.thai}))
    return None if report.errors else header


# Names and codes, normalised like the forms' NameField (NFC, zero-width and bidi controls removed, issue 12 §7).
NAME_COLUMNS = frozenset({"organization", "amphoe", "province"})


class _RowReader:
    """Types one row's cells; collects its errors."""

    def __init__(self, number: int, cells: list[object], header: _Header):
        self.number, self.cells, self.header = number, cells, header
        self.errors: list[RowError] = []

    def error(self, column: str, message: str | Promise) -> None:
        self.errors.append(RowError(self.number, self.header.written.get(column, column), str(message)))

    def text(self, column: str) -> str:
        index = self.header.positions.get(column)
        cell = self.cells[index] if index is not None and index < len(self.cells) else None
        if character := control_character(cell):
            self.error(column, _control_character_message(character))
            return ""
        value = cell_text(cell)
        if column in NAME_COLUMNS:  # names matched against the stored ones: as the forms store them
            value = normalise_text(value).strip()
        if value and len(value) > MAX_LENGTHS.get(column, 10_000):
            self.error(column, _("At most %(max)s characters.") % {"max": MAX_LENGTHS[column]})
        return value

    def required(self, column: str) -> str:
        errors = len(self.errors)
        value = self.text(column)
        if not value and len(self.errors) == errors:  # not also "empty" after a refused control character
            self.error(column, _("Required; this cell is empty."))
        return value

    def score(self, column: str, value: str | None = None) -> Decimal | None:
        value = self.text(column) if value is None else value
        if not value:
            return None
        plain = plain_number(value)  # the rule of the score fields: "1_0" and "1e2" are not scores
        number = Decimal(plain) if plain is not None else None
        if number is None:
            self.error(column, _("“%(value)s” is not a number; write a score such as 96.55 or ๙๖.๕๕.")
                       % {"value": value})
            return None
        if not Decimal(0) <= number <= Decimal(100):
            self.error(column, SCORE_RANGE)
            return None
        if number.as_tuple().exponent < -2 and number != round(number, 2):
            self.error(column, _("Use at most two decimals."))
            return None
        return round(number, 2)

    def fiscal_year(self) -> int | None:
        value = self.required("fiscal_year")
        if not value:
            return None
        digits = to_arabic_digits(value)
        if not re.fullmatch(r"[0-9]{4}", digits):
            self.error("fiscal_year", _("“%(value)s” is not a fiscal year; write the Buddhist-era year, e.g. 2568.")
                       % {"value": value})
            return None
        if int(digits) < 2400:
            self.error("fiscal_year", _("Type the fiscal year in the Buddhist era, e.g. 2568."))
            return None
        return int(digits)

    def kind(self) -> str | None:
        value = self.required("kind")
        if not value:
            return None
        kind = kind_from_text(value)
        if kind is None:
            self.error("kind", _("Unknown kind “%(value)s”; write อบต., ทต., ทม., ทน., อบจ. or อื่น ๆ.")
                       % {"value": value})
        return kind

    def rank(self) -> int | None:
        value = self.text("rank")
        digits = to_arabic_digits(value).replace(",", "")
        if not value:
            return None
        if not re.fullmatch(r"[0-9]+", digits) or int(digits) < 1:
            self.error("rank", _("“%(value)s” is not a rank; write a whole number from 1.") % {"value": value})
            return None
        return int(digits)


# AA–F (2562–2565, and beside the pass labels in 2566, ita-framework.md §4), not inside a word such as "ITA".
_LETTER = re.compile(r"(?<![A-Za-z])(AA|[A-F])(?![A-Za-z])")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _level(reader: _RowReader, framework: Framework | None, ita: Decimal | None) -> tuple[str, str, Decimal | None]:
    """``(level, letter, score)`` from the level cell as published: "ผ่านดี", "C", "ผ่าน ระดับ AA", "(ผ่าน) ระดับ AA",
    "77.70 ระดับ B", "ผ่านดีและบรรลุค่าเป้าหมาย" (→ ผ่านดี). A year whose levels are pass labels (2566 on) keeps the
    letter apart (``official_level_letter``); a year of letters (to 2565) has the letter as its level. A number in
    the cell is the ITA score: it fills a blank ``ita`` and must equal a given one."""
    text = reader.text("level")
    if not text or framework is None:
        return "", "", ita
    written = to_arabic_digits(text)
    pass_labels = [r.label for r in framework.level_rules.all() if r.scale == LevelScale.PASS]  # highest first
    longest_first = "|".join(map(re.escape, sorted(pass_labels, key=len, reverse=True)))  # ผ่านดีเยี่ยม before ผ่าน
    label_match = re.search(longest_first, written) if pass_labels else None
    label = label_match.group(0) if label_match else ""
    letter_match = _LETTER.search(written.upper())
    letter = letter_match.group(1) if letter_match else ""
    if not label and not letter:
        levels = ", ".join([*pass_labels, "AA–F"])
        reader.error("level", _("“%(value)s” is not a level of fiscal year %(year)s (%(levels)s).")
                     % {"value": text, "year": framework.fiscal_year, "levels": levels})
        return "", "", ita
    number = _NUMBER.search(written)
    if number:
        score = reader.score("level", number.group(0))
        if score is not None and ita is not None and score != ita:
            reader.error("level", _("The level cell gives the score %(level_score)s, the ITA column %(score)s.")
                         % {"level_score": score, "score": ita})
        ita = ita if ita is not None else score
    if primary_scale(framework) == LevelScale.PASS:
        return label, letter, ita
    return letter, "", ita


def _check_name(reader: _RowReader, name: str, kind: str | None) -> None:
    prefix_kind, _bare = split_kind_prefix(name)
    if kind and prefix_kind and prefix_kind != kind:
        kind_name = KIND_ABBREVIATIONS.get(kind) or str(OrganizationKind(kind).label)
        reader.error("organization", _("The name begins with “%(prefix)s”, but the kind is %(kind)s.")
                     % {"prefix": KIND_PREFIXES.get(prefix_kind), "kind": kind_name})


def _read_row(number: int, cells: list[object], header: _Header,
              frameworks: dict[int, Framework]) -> tuple[ScoreRow | None, list[RowError]]:
    reader = _RowReader(number, cells, header)
    fiscal_year = reader.fiscal_year()
    framework = frameworks.get(fiscal_year) if fiscal_year else None
    if fiscal_year and framework is None:
        reader.error("fiscal_year", _("There is no ITA framework for fiscal year %(year)s.") % {"year": fiscal_year})
    organization = reader.required("organization")
    kind = reader.kind()
    if organization:
        _check_name(reader, organization, kind)
    amphoe = reader.text("amphoe")
    province = clean_province(reader.required("province"))
    indicators = {n: reader.score(f"indicator_{n}") for n in INDICATORS}
    iit, eit, oit, ita = (reader.score(column) for column in ("iit", "eit", "oit", "ita"))
    level, letter, ita = _level(reader, framework, ita)
    rank = reader.rank()
    if reader.errors:
        return None, reader.errors
    published = PublishedFigures(score=ita, level=level, level_letter=letter, iit=iit, eit=eit, oit=oit, rank=rank)
    scores = {n: score for n, score in indicators.items() if score is not None}
    return ScoreRow(number, fiscal_year, organization, kind, amphoe, province, scores, published), []


def _is_blank(cells: list[object]) -> bool:
    return all(cell_text(cell) == "" for cell in cells)


def parse_rows(table: Iterable[list[object]], report: ImportReport,
               frameworks: dict[int, Framework]) -> tuple[list[ScoreRow], _Header | None]:
    """Type every row of ``table`` (header first; a list or ``imports.iter_table``'s stream) and check each on its
    own and against the others (duplicates); errors go to ``report.errors``. Returns the valid rows and the header.
    Blank rows are skipped. Raises the ``FileError`` of the stream (a limit passed)."""
    rows_of_table = iter(table)
    first = next(rows_of_table, None)
    if first is None or _is_blank(first):
        report.errors.append(RowError(0, "", _("The file is empty.")))
        return [], None
    header = _read_header(first, report)
    if header is None:
        return [], None
    rows: list[ScoreRow] = []
    for number, cells in enumerate(rows_of_table, start=2):
        if _is_blank(cells):
            continue
        report.rows += 1
        row, errors = _read_row(number, cells, header, frameworks)
        report.errors.extend(errors)
        if row:
            rows.append(row)
    if not report.rows:
        report.errors.append(RowError(0, "", _("The file has no data rows.")))
    return _without_duplicates(rows, header, report), header


def _without_duplicates(rows: list[ScoreRow], header: _Header, report: ImportReport) -> list[ScoreRow]:
    """Rows of the same organization, province and fiscal year are all refused: which one is right is unknown."""
    groups: dict[tuple, list[ScoreRow]] = defaultdict(list)
    for row in rows:
        groups[(*row.key, row.fiscal_year)].append(row)
    for group in groups.values():
        if len(group) > 1:
            for row in group:
                others = ", ".join(str(other.row) for other in group if other is not row)
                report.errors.append(RowError(row.row, header.written["organization"], _(
                    "Duplicate of row %(rows)s: the same organization, province and fiscal year.") % {"rows": others}))
    return [row for row in rows if len(groups[(*row.key, row.fiscal_year)]) == 1]


SUGGESTIONS = 3  # closest existing names offered for an unknown organization
SUGGESTION_CUTOFF = 60  # rapidfuzz ratio (0–100) below which a name is not offered


def closest_organizations(*, name: str, candidates: list[Organization], limit: int = SUGGESTIONS) -> list[str]:
    """The names of the ``limit`` organizations of ``candidates`` whose names are closest to ``name`` as written,
    best first, each "เทศบาลตำบลโคกม้า (บุรีรัมย์)": names are compared without their kind prefix
    (``organizations.naming.name_key``) by rapidfuzz's ``fuzz.ratio`` (normalised Indel similarity, 0–100), at
    least ``SUGGESTION_CUTOFF``; [] when none is that close."""
    choices = {index: name_key(organization.name) for index, organization in enumerate(candidates)}
    found = process.extract(name_key(name), choices, scorer=fuzz.ratio, limit=limit,
                            score_cutoff=SUGGESTION_CUTOFF)
    return [f"{candidates[index].name} ({candidates[index].province})" if candidates[index].province
            else candidates[index].name for _choice, _score, index in found]


def _check_organizations(rows: list[ScoreRow], header: _Header, index: dict, provinces: frozenset[str] | None,
                         report: ImportReport, create_organizations: bool) -> list[ScoreRow]:
    """Refuse rows outside the user's oversight (``provinces``; None = the whole country), rows whose name,
    kind and province match more than one organization, and — unless ``create_organizations`` — rows naming an
    organization the portal does not hold, with the closest existing names of the user's scope as suggestions
    (``closest_organizations``: a misspelt name never becomes a new organization unasked). The organizations to
    be created are listed in ``report.new_organizations`` (once each, at their first row)."""
    allowed = None if provinces is None else {province_key(p) for p in provinces}
    candidates: list[Organization] | None = None
    suggested: dict[str, list[str]] = {}
    new: dict[tuple[str, str, str], NewOrganization] = {}
    valid = []
    for row in rows:
        if allowed is not None and province_key(row.province) not in allowed:
            report.errors.append(RowError(row.row, header.written["province"], _("This is outside your oversight.")))
        elif len(index.get(row.key, [])) > 1:
            report.errors.append(RowError(row.row, header.written["organization"], _(
                "%(count)s organizations of this name, kind and province exist; merge them first.")
                % {"count": len(index[row.key])}))
        elif row.key not in index and not create_organizations:
            if candidates is None:  # only the organizations the user may see are offered
                candidates = [organization for found in index.values() for organization in found
                              if allowed is None or province_key(organization.province) in allowed]
            if row.organization not in suggested:
                suggested[row.organization] = closest_organizations(name=row.organization, candidates=candidates)
            names = suggested[row.organization]
            message = _("No organization of this name, kind and province is held in the portal.")
            if names:
                message += " " + _("Closest names: %(names)s.") % {"names": "; ".join(names)}
            message += " " + _("If it is a new organization, tick “Create the organizations the portal does not "
                               "hold” (the command: --create-organizations) and import again.")
            report.errors.append(RowError(row.row, header.written["organization"], message))
        else:
            if row.key not in index and row.key not in new:
                new[row.key] = NewOrganization(row.row, row.organization, str(OrganizationKind(row.kind).label),
                                               row.province)
            valid.append(row)
    report.new_organizations = list(new.values())
    return valid


# The reading machinery, for the other imports of the portal (``oit.results_import``): one home for typing cells.
read_header = _read_header
RowReader = _RowReader
is_blank = _is_blank
control_character_message = _control_character_message


# --- Writing --------------------------------------------------------------------------------------------------


def scores_import(*, content: bytes, filename: str = "", provinces: frozenset[str] | None = None,
                  dry_run: bool = False, valid_only: bool = False, replace: bool = False,
                  create_organizations: bool = False) -> ImportReport:
    """Import the published scores of the file ``content`` (CSV or XLSX).

    ``provinces``: the provinces the user oversees (rows elsewhere are errors, "อยู่นอกขอบเขตการกำกับดูแลของท่าน");
    None for the whole country (superusers, national overseers, the command). ``dry_run``: do everything, report
    it, save nothing. ``valid_only``: import the valid rows even when others are invalid (else nothing is saved
    when a row is invalid; errors of the file or its header always stop everything). ``replace``: overwrite an
    organization's own indicator scores when they differ (else the row is reported as a conflict and left
    unchanged).

    Organizations are matched by kind, name without its kind prefix and province (``organizations.naming``). An
    organization the portal does not hold is an error with the closest existing names as suggestions, unless
    ``create_organizations``: then it is created (and listed in ``report.new_organizations``, in a dry run too).
    Blank cells leave stored values as they are, so importing the same file again changes nothing. The
    computed scores, ranks and summaries of the touched years are refreshed once (``services.scores_refresh``).
    One transaction. Returns an ``ImportReport``; raises nothing for a bad file (its errors are in the report).
    """
    report = ImportReport(dry_run=dry_run)
    frameworks = {f.fiscal_year: f for f in Framework.objects.prefetch_related("tools", "indicators__tool",
                                                                               "level_rules")}
    try:
        rows, header = parse_rows(iter_table(content, filename), report, frameworks)
    except FileError as error:  # unreadable, or over a limit (then the errors of the rows read so far are moot)
        report.errors[:] = [RowError(0, "", str(error))]
        report.ignored_columns.clear()
        report.rows = 0
        report.refused = True
        return report
    index = organizations_by_name_key()
    if header is not None:
        rows = _check_organizations(rows, header, index, provinces, report, create_organizations)
    if any(error.row <= 1 for error in report.errors) or (report.errors and not valid_only):
        report.refused = True
        return report
    report.skipped = len({error.row for error in report.errors})
    with transaction.atomic():
        touched = _write(rows, frameworks, index, replace, report)
        if report.errors and not valid_only:  # a row refused by the models' own checks while writing
            transaction.set_rollback(True)
            report.created = report.updated = report.unchanged = report.organizations_created = report.skipped = 0
            report.conflicts.clear()
            report.refused = True
            return report
        if dry_run:
            transaction.set_rollback(True)
        else:
            if touched:
                scores_refresh(fiscal_years=sorted(touched))
            report.saved = True
    return report


def _write(rows: list[ScoreRow], frameworks: dict[int, Framework], index: dict, replace: bool,
           report: ImportReport) -> set[int]:
    """Write each row through ``assessment_scores_set``; returns the fiscal years where something changed."""
    stored = _stored_assessments(rows, index)
    touched: set[int] = set()
    for row in rows:
        try:
            outcome = _write_row(row, frameworks[row.fiscal_year], index, stored, replace, report)
        except ScoreConflict as conflict:
            report.conflicts.append(Conflict(row.row, row.organization, row.fiscal_year, conflict.differences))
            continue
        except ValidationError as error:
            report.errors.extend(RowError(row.row, "", message) for message in error.messages)
            report.skipped += 1
            continue
        if outcome == ScoresOutcome.CREATED:
            report.created += 1
        elif outcome == ScoresOutcome.UPDATED:
            report.updated += 1
        else:
            report.unchanged += 1
        if outcome != ScoresOutcome.UNCHANGED:
            touched.add(row.fiscal_year)
    return touched


def _write_row(row: ScoreRow, framework: Framework, index: dict, stored: dict, replace: bool,
               report: ImportReport) -> ScoresOutcome:
    """One row: the scores of the matched organization, or a new organization with its scores (both or neither)."""
    def scores_set(organization: Organization) -> ScoresOutcome:
        return assessment_scores_set(
            organization=organization, fiscal_year=row.fiscal_year, framework=framework,
            indicator_scores=row.indicator_scores, published=row.published, replace=replace, refresh=False,
            stored=stored.get((organization.pk, row.fiscal_year)))[1]

    found = index.get(row.key)
    if found:
        return scores_set(found[0])
    with transaction.atomic():
        organization = organization_create(name=row.organization, kind=row.kind, province=row.province,
                                           amphoe=row.amphoe)
        outcome = scores_set(organization)
    index[row.key] = [organization]
    report.organizations_created += 1
    return outcome


def _stored_assessments(rows: list[ScoreRow], index: dict, chunk: int = 500) -> dict[tuple[int, int], Assessment]:
    """The stored assessments of the rows' existing organizations, by (organization id, fiscal year), read in
    chunks (three queries per 500 organizations) rather than row by row."""
    organization_ids = sorted({index[row.key][0].pk for row in rows if row.key in index})
    years = sorted({row.fiscal_year for row in rows})
    stored = {}
    for start in range(0, len(organization_ids), chunk):
        for assessment in assessments_with_scores(organization_ids=organization_ids[start:start + chunk],
                                                  fiscal_years=years):
            stored[assessment.organization_id, assessment.fiscal_year] = assessment
    return stored
