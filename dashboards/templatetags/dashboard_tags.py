"""Template filters of the dashboards: ``signed`` ("+5.55") and ``chart_number`` (as the charts print values)."""
from decimal import Decimal

from django import template

from dashboards.charts import number, signed

register = template.Library()


@register.filter(name="signed")
def signed_filter(value: Decimal | None) -> str:
    """``{{ change|signed }}`` → "+5.55", "-1.20", "0.00"; "–" when missing."""
    return signed(value)


@register.filter
def chart_number(value: Decimal | int | None) -> str:
    """``{{ value|chart_number }}``: the value as the chart beside the table writes it."""
    return number(value)
