"""One home for the CSV/XLSX branch of the lists (issue 19 §2): ``core.exports``."""
import pytest
from django.test import RequestFactory

from core.exports import ExportMixin, export_format, export_response
from measures.views import MeasureListView
from memos.views import RegisterView


def test_the_list_views_export_through_the_mixin():
    assert issubclass(MeasureListView, ExportMixin) and issubclass(RegisterView, ExportMixin)


def test_only_csv_and_xlsx_are_exports():
    factory = RequestFactory()
    assert [export_format(factory.get("/", {"_export": value})) for value in ("csv", "xlsx", "pdf", "")] == [
        "csv", "xlsx", None, None]
    assert export_format(factory.get("/")) is None


@pytest.mark.django_db  # on PostgreSQL the rows are read under the exports' statement limit (SET, then RESET)
def test_the_response_follows_the_format():
    csv = export_response(export="csv", headers=["a"], rows=[["b"]], filename="x.csv")
    assert b"".join(csv.streaming_content) == "\ufeffa\r\nb\r\n".encode()
    assert csv["Content-Disposition"] == 'attachment; filename="x.csv"'
    xlsx = export_response(export="xlsx", headers=["a"], rows=[["b"]], filename="x.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
