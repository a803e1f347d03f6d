"""The change history shown on a measure's page, read from django-simple-history's tables.

One save through a form writes several history rows (the measure's fields, each many-to-many field, each
step, each progress row); rows by the same user within ``GROUP_SECONDS`` are shown as one change.
"""
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.models import Indicator
from core.thai import thai_date
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


@dataclass(frozen=True)
class _Names:
    """Names of the related rows a history shows, read once per page: department pk → name, indicator pk →
    number."""

    departments: dict
    indicators: dict


def _show(names: _Names, name: str, value) -> str:
    """A stored value as the user reads it."""
    if value in (None, "", []):
        return "–"
    if name == "owners":
        return ", ".join(names.departments.get(v["department"], "?") for v in value)
    if name == "indicators":
        return ", ".join(str(names.indicators.get(v["indicator"], "?")) for v in value)
    if name == "status":
        return str(Status(value).label) if value in Status.values else str(value)
    if isinstance(value, dt.datetime):
        return thai_date(value.date(), thai_digits=False)
    if isinstance(value, dt.date):
        return thai_date(value, thai_digits=False)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _record_changes(model, record, previous, names: _Names, prefix: str = "") -> list[Change]:
    """What ``record`` changed compared with ``previous`` (the object's record before it, or None)."""
    if record.history_type == "+":
        return [Change(prefix + _("created"), "", getattr(record, "text", "") or getattr(record, "title", ""))]
    if record.history_type == "-":
        return [Change(prefix + _("removed"), getattr(record, "text", ""), "")]
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [_change(model, c, names, prefix) for c in delta.changes if c.field not in HIDDEN_FIELDS]


def _change(model, change, names: _Names, prefix: str) -> Change:
    if change.field == "deleted_at":  # deleting shows "– → deleted", restoring "deleted → restored"
        return Change(prefix + _label(model, change.field), _("deleted") if change.old else "–",
                      _("deleted") if change.new else _("restored"))
    return Change(prefix + _label(model, change.field), _show(names, change.field, change.old),
                  _show(names, change.field, change.new))


def _with_previous(records, key):
    """``(record, previous record of the same object)`` for records in history order (oldest first); ``key``
    gives the object a record belongs to. Replaces ``record.prev_record``, one query per record."""
    last = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        yield record, last.get(key(record))
        last[key(record)] = record


def measure_history(*, measure: Measure) -> list[HistoryEntry]:
    """Changes of ``measure``, its steps and its progress rows, newest first. Shape: ``HistoryEntry(when, who,
    changes=[Change(what, old, new)])``."""
    names = _Names(
        departments=dict(Department.objects.filter(organization_id=measure.plan.organization_id)
                         .values_list("pk", "name")),
        indicators=dict(Indicator.objects.values_list("pk", "number")),
    )
    rows = []
    for record, previous in _with_previous(measure.history.select_related("history_user"), key=lambda r: r.id):
        rows.append((record, _record_changes(Measure, record, previous, names)))
    steps = Step.history.filter(measure_id=measure.pk).select_related("history_user")
    for record, previous in _with_previous(steps, key=lambda r: r.id):
        prefix = _("Step %(order)s: ") % {"order": record.order}
        rows.append((record, _record_changes(Step, record, previous, names, prefix)))
    entries = ProgressEntry.history.filter(measure_id=measure.pk).select_related("history_user", "report")
    for record, previous in _with_previous(entries, key=lambda r: r.id):
        report = record.report
        prefix = f"{report.get_round_display()} – " if report else ""
        if record.history_type == "+":
            changes = [Change(prefix + _label(ProgressEntry, name), "–", _show(names, name, value))
                       for name in ("status", "result", "date_done", "evidence", "evidence_url", "recommendation")
                       if (value := getattr(record, name))]
        else:
            changes = _record_changes(ProgressEntry, record, previous, names, prefix)
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
