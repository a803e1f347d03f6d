"""Template filters and tags of measure pages: ``status_badge``, ``timeframe``, ``approval_record``."""
import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.thai import thai_date_range
from measures.choices import latest_status_label
from measures.selectors import approval_record as _approval_record

register = template.Library()


@register.filter
def status_badge(status: str | None) -> SafeString:
    """``{{ measure.latest_status|status_badge }}`` → ``<span class="status status-done">…</span>`` with the
    translated label (see ``latest_status_label``); the class is ``status-none`` when no status is stated."""
    return format_html('<span class="status status-{}">{}</span>', status or "none", latest_status_label(status))


@register.simple_tag
def approval_record(item):
    """``{% approval_record plan as events %}``: the approvals and reopenings of a plan or report, oldest first
    (``measures.selectors.approval_record``)."""
    return _approval_record(item=item)


@register.filter
def timeframe(measure) -> str:
    """``{{ measure|timeframe }}``: the timeframe as written, else its dates ("1 ต.ค. 2567 – 30 ก.ย. 2568",
    Arabic digits), else ""."""
    return describe_timeframe(text=measure.timeframe_text, start=measure.timeframe_start, end=measure.timeframe_end)


def describe_timeframe(*, text: str, start: dt.date | None, end: dt.date | None) -> str:
    """A measure's timeframe as lists and exports print it: ``text`` as written when there is one, else the dates
    ("1 ต.ค. 2567 – 30 ก.ย. 2568", Arabic digits, ``thai_date_range``), else ""."""
    if text:
        return text
    return thai_date_range(start, end, thai_digits=False)


def describe_owners(departments: list[str], note: str) -> str:
    """A measure's owners as lists and exports print them: the departments' names, then the other owners
    (``owner_note``), comma-separated; "–" when there are none."""
    return ", ".join([*departments, note] if note else departments) or "–"
