from collections.abc import Iterator

import django_tables2 as tables
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from assessments.selectors import RankTotals, rank_text
from core.exports import neutralise, streamed
from core.pagination import NullsLastRows
from core.tables import LeanTable
from core.templatetags.thai import score
from organizations.models import Organization

from .overview import MeasureCounts, measure_counts, rank_totals_of_year, with_measure_counts

NO_MEASURES = MeasureCounts()


def _nulls_last(name: str):
    """An ``order_<name>`` method: ascending or descending, organizations without a value last, then by name."""

    def order(self, queryset: QuerySet, is_descending: bool):
        expression = F(name).desc(nulls_last=True) if is_descending else F(name).asc(nulls_last=True)
        return queryset.order_by(expression, "name", "pk"), True

    return order


def _indexed_nulls_last(name: str):
    """An ``order_<name>`` method for a column of the year's result that an index on (fiscal year, column) serves
    (``assessments.Assessment``'s indexes): the rows with a value in the index's order, then the others by name
    (``core.pagination.NullsLastRows``), so a page reads its own rows whatever the number of organizations."""

    def order(self, queryset: QuerySet | NullsLastRows, is_descending: bool):
        if isinstance(queryset, NullsLastRows):  # sorted again (the view, then RequestConfig): start from all rows
            queryset = queryset.whole
        value = F(name).desc() if is_descending else F(name).asc()
        return NullsLastRows(whole=queryset,
                             with_value=queryset.filter(**{f"{name}__isnull": False}).order_by(value, "name", "pk"),
                             without_value=queryset.filter(**{f"{name}__isnull": True}).order_by("name", "pk")), True

    return order


