from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from organizations.permissions import rights_of
from organizations.views import organization_for_request

from .filtersets import AuditLogFilterSet
from .selectors import organization_log
from .tables import AuditLogTable


def organization_audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's audit log, newest first, filterable, 50 a page (organization admins and superusers;
    other members 403, other organizations 404). Read only: nothing in the portal edits or deletes an entry."""
    organization = organization_for_request(request, slug)  # first: another organization's log is 404, not 405
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise PermissionDenied
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    filterset = AuditLogFilterSet(request.GET or None, queryset=organization_log(organization=organization))
    table = AuditLogTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": LazyPaginator}).configure(table)
    return render(request, "audit/log.html", {"organization": organization, "filter": filterset, "table": table})
