"""OIT pages: an organization's checklist of a fiscal year (``organizations/<slug>/oit/<year>/``), its entries,
their evidence files, and the executive's "ready to submit". Reading: members and overseers of the organization
(others 404); writing: ``oit.checklists`` (who may do what is in its docstring)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.uploads import EVIDENCE_TYPES
from memos.models import IssuedDocument
from organizations.permissions import rights_of
from organizations.views import organization_for_request

from ..checklist_forms import ChecklistStartForm, EntryForm, EvidenceForm, WebsiteForm
from ..checklists import (
    EvidenceInput,
    checklist_copy,
    checklist_create,
    checklist_for,
    checklist_mark_ready,
    checklist_rows,
    checklists_of,
    entry_for,
    entry_history,
    entry_rights,
    entry_update,
    issued_documents_for,
    item_list_years,
    organization_website_set,
    url_on_main_website,
)
from ..choices import ChecklistState, EntryStatus


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _website_form(request: HttpRequest, organization, rights):
    """The main-website form (admins), bound and saved on ``action=website``; returns (form, saved)."""
    if not rights.can_manage:
        return None, False
    posted = request.method == "POST" and request.POST.get("action") == "website"
    form = WebsiteForm(request.POST if posted else None, instance=organization)
    if posted and form.is_valid():
        try:
            organization_website_set(organization=organization, rights=rights,
                                     website=form.cleaned_data["website"])
        except ValidationError as error:
            form.add_error("website" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, _("The main website address was saved."))
            return form, True
    return form, False


def checklist_index(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's OIT checklists by year, and the years whose item list is loaded."""
    organization = organization_for_request(request, slug)
    rights = rights_of(user=request.user, organization=organization)
    checklists = list(checklists_of(organization=organization))
    made = {c.fiscal_year for c in checklists}
    context = {"organization": organization, "checklists": checklists, "can_manage": rights.can_manage,
               "years_to_start": [y for y in item_list_years() if y not in made]}
    return render(request, "oit/checklists/index.html", context)


def checklist_detail(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The checklist: its items with owners, due date, status, URL (flagged when not on the main website),
    evidence progress, overdue; filters by status and owner department; the main website and its form (admins).
    Without a checklist: the form that starts it (admins), empty or copied from an earlier year."""
    organization = organization_for_request(request, slug)
    rights = rights_of(user=request.user, organization=organization)
    checklist = checklist_for(organization=organization, fiscal_year=fiscal_year).first()
    website_form, saved = _website_form(request, organization, rights)
    if saved:
        return redirect("oit:checklist_detail", organization.slug, fiscal_year)
    if checklist is None:
        return _checklist_start(request, organization, rights, fiscal_year, website_form)
    status = request.GET.get("status", "")
    status = status if status in EntryStatus.values else ""
    departments = list(organization.departments.order_by("order", "name"))
    department = next((d for d in departments if str(d.pk) == request.GET.get("department", "")), None)
    rows = checklist_rows(checklist=checklist, status=status, department=department)
    context = {
        "organization": organization, "checklist": checklist, "rows": rows, "website_form": website_form,
        "statuses": EntryStatus.choices, "status": status, "departments": departments, "department": department,
        "can_manage": rights.can_manage, "can_approve": rights.can_approve,
        "off_site_count": sum(r.off_site for r in rows), "overdue_count": sum(r.overdue for r in rows),
    }
    return render(request, "oit/checklists/detail.html", context)


def _checklist_start(request, organization, rights, fiscal_year, website_form) -> HttpResponse:
    earlier = [c.fiscal_year for c in checklists_of(organization=organization) if c.fiscal_year < fiscal_year]
    posted = request.method == "POST" and request.POST.get("action") == "create"
    form = ChecklistStartForm(request.POST if posted else None, years=earlier,
                              initial={"from_year": fiscal_year - 1 if fiscal_year - 1 in earlier else ""})
    if posted:
        _require(rights.can_manage)
        if form.is_valid():
            from_year = form.cleaned_data["from_year"]
            try:
                if from_year:
                    checklist_copy(organization=organization, fiscal_year=fiscal_year, from_year=from_year,
                                   user=request.user)
                else:
                    checklist_create(organization=organization, fiscal_year=fiscal_year, user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The OIT checklist of fiscal year %(year)s was made.")
                                 % {"year": fiscal_year})
                return redirect("oit:checklist_detail", organization.slug, fiscal_year)
    context = {"organization": organization, "fiscal_year": fiscal_year, "form": form,
               "website_form": website_form, "can_manage": rights.can_manage,
               "has_list": fiscal_year in item_list_years()}
    return render(request, "oit/checklists/start.html", context, status=200)


def _entry(request: HttpRequest, slug: str, fiscal_year: int, code: str) -> tuple:
    organization = organization_for_request(request, slug)
    checklist = get_object_or_404(checklist_for(organization=organization, fiscal_year=fiscal_year))
    entry = get_object_or_404(entry_for(checklist=checklist, code=code))
    return organization, checklist, entry


def entry_edit(request: HttpRequest, slug: str, fiscal_year: int, code: str) -> HttpResponse:
    """One item of the checklist: its elements, and for those who may edit it (``entry_rights``) the form:
    owners and due date (admins), URL and where-text, status, and each element's evidence — a link, a file or one
    of the organization's issued documents (the year's plan for O25, last year's annual report for O26 come
    first, marked as suggested). Then who changed what."""
    organization, checklist, entry = _entry(request, slug, fiscal_year, code)
    rights = rights_of(user=request.user, organization=organization)
    allowed = entry_rights(rights=rights, entry=entry)
    _require(allowed.read)
    if request.method == "POST":
        _require(allowed.content)
    documents, suggested = issued_documents_for(entry=entry)
    document_queryset = IssuedDocument.objects.filter(organization=organization).defer("content")
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = EntryForm(data, instance=entry, assign=allowed.assign) if allowed.content else None
    evidence = list(entry.evidence.all())
    evidence_forms = [
        EvidenceForm(data, files, evidence=e, documents=document_queryset,
                     suggested=next((d.pk for d in documents if d.pk in suggested), None),
                     download_url=reverse("oit:evidence_download",
                                          args=[organization.slug, fiscal_year, entry.item.code, e.element_id]))
        for e in evidence] if allowed.content else []
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in evidence_forms):
        try:
            entry_update(entry=entry, rights=rights, user=request.user, data=form.cleaned_data,
                         evidence=[EvidenceInput(evidence=f.evidence, data=f.cleaned_data) for f in evidence_forms])
        except ValidationError as error:
            _errors_to_forms(error, form, evidence_forms)
        else:
            messages.success(request, _("%(code)s was saved.") % {"code": entry.item.code})
            if checklist.state == ChecklistState.READY and checklist_for(
                    organization=organization, fiscal_year=fiscal_year).filter(state=ChecklistState.OPEN).exists():
                messages.warning(request, _("The checklist had been marked ready to submit; this change put it "
                                            "back in preparation, and the executive confirms it again."))
            return redirect("oit:checklist_detail", organization.slug, fiscal_year)
    website = organization.website
    context = {
        "organization": organization, "checklist": checklist, "entry": entry, "form": form,
        "evidence_rows": list(zip(evidence, evidence_forms or [None] * len(evidence), strict=True)),
        "documents": documents, "suggested": suggested, "can_assign": allowed.assign,
        "off_site": bool(website and entry.url) and not url_on_main_website(url=entry.url, website=website),
        "history": entry_history(entry=entry),
    }
    return render(request, "oit/checklists/entry.html", context)


def _errors_to_forms(error: ValidationError, form, evidence_forms) -> None:
    """A service's ``ValidationError`` shown where it belongs: ``"<element id>-<field>"`` keys on that element's
    form, the entry's own fields on the entry form, the rest above it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    by_element = {str(f.evidence.element_id): f for f in evidence_forms}
    for key, errors in error.message_dict.items():
        element, _sep, name = key.partition("-")
        if element in by_element and name in by_element[element].fields:
            by_element[element].add_error(name, errors)
        elif key in form.fields:
            form.add_error(key, errors)
        else:
            form.add_error(None, errors)


