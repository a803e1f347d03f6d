import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import OrganizationKind
from .models import Organization


class OrganizationFilterSet(django_filters.FilterSet):
    """Filters of the organization list: free text, kind, province."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "province"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(amphoe__icontains=value) | Q(province__icontains=value))
