"""Template tags of NACC's results per OIT item, for pages of apps below oit (the result page of assessments):
they show OIT's failed items without importing oit."""
from django import template

from ..results import failed_items

register = template.Library()


@register.inclusion_tag("oit/results/inc/failed_items.html", takes_context=True)
def oit_failed_items(context, organization, fiscal_year: int, published_oit=None):
    """The items ``organization`` failed in ``fiscal_year`` (``oit.results.failed_items``: one query, three when
    some failed) beside the published OIT score, with a link to the results page (members and overseers may read
    it). Nothing when no item failed (or no result per item is recorded), so no link leads to a year without an
    item list."""
    return {"organization": organization, "fiscal_year": fiscal_year, "published_oit": published_oit,
            "failed": failed_items(organization=organization, fiscal_year=fiscal_year),
            "request": context.get("request")}
