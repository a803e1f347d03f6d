import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Status
from .models import Measure


class MeasureFilterSet(django_filters.FilterSet):
    """Filters of the measure list: free text, fiscal year, indicator number, department name, status."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    fiscal_year = django_filters.NumberFilter(field_name="plan__fiscal_year", label=_("Fiscal year"))
    indicator = django_filters.NumberFilter(field_name="indicators__number", label=_("Indicator number"))
    department = django_filters.CharFilter(field_name="owners__name", lookup_expr="icontains", label=_("Department"))
    status = django_filters.ChoiceFilter(
        field_name="progress_entries__status", choices=Status.choices, label=_("Status reported")
    )

    class Meta:
        model = Measure
        fields = ["q", "fiscal_year", "indicator", "department", "status"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(method__icontains=value) | Q(steps__text__icontains=value)
        )
