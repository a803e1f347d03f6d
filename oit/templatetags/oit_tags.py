"""Template tags of the OIT items, for the pages of the apps below (measures, assessments): a question code links to
the item of the result's year and shows the same topic in the plan's year (docs/architecture.md: a lower app's page
reaches a higher app through its template tag)."""
from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..codes import code_normalise
from ..items import ItemIndex, TopicInYear

register = template.Library()


def _index(context) -> ItemIndex:
    """One index of every stored list per request (two queries, whatever the number of codes on the page)."""
    request = context.get("request")
    index = getattr(request, "_oit_item_index", None)
    if index is None:
        index = ItemIndex.load()
        if request is not None:
            request._oit_item_index = index
    return index


def _missing(index: ItemIndex, trace: TopicInYear | None, year: int) -> str:
    """Why there is no item in ``year`` (Thai)."""
    missing = trace.missing_year if trace else (None if year in index.lists else year)
    if missing:
        return _("no OIT list of %(year)s is stored") % {"year": missing}
    partial = trace.partial if trace else not index.lists[year]
    if partial:
        return _("not in the stored part of the list of year %(year)s") % {"year": year}
    return _("not in the list of year %(year)s") % {"year": year}


def _link(item, text: str):
    url = reverse("oit:item_detail", args=[item.item_list.fiscal_year, item.code])
    return format_html('<a href="{}" title="{}">{}</a>', url, item.title, text)


@register.simple_tag(takes_context=True)
def oit_code_link(context, code: str, result_year=None, plan_year=None):
    """``code`` as typed ("o28", "i13"). An OIT code links to its item in ``result_year``'s list (the year of the
    result the finding or measure comes from; empty: the year before ``plan_year``) and, when ``plan_year`` is
    another year, shows the same topic there ("ปี 2566: O26") or why not ("ไม่อยู่ในรายการของปี 2566"). Other codes
    (IIT, EIT questions) are shown as they are."""
    if code_normalise(code) is None:
        return code
    plan_year = int(plan_year) if plan_year else None
    result_year = int(result_year) if result_year else (plan_year - 1 if plan_year else None)
    if result_year is None:
        return code
    index = _index(context)
    item = index.resolve(code, result_year)
    if item is None:
        return format_html('{} <span class="muted oit-code">({})</span>', code, _missing(index, None, result_year))
    shown = _link(item, code)
    if not plan_year or plan_year == result_year:
        return shown
    trace = index.trace(item, plan_year)
    if trace.item is not None:
        there = format_html("{} {}", _("in %(year)s:") % {"year": plan_year}, _link(trace.item, trace.item.code))
    else:
        there = _missing(index, trace, plan_year)
    return format_html('{} <span class="muted oit-code">({})</span>', shown, there)
