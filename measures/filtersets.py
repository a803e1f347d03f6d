import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Status
from .models import Measure


class MeasureFilterSet(django_filters.FilterSet):
    """Filters of the measure list: free text, fiscal year, indicator number, department name, latest status,
    overdue. The queryset must carry the ``latest_status`` and ``overdue`` annotations of
    ``measures.selectors.with_latest_status``."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    fiscal_year = django_filters.NumberFilter(field_name="plan__fiscal_year", label=_("Fiscal year"))
    indicator = django_filters.NumberFilter(field_name="indicators__number", label=_("Indicator number"))
    department = django_filters.CharFilter(field_name="owners__name", lookup_expr="icontains", label=_("Department"))
    status = django_filters.ChoiceFilter(field_name="latest_status", choices=Status.choices, label=_("Latest status"))
    overdue = django_filters.ChoiceFilter(
        method="filter_overdue", choices=[("yes", _("Yes")), ("no", _("No"))], label=_("Overdue")
    )

    class Meta:
        model = Measure
        fields = ["q", "fiscal_year", "indicator", "department", "status", "overdue"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=value == "yes")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(method__icontains=value) | Q(steps__text__icontains=value)
        )
