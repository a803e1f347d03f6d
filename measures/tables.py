from collections.abc import Iterator
from itertools import batched

import django_tables2 as tables
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.exports import EXPORT_CHUNK, neutralise
from core.tables import LeanTable

from .choices import Status, latest_status_label
from .models import Measure
from .selectors import owners_and_indicators
from .templatetags.measure_tags import describe_owners, describe_timeframe, status_badge

# Sorting by status follows the course of a measure: nothing reported, reported without status, not started,
# in progress, done.
STATUS_ORDER = Case(
    When(latest_status="", then=Value(1)),
    When(latest_status=Status.NOT_STARTED, then=Value(2)),
    When(latest_status=Status.IN_PROGRESS, then=Value(3)),
    When(latest_status=Status.DONE, then=Value(4)),
    default=Value(0),
    output_field=IntegerField(),
)


class MeasureTable(LeanTable):
    """The measure list. Rows are the dicts of ``measure_rows(measures_for_user(…))`` (stored ``latest_status``,
    annotated ``overdue``); the page's owners and indicators are read once, by ``owners_and_indicators``. Every
    sort ends with ``pk`` so that pages are stable. Exports (CSV, XLSX) have the same columns, as plain text,
    from ``export_rows`` (streamed: django-tables2's per-cell work is too slow for the whole country)."""

    organization = tables.Column(
        accessor="plan__organization__name", verbose_name=_("Organization"),
        order_by=("plan__organization__name", "-plan__fiscal_year", "number", "pk"),
    )
    fiscal_year = tables.Column(
        accessor="plan__fiscal_year", verbose_name=_("Fiscal year"),
        order_by=("plan__fiscal_year", "plan__organization__name", "number", "pk"),
    )
    number = tables.Column(order_by=("number", "pk"))
    title = tables.Column(verbose_name=_("Measure"), order_by=("title", "pk"))
    indicators = tables.Column(empty_values=(), orderable=False, verbose_name=_("Indicators"))
    owners = tables.Column(empty_values=(), orderable=False, verbose_name=_("Owners"))
    timeframe = tables.Column(accessor="timeframe_end", verbose_name=_("Timeframe"), order_by=("timeframe_end", "pk"))
    status = tables.Column(accessor="latest_status", empty_values=(), verbose_name=_("Latest status"))
    overdue = tables.Column(verbose_name=_("Overdue"), order_by=("overdue", "pk"))

    class Meta:
        model = Measure
        fields = ["number", "title"]
        empty_text = _("No measures match the filters.")
        sequence = [
            "organization", "fiscal_year", "number", "title", "indicators", "owners", "timeframe", "status", "overdue"
        ]
        attrs = {"class": "table"}

    def render_title(self, record: dict, value: str) -> SafeString:
        url = self.url_for("measures:plan_detail", record["plan__organization__slug"], record["plan__fiscal_year"])
        return format_html('<a href="{}#measure-{}">{}</a>', url, record["number"], value)

    def _page_links(self) -> tuple[dict[int, list[str]], dict[int, list[tuple[int, str]]]]:
        """``owners_and_indicators`` of the rows on this page (of every row when the table is not paginated),
        read once per table: two queries."""
        if "_links" not in self.__dict__:
            self._links = owners_and_indicators([row.record["pk"] for row in self.paginated_rows])
        return self._links

    def render_indicators(self, record: dict) -> str:
        return ", ".join(str(number) for number, _name in self._page_links()[1].get(record["pk"], ())) or "–"

    def render_owners(self, record: dict) -> str:
        return describe_owners(self._page_links()[0].get(record["pk"], []), record["owner_note"])

    def render_timeframe(self, record: dict) -> str:
        return describe_timeframe(text=record["timeframe_text"], start=record["timeframe_start"],
                                  end=record["timeframe_end"]) or "–"

    def render_status(self, value: str | None) -> SafeString:
        return status_badge(value)

    def order_status(self, queryset: QuerySet[Measure], is_descending: bool) -> tuple[QuerySet[Measure], bool]:
        queryset = queryset.annotate(status_order=STATUS_ORDER)
        if is_descending:
            return queryset.order_by("-status_order", "-pk"), True
        return queryset.order_by("status_order", "pk"), True

    def render_overdue(self, value: bool) -> SafeString | str:
        return format_html('<span class="badge overdue">{}</span>', _("Overdue")) if value else ""

    @classmethod
    def export_headers(cls) -> list[str]:
        """The column headers of the exports: the table's own, in its order."""
        return [str(column.header) for column in cls(Measure.objects.none().values()).columns]

    @classmethod
    def export_rows(cls, queryset: QuerySet[Measure]) -> Iterator[list]:
        """Each measure of ``queryset`` (in its order) as the exports print it: organization, fiscal year, number,
        title, indicators ("1. …; 9. …"), owners (departments, then the other owners), timeframe, latest status
        and overdue, as plain text, every cell neutralised for spreadsheets.

        Reads plain values ``EXPORT_CHUNK`` measures at a time, with one query each for the chunk's owners and
        indicators, and builds no model objects: the whole country (660 k measures) streams in constant memory
        (the ORM's objects and prefetches made it 3,300 rows/s)."""
        rows = queryset.prefetch_related(None).values_list(
            "pk", "plan__organization__name", "plan__fiscal_year", "number", "title", "owner_note",
            "timeframe_start", "timeframe_end", "timeframe_text", "latest_status", "overdue")
        yes, no = str(_("Yes")), str(_("No"))
        labels: dict[str | None, str] = {}
        for chunk in batched(rows.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
            ids = [row[0] for row in chunk]
            owners, indicators = owners_and_indicators(ids)
            for pk, organization, year, number, title, note, start, end, text, status, overdue in chunk:
                if status not in labels:
                    labels[status] = str(latest_status_label(status))
                yield [neutralise(value) for value in (
                    organization, year, number, title, "; ".join(f"{n}. {name}" for n, name in indicators.get(pk, ())),
                    describe_owners(owners.get(pk, []), note),
                    describe_timeframe(text=text, start=start, end=end) or "–", labels[status],
                    yes if overdue else no)]