def evidence_download(request: HttpRequest, slug: str, fiscal_year: int, code: str, element: int) -> FileResponse:
    """An element's evidence file, for those who read the organization (files are never served from MEDIA_URL),
    as an attachment under the name it was uploaded with."""
    _organization, _checklist, entry = _entry(request, slug, fiscal_year, code)
    evidence = get_object_or_404(entry.evidence.exclude(file=""), element_id=element)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    stored = evidence.file.name.rsplit("/", 1)[-1]
    content_type = EVIDENCE_TYPES.get(stored.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    return FileResponse(handle, as_attachment=True, filename=evidence.file_name or stored, content_type=content_type)


def checklist_ready(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The executive's confirmation that the checklist is ready to submit to NACC (GET: the page that asks;
    POST: ``checklist_mark_ready``). Others: 403."""
    organization = organization_for_request(request, slug)
    checklist = get_object_or_404(checklist_for(organization=organization, fiscal_year=fiscal_year))
    rights = rights_of(user=request.user, organization=organization)
    _require(rights.can_approve)
    error = None
    if request.method == "POST":
        try:
            checklist_mark_ready(checklist=checklist, rights=rights, user=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The OIT checklist of fiscal year %(year)s is marked ready to submit.")
                             % {"year": fiscal_year})
            return redirect("oit:checklist_detail", organization.slug, fiscal_year)
    rows = checklist_rows(checklist=checklist)
    context = {"organization": organization, "checklist": checklist, "error": error,
               "not_ready": [r for r in rows if r.status not in (EntryStatus.READY, EntryStatus.SUBMITTED)],
               "total": len(rows)}
    return render(request, "oit/checklists/ready.html", context)


_checklist = "organizations/<slug:slug>/oit/<int:fiscal_year>/"
_entry_path = _checklist + "items/<str:code>/"
urlpatterns: list = [
    path("organizations/<slug:slug>/oit/", checklist_index, name="checklist_index"),
    path(_checklist, checklist_detail, name="checklist_detail"),
    path(_checklist + "ready/", checklist_ready, name="checklist_ready"),
    path(_entry_path, entry_edit, name="entry_edit"),
    path(_entry_path + "evidence/<int:element>/", evidence_download, name="evidence_download"),
]
