"""Filters of the printed documents: ``doc`` (escaped text with Thai digits, line breaks and unbreakable
dates), ``doc_timeframe``, ``doc_owners`` and ``doc_date`` (thai-documents.md §3, §5.2)."""
import re

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.thai import MONTHS, MONTHS_ABBR, thai_date, thai_date_range, to_thai_digits

register = template.Library()

_MONTH = "|".join(re.escape(m) for m in sorted(MONTHS + MONTHS_ABBR, key=len, reverse=True))
# "๑ ตุลาคม ๒๕๖๖", "๓๐ ก.ย. ๒๕๖๙", "๓๑ มีนาคม พ.ศ. ๒๕๖๔", "ต.ค. ๒๕๖๕": never broken across lines (§5.2).
_DATE = re.compile(rf"(?:[๐-๙]{{1,2}}\s*)?(?:{_MONTH})\s*(?:พ\.ศ\.\s*)?[๐-๙]{{2,4}}")


def _nowrap_dates(escaped: str) -> str:
    return _DATE.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', escaped)


@register.filter
def doc(value: object) -> SafeString:
    """``{{ text|doc }}``: escaped, Arabic → Thai digits, dates kept on one line, line breaks as ``<br>``."""
    if value is None or value == "":
        return mark_safe("")
    escaped = str(conditional_escape(to_thai_digits(str(value))))
    return mark_safe(_nowrap_dates(escaped).replace("\n", "<br>"))


@register.filter
def doc_date(value) -> SafeString:
    """``{{ date|doc_date }}`` → ``<span class="nowrap">๓๑ มีนาคม ๒๕๖๔</span>``; "" for None."""
    return format_html('<span class="nowrap">{}</span>', thai_date(value)) if value else mark_safe("")


@register.filter
def doc_timeframe(measure) -> SafeString:
    """The measure's timeframe as written, else its dates ("๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙"), dates unbroken."""
    if measure.timeframe_text:
        return doc(measure.timeframe_text)
    return doc(thai_date_range(measure.timeframe_start, measure.timeframe_end, thai_digits=False))


@register.filter
def doc_owners(measure) -> SafeString:
    """The owner departments, one per line, each unbroken, then the owner phrase ("ทุกส่วนราชการ")."""
    names = [owner.name for owner in measure.owners.all()]
    lines = format_html_join(mark_safe("<br>"), '<span class="nowrap">{}</span>', ((to_thai_digits(n),) for n in names))
    if measure.owner_note:
        return mark_safe(f"{lines}<br>{doc(measure.owner_note)}" if names else str(doc(measure.owner_note)))
    return lines


@register.filter
def doc_steps(measure) -> SafeString:
    """The ordered steps numbered "๑. …" one per line; a single step is printed without a number."""
    steps = list(measure.steps.all())
    if len(steps) == 1:
        return doc(steps[0].text)
    return mark_safe("".join(
        format_html('<p class="step">{}. {}</p>', to_thai_digits(i), doc(step.text)) for i, step in enumerate(steps, 1)
    ))


@register.filter
def doc_paragraphs(value: object) -> SafeString:
    """Text with blank-line separated paragraphs → ``<p>…</p>`` each (through ``doc``)."""
    paragraphs = [p.strip() for p in str(value or "").split("\n\n") if p.strip()]
    return mark_safe("".join(f"<p>{doc(p)}</p>" for p in paragraphs))
