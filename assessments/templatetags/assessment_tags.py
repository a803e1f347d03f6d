"""Template tags through which pages of apps below assessments reach it (they import nothing of it):
``{% framework_years as years %}`` on the organization's page."""
from django import template

from ..models import Framework

register = template.Library()


@register.simple_tag
def framework_years():
    """The fiscal years that have an ITA framework loaded (a lazy queryset of years)."""
    return Framework.objects.values_list("fiscal_year", flat=True)
