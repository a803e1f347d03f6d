"""Dashboards: one organization's dashboard (executives first) and the overview of many organizations
(members of several organizations, overseers, superusers). Both read stored, indexed values only."""
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from organizations.selectors import oversight_of
from organizations.views import organization_for_request


def home(request: HttpRequest) -> HttpResponse:
    """The first page after log-in: the dashboard of a user's only organization, else the overview of the
    organizations they may read (several memberships, oversight, superusers)."""
    if not oversight_of(user=request.user).any:
        slugs = list(request.user.memberships.values_list("organization__slug", flat=True)[:2])
        if len(slugs) == 1:
            return redirect("dashboards:organization_dashboard", slugs[0])
    return redirect("dashboards:overview")


def organization_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for_request(request, slug)
    return render(request, "dashboards/organization.html", {"organization": organization})


def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/overview.html", {})
