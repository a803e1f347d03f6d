"""Measure plans for a fiscal year, their measures and steps, and progress reports."""
import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from approvals.models import Transition
from assessments.models import Assessment, Finding, Indicator
from core.thai import fiscal_year_bounds
from organizations.models import Department, Organization

from .choices import ApprovalAction, ApprovalState, Round, Status


class Approvable(models.Model):
    """An item an executive approves; approved items are locked (read only) until an executive reopens them.

    ``state`` moves only through ``measures.workflow.TRANSITIONS``, applied by ``services.approval_set``, which
    records every transition in the approval log (``transitions``: ``approvals.Transition``, who, from, to, when,
    comment). ``approved_at``/``approved_by`` are the facts of the current approval, written by the same service
    in the same transaction (empty while the item is a draft): a copy of the log's last approval kept on the row
    for the pages, documents and dashboards that print the date."""

    state = models.CharField(_("state"), max_length=16, choices=ApprovalState.choices, default=ApprovalState.DRAFT,
                             editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"), editable=False,
    )
    transitions = GenericRelation(Transition, related_query_name="%(class)s")

    # The labels of the approval log's rows (``approvals.Transition.get_action_display``).
    transition_states = ApprovalState
    transition_actions = ApprovalAction

    class Meta:
        abstract = True

    @property
    def is_locked(self) -> bool:
        return self.state == ApprovalState.APPROVED


class MeasurePlan(Approvable):
    """The measures (มาตรการส่งเสริมคุณธรรมและความโปร่งใส) an organization sets for one fiscal year,
    usually based on the assessment of the year before."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="measure_plans", verbose_name=_("organization")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="measure_plans",
        verbose_name=_("based on assessment"),
    )
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        ordering = ["organization", "-fiscal_year"]
        verbose_name = _("measure plan")
        verbose_name_plural = _("measure plans")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"], name="measure_plan_unique_year",
                violation_error_message=_("This organization already has a measure plan for that fiscal year."),
            )
        ]
        indexes = [
            # The measure list's walk (organization by name, then its plans, latest year first): each
            # organization's plans, years and ids from the index alone (issue 23 §2: deep pages).
            models.Index(fields=["organization", "-fiscal_year", "id"], name="plan_organization_walk"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.fiscal_year}"

    def clean(self) -> None:
        # A plan may only build on its own organization's assessment.
        if self.assessment_id and self.assessment.organization_id != self.organization_id:
            raise ValidationError({"assessment": _("The assessment belongs to another organization.")})


class ActiveMeasureManager(models.Manager):
    """Measures that are not deleted (the default manager, so ``plan.measures`` hides deleted ones)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


# The stored ``latest_status`` values that are never late: done, and reported without a status ("": the entry has
# a result but no status; counted apart, as "reported, status not stated"). One home: ``Measure.is_overdue`` and
# ``selectors.overdue_condition``.
NOT_LATE_STATUSES = (Status.DONE, "")
# The same, in SQL: the stored ``latest_status`` is not one of ``NOT_LATE_STATUSES`` (never reported, NULL, can be
# late). The status half of ``selectors.overdue_condition``, and the condition of the index ``measure_late_walk``.
CAN_BE_LATE = models.Q(latest_status__isnull=True) | ~models.Q(latest_status__in=NOT_LATE_STATUSES)


