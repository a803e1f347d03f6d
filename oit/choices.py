"""Choices of the OIT checklist (../shared/domain/oit.md)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    """The fiscal year an item's evidence must be about, relative to the list's fiscal year N (NACC's year
    clause, "เป็นการดำเนินการในปี พ.ศ. …"); ``NONE``: no year is required."""

    FY_N = "fy_n", _("fiscal year N")
    FY_N_MINUS_1 = "fy_n_minus_1", _("fiscal year N−1")
    QUARTERLY = "quarterly", _("quarterly in fiscal year N")
    NONE = "none", _("no period")


class PortalDocument(models.TextChoices):
    """Which of the portal's own issued documents shows an item (``Item.portal_document``, from the year's data
    file): the measure plan of the checklist's year, or the annual progress report of the plan of the year
    before."""

    PLAN = "plan", _("the year's measure plan")
    ANNUAL_REPORT = "annual_report", _("last year's annual progress report")


class Grade(models.TextChoices):
    """How sure the item's text is (oit.md): verified in a cited source, inferred from one copy, not found."""

    VERIFIED = "V", _("verified")
    INFERRED = "I", _("inferred")
    NOT_FOUND = "N", _("not found")


class EntryStatus(models.TextChoices):
    """Where the work on one item of an organization's checklist stands."""

    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    READY = "ready", _("ready to submit")
    SUBMITTED = "submitted", _("submitted")


class ChecklistState(models.TextChoices):
    """The checklist as a whole: an executive marks it ready to submit."""

    OPEN = "open", _("in preparation")
    READY = "ready", _("ready to submit")


class EvidenceKind(models.TextChoices):
    """What shows that an element is on the website: a URL, an uploaded file, or a document the portal issued."""

    URL = "url", _("link")
    FILE = "file", _("file")
    DOCUMENT = "document", _("issued document")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ProblemKind(models.TextChoices):
    """What the readiness check finds wrong with an item (each has a Thai message saying what to fix)."""

    DEAD_LINK = "dead_link", _("the link does not open")
    OFF_SITE = "off_site", _("the link is not on the main website")
    YEAR_MISSING = "year_missing", _("the required year is not found on the page")
    ELEMENT_MISSING = "element_missing", _("an element has no evidence")
    DUPLICATE_URL = "duplicate_url", _("the same link is given for unrelated items")
    NO_URL = "no_url", _("no link is given")
