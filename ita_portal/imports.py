"""Reading a table file that a user uploads (CSV or XLSX) into rows of cell values, whatever program wrote it;
the counterpart of ``exports.py``. Used by the score import (``assessments.importers``)."""
import csv
import io
import zipfile

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException


class FileError(ValueError):
    """The file cannot be read as a table at all (not UTF-8, a broken XLSX, an old .xls …)."""


def read_table(content: bytes, filename: str = "") -> list[list[object]]:
    """The rows of the file's first sheet as lists of cell values: ``str`` for CSV; ``str``, ``int``, ``float``
    or None for XLSX. XLSX is recognised by its content (a ZIP), anything else is read as CSV, UTF-8 with or
    without a BOM, separated by commas (or semicolons or tabs, whichever the header row uses most).
    Raises ``FileError`` with a Thai message."""
    if content.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: the binary .xls of Excel 97–2003
        raise FileError(_("Old .xls files cannot be read; save the file as XLSX or as CSV UTF-8."))
    if content.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(_("The file is not UTF-8 text; save it as XLSX or as “CSV UTF-8”.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _read_xlsx(content: bytes) -> list[list[object]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileError(_("This XLSX file cannot be read.")) from None
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing ".0" (XLSX stores 2568 as 2568.0), spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())
