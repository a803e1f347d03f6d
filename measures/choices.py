from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Progress of a measure (ita-framework.md §7)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Round(models.TextChoices):
    """Reporting rounds of a fiscal year: 6 months (Oct–Mar) and the whole year."""

    SIX_MONTH = "six_month", _("6-month")
    ANNUAL = "annual", _("Annual")
