from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from ita_portal.exports import SafeTableExport
from organizations.views import organization_for_request
from reports.selectors import memos_for_plan

from .filtersets import MeasureFilterSet
from .selectors import (
    measures_for_departments_of,
    measures_for_plan,
    measures_for_user,
    memberships_of,
    plan_for_organization,
    reports_for_plan,
)
from .tables import MeasureTable


def plan_detail(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    organization = organization_for_request(request, slug)
    plan = get_object_or_404(plan_for_organization(organization=organization, fiscal_year=fiscal_year))
    context = {
        "organization": organization,
        "plan": plan,
        "measures": measures_for_plan(plan=plan),
        "reports": reports_for_plan(plan=plan),
        "memos": memos_for_plan(plan=plan),
    }
    return render(request, "measures/plan_detail.html", context)


class MeasureListView(ExportMixin, SingleTableMixin, FilterView):
    """The measures of the user's organizations: filtered, sorted, and exported (``?_export=csv|xlsx``, with
    the same filters and sort, all rows)."""

    table_class = MeasureTable
    filterset_class = MeasureFilterSet
    template_name = "measures/measure_list.html"
    table_pagination = {"per_page": 50}  # the table pages; ListView's own paging would only count the rows again
    export_class = SafeTableExport
    export_formats = (SafeTableExport.CSV, SafeTableExport.XLSX)
    export_name = "measures"

    def get_queryset(self):
        return measures_for_user(user=self.request.user)

    def get_table_pagination(self, table):
        # An export holds every row: paging it would only cost COUNT queries.
        if self.export_trigger_param in self.request.GET:
            return False
        return super().get_table_pagination(table)


def my_work(request: HttpRequest) -> HttpResponse:
    """The measures owned by the user's department(s), grouped by organization and fiscal year."""
    memberships = list(memberships_of(user=request.user))
    context = {
        "departments": [m for m in memberships if m.department_id],
        "without_department": [m for m in memberships if not m.department_id],
        "measures": measures_for_departments_of(user=request.user),
    }
    return render(request, "measures/my_work.html", context)
