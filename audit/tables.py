import datetime as dt

import django_tables2 as tables
from auditlog.diff import mask_str
from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.thai import thai_date, thai_datetime

from .choices import event_of
from .registry import MASKED


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
        """Each changed field with its old and new value: dates as Buddhist-era dates ("5 มีนาคม 2568", times in
        Bangkok), masked fields (``registry.MASKED``: the certificate and its passphrase) as "–" or "hidden", never
        the stored mark (``registry.secret_mask``) nor, in entries written before it, auditlog's own mask ("**ne",
        half a passphrase); other values as auditlog displays them."""
        model = record.content_type.model_class()
        masked = set(MASKED.get(model._meta.label, [])) if model else set()
        display = {str(label): values for label, values in (record.changes_display_dict or {}).items()}
        items = []
        for name, values in (record.changes_dict or {}).items():
            field = _model_field(model, name)
            label = str(getattr(field, "verbose_name", name)) if field else name
            shown = display.get(label, values)
            if not (isinstance(values, (list, tuple)) and len(values) == 2):
                continue
            if name in masked:
                shown = [_masked(value) for value in values]
            elif field is not None and field.get_internal_type() in ("DateField", "DateTimeField"):
                shown = [_be_date(value, with_time=field.get_internal_type() == "DateTimeField") for value in values]
            if isinstance(shown, (list, tuple)) and len(shown) == 2:
                items.append((label, _short(shown[0]), _short(shown[1])))
        if not items:
            return "–"
        return format_html("<ul class=\"changes\">{}</ul>", format_html_join(
            "", "<li><span class=\"field\">{}</span>: {} → {}</li>", items))


def _model_field(model, name: str):
    """The model's field ``name``, or None (no model, or a field that is gone)."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _masked(value) -> str:
    """A masked value as the log shows it: "–" when there was none (auditlog masks "None" to "**ne"), else "hidden";
    nothing of the secret, not even the half auditlog keeps."""
    if value in (None, "", "None", mask_str("None")):
        return "–"
    return str(_("(hidden)"))


def _be_date(value, *, with_time: bool) -> str:
    """A logged date ("2025-03-05") or moment ("2026-12-06 06:43:44.964270", UTC when naive, as auditlog stores it)
    as a Buddhist-era date ("5 มีนาคม 2568") or date and Bangkok time; "–" for none, the text as it is when it does
    not parse."""
    if value in (None, "", "None"):
        return "–"
    try:
        if not with_time:
            return thai_date(dt.date.fromisoformat(str(value)[:10]), thai_digits=False)
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return thai_datetime(moment, thai_digits=False)


def _short(value, limit: int = 80) -> str:
    """A changed value as the log shows it: "–" for nothing, yes/no for booleans, at most ``limit`` characters."""
    if str(value) in ("True", "False"):
        return str(_("Yes") if str(value) == "True" else _("No"))
    text = "–" if value in (None, "", "None") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
