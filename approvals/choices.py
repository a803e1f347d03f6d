"""Choices of the approval log."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Capacity(models.TextChoices):
    """In what capacity someone decides for the holder of a position who is away (issue 22 §3), as the
    correspondence regulation prints it under the official's name and position (ระเบียบสำนักนายกรัฐมนตรีว่าด้วย
    งานสารบรรณ; docs/thai-documents.md): "รักษาราชการแทน" when the holder cannot perform the duties (or the post is
    vacant), "ปฏิบัติราชการแทน" when the holder has delegated the power. Empty: in one's own right."""

    ACTING = "acting", _("acting in place of")
    DELEGATED = "delegated", _("performing official duties in place of")