class OverviewTable(LeanTable):
    """The overview: organizations in scope with their result of ``fiscal_year`` (``overview_rows``) and the
    measures of their plan of that year (``measure_counts``, read once for the rows of the page), and their OIT
    checklist of that year (items ready of the total, dead links; stored counts). Sorts end with
    name and ``pk``; organizations without a result sort last. The page folds the kind, district and province
    into the name cell and prints each computed rank with how many it is out of ("3 จาก 120",
    ``assessments.selectors.rank_totals``: cached under the data's version); the exports keep every column, as plain
    values (``export_rows``)."""

    name = tables.Column(verbose_name=_("Organization"), order_by=("name", "pk"),
                         attrs={"th": {"class": "org"}, "td": {"class": "org"}})
    # Folded into the name cell on the page (issue 22 §7: the table must fit 1366 px); still sortable
    # (``?sort=province``) and still columns of the exports.
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "name", "pk"), visible=False)
    amphoe = tables.Column(verbose_name=_("District (amphoe)"), order_by=("amphoe", "name", "pk"), visible=False)
    province = tables.Column(verbose_name=_("Province"), order_by=("province", "name", "pk"), visible=False)
    ita = tables.Column(verbose_name=_("ITA score"), attrs={"td": {"class": "num"}})
    level = tables.Column(verbose_name=_("Level"))
    change = tables.Column(verbose_name=_("Change from the previous year"), attrs={"td": {"class": "num"}})
    rank_in_kind = tables.Column(verbose_name=_("Rank within the kind"), attrs={"td": {"class": "num"}})
    rank_in_province = tables.Column(verbose_name=_("Rank within the province"), attrs={"td": {"class": "num"}})
    done = tables.Column(empty_values=(), orderable=False, verbose_name=_("Measures done"))
    overdue_count = tables.Column(empty_values=(), orderable=False, verbose_name=_("Overdue measures"),
                                  attrs={"td": {"class": "num"}})
    oit_ready = tables.Column(verbose_name=_("OIT items ready"), attrs={"td": {"class": "num"}})
    oit_dead_links = tables.Column(verbose_name=_("OIT dead links"), attrs={"td": {"class": "num"}})

    order_ita = _indexed_nulls_last("ita")
    order_level = _indexed_nulls_last("level")
    order_change = _indexed_nulls_last("change")
    order_rank_in_kind = _nulls_last("rank_in_kind")
    order_rank_in_province = _nulls_last("rank_in_province")
    order_oit_ready = _nulls_last("oit_ready")
    order_oit_dead_links = _nulls_last("oit_dead_links")

    class Meta:
        model = Organization
        fields = []
        sequence = ["name", "kind", "amphoe", "province", "ita", "level", "change", "rank_in_kind",
                    "rank_in_province", "done", "overdue_count", "oit_ready", "oit_dead_links"]
        empty_text = _("No organizations match the filters.")
        attrs = {"class": "table overview"}

    def __init__(self, data, *args, fiscal_year: int, version: str | None = None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fiscal_year, self.version = fiscal_year, version

    def page_counts(self) -> dict[int, MeasureCounts]:
        """``measure_counts`` of the organizations on this page (of every row when not paginated), by organization
        id: one query, then kept (the table's columns and the overview's cached body read the same)."""
        if "_counts" not in self.__dict__:
            self._counts = measure_counts([row.record.pk for row in self.paginated_rows],
                                          fiscal_year=self.fiscal_year)
        return self._counts

    def _rank_totals(self) -> RankTotals:
        """How many organizations the ranks of the year are out of (``rank_totals``): one query per page, none when
        cached under the data's version (``version``, ``overview.rank_totals_of_year``)."""
        if "_totals" not in self.__dict__:
            self._totals = rank_totals_of_year(fiscal_year=self.fiscal_year, version=self.version)
        return self._totals

    def render_name(self, record: Organization, value: str) -> SafeString:
        """The name, linked to the dashboard, over a muted line: kind · district · province."""
        where = " · ".join(str(part) for part in (record.get_kind_display(), record.amphoe, record.province) if part)
        return format_html('<a href="{}">{}</a><span class="meta">{}</span>',
                           self.url_for("dashboards:organization_dashboard", record.slug), value, where)

    def render_rank_in_kind(self, record: Organization, value: int) -> str:
        return rank_text(value, self._rank_totals().in_kind(record.kind))

    def render_rank_in_province(self, record: Organization, value: int) -> str:
        return rank_text(value, self._rank_totals().in_province(record.province))

    def render_kind(self, record: Organization) -> str:
        return record.get_kind_display()

    def render_ita(self, value) -> str:
        return score(value)

    def render_change(self, value) -> str:
        return f"{value:+.2f}"

    def render_done(self, record: Organization) -> str:
        return self.page_counts().get(record.pk, NO_MEASURES).done_share

    def render_overdue_count(self, record: Organization) -> SafeString | str:
        overdue = self.page_counts().get(record.pk, NO_MEASURES).overdue
        return format_html('<span class="badge overdue">{}</span>', overdue) if overdue else "0"

    def render_oit_ready(self, record: Organization) -> str:
        """"20/26": items ready of the checklist's items ("–" without a checklist: the default for None)."""
        return f"{record.oit_ready}/{record.oit_total}"

    def render_oit_dead_links(self, value) -> SafeString | str:
        return format_html('<span class="badge overdue">{}</span>', value) if value else "0"

    @classmethod
    def export_headers(cls) -> list[str]:
        table = cls(Organization.objects.none(), fiscal_year=0)
        return [str(column.header) for column in table.columns.iterall()]

    @classmethod
    def export_rows(cls, queryset: QuerySet[Organization] | NullsLastRows, *, fiscal_year: int) -> Iterator[list]:
        """Each organization of ``queryset`` (in its order) as the exports print it (numbers as numbers, blanks
        for missing results, every text cell neutralised). One query (``_export_values``), each row's measure
        counts computed in it (``with_measure_counts``), read ``EXPORT_CHUNK`` rows at a time through a cursor that
        streams (``core.exports.streamed``): no model objects, no query per chunk (issue 23 §4)."""
        kinds = dict(Organization._meta.get_field("kind").flatchoices)
        for (name, kind, amphoe, province, ita, level, change, rank_in_kind, rank_in_province, total, done, overdue,
             oit_ready, oit_total, oit_dead_links) in streamed(_export_values(queryset, fiscal_year=fiscal_year)):
            measures = MeasureCounts(total, done, overdue)
            yield [neutralise(value) for value in (
                name, str(kinds.get(kind, kind)), amphoe, province, ita, level, change, rank_in_kind,
                rank_in_province, measures.done_share, measures.overdue,
                "" if oit_total is None else f"{oit_ready}/{oit_total}", oit_dead_links,
            )]


EXPORT_VALUES = ("name", "kind", "amphoe", "province", "ita", "level", "change", "rank_in_kind", "rank_in_province",
                 "measures_total", "measures_done", "measures_overdue", "oit_ready", "oit_total", "oit_dead_links")


def _export_values(queryset: QuerySet[Organization] | NullsLastRows, *, fiscal_year: int) -> QuerySet:
    """The rows of ``queryset`` in its order as tuples of ``EXPORT_VALUES``, in one query. A ``NullsLastRows`` (the
    page's two parts: the rows with a value, then the others by name) is exported as the one query of the same
    order: its first part's sort with the rows without a value last (``NULLS LAST``), then the same ties."""
    if isinstance(queryset, NullsLastRows):
        first, *rest = queryset.with_value.query.order_by
        queryset = queryset.whole.order_by(
            OrderBy(first.expression, descending=first.descending, nulls_last=True), *rest)
    return with_measure_counts(queryset, fiscal_year=fiscal_year).values_list(*EXPORT_VALUES)
