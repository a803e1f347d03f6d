import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.thai import fiscal_year_bounds


class Status(models.TextChoices):
    """Progress of a measure (ita-framework.md §7)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Round(models.TextChoices):
    """Reporting rounds of a fiscal year: 6 months (Oct–Mar) and the whole year."""

    SIX_MONTH = "six_month", _("6-month")
    ANNUAL = "annual", _("Annual")


def round_period(*, fiscal_year: int, round: str) -> tuple[dt.date, dt.date]:
    """The period a round of ``fiscal_year`` (BE) reports on, (first day, last day): 6 months 1 ต.ค.–31 มี.ค.,
    annual (and any other value) the whole fiscal year 1 ต.ค.–30 ก.ย. (``core.thai.fiscal_year_bounds``). What
    a new report proposes and what the dashboard's checklist expects."""
    start, end = fiscal_year_bounds(fiscal_year)
    if round == Round.SIX_MONTH:
        end = dt.date(start.year + 1, 3, 31)
    return start, end


def latest_status_label(status: str | None) -> str:
    """The label of a measure's latest status (``latest_status`` of the selectors): the status' label,
    "reported, status not stated" for ``""``, "no status reported" for None (no entry at all), an unknown
    code as it is."""
    if status is None:
        return _("No status reported")
    if status == "":
        return _("Reported, status not stated")
    return Status(status).label if status in Status.values else status
