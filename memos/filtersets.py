import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Memo


class RegisterFilterSet(django_filters.FilterSet):
    """Filters of the outgoing register: free text (number, subject, addressee), register year, what the letter
    carries, issued or only numbered. The queryset must carry ``issued_id`` (``selectors.register_for``)."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    register_year = django_filters.NumberFilter(label=_("Register year (BE)"))
    attached = django_filters.ChoiceFilter(
        method="filter_attached", label=_("Attached document"),
        choices=[("plan", _("Measure plan")), ("report", _("Progress report")), ("none", _("Nothing"))])
    issued = django_filters.ChoiceFilter(
        method="filter_issued", label=_("Issued PDF"), choices=[("yes", _("Yes")), ("no", _("No"))])

    class Meta:
        model = Memo
        fields = ["q", "register_year", "attached", "issued"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(document_number__icontains=value) | Q(subject__icontains=value)
                               | Q(addressee__icontains=value))

    def filter_attached(self, queryset, name, value):
        if value == "plan":
            return queryset.filter(plan__isnull=False)
        if value == "report":
            return queryset.filter(progress_report__isnull=False)
        return queryset.filter(plan__isnull=True, progress_report__isnull=True)

    def filter_issued(self, queryset, name, value):
        return queryset.filter(issued_id__isnull=value != "yes")
