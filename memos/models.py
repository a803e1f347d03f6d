"""Memos (บันทึกข้อความ) that carry a plan or a progress report to the executives."""
import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from approvals.choices import Capacity
from approvals.models import Transition
from measures.models import MeasurePlan, ProgressReport
from organizations.models import Department, Official, Organization

from .choices import IssueStatus, MemoAction, MemoState


class RoutingStepQuerySet(models.QuerySet):
    def standing_in(self, *, user, organization, order, holder) -> "RoutingStepQuerySet":
        """The step where ``user`` is named the substitute, whatever the period: the step of ``organization`` at
        ``order`` (1, 2…, the memo's ``current_step`` + 1) held by ``holder`` (a user id). Those three are values, or
        expressions such as ``OuterRef`` when the inbox asks it of every memo in SQL."""
        return self.filter(substitute=user.pk, organization=organization, order=order, user=holder)

    def acting_for(self, *, user, on: dt.date, organization, order, holder) -> "RoutingStepQuerySet":
        """``standing_in`` on day ``on``: the period includes it, both ends counted. The one rule of who acts for
        whom (``memos.workflow.turn_of`` for one memo, ``memos.selectors.inbox_for`` in SQL), issue 22 §3."""
        return self.standing_in(user=user, organization=organization, order=order, holder=holder).acting_on(on)

    def acting_on(self, on: dt.date) -> "RoutingStepQuerySet":
        """Steps whose substitute's period includes day ``on``, both ends counted: the one rule of the period."""
        return self.filter(substitute__isnull=False, acting_from__lte=on, acting_until__gte=on)


