"""The OIT disclosure checklist (../shared/domain/oit.md).

- ``ItemList``/``Item``/``Element``: NACC's items of one fiscal year, loaded from ``data/oit/<year>.yaml`` and
  corrected by a national administrator (history kept); ``ItemList.version`` grows with every correction.
- ``Checklist``/``ChecklistEntry``/``Evidence``: one organization's work on those items for a fiscal year: owners,
  due dates, the URL on its main website, each element's evidence, a status.
- ``ReadinessRun``/``UrlCheck``/``Problem``: the readiness check (ตรวจความพร้อม OIT), run in the worker.
- ``ItemResult``: NACC's result per item after scoring (100/0), the clarification and the final result.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organizations.models import Department, Organization

from .choices import ChecklistState, EntryStatus, EvidenceKind, Grade, Period, PortalDocument, ProblemKind, RunStatus


class ItemList(models.Model):
    """NACC's list of OIT items for one fiscal year (BE), with the year's OIT calendar. ``version`` grows by one
    at each correction of an item or element, so a checklist can say which version it was made from.
    ``complete`` False: a partial list (only the items its sources name, e.g. 2565 for seed 003's codes), so a
    code missing from it is "not in the stored part", not "not in the list"; ``note`` says what it holds."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    source = models.CharField(_("source"), max_length=500, blank=True)
    entry_opens = models.DateField(_("entry window opens"), null=True, blank=True)
    entry_closes = models.DateField(_("entry window closes"), null=True, blank=True)
    clarification_opens = models.DateField(_("clarification window opens"), null=True, blank=True)
    clarification_closes = models.DateField(_("clarification window closes"), null=True, blank=True)
    complete = models.BooleanField(_("complete list"), default=True,
                                   help_text=_("Unticked: the list holds only the items its sources name."))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("OIT item list")
        verbose_name_plural = _("OIT item lists")

    def __str__(self) -> str:
        return f"OIT {self.fiscal_year}"


class Item(models.Model):
    """One OIT item (O1…O26 in 2568/2569) of a year's list. ``code`` is stored canonical: upper-case O and
    Arabic digits (``oit.codes.code_normalise``). ``previous_code`` is the code of the same topic in the previous
    year's list (blank: new topic). ``to_confirm``: the elements are only what the title implies (oit.md grade
    I or N), to be checked against the year's NACC manual. ``portal_document``: which of the portal's issued
    documents shows the item (``PortalDocument``; blank: none), from the year's file. ``corrected_at``/
    ``corrected_by``: the last correction on the portal's page (``oit.items.item_update``); the file loader leaves
    such an item alone unless told to overwrite it."""

    item_list = models.ForeignKey(ItemList, on_delete=models.CASCADE, related_name="items",
                                  verbose_name=_("item list"))
    code = models.CharField(_("code"), max_length=8)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=500)
    indicator_number = models.PositiveSmallIntegerField(_("indicator"), null=True, blank=True)
    sub_area = models.CharField(_("sub-area"), max_length=200, blank=True)
    period = models.CharField(_("period"), max_length=16, choices=Period.choices, default=Period.NONE)
    previous_code = models.CharField(_("code in the previous year's list"), max_length=8, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, default=Grade.INFERRED)
    to_confirm = models.BooleanField(_("to confirm against the manual"), default=False)
    portal_document = models.CharField(_("the portal's own document"), max_length=16, blank=True,
                                       choices=PortalDocument.choices)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("corrected by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["item_list", "order", "code"]
        verbose_name = _("OIT item")
        verbose_name_plural = _("OIT items")
        constraints = [models.UniqueConstraint(fields=["item_list", "code"], name="oit_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Element(models.Model):
    """One required element of an item: one checkable sentence (e.g. "shows the year 2569")."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="elements", verbose_name=_("item"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("element"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "order", "pk"]
        verbose_name = _("OIT element")
        verbose_name_plural = _("OIT elements")

    def __str__(self) -> str:
        return self.text


class Checklist(models.Model):
    """One organization's OIT checklist for a fiscal year, made from ``item_list`` at ``list_version``. A change
    to an entry's content after it was marked ready puts it back to open, saying why in ``reopened_note``
    (``oit.checklists.entry_update``); marking it ready again clears the note (the audit log keeps both)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="oit_checklists",
                                     verbose_name=_("organization"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    item_list = models.ForeignKey(ItemList, on_delete=models.PROTECT, related_name="checklists",
                                  verbose_name=_("item list"))
    list_version = models.PositiveIntegerField(_("item list version"))
    state = models.CharField(_("state"), max_length=16, choices=ChecklistState.choices, default=ChecklistState.OPEN)
    ready_at = models.DateTimeField(_("marked ready at"), null=True, blank=True)
    ready_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("marked ready by"))
    reopened_note = models.CharField(_("reopened because"), max_length=500, blank=True,
                                     help_text=_("Why the checklist went back to preparation after it was marked "
                                                 "ready to submit (oit.checklists.entry_update)."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Derived counts, so lists of thousands of organizations filter and sort in SQL; written only by
    # ``oit.results.checklist_counts_refresh``, called by checklist_create, entry_update and the readiness check.
    items_ready = models.PositiveSmallIntegerField(_("items ready"), default=0)
    items_total = models.PositiveSmallIntegerField(_("items"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    dead_link_count = models.PositiveIntegerField(_("dead links"), default=0)

    class Meta:
        ordering = ["organization", "-fiscal_year"]
        verbose_name = _("OIT checklist")
        verbose_name_plural = _("OIT checklists")
        constraints = [
            models.UniqueConstraint(fields=["organization", "fiscal_year"], name="oit_checklist_unique_year",
                                    violation_error_message=_("This organization already has an OIT checklist "
                                                              "for that fiscal year.")),
        ]
        indexes = [  # the overview's filters on a year's checklists (readiness below x, has dead links)
            models.Index(fields=["fiscal_year", "items_ready", "items_total", "dead_link_count", "organization"],
                         name="oit_checklist_year_counts"),
        ]

    def __str__(self) -> str:
        return f"OIT {self.organization} {self.fiscal_year}"


class ChecklistEntry(models.Model):
    """One item of an organization's checklist: who owns it, by when, the URL given to NACC on the main website
    and the text telling the assessor where on the page, and the status of the work."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="entries",
                                  verbose_name=_("checklist"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="entries", verbose_name=_("item"))
    owners = models.ManyToManyField(Department, blank=True, related_name="oit_entries",
                                    verbose_name=_("owner departments"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    url = models.URLField(_("URL on the main website"), max_length=1000, blank=True)
    where = models.TextField(_("where on the page"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=EntryStatus.choices,
                              default=EntryStatus.NOT_STARTED)
    is_public = models.BooleanField(_("public"), default=True)
    history = HistoricalRecords(m2m_fields=[owners])

    class Meta:
        ordering = ["checklist", "item__order", "item__code"]
        verbose_name = _("OIT checklist item")
        verbose_name_plural = _("OIT checklist items")
        constraints = [models.UniqueConstraint(fields=["checklist", "item"], name="oit_entry_unique_item")]
        indexes = [models.Index(fields=["checklist", "status"], name="oit_entry_checklist_status")]

    def __str__(self) -> str:
        return str(self.item)


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    return f"oit/{instance.entry.checklist.organization_id}/{instance.entry.checklist.fiscal_year}/{filename}"


class Evidence(models.Model):
    """What shows one element of an entry: ticked (``done``) with a URL, an uploaded file or an issued document
    of the portal (O25: the year's plan; O26: last year's report). A copied year's evidence starts unticked."""

    entry = models.ForeignKey(ChecklistEntry, on_delete=models.CASCADE, related_name="evidence",
                              verbose_name=_("checklist item"))
    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="+", verbose_name=_("element"))
    done = models.BooleanField(_("done"), default=False)
    kind = models.CharField(_("kind of evidence"), max_length=16, choices=EvidenceKind.choices, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)  # as uploaded: the download name
    document = models.ForeignKey("memos.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("issued document"))
    is_public = models.BooleanField(_("public"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "element__order", "pk"]
        verbose_name = _("OIT evidence")
        verbose_name_plural = _("OIT evidence")
        constraints = [models.UniqueConstraint(fields=["entry", "element"], name="oit_evidence_unique_element")]

    def __str__(self) -> str:
        return str(self.element)


class ReadinessRun(models.Model):
    """One run of the readiness check of a checklist, in the worker: queued, running, done or failed."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="runs",
                                  verbose_name=_("checklist"))
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    items_ready = models.PositiveSmallIntegerField(_("items without problems"), default=0)
    items_total = models.PositiveSmallIntegerField(_("items"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    dead_link_count = models.PositiveIntegerField(_("dead links"), default=0)
    urls_total = models.PositiveIntegerField(_("links to check"), default=0)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        ordering = ["checklist", "-requested_at"]
        verbose_name = _("OIT readiness check")
        verbose_name_plural = _("OIT readiness checks")
        indexes = [models.Index(fields=["checklist", "-requested_at"], name="oit_run_latest")]

    def __str__(self) -> str:
        return f"{self.checklist} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class UrlCheck(models.Model):
    """One URL fetched by a run: what came back (``status_code`` None: no answer, see ``error``) and whether the
    year the item's period requires appears in the text (None: not HTML/PDF, or no year required)."""

    run = models.ForeignKey(ReadinessRun, on_delete=models.CASCADE, related_name="url_checks",
                            verbose_name=_("readiness check"))
    url = models.URLField(_("URL"), max_length=1000)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("final URL"), max_length=1000, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    years_found = models.JSONField(_("years found"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        ordering = ["run", "pk"]
        verbose_name = _("URL check")
        verbose_name_plural = _("URL checks")

    def __str__(self) -> str:
        return self.url

    @property
    def message(self) -> str:
        """The Thai (active language) message of ``error`` ("" when none): ``oit.fetch.ERRORS``."""
        from .fetch import fetch_error_message

        return fetch_error_message(self.error, status_code=self.status_code)

    @property
    def type_label(self) -> str:
        """The content type as readers know it: "HTML", "PDF", else the type itself ("" when none)."""
        return {"text/html": "HTML", "application/xhtml+xml": "HTML", "application/pdf": "PDF"}.get(
            self.content_type, self.content_type)


class Problem(models.Model):
    """One problem a run found on one entry (its Thai message and what to fix: ``oit.readiness``)."""

    run = models.ForeignKey(ReadinessRun, on_delete=models.CASCADE, related_name="problems",
                            verbose_name=_("readiness check"))
    entry = models.ForeignKey(ChecklistEntry, on_delete=models.CASCADE, related_name="problems",
                              verbose_name=_("checklist item"))
    kind = models.CharField(_("problem"), max_length=16, choices=ProblemKind.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)

    class Meta:
        ordering = ["run", "entry", "kind"]
        verbose_name = _("OIT problem")
        verbose_name_plural = _("OIT problems")

    def __str__(self) -> str:
        return f"{self.entry}: {self.get_kind_display()}"

    @property
    def message(self) -> str:
        """What is wrong and what to fix, in the active language (``oit.readiness.problem_message``)."""
        from .readiness import problem_message

        return problem_message(self)


class ItemResult(models.Model):
    """NACC's result of one item for one organization and year, after scoring: passed (100) or failed (0), the
    clarification filed in the window, and the final result after it (None: not yet known)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="oit_results",
                                     verbose_name=_("organization"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="results", verbose_name=_("item"))
    passed = models.BooleanField(_("passed"))
    clarification_until = models.DateField(_("clarification until"), null=True, blank=True)
    clarification = models.TextField(_("clarification filed"), blank=True)
    final_passed = models.BooleanField(_("final result: passed"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "-fiscal_year", "item__order"]
        verbose_name = _("OIT item result")
        verbose_name_plural = _("OIT item results")
        constraints = [models.UniqueConstraint(fields=["organization", "fiscal_year", "item"],
                                               name="oit_result_unique_item")]

    def __str__(self) -> str:
        return f"{self.organization} {self.fiscal_year} {self.item.code}"

    @property
    def result_passed(self) -> bool:
        """The result that counts: the final one when known, else the first."""
        return self.passed if self.final_passed is None else self.final_passed
