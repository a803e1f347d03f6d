"""Table exports (CSV, XLSX) of the lists: one shape, safe to open in a spreadsheet.

Small lists export through django-tables2 (``SafeTableExport``). Lists that can hold the whole country (the
measure list: 660 k rows for 8,300 organizations × 8 years) export through ``stream_csv`` / ``xlsx_file``, which
read the queryset in chunks and never hold more than one chunk (issue 9: constant memory as rows grow).
"""
import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from django_tables2.export import TableExport
from openpyxl import Workbook
from tablib import Dataset

EXPORT_CHUNK = 2000  # rows read (and prefetched) at a time

# A cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula; other values as they
    are ("=1+1" → "'=1+1", 2568 → 2568)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    """django-tables2's export with every text cell neutralised, and CSV written with a UTF-8 byte order mark
    so that Excel reads the Thai text as UTF-8."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None) -> Dataset:
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = Dataset(title=dataset.title, headers=dataset.headers)
        for row in dataset:
            safe.append([neutralise(value) for value in row])
        return safe

    def export(self) -> str | bytes:
        content = super().export()
        return "\ufeff" + content if self.format == self.CSV else content


class _Echo:
    """A file-like object whose ``write`` returns what it is given (the csv module's streaming idiom)."""

    def write(self, value: str) -> str:
        return value


def export_rows(queryset, row: Callable[[object], list]) -> Iterator[list]:
    """``row(record)`` for each record of ``queryset``, read ``EXPORT_CHUNK`` at a time (prefetches run per
    chunk), every text cell neutralised."""
    for record in queryset.iterator(chunk_size=EXPORT_CHUNK):
        yield [neutralise(value) for value in row(record)]


def stream_csv(*, headers: list[str], rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """A CSV download (UTF-8 with a byte order mark, so that Excel reads Thai) written while ``rows`` are read:
    memory stays flat whatever the number of rows."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(headers)
        batch = []
        for values in rows:
            batch.append(writer.writerow(values))
            if len(batch) == EXPORT_CHUNK:  # one write to the client per chunk, not per row
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_file(*, headers: list[str], rows: Iterable[list], filename: str) -> FileResponse:
    """An XLSX download written row by row (openpyxl's write-only mode) into a temporary file, so memory stays
    flat; the caller limits the number of rows (a spreadsheet is no place for the whole country: use CSV)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
