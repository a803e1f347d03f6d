"""OIT pages: NACC's results per item (issue 20 §4) — the form of one organization and year, and the import."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from organizations.permissions import rights_of
from organizations.selectors import oversight_of
from organizations.views import organization_for_request

from ..results import ItemResultInput, item_list_for, item_results, item_results_set
from ..results_forms import ItemResultFormSet, ResultsImportForm, as_bool, as_choice
from ..results_import import COLUMNS, item_results_import


def results_page(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """NACC's results of ``fiscal_year``, one row per item of the year's list: members and overseers read
    (others 404); organization admins edit (POST; others 403). All rows are saved together through
    ``item_results_set`` or none."""
    organization = organization_for_request(request, slug)
    can_edit = rights_of(user=request.user, organization=organization).can_manage
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    item_list = item_list_for(fiscal_year=fiscal_year)
    if item_list is None:
        raise Http404(_("There is no OIT item list for fiscal year %(year)s.") % {"year": fiscal_year})
    items = list(item_list.items.all())
    stored = item_results(organization=organization, fiscal_year=fiscal_year)
    initial = []
    for item in items:
        result = stored.get(item.pk)
        initial.append({"code": item.code, "passed": as_choice(result.passed if result else None),
                        "clarification_until": result.clarification_until if result else None,
                        "clarification": result.clarification if result else "",
                        "final_passed": as_choice(result.final_passed if result else None)})
    formset = ItemResultFormSet(request.POST if can_edit and request.method == "POST" else None, initial=initial,
                                prefix="item")
    if request.method == "POST" and formset.is_valid():
        codes = {item.code for item in items}
        inputs = [ItemResultInput(code=data["code"], passed=as_bool(data["passed"]),
                                  clarification_until=data["clarification_until"],
                                  clarification=data["clarification"], final_passed=as_bool(data["final_passed"]))
                  for data in (form.cleaned_data for form in formset.forms) if data.get("code") in codes]
        try:
            item_results_set(organization=organization, fiscal_year=fiscal_year, results=inputs)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The OIT results of fiscal year %(year)s were saved.") % {"year": fiscal_year})
            return redirect("oit:results", organization.slug, fiscal_year)
    rows = [(item, stored.get(item.pk), form) for item, form in zip(items, formset.forms, strict=True)]
    context = {"organization": organization, "fiscal_year": fiscal_year, "item_list": item_list, "rows": rows,
               "formset": formset, "can_edit": can_edit,
               "failed": sum(1 for r in stored.values() if not r.result_passed), "entered": len(stored)}
    return render(request, "oit/results/results.html", context)


def results_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of NACC's item results: superusers and national overseers for the whole country, provincial
    overseers for their provinces (rows elsewhere are errors); everybody else 403."""
    oversight = oversight_of(user=request.user)
    if not oversight.any:
        raise PermissionDenied
    form = ResultsImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = item_results_import(content=upload.read(), filename=upload.name,
                                     provinces=None if oversight.national else oversight.provinces,
                                     dry_run=form.cleaned_data["dry_run"])
    context = {"form": form, "report": report, "columns": COLUMNS, "national": oversight.national,
               "provinces": ", ".join(sorted(oversight.provinces))}
    return render(request, "oit/results/import.html", context)


urlpatterns = [
    path("organizations/<slug:slug>/oit/<int:fiscal_year>/results/", results_page, name="results"),
    path("oit/results/import/", results_import, name="results_import"),
]