class RoutingStep(models.Model):
    """One step of an organization's route for memos (issue 11), in order: the person who decides at that step
    (``user``, a member of the organization), the official printed under the comment block, and the block's
    title, e.g. "ความเห็นหัวหน้าสำนักปลัด" → "ความเห็นปลัดเทศบาล" → "ความเห็น/คำสั่งนายกเทศมนตรี".

    A step may name a substitute for a period (issue 22 §3): another member (``substitute``) who, from
    ``acting_from`` to ``acting_until`` (both included), finds the memos waiting at this step in their inbox and
    decides them in ``capacity`` (รักษาราชการแทน / ปฏิบัติราชการแทน); the printed block then names
    ``substitute_official``. The holder may still decide. All five fields are set together or none."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="routing_steps", verbose_name=_("organization")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title of the comment block"), max_length=200)
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="routing_steps", verbose_name=_("official"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="routing_steps", verbose_name=_("user"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="acting_steps",
        verbose_name=_("substitute"),
    )
    substitute_official = models.ForeignKey(
        Official, on_delete=models.PROTECT, null=True, blank=True, related_name="acting_steps",
        verbose_name=_("official printed for the substitute"),
    )
    capacity = models.CharField(_("capacity"), max_length=16, choices=Capacity.choices, blank=True)
    acting_from = models.DateField(_("acting from"), null=True, blank=True)
    acting_until = models.DateField(_("acting until"), null=True, blank=True)

    objects = RoutingStepQuerySet.as_manager()

    class Meta:
        db_table = "reports_routingstep"  # moved from reports (issue 19): the table keeps its name
        ordering = ["organization", "order"]
        verbose_name = _("routing step")
        verbose_name_plural = _("routing steps")
        constraints = [
            models.UniqueConstraint(fields=["organization", "order"], name="routing_step_unique_order",
                                    violation_error_message=_("Two steps have the same order.")),
            models.CheckConstraint(
                condition=models.Q(substitute__isnull=True, substitute_official__isnull=True, capacity="",
                                   acting_from__isnull=True, acting_until__isnull=True)
                | (models.Q(substitute__isnull=False, substitute_official__isnull=False, acting_from__isnull=False,
                            acting_until__isnull=False) & ~models.Q(capacity="")),
                name="routing_step_substitute_complete",
                violation_error_message=_("A substitute needs an official, a capacity and a period."),
            ),
            models.CheckConstraint(
                condition=models.Q(acting_until__gte=models.F("acting_from")) | models.Q(acting_from__isnull=True),
                name="routing_step_acting_period",
                violation_error_message=_("The period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def clean(self) -> None:
        # The substitute stands in for someone else, and prints as an official of the step's own organization.
        if self.substitute_id is not None and self.substitute_id == self.user_id:
            raise ValidationError({"substitute": _("The substitute must be someone other than the person of the "
                                                   "step.")})
        official = self.substitute_official
        if official is not None and official.organization_id != self.organization_id:
            raise ValidationError({"substitute_official": _("This belongs to another organization.")})


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
    # The route (issue 11): ``state`` moves only through ``memos.workflow.TRANSITIONS`` (services). ``route`` is
    # the organization's chain copied when the memo is sent ([{"title", "official_id", "user_id"}…]), so that a
    # change of the chain does not move a memo already on its way; ``current_user`` is the person whose turn it
    # is (the inbox reads it), ``sent_by`` the drafting user a returned memo goes back to.
    state = models.CharField(_("state"), max_length=16, choices=MemoState.choices, default=MemoState.DRAFT)
    route = models.JSONField(_("route"), default=list, blank=True, editable=False)
    current_step = models.PositiveSmallIntegerField(_("current step"), null=True, blank=True, editable=False)
    current_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("whose turn"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("sent by"),
    )
    # Grows by one on every save and every transition: a form posted from an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Every transition of the route, never changed (the trail on the memo's page): the approval log.
    transitions = GenericRelation(Transition, related_query_name="memo")

    # The labels of the approval log's rows (``approvals.Transition.get_action_display``).
    transition_states = MemoState
    transition_actions = MemoAction

    class Meta:
        db_table = "reports_memo"  # moved from reports (issue 19): the table keeps its name
        ordering = ["organization", "-date"]
        indexes = [models.Index(fields=["current_user", "state"], name="memo_inbox")]
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
    def current_step_title(self) -> str:
        """The title of the step whose turn it is ("" when the memo is not on its route)."""
        if self.current_step is None or self.current_step >= len(self.route):
            return ""
        return self.route[self.current_step]["title"]

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

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="comments", verbose_name=_("memo"))
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, null=True, blank=True, related_name="memo_comments",
        verbose_name=_("official"),
    )
    text = models.TextField(_("comment"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    # Set when the block is a decision taken on the route (issue 11); typed blocks of older memos have none.
    transition = models.OneToOneField(
        Transition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decision"),
    )
    # A decision taken by a substitute (issue 22 §3): the official of the step's holder, whose position the capacity
    # line names; the capacity itself is the decision's (``transition.capacity``).
    acting_for = models.ForeignKey(
        Official, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("acting for"),
    )

    class Meta:
        db_table = "reports_memocomment"  # moved from reports (issue 19): the table keeps its name
        ordering = ["memo", "order"]
        verbose_name = _("memo comment")
        verbose_name_plural = _("memo comments")
        constraints = [models.UniqueConstraint(fields=["memo", "order"], name="memo_comment_unique_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def capacity_line(self) -> str:
        """The line printed under the signer's name and position when a substitute decided, as the correspondence
        regulation prints it: the capacity, then the holder's position (its first line), e.g. "รักษาราชการแทน
        ปลัดเทศบาลโป่งน้ำร้อน"; always Thai (a document); "" for a decision in one's own right or a typed block."""
        if self.transition is None or not self.transition.capacity or self.acting_for is None:
            return ""
        with translation.override("th"):
            capacity = str(Capacity(self.transition.capacity).label)
        return " ".join([capacity, *self.acting_for.position_lines[:1]])

    @property
    def signer_text(self) -> str:
        """Who signed this block, as the signature stamp names them: the official's name, and the capacity line
        on a second line when a substitute decided ("" without an official)."""
        if self.official is None:
            return ""
        return "\n".join(filter(None, [self.official.full_name, self.capacity_line]))


