"""Template filters for Thai documents and pages: ``thai_digits``, ``thai_date``, ``thai_date_abbr``,
``be_year``, ``score``."""
import datetime as dt
from decimal import Decimal

from django import template

from core import thai

register = template.Library()


@register.filter
def thai_digits(value: object) -> str:
    """``{{ x|thai_digits }}``: Arabic digits → Thai digits; None → ""."""
    return "" if value is None else thai.to_thai_digits(value)


@register.filter
def thai_date(value: dt.date | None, digits: str = "thai") -> str:
    """``{{ d|thai_date }}`` → "๓๑ มีนาคม ๒๕๖๔"; ``{{ d|thai_date:"arabic" }}`` → "31 มีนาคม 2564"."""
    return thai.thai_date(value, thai_digits=digits != "arabic")


@register.filter
def thai_date_abbr(value: dt.date | None, digits: str = "arabic") -> str:
    """``{{ d|thai_date_abbr }}`` → "1 ต.ค. 2568" (Arabic digits by default, for pages)."""
    return thai.thai_date(value, abbreviated=True, thai_digits=digits == "thai")


@register.filter
def score(value: Decimal | float | None) -> str:
    """A score with two decimals ("96.55"); "–" when missing."""
    if value is None:
        return "–"
    return f"{Decimal(value):.2f}"
