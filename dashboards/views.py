"""Dashboards: one organization's dashboard (executives first) and the overview of many organizations
(members of several organizations, overseers, superusers). Both read stored, indexed values only."""
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from core.exports import export_format, export_response
from core.thai import to_arabic_digits
from organizations.permissions import OVERSIGHT, rights_of
from organizations.selectors import only_organization_slug, oversight_of
from organizations.views import organization_for_request
from reports.documents import document_html, render_document

from . import charts, overview, selectors, summary
from .filtersets import OverviewFilterSet
from .fingerprint import dashboard_fingerprint
from .tables import OverviewTable
from .versions import data_version

DASHBOARD_CACHE_SECONDS = 3600  # an entry is also keyed by the day, so it never outlives its date
# An overview body (tens of kB, one per page, sort and filter visited) is never stale, but a new data version leaves
# the old ones unused: an hour bounds what they hold in Redis.
OVERVIEW_BODY_CACHE_SECONDS = 3600


def home(request: HttpRequest) -> HttpResponse:
    """The first page after log-in: the dashboard of a user's only organization, else the overview of the
    organizations they may read (several memberships, oversight, superusers)."""
    if not oversight_of(user=request.user).any:
        slug = only_organization_slug(user=request.user)
        if slug:
            return redirect("dashboards:organization_dashboard", slug)
    return redirect("dashboards:overview")


def organization_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """One organization's dashboard as of today (``timezone.localdate()``): members and overseers who may read
    the organization (others 404); forms are linked only for those who may edit (``Rights.can_manage``).

    The dashboard's body is cached under the fingerprint of every row it reads (``dashboards.fingerprint``: one
    query), the day, the language and what the reader may do, so a hit builds nothing and a change to any of its
    rows, however written, is shown on the next request."""
    organization = organization_for_request(request, slug)
    rights = rights_of(user=request.user, organization=organization)
    today = timezone.localdate()
    read_only = rights.role == OVERSIGHT
    fingerprint = dashboard_fingerprint(organization=organization)
    key = (f"dashboard:{organization.pk}:{today.isoformat()}:{get_language()}:{int(rights.can_manage)}:"
           f"{int(read_only)}:{fingerprint}")
    body = cache.get(key)
    if body is None:
        dashboard = selectors.organization_dashboard(organization=organization, today=today,
                                                     can_manage=rights.can_manage)
        body = render_to_string("dashboards/inc/organization_body.html", {
            "organization": organization, "dashboard": dashboard, "charts": _charts(dashboard),
            "read_only": read_only})
        cache.set(key, body, timeout=DASHBOARD_CACHE_SECONDS)
    return render(request, "dashboards/organization.html", {"organization": organization, "body": body})


def _summary_document(request: HttpRequest, slug: str):
    """The executive summary of the organization ``slug`` as of today, for the requesting user (404 for those who
    may not read the organization, as the dashboard)."""
    organization = organization_for_request(request, slug)
    return summary.summary_document(summary.executive_summary(
        organization=organization, today=timezone.localdate(), user=request.user))


def organization_summary(request: HttpRequest, slug: str) -> HttpResponse:
    """The executive summary's print view: the same HTML that the PDF prints (A4, the document CSS; the toolbar
    is hidden when printed), with links to the PDF and back to the dashboard. Readers of the dashboard only."""
    document = _summary_document(request, slug)
    nonce = get_nonce(request)
    return HttpResponse(document_html(
        document, preview=True, pdf_url=reverse("dashboards:organization_summary_pdf", args=[slug]),
        back_url=reverse("dashboards:organization_dashboard", args=[slug]),
        csp_nonce="" if nonce is None else str(nonce)))


def organization_summary_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The executive summary as a one-page PDF (archival PDF/A-3a, ``reports.documents.render_document``)."""
    document = render_document(_summary_document(request, slug))
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


def _charts(dashboard: selectors.OrganizationDashboard) -> dict[str, SafeString]:
    """The dashboard's charts, drawn from the same numbers as its tables."""
    found: dict[str, SafeString] = {}
    latest, progress = dashboard.latest, dashboard.progress
    if dashboard.history:
        found["history"] = charts.line_chart(
            points=[(str(year.fiscal_year), year.score) for year in dashboard.history],
            target=latest.target if latest else selectors.DEFAULT_TARGET,
            point_labels=[year.level_text for year in dashboard.history], title=_("ITA score by fiscal year"))
    if latest and latest.has_indicator_scores:
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


def _chosen_year(request: HttpRequest, years: list[int]) -> int | None:
    """``?fiscal_year=`` when it is one of ``years`` (latest first), else the latest, else None."""
    chosen = to_arabic_digits(request.GET.get("fiscal_year", "")).strip()
    return int(chosen) if chosen.isdigit() and int(chosen) in years else (years[0] if years else None)


@dataclass(frozen=True)
class OverviewBody:
    """A rendered overview body as cached: its fiscal year, the organizations of its page and their measure counts
    (``overview.measure_counts``) as they were when it was rendered, and the HTML."""

    fiscal_year: int | None
    organization_ids: list[int]
    measure_counts: dict[int, overview.MeasureCounts]
    html: str


def _overview_key(request: HttpRequest, *, version: str) -> str:
    """The cache key of the overview's body for this request: the data's version (``versions.data_version``), whose
    organizations the user reads (``overview.scope_of``), the language and every query parameter (filters, sort,
    page, page size), sorted."""
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    return overview.cache_key(["page", version, overview.scope_of(user=request.user), get_language() or "",
                               repr(query)])


