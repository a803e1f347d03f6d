"""Background render jobs of the printed documents (the memos themselves live in ``memos``)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from measures.models import MeasurePlan
from organizations.models import Organization

from .choices import RenderStatus


class RenderJob(models.Model):
    """A document printed in the background worker because it is large (``reports.rendering``;
    docs/operations/background-work.md): what was asked for (plan, kind, round, attachment), by whom, how far the
    worker is (``status``,
    ``progress`` in percent), and at the end the PDF (``content``, its ``pages``) or a Thai ``error``.
    ``characters`` is the size that sent it to the worker: the characters of text the document prints.

    The bytes are a ``BinaryField`` like ``IssuedDocument``'s: a job is one row, deleted with its plan."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="render_jobs", verbose_name=_("organization")
    )
    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="render_jobs",
                             verbose_name=_("measure plan"))
    kind = models.CharField(_("document kind"), max_length=20)
    round = models.CharField(_("round"), max_length=20, blank=True)
    attach = models.CharField(_("attached document"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    characters = models.PositiveIntegerField(_("characters of text"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content = models.BinaryField(_("PDF"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("background render")
        verbose_name_plural = _("background renders")
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="render_job_progress_le_100",
                                              violation_error_message=_("Progress is at most 100 %."))]

    def __str__(self) -> str:
        return f"{self.kind} {self.plan_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        """Done or failed: the page stops refreshing."""
        return self.status in (RenderStatus.DONE, RenderStatus.FAILED)
