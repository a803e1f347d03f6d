import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import PlainSelect
from organizations.choices import OrganizationKind
from organizations.models import Organization

from .overview import level_choices, provinces


class OverviewFilterSet(django_filters.FilterSet):
    """Filters of the overview: free text (name, amphoe), province, amphoe, kind and level of the chosen year.
    The fiscal year itself is read by the view (it decides which result each row carries). The queryset must
    carry the ``level`` annotation of ``dashboards.overview.overview_rows``."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    province = django_filters.ChoiceFilter(choices=[], label=_("Province"), widget=PlainSelect)
    amphoe = django_filters.CharFilter(lookup_expr="icontains", label=_("District (amphoe)"))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"), widget=PlainSelect)
    level = django_filters.ChoiceFilter(choices=[], field_name="level", label=_("Level"), widget=PlainSelect)

    class Meta:
        model = Organization
        fields = ["q", "province", "amphoe", "kind", "level"]

    def __init__(self, *args, fiscal_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = [(p, p) for p in provinces()]
        self.filters["level"].extra["choices"] = level_choices(fiscal_year)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(amphoe__icontains=value))

    @property
    def beyond_summaries(self) -> bool:
        """True when a filter other than province and kind applies (the year's figures then come from the rows,
        not from the summaries per province and kind)."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return any(data.get(name) for name in ("q", "amphoe", "level"))