def overview_page(request: HttpRequest) -> HttpResponse:
    """The organizations the user may read with their result of one fiscal year (``?fiscal_year=``, default the
    latest), filterable, sortable (by ITA, level and change in the order of an index: ``OverviewTable``), 50 a page
    with the exact number of rows (one COUNT over the filtered organizations, whose joins PostgreSQL drops when no
    filter reads them: a few ms for the country), exportable
    (``?_export=csv|xlsx``: every row, same filters and sort), and the year's figures and the trend over the
    years. Members of several organizations, overseers and superusers; read only.

    The body (everything under the heading) is cached under ``_overview_key``: the version of every table it reads
    but the measures (``versions.data_version``, written by database triggers, so any write shows on the next
    request), the scope, the language and the query. The measure counts of the page's organizations are read on
    every request (one grouped query over their plans of the year, as of today) and a body built from other counts
    is built again. A hit runs 6 queries: the session, the user, the oversight scopes, the top bar's link, the
    version and the measure counts."""
    export = export_format(request)
    if export is not None:
        table = _overview_parts(request, version=None)[1]
        return export_response(export=export, headers=OverviewTable.export_headers(),
                               rows=OverviewTable.export_rows(table.data.data, fiscal_year=table.fiscal_year),
                               filename=f"overview-{table.fiscal_year or None}.{export}")
    version = data_version()
    key = _overview_key(request, version=version)
    body = cache.get(key)
    if body is not None and overview.measure_counts(
            body.organization_ids, fiscal_year=body.fiscal_year or 0) == body.measure_counts:
        return render(request, "dashboards/overview.html", {"fiscal_year": body.fiscal_year, "body": body.html})
    context, table = _overview_parts(request, version=version)
    html = render_to_string("dashboards/inc/overview_body.html", context, request=request)
    counts = table.page_counts()  # those the body shows (none read again: the table keeps them)
    cache.set(key, OverviewBody(context["fiscal_year"], [row.record.pk for row in table.paginated_rows], counts,
                                html), timeout=OVERVIEW_BODY_CACHE_SECONDS)
    return render(request, "dashboards/overview.html", context | {"body": html})


def _overview_parts(request: HttpRequest, *, version: str | None) -> tuple[dict, OverviewTable]:
    """The overview body's context and its table (sorted and paginated unless exported), with what can be cached
    under ``version`` (the data's version; None: nothing cached) read from the cache."""
    years = overview.fiscal_years()
    year = _chosen_year(request, years)
    rows = overview.overview_rows(user=request.user, fiscal_year=year or 0)
    filterset = OverviewFilterSet(request.GET or None, queryset=rows, user=request.user, fiscal_year=year,
                                  version=version)
    selected = filterset.qs
    table = OverviewTable(selected, fiscal_year=year or 0, order_by=request.GET.get("sort") or "name",
                          version=version)
    if export_format(request) is not None:
        return {}, table
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": LazyPaginator}).configure(table)
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.form.is_valid() else {}
    filters = {"province": data.get("province") or "", "kind": data.get("kind") or "",
               "filtered": filterset.beyond_summaries}
    key = overview.summaries_cache_key(user=request.user, fiscal_year=year or 0, version=version, **filters) \
        if version is not None else None
    summary = cache.get(key) if key else None
    if summary is None:
        figures = overview.year_figures(user=request.user, fiscal_year=year, rows=selected, **filters) if year else None
        points = overview.trend(user=request.user, rows=selected, **filters)
        summary = {"figures": figures, "trend": points} | _overview_charts(figures, points)
        if key:
            cache.set(key, summary, timeout=overview.OVERVIEW_CACHE_SECONDS)
    oit = overview.oit_figures(fiscal_year=year, rows=selected) if year else None
    context = {"table": table, "filter": filterset, "fiscal_year": year, "fiscal_years": years, "oit": oit,
               "row_count": selected.count()} | summary
    return context, table


def _overview_charts(figures: overview.YearFigures | None, points: list[overview.YearPoint]) -> dict:
    """The overview's charts (``charts``: SVG drawn on the server, each beside the table of its numbers); the trend's
    points each say how many organizations with a score they average."""
    if figures is None:
        return {}
    total = sum(n for _label, n in figures.level_counts)
    # Under each year: how many organizations its point averages (a year of one organization is not a trend).
    averaged = [ngettext("%(n)s organization", "%(n)s organizations", p.scored) % {"n": p.scored} for p in points]
    return {
        "level_chart": charts.count_bars(
            rows=figures.level_counts, title=_("Organizations per level"),
            annotations=[f"{round(100 * n / total)}%" if total else "" for _label, n in figures.level_counts]),
        "weak_chart": charts.count_bars(
            rows=[(f"{number}. {name}", n) for number, name, n in figures.below_target],
            title=_("Indicators most often below the target")) if figures.below_target else None,
        "trend_chart": charts.line_chart(
            points=[(str(p.fiscal_year), p.mean) for p in points], target=figures.target,
            point_labels=averaged, title=_("Mean ITA score")) if points else None,
        "share_chart": charts.line_chart(
            points=[(str(p.fiscal_year), p.share_at_target) for p in points], target=overview.TARGET_SHARE,
            point_labels=averaged, title=_("Share of organizations at the target (%)")) if points else None,
    }
