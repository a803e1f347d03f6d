"""Template filters of measure pages: ``status_badge``, ``timeframe``."""
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ita_portal.thai import thai_date_range
from measures.choices import latest_status_label

register = template.Library()


@register.filter
def status_badge(status: str | None) -> SafeString:
    """``{{ measure.latest_status|status_badge }}`` → ``<span class="status status-done">…</span>`` with the
    translated label (see ``latest_status_label``); the class is ``status-none`` when no status is stated."""
    return format_html('<span class="status status-{}">{}</span>', status or "none", latest_status_label(status))


@register.filter
def timeframe(measure) -> str:
    """``{{ measure|timeframe }}``: the timeframe as written, else its dates ("1 ต.ค. 2567 – 30 ก.ย. 2568",
    Arabic digits), else ""."""
    if measure.timeframe_text:
        return measure.timeframe_text
    return thai_date_range(measure.timeframe_start, measure.timeframe_end, thai_digits=False)
