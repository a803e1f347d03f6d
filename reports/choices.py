from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderStatus(models.TextChoices):
    """Where a background render of a document is (``reports.rendering``)."""

    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
