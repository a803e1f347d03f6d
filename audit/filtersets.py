import django_filters
from auditlog.models import LogEntry
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import Event


class AuditLogFilterSet(django_filters.FilterSet):
    """Filters of an organization's log: what happened, who did it (user name), and a range of days."""

    event = django_filters.ChoiceFilter(label=_("Event"), choices=Event.choices, method="filter_event",
                                        empty_label=_("All events"))
    actor = django_filters.CharFilter(label=_("User"), method="filter_actor")
    since = django_filters.DateFilter(label=_("From the day"), field_name="timestamp", lookup_expr="date__gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    until = django_filters.DateFilter(label=_("To the day"), field_name="timestamp", lookup_expr="date__lte",
                                      widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = LogEntry
        fields: list[str] = []

    def filter_event(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        actions = {Event.CREATE: LogEntry.Action.CREATE, Event.UPDATE: LogEntry.Action.UPDATE,
                   Event.DELETE: LogEntry.Action.DELETE}
        if value in actions:
            return queryset.filter(action=actions[value])
        return queryset.filter(action=LogEntry.Action.ACCESS, additional_data__event=value)

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(actor__username__icontains=value) | Q(object_repr__icontains=value,
                                                                       action=LogEntry.Action.ACCESS))
