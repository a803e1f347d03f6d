"""Memos (บันทึกข้อความ) that carry a plan or a progress report to the executives."""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from measures.models import MeasurePlan, ProgressReport
from organizations.models import Department, Official, Organization


class Memo(models.Model):
    """An internal memo in the official layout (thai-documents.md §1); body paragraphs are separated by
    blank lines. It attaches at most one of a measure plan or a progress report."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memos", verbose_name=_("organization")
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="memos",
        verbose_name=_("department"),
    )
    department_line = models.CharField(_("ส่วนราชการ line"), max_length=300, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    # The number taken from the outgoing register (ทะเบียนหนังสือส่ง) by ``services.memo_take_number``: it runs
    # from 1 per organization and per BE year (calendar or fiscal, the organization's setting; §1).
    register_year = models.PositiveSmallIntegerField(_("outgoing register year (BE)"), null=True, blank=True)
    register_number = models.PositiveIntegerField(_("outgoing register number"), null=True, blank=True)
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=500)
    addressee = models.CharField(_("addressee"), max_length=300)
    body = models.TextField(_("body"))
    closing = models.CharField(_("closing"), max_length=200, blank=True)
    drafter = models.ForeignKey(
        Official, on_delete=models.PROTECT, null=True, blank=True, related_name="drafted_memos",
        verbose_name=_("drafter"),
    )
    plan = models.ForeignKey(
        MeasurePlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="memos",
        verbose_name=_("measure plan"),
    )
    progress_report = models.ForeignKey(
        ProgressReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="memos",
        verbose_name=_("progress report"),
    )

    class Meta:
        ordering = ["organization", "-date"]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=True) | models.Q(progress_report__isnull=True),
                name="memo_attaches_one_document",
                violation_error_message=_("A memo attaches a plan or a progress report, not both."),
            ),
            models.UniqueConstraint(
                fields=["organization", "register_year", "register_number"], name="memo_unique_register_number",
                condition=models.Q(register_number__isnull=False),
                violation_error_message=_("This number of the outgoing register is already taken."),
            ),
            models.CheckConstraint(
                condition=models.Q(register_year__isnull=True, register_number__isnull=True)
                | models.Q(register_year__isnull=False, register_number__isnull=False),
                name="memo_register_year_with_number",
                violation_error_message=_("An outgoing register number needs its year, and a year its number."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def paragraphs(self) -> list[str]:
        """The body split into paragraphs (blank-line separated), stripped."""
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    def clean(self) -> None:
        # Everything a memo points at must belong to the memo's organization.
        for field in ("department", "drafter", "plan"):
            related = getattr(self, field)
            if related is not None and related.organization_id != self.organization_id:
                raise ValidationError({field: _("This belongs to another organization.")})


class MemoComment(models.Model):
    """One block of the comment chain under a memo: a superior's comment or order, in order."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="comments")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, null=True, blank=True, related_name="memo_comments",
        verbose_name=_("official"),
    )
    text = models.TextField(_("comment"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["memo", "order"]
        verbose_name = _("memo comment")
        verbose_name_plural = _("memo comments")
        constraints = [models.UniqueConstraint(fields=["memo", "order"], name="memo_comment_unique_order")]

    def __str__(self) -> str:
        return self.title
