"""Reading a table file that a user uploads (CSV or XLSX) into rows of cell values, whatever program wrote it;
the counterpart of ``exports.py``. Used by the score import (``assessments.importers``).

The rows are streamed, never read into a list first, and counted against ``TableLimits`` (settings
``IMPORT_MAX_BYTES``, ``IMPORT_MAX_XLSX_BYTES``, ``IMPORT_MAX_ROWS``, ``IMPORT_MAX_CELLS``; docs/imports-and-input.md):
a 0.9 MB XLSX that unpacks to 6.1 million rows kept the import busy 136–170 s before (issue 18 §8); it is now refused
before it is parsed, by the sizes its zip declares, and any file is refused as soon as it passes a row or cell
limit."""
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils.escape import unescape
from openpyxl.utils.exceptions import InvalidFileException


class FileError(ValueError):
    """The file cannot be read as a table at all (not UTF-8, a broken XLSX, an old .xls, over a limit …); its
    message is in Thai."""


@dataclass(frozen=True)
class TableLimits:
    """What a file may hold: ``bytes`` as uploaded, ``xlsx_bytes`` unpacked (the sum of the sizes the XLSX's zip
    declares for its members; ``zipfile`` refuses a member longer than declared), ``rows`` (blank rows included)
    and ``cells`` (every cell of every row, blank ones included)."""

    rows: int
    cells: int
    bytes: int
    xlsx_bytes: int

    @classmethod
    def from_settings(cls) -> "TableLimits":
        """The limits of the settings (environment ``ITA_IMPORT_MAX_ROWS`` … ; docs/imports-and-input.md)."""
        return cls(rows=settings.IMPORT_MAX_ROWS, cells=settings.IMPORT_MAX_CELLS, bytes=settings.IMPORT_MAX_BYTES,
                   xlsx_bytes=settings.IMPORT_MAX_XLSX_BYTES)


def _megabytes(size: int) -> str:
    return f"{size / 1048576:g}"


def iter_table(content: bytes, filename: str = "", *, limits: TableLimits | None = None) -> Iterator[list[object]]:
    """The rows of the file's first sheet, one list of cell values at a time: ``str`` for CSV; ``str``, ``int``,
    ``float`` or None for XLSX (Excel's escapes of control characters, ``_x0000_``, decoded). XLSX is recognised by
    its content (a ZIP), anything else is read as CSV, UTF-8 with or without a BOM, separated by commas (or
    semicolons or tabs, whichever the header row uses most).

    Raises ``FileError`` with a Thai message when the file cannot be read or passes one of ``limits`` (default:
    the settings) — before the first row for the file's size and an XLSX's unpacked size, while iterating for rows
    and cells (the rows already yielded are then to be dropped)."""
    limits = limits or TableLimits.from_settings()
    if len(content) > limits.bytes:
        raise FileError(_("The file is larger than %(limit)s MB, the limit; split it into several files and import "
                          "them one by one.") % {"limit": _megabytes(limits.bytes)})
    if content.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: the binary .xls of Excel 97–2003
        raise FileError(_("Old .xls files cannot be read; save the file as XLSX or as CSV UTF-8."))
    if content.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        _refuse_if_unpacked_too_large(content, limits)
        _refuse_if_too_many_xml_rows(content, limits)
        return _counted(_xlsx_rows(content), limits)
    text = _decoded(content)
    for _row in _counted(_csv_rows(text), limits):  # a first pass that only counts (C speed): refused before
        pass                                          # a single row is typed
    return _counted(_csv_rows(text), limits)


def read_table(content: bytes, filename: str = "", *, limits: TableLimits | None = None) -> list[list[object]]:
    """``iter_table`` as a list (small files, tests)."""
    return list(iter_table(content, filename, limits=limits))


def _counted(rows: Iterable[list[object]], limits: TableLimits) -> Iterator[list[object]]:
    row_count = cell_count = 0
    for row in rows:
        row_count += 1
        cell_count += len(row)
        _refuse_over(row_count, cell_count, limits)
        yield row


