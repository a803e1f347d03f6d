"""Table exports (CSV, XLSX) of the lists: one shape, safe to open in a spreadsheet."""
from django_tables2.export import TableExport
from tablib import Dataset

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
