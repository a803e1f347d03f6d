"""Dashboards: one organization's dashboard (executives first) and the overview of many organizations
(members of several organizations, overseers, superusers). Both read stored, indexed values only."""
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from organizations.permissions import OVERSIGHT, rights_of
from organizations.selectors import oversight_of
from organizations.views import organization_for_request

from . import charts, selectors


def home(request: HttpRequest) -> HttpResponse:
    """The first page after log-in: the dashboard of a user's only organization, else the overview of the
    organizations they may read (several memberships, oversight, superusers)."""
    if not oversight_of(user=request.user).any:
        slug = selectors.single_organization_slug(user=request.user)
        if slug:
            return redirect("dashboards:organization_dashboard", slug)
    return redirect("dashboards:overview")


def organization_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """One organization's dashboard as of today (``timezone.localdate()``): members and overseers who may read
    the organization (others 404); forms are linked only for those who may edit (``Rights.can_manage``)."""
    organization = organization_for_request(request, slug)
    rights = rights_of(user=request.user, organization=organization)
    dashboard = selectors.organization_dashboard(organization=organization, today=timezone.localdate(),
                                                 can_manage=rights.can_manage)
    context = {"organization": organization, "dashboard": dashboard, "charts": _charts(dashboard),
               "read_only": rights.role == OVERSIGHT}
    return render(request, "dashboards/organization.html", context)


def _charts(dashboard: selectors.OrganizationDashboard) -> dict[str, SafeString]:
    """The dashboard's charts, drawn from the same numbers as its tables."""
    found: dict[str, SafeString] = {}
    latest, progress = dashboard.latest, dashboard.progress
    if dashboard.history:
        found["history"] = charts.line_chart(
            points=[(str(year.fiscal_year), year.score) for year in dashboard.history],
            target=latest.target if latest else selectors.DEFAULT_TARGET,
            point_labels=[year.level_text for year in dashboard.history], title=_("ITA score by fiscal year"))
    if latest and latest.indicators:
        found["indicators"] = charts.bar_chart(
            bars=[(f"{row.number}. {row.name}", row.score) for row in latest.indicators], target=latest.target,
            annotations=[charts.signed(row.change) if row.change is not None else "" for row in latest.indicators],
            title=_("The ten indicators of fiscal year %(year)s against the target")
            % {"year": latest.result.fiscal_year})
    if progress and progress.total:
        found["statuses"] = charts.count_bars(
            rows=[(status.label, status.count) for status in progress.statuses],
            annotations=[f"{status.share}%" for status in progress.statuses],
            title=_("Measures by latest status"))
    if progress and progress.departments:
        found["departments"] = charts.count_bars(
            rows=[(row.name or _("No owner department"), row.measures) for row in progress.departments],
            annotations=[_("%(done)s done") % {"done": row.done} for row in progress.departments],
            title=_("Measures by owner department"))
    return found


def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/overview.html", {})
