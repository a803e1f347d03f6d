"""OIT pages: the readiness check (ตรวจความพร้อม OIT) of an organization's checklist of a fiscal year.

- ``readiness``: the latest check's report (per item its problems and what to fix; per URL what came back), the
  progress of a check waiting or running (the page reloads itself; without JavaScript, a refresh link), and the
  button to run the check;
- ``readiness_run`` (POST): run the check (``oit.readiness.readiness_run_request``) — the organization's admins,
  executives and staff (``readiness.may_request``); overseers and clerks read only (403);
- ``readiness_pdf``: the one-page report for the executive (รายงานความพร้อม OIT) of the latest finished check.

Members and overseers of the organization read; anyone else gets 404, as on every page of an organization.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from core.thai import thai_datetime
from organizations.permissions import rights_of
from organizations.views import organization_for_request

from .. import readiness
from ..models import Checklist


def _checklist(request: HttpRequest, slug: str, fiscal_year: int):
    organization = organization_for_request(request, slug)
    checklist = get_object_or_404(Checklist.objects.select_related("organization", "item_list"),
                                  organization=organization, fiscal_year=fiscal_year)
    return organization, checklist, rights_of(user=request.user, organization=organization)


def readiness_detail(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The readiness page: the latest finished check's report, the check under way if any, the button."""
    organization, checklist, rights = _checklist(request, slug, fiscal_year)
    latest = readiness.readiness_latest_run(checklist=checklist)
    done = readiness.readiness_latest_done(checklist=checklist)
    under_way = latest if latest is not None and not latest.is_finished else None
    report, url_checks = [], []
    if done is not None:
        report = readiness.readiness_report(run=done)
        url_checks = list(done.url_checks.all())
        for check in url_checks:
            check.when = thai_datetime(check.checked_at, thai_digits=False)
        done.when = thai_datetime(done.finished_at, thai_digits=False)
    progress = readiness.readiness_progress(run=under_way) if under_way else (0, 0)
    context = {
        "organization": organization, "checklist": checklist, "fiscal_year": fiscal_year,
        "can_request": readiness.may_request(rights), "latest": latest, "done": done, "under_way": under_way,
        "progress": progress, "report": report, "url_checks": url_checks,
        "with_problems": [row for row in report if row.problems],
        "failed": latest if latest is not None and latest.status == "failed" else None,
        "failed_message": readiness.run_error_message(latest) if latest is not None else "",
        "own_department_id": rights.department_id,
    }
    return render(request, "oit/readiness/readiness.html", context)


def readiness_run(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """Run the check (POST): queued for the worker, back to the readiness page. 403 for those who only read."""
    organization, checklist, rights = _checklist(request, slug, fiscal_year)
    if not readiness.may_request(rights):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    run = readiness.readiness_run_request(checklist=checklist, user=request.user)
    if run.is_finished:
        messages.success(request, _("The readiness check is finished."))
    else:
        messages.success(request, _("The readiness check was started; this page shows its progress."))
    return redirect("oit:readiness", organization.slug, fiscal_year)


def readiness_pdf(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The one-page report of the latest finished check as a PDF; 404 before any check finished."""
    _organization, checklist, _rights = _checklist(request, slug, fiscal_year)
    done = readiness.readiness_latest_done(checklist=checklist)
    if done is None:
        raise Http404
    document = readiness.readiness_pdf_document(run=done)
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


urlpatterns = [
    path("organizations/<slug:slug>/oit/<int:fiscal_year>/readiness/", readiness_detail, name="readiness"),
    path("organizations/<slug:slug>/oit/<int:fiscal_year>/readiness/run/", readiness_run, name="readiness_run"),
    path("organizations/<slug:slug>/oit/<int:fiscal_year>/readiness/report.pdf", readiness_pdf,
         name="readiness_pdf"),
]
