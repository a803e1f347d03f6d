"""Dashboards: one organization's dashboard (executives first) and the overview of many organizations
(members of several organizations, overseers, superusers). Both read stored, indexed values only."""
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from ita_portal.exports import export_rows, stream_csv, xlsx_file
from ita_portal.thai import to_arabic_digits
from organizations.selectors import oversight_of
from organizations.views import organization_for_request

from . import overview
from .filtersets import OverviewFilterSet
from .tables import OverviewTable


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


def _chosen_year(request: HttpRequest) -> int | None:
    years = overview.fiscal_years()
    chosen = to_arabic_digits(request.GET.get("fiscal_year", "")).strip()
    return int(chosen) if chosen.isdigit() and int(chosen) in years else (years[0] if years else None)


def overview_page(request: HttpRequest) -> HttpResponse:
    """The organizations the user may read with their result of one fiscal year (``?fiscal_year=``, default the
    latest), filterable, sortable, 50 a page without counting the whole country, exportable
    (``?_export=csv|xlsx``: every row, same filters and sort), and the year's figures and the trend over the
    years. Members of several organizations, overseers and superusers; read only."""
    year = _chosen_year(request)
    rows = overview.overview_rows(user=request.user, fiscal_year=year or 0)
    filterset = OverviewFilterSet(request.GET or None, queryset=rows, fiscal_year=year)
    selected = filterset.qs
    table = OverviewTable(overview.with_measure_counts(selected, fiscal_year=year or 0),
                          order_by=request.GET.get("sort") or "-ita")
    export = request.GET.get("_export")
    if export in ("csv", "xlsx"):
        records = table.data.data
        name = f"overview-{year}.{export}"
        rows_out = export_rows(records, OverviewTable.export_row)
        if export == "csv":
            return stream_csv(headers=OverviewTable.export_headers(), rows=rows_out, filename=name)
        return xlsx_file(headers=OverviewTable.export_headers(), rows=rows_out, filename=name)
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": LazyPaginator}).configure(table)
    data = filterset.form.cleaned_data if filterset.is_bound and filterset.form.is_valid() else {}
    filters = {"province": data.get("province") or "", "kind": data.get("kind") or "",
               "filtered": filterset.beyond_summaries}
    context = {
        "table": table, "filter": filterset, "fiscal_year": year, "fiscal_years": overview.fiscal_years(),
        "figures": overview.year_figures(user=request.user, fiscal_year=year or 0, rows=selected, **filters)
        if year else None,
        "trend": overview.trend(user=request.user, rows=selected, **filters),
    }
    return render(request, "dashboards/overview.html", context)
