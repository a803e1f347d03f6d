import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .choices import Status
from .models import Measure

# The shortest word a search may have: PostgreSQL's trigram index (``measure_search_trgm``) serves a pattern through
# its runs of three characters; a pattern with none would read the whole index, then every measure (issue 23 §1).
SEARCH_MIN_CHARS = 3


def searchable(value: str) -> None:
    """Refuse a search none of whose words (split on spaces) has ``SEARCH_MIN_CHARS`` characters ("ab", "a b c"),
    with a Thai message shown next to the search box; the list then shows nothing rather than scanning. Thai
    characters count one by one, vowel and tone marks too ("ข้อ" has three)."""
    if value and max(len(word) for word in value.split()) < SEARCH_MIN_CHARS:
        raise ValidationError(_("Type at least %(count)s characters in a row to search."),
                              code="search_too_short", params={"count": SEARCH_MIN_CHARS})


class MeasureFilterSet(django_filters.FilterSet):
    """Filters of the measure list: free text, fiscal year, indicator number, department name, latest status,
    overdue. The queryset must carry the ``overdue`` annotation of ``measures.selectors.with_overdue``.

    Filters over many-to-many tables (indicator, department) are ``EXISTS`` conditions, so a measure is never
    repeated and no ``DISTINCT`` sorts the matching rows (issue 9). The free text searches the stored
    ``Measure.search_text`` (title, method, steps), through a trigram index on PostgreSQL (issue 23 §1).

    Its form is a function of the request's filters and the language only (no choices read from the database): the
    measure list caches the form's HTML by them (templates/measures/measure_list.html). A filter whose choices come
    from the database must be added to that cache's key."""

    q = django_filters.CharFilter(method="search", label=_("Search"), validators=[searchable])
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

    def get_form_class(self):
        """The filters' form class, built once per process rather than per request (django-filter builds a new
        class, with a new field for each filter, every time): the fields depend on nothing of the request (see the
        class docstring), and each form still works on its own copies of them (``Form.__init__``)."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=value == "yes")

    def filter_indicator(self, queryset, name, value):
        through = Measure.indicators.through.objects.filter(measure=OuterRef("pk"), indicator__number=value)
        return queryset.filter(Exists(through))

    def filter_department(self, queryset, name, value):
        through = Measure.owners.through.objects.filter(measure=OuterRef("pk"), department__name__icontains=value)
        return queryset.filter(Exists(through))

    def search(self, queryset, name, value):
        # search_text is stored in lower case: a case-sensitive LIKE on it is what the trigram index serves.
        return queryset.filter(search_text__contains=value.lower())
