import html
from collections.abc import Iterator

import django_tables2 as tables
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.exports import neutralise, neutralise_text
from core.tables import LeanTable

from .choices import Status, latest_status_label
from .models import Measure
from .selectors import export_values, owners_and_indicators
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
        """The title, linked to the measure on its plan page; escaped with ``html.escape`` rather than
        ``format_html`` and ``SafeString`` rather than ``mark_safe``, whose lazy-argument checks were a third of the
        cell's time (50 a page)."""
        url = self.url_for("measures:plan_detail", record["plan__organization__slug"], record["plan__fiscal_year"])
        return SafeString(f'<a href="{html.escape(url)}#measure-{int(record["number"])}">{html.escape(value)}</a>')

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
        badges = self.__dict__.setdefault("_badges", {})  # one badge per status and page: 50 rows, five statuses
        if value not in badges:
            badges[value] = status_badge(value)
        return badges[value]

    def order_status(self, queryset: QuerySet[Measure], is_descending: bool) -> tuple[QuerySet[Measure], bool]:
        queryset = queryset.annotate(status_order=STATUS_ORDER)
        if is_descending:
            return queryset.order_by("-status_order", "-pk"), True
        return queryset.order_by("status_order", "pk"), True

    def render_overdue(self, value: bool) -> SafeString | str:
        if not value:
            return ""
        if "_overdue_badge" not in self.__dict__:
            self._overdue_badge = format_html('<span class="badge overdue">{}</span>', _("Overdue"))
        return self._overdue_badge

    @classmethod
    def export_headers(cls) -> list[str]:
        """The column headers of the exports: the table's own, in its order."""
        return [str(column.header) for column in cls(Measure.objects.none().values()).columns]

    @classmethod
    def export_rows(cls, queryset: QuerySet[Measure]) -> Iterator[list]:
        """Each measure of ``queryset`` (in its order) as the exports print it: organization, fiscal year, number,
        title, indicators ("1. …; 9. …"), owners (departments, then the other owners), timeframe, latest status
        and overdue, as plain text, every cell neutralised for spreadsheets.

        One query (``export_values``), its owners' and indicators' ids in its rows and their names looked up as they
        are first met, read ``EXPORT_CHUNK`` rows at a time (``core.exports.streamed``: a server-side cursor inside a
        transaction on PostgreSQL, so the first rows leave before the last are read): no model objects — the whole
        country (660 k measures) streams in constant memory (issue 23 §4: PostgreSQL built the whole sorted result
        before the first row, then two queries for each of 332 chunks; 34–54 s)."""
        yes, no = neutralise(str(_("Yes"))), neutralise(str(_("No")))
        labels: dict[str | None, str] = {}
        for organization, year, number, title, note, start, end, text, status, overdue, owners, indicators in (
                export_values(queryset)):
            if status not in labels:
                labels[status] = neutralise(str(latest_status_label(status)))
            # Numbers as they are; each text cell neutralised (``neutralise_text``: the same rule, for text only).
            yield [neutralise_text(organization), year, number, neutralise_text(title),
                   neutralise_text("; ".join(indicators)),
                   neutralise_text(describe_owners(owners, note)),
                   neutralise_text(describe_timeframe(text=text, start=start, end=end) or "–"), labels[status],
                   yes if overdue else no]
