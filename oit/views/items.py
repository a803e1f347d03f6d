"""OIT pages: the items of each year (every signed-in user reads them; a national administrator corrects them)."""
import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from ..codes import code_normalise
from ..item_forms import ElementFormSet, ItemForm, elements_from
from ..items import ItemIndex, can_edit_items, item_history, item_lists, item_update, items_of_year
from ..models import Item, ItemList


def item_list_index(request: HttpRequest) -> HttpResponse:
    """Every stored year's list, newest first."""
    return render(request, "oit/items/index.html", {"item_lists": item_lists()})


def item_list(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """The items of one fiscal year with their elements, period, source and grade."""
    the_list = get_object_or_404(ItemList, fiscal_year=fiscal_year)
    context = {"item_list": the_list, "items": items_of_year(item_list=the_list),
               "can_edit": can_edit_items(request.user)}
    return render(request, "oit/items/item_list.html", context)


def _item(fiscal_year: int, code: str) -> Item:
    canonical = code_normalise(code)
    if canonical is None:
        raise Http404
    return get_object_or_404(Item.objects.select_related("item_list", "corrected_by"),
                             item_list__fiscal_year=fiscal_year, code=canonical)


def item_detail(request: HttpRequest, fiscal_year: int, code: str) -> HttpResponse:
    """One item: its elements, the same topic in the year before and after, and its history."""
    if code_normalise(code) not in (None, code):  # "o๒๘" → the page of "O28"
        return redirect("oit:item_detail", fiscal_year, code_normalise(code))
    item = _item(fiscal_year, code)
    index = ItemIndex.load(fiscal_years=[fiscal_year - 1, fiscal_year, fiscal_year + 1])
    context = {"item": item, "item_list": item.item_list, "elements": item.elements.all(),
               "topics": [index.trace(item, fiscal_year - 1), index.trace(item, fiscal_year + 1)],
               "history": item_history(item=item), "can_edit": can_edit_items(request.user)}
    return render(request, "oit/items/item_detail.html", context)


def item_edit(request: HttpRequest, fiscal_year: int, code: str) -> HttpResponse:
    """Correct an item and its elements (national administrators; others 403)."""
    if not can_edit_items(request.user):
        raise PermissionDenied
    item = _item(fiscal_year, code)
    # The form gets a copy: a model form writes the posted values on its instance while validating, and the
    # service compares the stored item with the data to know whether anything changed.
    form = ItemForm(request.POST or None, instance=copy.copy(item))
    initial = [{"pk": e.pk, "text": e.text, "ORDER": e.order} for e in item.elements.all()]
    formset = ElementFormSet(request.POST or None, initial=initial, prefix="elements")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            changed = item_update(item=item, data=form.cleaned_data, elements=elements_from(formset),
                                  user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("%(code)s was corrected: the list of %(year)s is now version "
                                            "%(version)s.") % {"code": item.code, "year": fiscal_year,
                                                               "version": item.item_list.version})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("oit:item_detail", fiscal_year, item.code)
    context = {"item": item, "item_list": item.item_list, "form": form, "formset": formset}
    return render(request, "oit/items/item_form.html", context)


urlpatterns: list = [
    path("oit/", item_list_index, name="item_lists"),
    path("oit/<int:fiscal_year>/", item_list, name="item_list"),
    path("oit/<int:fiscal_year>/<str:code>/", item_detail, name="item_detail"),
    path("oit/<int:fiscal_year>/<str:code>/edit/", item_edit, name="item_edit"),
]
