import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ita_portal.thai import thai_date_range

from .models import Measure


class MeasureTable(tables.Table):
    organization = tables.Column(accessor="plan__organization__name", verbose_name=_("Organization"))
    fiscal_year = tables.Column(accessor="plan__fiscal_year", verbose_name=_("Fiscal year"))
    title = tables.Column(verbose_name=_("Measure"))
    owners = tables.Column(empty_values=(), orderable=False, verbose_name=_("Owners"))
    timeframe = tables.Column(accessor="timeframe_end", verbose_name=_("Timeframe"))

    class Meta:
        model = Measure
        fields = ["organization", "fiscal_year", "number", "title", "owners", "timeframe"]
        attrs = {"class": "table"}

    def render_title(self, record: Measure, value: str):
        url = reverse("measures:plan_detail", args=[record.plan.organization.slug, record.plan.fiscal_year])
        return format_html('<a href="{}#measure-{}">{}</a>', url, record.number, value)

    def render_owners(self, record: Measure) -> str:
        names = [d.name for d in record.owners.all()]
        if record.owner_note:
            names.append(record.owner_note)
        return ", ".join(names) or "–"

    def render_timeframe(self, record: Measure) -> str:
        return record.timeframe_text or thai_date_range(record.timeframe_start, record.timeframe_end, thai_digits=False)
