import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.forms import PlainSelect
from organizations.choices import OrganizationKind
from organizations.models import Organization

from .overview import level_choices, provinces


class OverviewFilterSet(django_filters.FilterSet):
    """Filters of the overview: free text (name, amphoe), province, amphoe, kind and level of the chosen year, and
    its OIT checklist's readiness below a share and dead links (``overview_rows``' ``oit_*`` annotations).
    The provinces offered are those of the organizations ``user`` may read (``overview.provinces``, cached under
    ``version``, the data's version, when given).
    The fiscal year itself is read by the view (it decides which result each row carries). The queryset must
    carry the ``level`` annotation of ``dashboards.overview.overview_rows``."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    province = django_filters.ChoiceFilter(choices=[], label=_("Province"), widget=PlainSelect)
    amphoe = django_filters.CharFilter(lookup_expr="icontains", label=_("District (amphoe)"))
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"), widget=PlainSelect)
    level = django_filters.ChoiceFilter(choices=[], field_name="level", label=_("Level"), widget=PlainSelect)
    oit_below = django_filters.NumberFilter(
        method="readiness_below", label=_("OIT items ready below (%)"),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}))
    dead_links = django_filters.ChoiceFilter(
        method="with_dead_links", label=_("OIT dead links"), widget=PlainSelect,
        choices=[("yes", _("has dead links")), ("no", _("no dead links"))])

    class Meta:
        model = Organization
        fields = ["q", "province", "amphoe", "kind", "level", "oit_below", "dead_links"]

    def __init__(self, *args, user, fiscal_year: int | None = None, version: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = [(p, p) for p in provinces(user=user, version=version)]
        self.filters["level"].extra["choices"] = level_choices(fiscal_year)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(amphoe__icontains=value))

    def readiness_below(self, queryset, name, value):
        """Organizations whose OIT checklist of the year has items ready below ``value`` % of its items
        (organizations without a checklist are left out: they have no readiness to compare)."""
        return queryset.filter(oit_total__gt=0).alias(oit_ready_x100=F("oit_ready") * 100).filter(
            oit_ready_x100__lt=F("oit_total") * value)

    def with_dead_links(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(oit_dead_links__gt=0)
        return queryset.filter(oit_dead_links=0)

    @property
    def beyond_summaries(self) -> bool:
        """True when a filter other than province and kind applies (the year's figures then come from the rows,
        not from the summaries per province and kind)."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return any(data.get(name) not in (None, "") for name in ("q", "amphoe", "level", "oit_below", "dead_links"))