class IssuedDocument(models.Model):
    """A memo and its attachment as issued when the last person on the route approved it (issue 11, modelled on
    pretix's invoices): rendered once into one PDF whose bytes and SHA-256 are stored and served as they are,
    whatever happens to the data afterwards. A reopen and a new approval issue version 2, 3…; every version stays.

    The bytes are a ``BinaryField``, not a file in MEDIA_ROOT: a memo with its plan is 0.1–1 MB, and database
    backups then hold the register whole. Since issue 18 §4 the approval only numbers the memo and freezes what the
    document says (``MemoIssue``); the worker renders, signs and stores this row after the commit."""

    memo = models.ForeignKey(Memo, on_delete=models.PROTECT, related_name="issued", verbose_name=_("memo"))
    version = models.PositiveSmallIntegerField(_("version"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("organization")
    )
    document_number = models.CharField(_("document number"), max_length=100)
    register_year = models.PositiveSmallIntegerField(_("outgoing register year (BE)"))
    register_number = models.PositiveIntegerField(_("outgoing register number"))
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=500)
    addressee = models.CharField(_("addressee"), max_length=300)
    department = models.CharField(_("department"), max_length=300, blank=True)
    attachment = models.CharField(_("attached document"), max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("PDF"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    signed = models.BooleanField(_("digitally signed"), default=False)  # PAdES, reports.signing
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("issued by"),
    )

    class Meta:
        db_table = "reports_issueddocument"  # moved from reports (issue 19): the table keeps its name
        ordering = ["memo", "version"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [models.UniqueConstraint(fields=["memo", "version"], name="issued_document_unique_version")]

    def __str__(self) -> str:
        return f"{self.document_number} (v{self.version})"


class MemoIssue(models.Model):
    """One issue of an approved memo (issue 18 §4): what the approval froze and where the worker is with it.

    The approval (``services.document_issue``, under the memo's, the plan's and the organization's row locks)
    writes the register number and this row: ``html`` is the whole document as it prints at that moment — the memo,
    its decisions, the attached plan or report, the Garuda and signature images as data URIs — and ``fields`` the
    register's facts copied onto the ``IssuedDocument`` (document_number, register_year, register_number, date
    ISO, subject, addressee, department, attachment). After the commit the worker (``issuing.memo_issue_run``)
    renders ``html``, signs it and stores the ``IssuedDocument`` (``document``); nothing it does reads the plan
    again, so an edit after a reopen never reaches a PDF already approved. A failure is kept in ``error`` and
    retried (``attempts``, ``next_attempt_at``) up to ``settings.MEMO_ISSUE_ATTEMPTS`` times, then ``failed``
    until an admin retries it."""

    memo = models.ForeignKey(Memo, on_delete=models.PROTECT, related_name="issues", verbose_name=_("memo"))
    version = models.PositiveSmallIntegerField(_("version"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memo_issues", verbose_name=_("organization")
    )
    status = models.CharField(_("status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.QUEUED)
    html = models.TextField(_("document as approved"))
    fields = models.JSONField(_("register facts"), default=dict)
    filename = models.CharField(_("file name"), max_length=200)
    signer_name = models.CharField(_("signer"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("approved by"),
    )
    requested_at = models.DateTimeField(_("approved at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    document = models.OneToOneField(
        IssuedDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="issue",
        verbose_name=_("issued document"),
    )

    class Meta:
        db_table = "reports_memoissue"  # moved from reports (issue 19): the table keeps its name
        ordering = ["memo", "version"]
        verbose_name = _("issue of a memo")
        verbose_name_plural = _("issues of memos")
        constraints = [models.UniqueConstraint(fields=["memo", "version"], name="memo_issue_unique_version")]
        indexes = [models.Index(fields=["status"], name="memo_issue_status")]

    def __str__(self) -> str:
        return f"{self.fields.get('document_number', '')} (v{self.version}, {self.status})"

    @property
    def is_pending(self) -> bool:
        """Waiting for the worker or being rendered: the memo's page says กำลังออกเอกสาร."""
        return self.status in (IssueStatus.QUEUED, IssueStatus.RUNNING)

    @property
    def is_stale(self) -> bool:
        """Pending, but nothing has happened for ``settings.MEMO_ISSUE_STALE_SECONDS`` (the task was lost, the
        worker stopped or died): an admin may start it again."""
        if not self.is_pending:
            return False
        last = max(t for t in (self.requested_at, self.started_at, self.next_attempt_at) if t is not None)
        return (timezone.now() - last).total_seconds() > settings.MEMO_ISSUE_STALE_SECONDS

    @property
    def can_retry(self) -> bool:
        """Failed, or stale: an admin's retry is offered."""
        return self.status == IssueStatus.FAILED or self.is_stale
