"""Table exports (CSV, XLSX) of the lists: one shape, safe to open in a spreadsheet.

The lists can hold the whole country (the measure list: 660 k rows for 8,300 organizations × 8 years), so they
export through ``stream_csv`` / ``xlsx_file``, which take rows as they are read, a chunk of the queryset at a time,
and never hold more than one chunk (issue 9: constant memory as rows grow). Each table gives its rows as plain text
in the order of its columns (``MeasureTable.export_rows``, ``OverviewTable.export_rows``).
"""
import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from core.db import statement_timeout
from core.thai import thai_date

EXPORT_CHUNK = 2000  # rows read (and prefetched) at a time
EXPORT_PARAM = "_export"  # ?_export=csv|xlsx on a list (django-tables2's {% export_url %} writes it)
EXPORT_FORMATS = ("csv", "xlsx")

# A cell starting with one of these is read as a formula by spreadsheets (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula; other values as they
    are ("=1+1" → "'=1+1", 2568 → 2568)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_text(text: str) -> str:
    """``neutralise`` for a value known to be text (the long exports call it for each cell of 660 k rows)."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def export_date(day: dt.date | None) -> str:
    """A date as every export writes it: the Buddhist-era date as the pages show it, Arabic digits ("5 มีนาคม 2568"
    for 2025-03-05; "" for None), beside the Buddhist-era years of the same rows. Text, not a spreadsheet date: a
    spreadsheet would read "5/3/2568" as a Christian-era year or swap day and month; ``core.thai.parse_thai_date``
    reads it back."""
    return thai_date(day, thai_digits=False)


class _Echo:
    """A file-like object whose ``write`` returns what it is given (the csv module's streaming idiom)."""

    def write(self, value: str) -> str:
        return value


def streamed(queryset) -> Iterator:
    """The rows of ``queryset``, read ``EXPORT_CHUNK`` at a time, the first ones before the query has read the last.

    On PostgreSQL ``iterator()`` reads through a server-side cursor; outside a transaction Django declares it
    ``WITH HOLD``, and PostgreSQL then computes the whole result before the first row (for the country's measures:
    the sorted 660 k rows, every subquery of every row). Inside a transaction (held while the rows are read: one
    read, no locks taken) the cursor streams from a fast-start plan (cursor_tuple_fraction). Closing the generator
    early (the client went away) ends the transaction. No savepoint inside another transaction (a read: nothing to
    undo)."""
    with transaction.atomic(savepoint=False):
        yield from queryset.iterator(chunk_size=EXPORT_CHUNK)


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


def export_format(request: HttpRequest) -> str | None:
    """The export a list's request asks for (``?_export=csv|xlsx``), or None for the page itself."""
    export = request.GET.get(EXPORT_PARAM)
    return export if export in EXPORT_FORMATS else None


def with_export_timeout(rows: Iterable[list]) -> Iterator[list]:
    """``rows``, read with the longer statement limit of exports (settings.EXPORT_STATEMENT_TIMEOUT_SECONDS, 100 s:
    a country-wide export reads for tens of seconds) instead of a web request's; the request's own limit again once
    the last row is read or the download is dropped (issue 23 §5)."""
    with statement_timeout(seconds=settings.EXPORT_STATEMENT_TIMEOUT_SECONDS):
        yield from rows


def export_response(*, export: str, headers: list[str], rows: Iterable[list], filename: str) -> HttpResponse:
    """The download of ``export`` ("csv": ``stream_csv``, "xlsx": ``xlsx_file``), its rows read under the
    exports' statement limit (``with_export_timeout``)."""
    rows = with_export_timeout(rows)
    if export == "csv":
        return stream_csv(headers=headers, rows=rows, filename=filename)
    return xlsx_file(headers=headers, rows=rows, filename=filename)


class ExportMixin:
    """The CSV/XLSX export of a list view (``SingleTableMixin``): ``?_export=csv|xlsx`` answers with every row of
    the filter in the table's sort order (no paging), as ``export_headers`` and ``export_rows`` give them. A view
    may refuse an export (``export_refused``: a response instead of the file)."""

    export_trigger_param = EXPORT_PARAM  # read by django-tables2's {% export_url %}

    def export_filename(self, export: str) -> str:
        raise NotImplementedError

    def export_headers(self) -> list[str]:
        return self.table_class.export_headers()

    def export_rows(self, records) -> Iterable[list]:
        return self.table_class.export_rows(records)

    def export_refused(self, export: str, records) -> HttpResponse | None:
        return None

    def get_table_pagination(self, table):
        # An export holds every row: paging it would only cost queries.
        return False if EXPORT_PARAM in self.request.GET else super().get_table_pagination(table)

    def render_to_response(self, context, **response_kwargs):
        export = export_format(self.request)
        if export is None:
            return super().render_to_response(context, **response_kwargs)
        records = context["table"].data.data  # the filtered queryset in the table's sort order
        headers = self.export_headers()
        refused = self.export_refused(export, records)
        if refused is not None:
            return refused
        return export_response(export=export, headers=headers, rows=self.export_rows(records),
                               filename=self.export_filename(export))
