import django_tables2 as tables
from auditlog.models import LogEntry
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.thai import thai_datetime

from .choices import event_of


class AuditLogTable(tables.Table):
    """One row per log entry: when (local time), who, from which address, what happened to which record, and
    the changed fields with their old and new values."""

    timestamp = tables.Column(verbose_name=_("When"), orderable=False)
    actor = tables.Column(verbose_name=_("User"), empty_values=(), orderable=False)
    remote_addr = tables.Column(verbose_name=_("Address"), orderable=False, default="–")
    event = tables.Column(verbose_name=_("Event"), empty_values=(), orderable=False)
    record = tables.Column(verbose_name=_("Record"), empty_values=(), orderable=False)
    changes = tables.Column(verbose_name=_("Changes"), empty_values=(), orderable=False)

    class Meta:
        model = LogEntry
        fields: list[str] = []
        sequence = ["timestamp", "actor", "remote_addr", "event", "record", "changes"]
        attrs = {"class": "table audit-log"}
        empty_text = _("No entries match the filters.")

    def render_timestamp(self, value) -> str:
        """Buddhist-era date and time in Bangkok: "26 พฤศจิกายน 2569 เวลา 23.01 น."."""
        return thai_datetime(value, thai_digits=False)

    def render_actor(self, record: LogEntry) -> str:
        if record.actor:
            return record.actor.get_username()
        return record.object_repr if record.action == LogEntry.Action.ACCESS else "–"

    def render_event(self, record: LogEntry) -> str:
        event = event_of(record)
        return event.label if event else "–"

    def render_record(self, record: LogEntry) -> str:
        if record.action == LogEntry.Action.ACCESS and not (record.additional_data or {}).get("document"):
            return "–"
        # capfirst, not str.capitalize: "OIT evidence" in Thai is "หลักฐาน OIT", which capitalize() lowers to "oit"
        return format_html("{}: {}", capfirst(record.content_type.model_class()._meta.verbose_name)
                           if record.content_type.model_class() else record.content_type.model, record.object_repr)

    def render_changes(self, record: LogEntry) -> str:
        changes = record.changes_display_dict
        if not changes:
            return "–"
        return format_html("<ul class=\"changes\">{}</ul>", format_html_join(
            "", "<li><span class=\"field\">{}</span>: {} → {}</li>",
            ((field, _short(values[0]), _short(values[1])) for field, values in changes.items()
             if isinstance(values, (list, tuple)) and len(values) == 2)))


def _short(value, limit: int = 80) -> str:
    """A changed value as the log shows it: "–" for nothing, yes/no for booleans, at most ``limit`` characters."""
    if str(value) in ("True", "False"):
        return str(_("Yes") if str(value) == "True" else _("No"))
    text = "–" if value in (None, "", "None") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
