from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleState(models.TextChoices):
    """Where one step of the yearly cycle stands: no record yet, recorded but not approved, approved (locked by an
    executive; ``state`` of the plan or report). An analysis is not approved by anyone: it is recorded."""

    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    RECORDED = "recorded", _("Recorded")


class StatusGroup(models.TextChoices):
    """The groups a plan's measures are counted in, from their stored ``latest_status``: the three statuses,
    reported without a status (``""``) and never reported (NULL)."""

    DONE = "done", _("Done")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_STARTED = "not_started", _("Not started")
    NO_STATUS = "no_status", _("Reported, status not stated")
    NOT_REPORTED = "not_reported", _("No status reported")
