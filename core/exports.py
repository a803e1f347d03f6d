"""Table exports (CSV, XLSX) of the lists: one shape, safe to open in a spreadsheet.

The lists can hold the whole country (the measure list: 660 k rows for 8,300 organizations × 8 years), so they
export through ``stream_csv`` / ``xlsx_file``, which take rows as they are read, a chunk of the queryset at a time,
and never hold more than one chunk (issue 9: constant memory as rows grow). Each table gives its rows as plain text
in the order of its columns (``MeasureTable.export_rows``, ``OverviewTable.export_rows``).
"""
import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

EXPORT_CHUNK = 2000  # rows read (and prefetched) at a time

# A cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula; other values as they
    are ("=1+1" → "'=1+1", 2568 → 2568)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


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
