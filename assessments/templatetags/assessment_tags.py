"""Template tags through which pages of apps below assessments reach it (they import nothing of it):
``{% framework_years as years %}`` on the organization's page,
``{% rank_totals_of assessment organization as totals %}`` where a computed rank is printed
(``templates/inc/computed_ranks.html``)."""
from django import template

from ..models import Framework
from ..selectors import rank_totals

register = template.Library()


@register.simple_tag
def framework_years():
    """The fiscal years that have an ITA framework loaded (a lazy queryset of years)."""
    return Framework.objects.values_list("fiscal_year", flat=True)


@register.simple_tag
def rank_totals_of(assessment, organization) -> dict[str, int]:
    """How many organizations ``assessment``'s computed ranks are out of (``selectors.rank_totals``):
    ``{"kind": n, "province": m}``. One query. ``{% rank_totals_of assessment organization as totals %}``."""
    totals = rank_totals(fiscal_year=assessment.fiscal_year, kind=organization.kind, province=organization.province)
    return {"kind": totals.in_kind(organization.kind), "province": totals.in_province(organization.province)}
