from django.db import models
from django.utils.translation import gettext_lazy as _


class MemoState(models.TextChoices):
    """Where a memo is on its route (the transition table: ``memos.workflow.TRANSITIONS``)."""

    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Under consideration")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class MemoAction(models.TextChoices):
    """What a person does with a memo: the drafter sends it, each person on the route decides, an executive
    reopens an approved or rejected memo."""

    SEND = "send", _("Send for consideration")
    FORWARD = "forward", _("Forward")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Not approve")
    RETURN = "return", _("Return for changes")
    REOPEN = "reopen", _("Reopen")


class IssueStatus(models.TextChoices):
    """Where the issue of an approved memo is (``memos.issuing``): numbered and frozen at approval, then rendered,
    signed and stored by the background worker."""

    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Rendering and signing")
    ISSUED = "issued", _("Issued")
    FAILED = "failed", _("Issuing failed")