def _decoded(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(_("The file is not UTF-8 text; save it as XLSX or as “CSV UTF-8”.")) from None


def _csv_rows(text: str) -> Iterator[list[str]]:
    first_line = text.partition("\n")[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:  # a field longer than csv.field_size_limit() (128 kB)
        raise FileError(_("This CSV file cannot be read.")) from None


def _xlsx_rows(content: bytes) -> Iterator[list[object]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, SyntaxError):
        raise FileError(_("This XLSX file cannot be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        # The <dimension> the file declares is not trusted: "A1:XFD1048576" would make openpyxl pad every row to
        # 16,384 cells and add empty rows up to 1,048,576. Without it, rows are as wide as their last cell.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            yield [unescape(value) if isinstance(value, str) and "_x" in value else value for value in row]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):  # damaged while streaming
        raise FileError(_("This XLSX file cannot be read.")) from None
    finally:
        workbook.close()


def _refuse_if_unpacked_too_large(content: bytes, limits: TableLimits) -> None:
    """Refuse an XLSX whose members unpack to more than ``limits.xlsx_bytes``, from the sizes its zip declares
    (read from the central directory, nothing is unpacked); ``zipfile`` stops at the declared size, so a member
    that declares less than it holds cannot get past."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileError(_("This XLSX file cannot be read.")) from None
    if unpacked > limits.xlsx_bytes:
        raise FileError(_("This XLSX file unpacks to more than %(limit)s MB, the limit; split it into several files "
                          "and import them one by one.") % {"limit": _megabytes(limits.xlsx_bytes)})


# A row and a cell element of SpreadsheetML (ECMA-376 §18.3.1.73 row, §18.3.1.4 c), with or without a prefix.
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def _refuse_if_too_many_xml_rows(content: bytes, limits: TableLimits) -> None:
    """Count the row and cell elements of the worksheets' XML as it unpacks (about 0.3 s for 50,000 rows of 22
    cells) and refuse the file over ``limits`` before openpyxl parses a row (about 7 s for the same rows).
    The rows openpyxl adds for gaps in the numbering are counted by ``_counted`` while streaming."""
    rows = cells = 0
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for member in archive.infolist():
                if "worksheets/" not in member.filename or not member.filename.endswith(".xml"):
                    continue
                with archive.open(member) as sheet:
                    tail = b""
                    while chunk := sheet.read(1 << 20):
                        buffer = tail + chunk
                        rows += sum(1 for m in _ROW.finditer(buffer) if m.end() > len(tail))
                        cells += sum(1 for m in _CELL.finditer(buffer) if m.end() > len(tail))
                        tail = buffer[-32:]
                        _refuse_over(rows, cells, limits)
    except FileError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileError(_("This XLSX file cannot be read.")) from None


def _refuse_over(rows: int, cells: int, limits: TableLimits) -> None:
    if rows > limits.rows:
        raise FileError(_("The file has more than %(limit)s rows, the limit; split it into several files and "
                          "import them one by one.") % {"limit": f"{limits.rows:,}"})
    if cells > limits.cells:
        raise FileError(_("The file has more than %(limit)s cells, the limit; split it into several files and "
                          "import them one by one.") % {"limit": f"{limits.cells:,}"})


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing ".0" (XLSX stores 2568 as 2568.0), spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# Tab, line feed and carriage return are white space in a cell (``cell_text`` turns them into one space); every other
# control character (Unicode category Cc: U+0000–U+001F, U+007F–U+009F) is refused. NUL cannot be stored by
# PostgreSQL at all (a traceback before), and SQLite stored it.
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def control_character(value: object) -> str | None:
    """The first control character of a text cell, written "U+0000", or None. Tab, line feed and carriage return
    are allowed (they are white space)."""
    if not isinstance(value, str):
        return None
    for character in value:
        if unicodedata.category(character) == "Cc" and character not in _ALLOWED_CONTROLS:
            return f"U+{ord(character):04X}"
    return None
