"""The change history shown on a measure's page, read from django-simple-history's tables.

One save through a form writes several history rows (the measure's fields, each many-to-many field, each
step, each progress row); rows by the same user within ``GROUP_SECONDS`` are shown as one change.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.models import Indicator
from ita_portal.thai import thai_date
from organizations.models import Department

from .choices import Status
from .models import Measure, ProgressEntry, Step

GROUP_SECONDS = 10
HIDDEN_FIELDS = {"deleted_by"}


@dataclass
class Change:
    """One line of a history entry: what changed, from what, to what (texts as shown to the user)."""

    what: str
    old: str = ""
    new: str = ""


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    changes: list[Change] = field(default_factory=list)


def _user_name(record) -> str:
    user = record.history_user
    return (user.get_full_name() or user.username) if user else _("the system (data import)")


def _show(model, name: str, value) -> str:
    """A stored value as the user reads it."""
    if value in (None, "", []):
        return "–"
    if name == "owners":
        names = dict(Department.objects.filter(pk__in=[v["department"] for v in value]).values_list("pk", "name"))
        return ", ".join(names.get(v["department"], "?") for v in value)
    if name == "indicators":
        numbers = dict(Indicator.objects.filter(pk__in=[v["indicator"] for v in value]).values_list("pk", "number"))
        return ", ".join(str(numbers.get(v["indicator"], "?")) for v in value)
    if name == "status":
        return str(Status(value).label) if value in Status.values else str(value)
    if name == "deleted_at":
        return _("deleted") if value else _("restored")
    if isinstance(value, dt.datetime):
        return thai_date(value.date(), thai_digits=False)
    if isinstance(value, dt.date):
        return thai_date(value, thai_digits=False)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _record_changes(model, record, prefix: str = "") -> list[Change]:
    if record.history_type == "+":
        return [Change(prefix + _("created"), "", getattr(record, "text", "") or getattr(record, "title", ""))]
    if record.history_type == "-":
        return [Change(prefix + _("removed"), getattr(record, "text", ""), "")]
    previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [Change(prefix + _label(model, c.field), _show(model, c.field, c.old), _show(model, c.field, c.new))
            for c in delta.changes if c.field not in HIDDEN_FIELDS]


def measure_history(*, measure: Measure) -> list[HistoryEntry]:
    """Changes of ``measure``, its steps and its progress rows, newest first. Shape: ``HistoryEntry(when, who,
    changes=[Change(what, old, new)])``."""
    rows = []
    for record in measure.history.select_related("history_user"):
        rows.append((record, _record_changes(Measure, record)))
    for record in Step.history.filter(measure_id=measure.pk).select_related("history_user"):
        prefix = _("Step %(order)s: ") % {"order": record.order}
        rows.append((record, _record_changes(Step, record, prefix)))
    for record in ProgressEntry.history.filter(measure_id=measure.pk).select_related("history_user", "report"):
        report = record.report
        prefix = f"{report.get_round_display()} – " if report else ""
        if record.history_type == "+":
            changes = [Change(prefix + _label(ProgressEntry, name), "–", _show(ProgressEntry, name, value))
                       for name in ("status", "result", "date_done", "evidence", "evidence_url", "recommendation")
                       if (value := getattr(record, name))]
        else:
            changes = _record_changes(ProgressEntry, record, prefix)
        rows.append((record, changes))
    rows.sort(key=lambda row: row[0].history_date)
    entries: list[HistoryEntry] = []
    for record, changes in rows:
        if not changes:
            continue
        who = _user_name(record)
        last = entries[-1] if entries else None
        if last and last.who == who and (record.history_date - last.when).total_seconds() <= GROUP_SECONDS:
            last.changes.extend(changes)
            last.when = record.history_date
        else:
            entries.append(HistoryEntry(when=record.history_date, who=who, changes=changes))
    return entries[::-1]
