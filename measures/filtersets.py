import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .choices import Status
from .models import Measure, Step


class MeasureFilterSet(django_filters.FilterSet):
    """Filters of the measure list: free text, fiscal year, indicator number, department name, latest status,
    overdue. The queryset must carry the ``overdue`` annotation of ``measures.selectors.with_overdue``.

    Filters over many-to-many tables (indicator, department, the steps' text) are ``EXISTS`` conditions, so a
    measure is never repeated and no ``DISTINCT`` sorts the matching rows (issue 9)."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    fiscal_year = django_filters.NumberFilter(field_name="plan__fiscal_year", label=_("Fiscal year"))
    indicator = django_filters.NumberFilter(method="filter_indicator", label=_("Indicator number"))
    department = django_filters.CharFilter(method="filter_department", label=_("Department"))
    status = django_filters.ChoiceFilter(field_name="latest_status", choices=Status.choices, label=_("Latest status"))
    overdue = django_filters.ChoiceFilter(
        method="filter_overdue", choices=[("yes", _("Yes")), ("no", _("No"))], label=_("Overdue")
    )

    class Meta:
        model = Measure
        fields = ["q", "fiscal_year", "indicator", "department", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=value == "yes")

    def filter_indicator(self, queryset, name, value):
        through = Measure.indicators.through.objects.filter(measure=OuterRef("pk"), indicator__number=value)
        return queryset.filter(Exists(through))

    def filter_department(self, queryset, name, value):
        through = Measure.owners.through.objects.filter(measure=OuterRef("pk"), department__name__icontains=value)
        return queryset.filter(Exists(through))

    def search(self, queryset, name, value):
        in_steps = Step.objects.filter(measure=OuterRef("pk"), text__icontains=value)
        return queryset.filter(Q(title__icontains=value) | Q(method__icontains=value) | Exists(in_steps))
