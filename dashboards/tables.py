import django_tables2 as tables
from django.db.models import F, QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ita_portal.tables import LeanTable
from ita_portal.templatetags.thai import score
from organizations.models import Organization


def _nulls_last(name: str):
    """An ``order_<name>`` method: ascending or descending, organizations without a value last, then by name."""

    def order(self, queryset: QuerySet, is_descending: bool):
        expression = F(name).desc(nulls_last=True) if is_descending else F(name).asc(nulls_last=True)
        return queryset.order_by(expression, "name", "pk"), True

    return order


def done_share(record) -> str:
    """"9/12 (75 %)": measures done of the plan of the year, or "–" without measures."""
    if not record.measure_count:
        return "–"
    return f"{record.done_count}/{record.measure_count} ({round(100 * record.done_count / record.measure_count)} %)"


class OverviewTable(LeanTable):
    """The overview: organizations in scope with their result of one fiscal year (``overview_rows`` +
    ``with_measure_counts``). Sorts end with name and ``pk``; organizations without a result sort last.
    Exports have the same columns as plain text (``export_row``)."""

    name = tables.Column(verbose_name=_("Organization"), order_by=("name", "pk"))
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind", "name", "pk"))
    amphoe = tables.Column(verbose_name=_("District (amphoe)"), order_by=("amphoe", "name", "pk"))
    province = tables.Column(verbose_name=_("Province"), order_by=("province", "name", "pk"))
    ita = tables.Column(verbose_name=_("ITA score"), attrs={"td": {"class": "num"}})
    level = tables.Column(verbose_name=_("Level"))
    change = tables.Column(verbose_name=_("Change from the previous year"), attrs={"td": {"class": "num"}})
    rank_in_kind = tables.Column(verbose_name=_("Rank within the kind"), attrs={"td": {"class": "num"}})
    rank_in_province = tables.Column(verbose_name=_("Rank within the province"), attrs={"td": {"class": "num"}})
    done = tables.Column(empty_values=(), orderable=False, verbose_name=_("Measures done"))
    overdue_count = tables.Column(orderable=False, verbose_name=_("Overdue measures"),
                                  attrs={"td": {"class": "num"}})

    order_ita = _nulls_last("ita")
    order_level = _nulls_last("level")
    order_change = _nulls_last("change")
    order_rank_in_kind = _nulls_last("rank_in_kind")
    order_rank_in_province = _nulls_last("rank_in_province")

    class Meta:
        model = Organization
        fields = []
        sequence = ["name", "kind", "amphoe", "province", "ita", "level", "change", "rank_in_kind",
                    "rank_in_province", "done", "overdue_count"]
        empty_text = _("No organizations match the filters.")
        attrs = {"class": "table overview"}

    def render_name(self, record: Organization, value: str) -> SafeString:
        return format_html('<a href="{}">{}</a>', self.url_for("dashboards:organization_dashboard", record.slug),
                           value)

    def render_kind(self, record: Organization) -> str:
        return record.get_kind_display()

    def render_ita(self, value) -> str:
        return score(value)

    def render_change(self, value) -> str:
        return f"{value:+.2f}"

    def render_done(self, record) -> str:
        return done_share(record)

    def render_overdue_count(self, value: int) -> SafeString | str:
        return format_html('<span class="badge overdue">{}</span>', value) if value else "0"

    @classmethod
    def export_headers(cls) -> list[str]:
        return [str(column.header) for column in cls(Organization.objects.none()).columns]

    @classmethod
    def export_row(cls, record: Organization) -> list:
        """One organization as the exports print it (numbers as numbers, blanks for missing results)."""
        return [
            record.name, str(record.get_kind_display()), record.amphoe, record.province,
            record.ita, record.level, record.change, record.rank_in_kind, record.rank_in_province,
            done_share(record), record.overdue_count,
        ]