class Measure(models.Model):
    """One measure of a plan: what is done, by which departments, when, and how it is monitored.

    ``version`` grows by one on every save through the forms (optimistic concurrency: a form posted with an
    older version is refused). Deleting sets ``deleted_at``; an organization admin can restore the measure.
    """

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.TextField(_("measure"))
    issue = models.TextField(_("issue"), blank=True)
    method = models.TextField(_("method"), blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="measures", verbose_name=_("indicators"))
    findings = models.ManyToManyField(Finding, blank=True, related_name="measures", verbose_name=_("findings"))
    question_codes = models.JSONField(_("question codes"), default=list, blank=True)
    owners = models.ManyToManyField(Department, blank=True, related_name="measures", verbose_name=_("owners"))
    owner_note = models.CharField(_("other owners"), max_length=300, blank=True)
    timeframe_start = models.DateField(_("start"), null=True, blank=True)
    timeframe_end = models.DateField(_("end"), null=True, blank=True)
    timeframe_text = models.CharField(_("timeframe as written"), max_length=300, blank=True)
    monitoring = models.TextField(_("monitoring"), blank=True)
    # Stored by ``services.measure_statuses_refresh`` whenever progress entries, the timeframe or the plan's year
    # change, so that lists filter "overdue" on an index (one rule: ``Measure.due_date_for`` / ``is_overdue``).
    latest_status = models.CharField(  # noqa: DJ001 (NULL = never reported, "" = reported without a status)
        _("latest status"), max_length=16, null=True, blank=True, editable=False,
        help_text=_("The status of its entry in the report with the latest period end; empty when that entry "
                    "states none; null when never reported."),
    )
    due_date = models.DateField(_("due"), null=True, blank=True, editable=False)
    # What the measure list's search reads (issue 23 §1): the title, the method and the steps' texts, one per line,
    # in lower case (``search_text_of``), stored by the services that save them (``services.measure_save``,
    # ``plan_create``) so that one trigram index serves a search (PostgreSQL: ``measure_search_trgm``, created by
    # migration 0009 only there; SQLite scans its small tables).
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("deleted by"),
    )
    history = HistoricalRecords(m2m_fields=[owners, indicators],
                                excluded_fields=["version", "latest_status", "due_date", "search_text"])

    objects = ActiveMeasureManager()
    all_objects = models.Manager()  # noqa: DJ012 (ruff reads the custom manager above as a field)

    class Meta:
        ordering = ["plan", "number"]
        base_manager_name = "all_objects"
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [
            models.Index(fields=["due_date", "latest_status"], name="measure_due_status"),
            # The measure list's walk to a deep page (core.pagination.DeferredPageQuerySet): a plan's measures in
            # order with the columns of the status and overdue filters, read without visiting the wide rows.
            models.Index(fields=["plan", "number", "id", "latest_status", "due_date"], name="measure_list_walk",
                         condition=models.Q(deleted_at__isnull=True)),
            # The same walk for the overdue filter (``selectors.overdue_condition``): only the measures that can be
            # late (a fifth of the country's), so a deep page of the overdue list skips the done ones unread.
            models.Index(fields=["plan", "number", "id", "due_date"], name="measure_late_walk",
                         condition=models.Q(deleted_at__isnull=True) & CAN_BE_LATE),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], condition=models.Q(deleted_at__isnull=True), name="measure_unique_number",
                violation_error_message=_("This plan already has a measure with that number."),
            ),
            models.CheckConstraint(
                condition=models.Q(timeframe_start__isnull=True)
                | models.Q(timeframe_end__isnull=True)
                | models.Q(timeframe_end__gte=models.F("timeframe_start")),
                name="measure_timeframe_order",
                violation_error_message=_("The end of the timeframe must not be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @staticmethod
    def search_text_of(*, title: str, method: str, steps: Iterable[str]) -> str:
        """The stored ``search_text`` of a measure: its title, method and steps' texts (in order), the empty ones
        left out, one per line, in lower case (a search lower-cases its words too: ``filtersets.MeasureFilterSet``).
        ``("Title", "", ["Step"])`` → ``"title\nstep"``."""
        return "\n".join(part for part in (title, method, *steps) if part).lower()

    @staticmethod
    def due_date_for(*, timeframe_end: dt.date | None, fiscal_year: int) -> dt.date:
        """When a measure is due: the end of its timeframe, or — when the timeframe is only a phrase
        ("ดำเนินการเป็นประจำทุกวัน") or missing — the end of its plan's fiscal year, 30 September (issue 9)."""
        return timeframe_end or fiscal_year_bounds(fiscal_year)[1]

    def is_overdue(self, *, today: dt.date) -> bool:
        """True when the stored ``due_date`` is before ``today`` and the stored ``latest_status`` can be late
        (``NOT_LATE_STATUSES``: never reported counts as not done; reported without a status is counted apart,
        never as late): the rule of ``selectors.overdue_condition``, for one object."""
        return bool(self.due_date and self.due_date < today and self.latest_status not in NOT_LATE_STATUSES)

    def is_due_soon(self, *, today: dt.date, days: int) -> bool:
        """True when the stored ``due_date`` falls from ``today`` to ``today + days`` inclusive and the measure
        could become late (see ``is_overdue``): the measures that become overdue next if nothing is reported."""
        return bool(self.due_date and today <= self.due_date <= today + dt.timedelta(days=days)
                    and self.latest_status not in NOT_LATE_STATUSES)


class Step(models.Model):
    """An ordered step (ขั้นตอน / วิธีปฏิบัติ) of a measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("step"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [models.UniqueConstraint(fields=["measure", "order"], name="step_unique_order")]

    def __str__(self) -> str:
        return self.text


class ProgressReport(Approvable):
    """A report on the measures of a plan for one round (6-month or annual)."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="progress_reports",
                             verbose_name=_("plan"))
    round = models.CharField(_("round"), max_length=16, choices=Round.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["plan", "period_end"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "round"], name="progress_report_unique_round",
                violation_error_message=_("This plan already has a report for that round."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="progress_report_period_order",
                violation_error_message=_("The end of the period must not be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} – {self.get_round_display()}"


class ProgressEntry(models.Model):
    """Progress of one measure in one report: status, result, when it was done, evidence."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="entries")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress_entries")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, blank=True)
    result = models.TextField(_("result"), blank=True)
    date_done = models.DateField(_("date done"), null=True, blank=True)
    date_text = models.CharField(_("date as written"), max_length=200, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    # Stored under a random name with the extension of the detected type (``progress_entries_save``); the name
    # it was uploaded under (Thai kept, extension corrected) is what a download is called.
    evidence_file = models.FileField(_("evidence file"), upload_to="evidence/%Y/%m/", blank=True)
    evidence_filename = models.CharField(_("evidence file name"), max_length=255, blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["report", "measure__number"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        constraints = [models.UniqueConstraint(fields=["report", "measure"], name="progress_entry_unique")]

    def __str__(self) -> str:
        return f"{self.measure} – {self.get_status_display() or '–'}"
