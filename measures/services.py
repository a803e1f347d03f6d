"""Writes of plans, measures and progress. Every function is all or nothing (one transaction).

Rights are checked by the views (``organizations.permissions`` and ``selectors.measures_editable_by``); these
functions check what holds for every caller: approved (locked) items are not changed, and a form posted from
an older version of a measure or progress row is refused (optimistic concurrency).
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Transition
from approvals.services import transition_record
from assessments.models import Assessment
from core.services import model_update
from core.thai import fiscal_year_bounds, to_thai_digits
from core.uploads import EVIDENCE_TYPES, files_delete_on_commit, files_removed_on_rollback, random_file_name
from organizations.permissions import Rights

from .choices import ApprovalAction, ApprovalState
from .models import Measure, MeasurePlan, ProgressEntry, ProgressReport, Step
from .selectors import indicator_queryset_for
from .workflow import approval_target


class ConcurrentEditError(ValidationError):
    """Someone saved the item after the user opened the form; ``items`` names what changed."""

    def __init__(self, items: list[str]):
        self.items = items
        super().__init__(
            _("Someone else saved %(items)s after you opened this page. Nothing of yours was saved; your input is "
              "still on the form. Open the page again in a new tab to see their changes, then save again.")
            % {"items": ", ".join(items)},
            code="concurrent_edit",
        )


class LockedError(ValidationError):
    def __init__(self):
        super().__init__(_("This has been approved and is locked. An executive must reopen it before it can be "
                           "changed."), code="locked")


def refuse_if_approved(item: MeasurePlan | ProgressReport) -> None:
    """Raise ``LockedError`` when ``item`` is approved as read (no query): what a page checks before it offers a
    form; the writes check again with ``refuse_if_locked``, under the row lock."""
    if item.is_locked:
        raise LockedError


def refuse_if_locked(item: MeasurePlan | ProgressReport) -> None:
    """Raise ``LockedError`` when ``item`` is approved as stored now (not as read when the page opened).

    The item's row stays locked (``select_for_update``) until the caller's transaction ends, and approving
    locks the same row first (``approval_set``): an edit and an approval are serialized, so no edit slips in
    after an approval (issue 11)."""
    state = type(item).objects.select_for_update().filter(pk=item.pk).values_list("state", flat=True).first()
    if state == ApprovalState.APPROVED:
        raise LockedError


_refuse_if_locked = refuse_if_locked


class ProposalBasis(StrEnum):
    """What the new-plan form's proposals come from (issue 13): indicators below the target; else, when every
    indicator is at or above it, questions below it; else nothing is below it and the proposal keeps the
    standard."""

    INDICATORS = "indicators"
    QUESTIONS = "questions"
    STANDARD = "standard"
    UNKNOWN = "unknown"  # no indicator or question scores recorded: nothing to reason from, nothing proposed


@dataclass
class Proposal:
    """A draft measure proposed from an assessment: its indicator (number, or None for a question or the
    standard), the question codes it answers, title, issue and method, and — from last year's measure on the same
    indicator or question — its owner departments (ids) and steps (texts, in order)."""

    indicator: int | None
    title: str
    issue: str
    method: str
    question_codes: list[str] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    steps: str = ""


@dataclass
class Proposals:
    basis: ProposalBasis
    items: list[Proposal]


def _previous_measures(assessment: Assessment) -> list[Measure]:
    """The measures of the organization's latest plan before the one that ``assessment`` leads to (fiscal year
    ``assessment.fiscal_year`` + 1), with indicators, owners and steps prefetched; [] without one."""
    plan = (MeasurePlan.objects.filter(organization_id=assessment.organization_id,
                                       fiscal_year__lte=assessment.fiscal_year)
            .order_by("-fiscal_year").first())
    if plan is None:
        return []
    return list(plan.measures.prefetch_related("indicators", "owners", "steps"))


def _carried(measure: Measure | None) -> dict:
    if measure is None:
        return {}
    return {"owners": [d.pk for d in measure.owners.all()],
            "steps": "\n".join(step.text for step in measure.steps.all())}


_proposal_sources: list[Callable[..., list[Proposal]]] = []


def proposal_source_register(source: Callable[..., list[Proposal]]) -> None:
    """Adds ``source(*, assessment) -> list[Proposal]``, whose proposals ``proposed_measures`` adds after its own.
    ``oit`` registers the OIT items the organization failed in that year, with their owners (``OitConfig.ready``),
    so this app, below oit in the app order, proposes them without importing oit."""
    if source not in _proposal_sources:
        _proposal_sources.append(source)


def proposed_measures(*, assessment: Assessment) -> Proposals:
    """The proposals of ``_proposals_of_scores`` followed by those of the registered sources
    (``proposal_source_register``: oit's failed items). The basis stays that of the scores."""
    proposals = _proposals_of_scores(assessment=assessment)
    for source in _proposal_sources:
        proposals.items.extend(source(assessment=assessment))
    return proposals


def _proposals_of_scores(*, assessment: Assessment) -> Proposals:
    """The draft measures the new-plan form proposes from ``assessment`` (rule of issue 13; target 85, NACC):

    - one per indicator scoring below the framework's target, lowest score first — an indicator at or above the
      target is never named as weak;
    - when every indicator is at or above the target: one per question scoring below it, lowest first, with its
      code and text (e.g. o13 at 50.00 for อบต.บ้านพราน 2568);
    - when nothing is below the target: one measure that keeps the standard;
    - when the assessment records no indicator or question scores (only a total, e.g. dong-sombun 2562): nothing,
      since nothing is known to be weak or strong.

    The method is drawn from the recommendations of the analysis's findings on that indicator or question code.
    Each proposal carries the owners and steps of last year's measure on the same indicator (or question code),
    where there was one."""
    framework = assessment.framework
    target = framework.target if framework else Decimal("85")
    year = to_thai_digits(assessment.fiscal_year)
    target_text = to_thai_digits(f"{target:g}")
    scores = sorted(assessment.indicator_scores.select_related("indicator"),
                    key=lambda s: (s.score, s.indicator.number))
    analysis = getattr(assessment, "analysis", None)
    findings = list(analysis.findings.prefetch_related("indicators")) if analysis else []
    previous = _previous_measures(assessment)
    weak = [s for s in scores if s.score < target]
    if weak:
        items = []
        for score in weak:
            indicator = score.indicator
            values = {"number": to_thai_digits(indicator.number), "name": indicator.name,
                      "score": to_thai_digits(f"{score.score:.2f}"), "target": target_text, "year": year}
            method = "\n".join(f.recommendation for f in findings
                               if f.recommendation and any(i.pk == indicator.pk for i in f.indicators.all()))
            last = next((m for m in previous if any(i.number == indicator.number for i in m.indicators.all())), None)
            items.append(Proposal(
                indicator=indicator.number, title=_("Raise indicator %(number)s %(name)s") % values,
                issue=_("Indicator %(number)s %(name)s scored %(score)s in the ITA of %(year)s, below the target "
                        "of %(target)s.") % values, method=method, **_carried(last)))
        return Proposals(ProposalBasis.INDICATORS, items)
    all_questions = list(assessment.question_scores.all())
    if not scores and not all_questions:
        return Proposals(ProposalBasis.UNKNOWN, [])
    questions = sorted((q for q in all_questions if q.score is not None and q.score < target),
                       key=lambda q: (q.score, q.order, q.code))
    if questions:
        items = []
        for question in questions:
            code = question.code.upper()
            values = {"code": code, "score": to_thai_digits(f"{question.score:.2f}"), "target": target_text,
                      "year": year, "text": question.text}
            issue = (_("Question %(code)s (%(text)s) scored %(score)s in the ITA of %(year)s, below the target of "
                       "%(target)s.") if question.text else
                     _("Question %(code)s scored %(score)s in the ITA of %(year)s, below the target of %(target)s."))
            related = [f for f in findings if question.code.lower() in {c.lower() for c in f.question_codes or []}]
            last = next((m for m in previous
                         if question.code.lower() in {c.lower() for c in m.question_codes or []}), None)
            items.append(Proposal(
                indicator=None, title=_("Improve question %(code)s") % values, issue=issue % values,
                method="\n".join(f.recommendation for f in related if f.recommendation),
                question_codes=[question.code], **_carried(last)))
        return Proposals(ProposalBasis.QUESTIONS, items)
    return Proposals(ProposalBasis.STANDARD, [Proposal(
        indicator=None, title=_("Keep the standard of integrity and transparency"),
        issue=_("Every indicator and every question of the ITA of %(year)s is at or above the target of "
                "%(target)s.") % {"year": year, "target": target_text},
        method=_("Keep doing what earned this result, publish it on time, and check it again before the next "
                 "assessment."), **_carried(previous[0] if previous else None))])


@transaction.atomic
def plan_create(*, organization, fiscal_year: int, title: str, introduction: str, measures: list[Proposal],
                assessment: Assessment | None = None) -> MeasurePlan:
    """Create the plan of ``fiscal_year`` (BE) with ``measures``: the proposals kept on the new-plan form (the
    ``Proposal`` of ``proposed_measures``, as the user edited it), numbered 1, 2 … in order, each linked to its
    indicator of the plan's framework (an indicator number the framework lacks is left out), with the whole fiscal
    year (1 Oct – 30 Sep) as timeframe, its owners (department ids) and its steps (one per line; blank lines
    dropped). Raises ``ValidationError`` (a second plan for the year) and saves nothing."""
    plan = MeasurePlan(organization=organization, assessment=assessment, fiscal_year=fiscal_year, title=title,
                       introduction=introduction)
    plan.full_clean()
    plan.save()
    start, end = fiscal_year_bounds(plan.fiscal_year)
    indicators = {i.number: i for i in indicator_queryset_for(plan)}
    for number, proposal in enumerate(measures, start=1):
        title, method = proposal.title.strip(), proposal.method.strip()
        steps = [line.strip() for line in proposal.steps.splitlines() if line.strip()]
        measure = Measure.objects.create(
            plan=plan, number=number, title=title, issue=proposal.issue.strip(), method=method,
            timeframe_start=start, timeframe_end=end, question_codes=list(proposal.question_codes),
            search_text=Measure.search_text_of(title=title, method=method, steps=steps),
        )
        if proposal.indicator in indicators:
            measure.indicators.set([indicators[proposal.indicator]])
        if proposal.owners:
            measure.owners.set(proposal.owners)
        Step.objects.bulk_create(Step(measure=measure, order=n, text=text) for n, text in enumerate(steps, 1))
    measure_statuses_refresh(measures=Measure.all_objects.filter(plan=plan))
    return plan


PLAN_FIELDS = ("fiscal_year", "assessment", "title", "introduction")  # what ``plan_update`` may change


@transaction.atomic
def plan_update(*, plan: MeasurePlan, fiscal_year: int, assessment: Assessment | None, title: str,
                introduction: str) -> MeasurePlan:
    """Change a plan's year, title, introduction and the assessment it is based on. Raises ``LockedError`` on an
    approved plan."""
    _refuse_if_locked(plan)
    data = {"fiscal_year": fiscal_year, "title": title, "introduction": introduction, "assessment": assessment}
    model_update(plan, fields=list(PLAN_FIELDS), data=data)
    measure_statuses_refresh(measures=Measure.all_objects.filter(plan=plan))
    return plan


# What ``measure_save`` sets from ``data``, besides the many-to-many ``indicators``, ``owners`` and ``findings``.
MEASURE_FIELDS = ("number", "title", "issue", "question_codes", "method", "owner_note", "timeframe_start",
                  "timeframe_end", "timeframe_text", "monitoring")


class OwnDepartmentRemovalError(ValidationError):
    """Staff took their own department off a measure's owners without confirming: once saved they could no
    longer edit it nor report on it (issue 13 §2). A non-field error; the page then offers the confirmation box."""

    def __init__(self):
        super().__init__({NON_FIELD_ERRORS: [ValidationError(
            _("Your department is no longer among the owners: once saved, you can no longer edit this measure or "
              "report on it. Tick the confirmation below to save anyway."), code="own_department_removal")]})


def measure_owners_check(*, measure: Measure | None, owners, rights: Rights,
                         confirm_own_department_removal: bool = False) -> None:
    """The rules of who owns a measure a member saves (issue 13 §2), for ``owners`` (departments or their ids):

    - a measure that staff add (``measure`` None, ``rights`` not ``can_manage``) must be owned by their own
      department, among others — else ``ValidationError`` on ``owners``;
    - taking the editor's own department off a stored measure's owners needs
      ``confirm_own_department_removal`` — else ``OwnDepartmentRemovalError`` (non-field).

    Reads ``measure.owners`` (one query); writes nothing."""
    owner_ids = {getattr(d, "pk", d) for d in owners}
    if measure is None:
        if not rights.can_manage and rights.department_id not in owner_ids:
            raise ValidationError({"owners": [ValidationError(
                _("A measure you add must be owned by your department, among others."),
                code="own_department_required")]})
    elif (not confirm_own_department_removal
          and rights.takes_own_department_away(before=measure.owners.all(), after=owner_ids)):
        raise OwnDepartmentRemovalError


@transaction.atomic
def measure_save(*, plan: MeasurePlan, measure: Measure | None, data: dict, steps: list[str],
                 version: int | None, rights: Rights | None, confirm_own_department_removal: bool = False) -> Measure:
    """Create (``measure`` None) or update a measure of ``plan`` from ``MeasureForm`` data (the names of
    ``MEASURE_FIELDS`` and the many-to-many ``indicators``, ``owners``, ``findings``), its steps replaced by
    ``steps`` (texts in order; a step keeps its history row when its position is kept); its ``search_text`` from
    the title, method and ``steps``.

    ``rights``: the editor's rights in the plan's organization (``organizations.permissions.rights_of``); the
    owner rules of ``measure_owners_check`` apply to them (a staff member's new measure is owned by their
    department; dropping their own department needs ``confirm_own_department_removal``). None for a write that
    no member makes (a loader, the tests of other rules): no owner rule applies. Whether the editor may edit
    this measure at all stays with the view (``selectors.measures_editable_by``, 403).

    Raises ``LockedError`` when the plan is approved, ``ValidationError`` (keyed ``owners``) or
    ``OwnDepartmentRemovalError`` for the owner rules, and ``ConcurrentEditError`` when ``version`` is not the
    stored version (someone saved in between); nothing is saved then.
    """
    if rights is not None:
        measure_owners_check(measure=measure, owners=data.get("owners", []), rights=rights,
                             confirm_own_department_removal=confirm_own_department_removal)
    _refuse_if_locked(plan)
    data = dict(data)
    indicators, owners, findings = data.pop("indicators", []), data.pop("owners", []), data.pop("findings", [])
    data.pop("version", None)
    if measure is not None:
        bumped = Measure.objects.filter(pk=measure.pk, version=version).update(version=F("version") + 1)
        if not bumped:
            raise ConcurrentEditError([_("measure %(number)s") % {"number": measure.number}])
        measure.refresh_from_db(fields=["version"])
    else:
        measure = Measure(plan=plan)
    for name in MEASURE_FIELDS:  # the allow-list: other keys of ``data`` are ignored
        if name in data:
            setattr(measure, name, data[name])
    measure.search_text = Measure.search_text_of(title=measure.title, method=measure.method, steps=steps)
    measure.full_clean(validate_unique=False)
    measure.save()
    measure.indicators.set(indicators)
    measure.owners.set(owners)
    measure.findings.set(findings)
    existing = {step.order: step for step in measure.steps.all()}
    for order, text in enumerate(steps, start=1):
        step = existing.pop(order, None)
        if step is None:
            Step.objects.create(measure=measure, order=order, text=text)
        elif step.text != text:
            step.text = text
            step.save()
    for step in existing.values():
        step.delete()
    measure_statuses_refresh(measures=Measure.all_objects.filter(pk=measure.pk))
    return measure


def measure_search_text_refresh(*, measure: Measure) -> None:
    """Store ``measure.search_text`` again from its stored title, method and steps (one query for the steps, one
    update): for writes that do not pass through ``measure_save`` (the Django admin's measure page)."""
    steps = measure.steps.order_by("order").values_list("text", flat=True)
    measure.search_text = Measure.search_text_of(title=measure.title, method=measure.method, steps=steps)
    Measure.all_objects.filter(pk=measure.pk).update(search_text=measure.search_text)


def measure_number_next(*, plan: MeasurePlan) -> int:
    """The number the next measure of ``plan`` takes: the largest number among its measures that are not deleted,
    plus one (1 for a plan without measures). The add form proposes it; a restored measure whose number was taken
    meanwhile gets it."""
    return (plan.measures.order_by("-number").values_list("number", flat=True).first() or 0) + 1


@transaction.atomic
def measure_delete(*, measure: Measure, user) -> None:
    """Delete a measure recoverably (``deleted_at``/``deleted_by`` set; steps and progress kept).
    Raises ``LockedError`` when its plan is approved."""
    _refuse_if_locked(measure.plan)
    measure.deleted_at = timezone.now()
    measure.deleted_by = user
    measure.save(update_fields=["deleted_at", "deleted_by"])


@transaction.atomic
def measure_restore(*, measure: Measure) -> Measure:
    """Bring a deleted measure back. If another measure took its number meanwhile, it gets the next free
    number. Raises ``LockedError`` when its plan is approved."""
    _refuse_if_locked(measure.plan)
    if measure.plan.measures.filter(number=measure.number).exists():
        measure.number = measure_number_next(plan=measure.plan)
    measure.deleted_at = None
    measure.deleted_by = None
    measure.save()
    return measure


REPORT_FIELDS = ("round", "period_start", "period_end", "title", "summary")  # what progress_report_save sets


@transaction.atomic
def progress_report_save(*, plan: MeasurePlan, report: ProgressReport | None, round: str,
                         period_start: dt.date, period_end: dt.date, title: str, summary: str) -> ProgressReport:
    """Create or update a report's round, period, title and summary. Raises ``LockedError`` when the report is
    approved (an approved plan still takes reports: approving the plan locks its measures, not their progress),
    ``ValidationError`` on a second report of a round."""
    if report is not None:
        _refuse_if_locked(report)
    report = report or ProgressReport(plan=plan)
    data = {"round": round, "period_start": period_start, "period_end": period_end, "title": title,
            "summary": summary}
    model_update(report, fields=list(REPORT_FIELDS), data=data)
    measure_statuses_refresh(measures=Measure.all_objects.filter(plan=plan))
    return report


# What ``progress_entries_save`` sets from a row's ``data`` (the evidence file and the version are handled apart).
ENTRY_FIELDS = ("status", "result", "date_done", "date_text", "evidence", "evidence_url", "recommendation")


@dataclass
class EntryInput:
    """One row posted for a progress report: the measure, the cleaned ``ProgressEntryForm`` data and the
    version the user started from (0 for a row that had no entry)."""

    measure: Measure
    data: dict
    version: int


def progress_entries_save(*, report: ProgressReport, rows: list[EntryInput]) -> list[ProgressEntry]:
    """Create or update the entries of ``report`` for ``rows``. All rows or none: raises ``LockedError`` on an
    approved report and ``ConcurrentEditError`` naming every measure whose row someone saved meanwhile.

    Evidence files (``data["evidence_file"]``: an upload cleaned by ``EvidenceFileField``, whose ``name`` is the
    download name with the detected extension; ``None`` or the stored file keeps it, ``False`` clears it): a new file is
    stored as ``evidence/<year>/<month>/<32 hex digits>.<detected extension>`` and its download name kept in
    ``evidence_filename``. A replaced or cleared file is deleted once the transaction commits; the files this
    call wrote are deleted if it fails (rolled back)."""
    with files_removed_on_rollback() as written, transaction.atomic():
        return _progress_entries_save(report=report, rows=rows, written=written)


def _progress_entries_save(*, report, rows, written) -> list[ProgressEntry]:
    _refuse_if_locked(report)
    stale, saved, replaced = [], [], []
    for row in rows:
        entry = ProgressEntry.objects.select_for_update().filter(report=report, measure=row.measure).first()
        current = entry.version if entry else 0
        if current != row.version:
            stale.append(_("measure %(number)s") % {"number": row.measure.number})
            continue
        entry = entry or ProgressEntry(report=report, measure=row.measure, version=0)
        old_file = entry.evidence_file.name or ""
        for name in ENTRY_FIELDS:  # the allow-list: other keys of ``data`` are ignored
            if name in row.data:
                setattr(entry, name, row.data[name])
        upload = row.data.get("evidence_file")
        if upload is False:  # "remove the file" ticked
            entry.evidence_file, entry.evidence_filename = "", ""
        elif isinstance(upload, UploadedFile):  # else None or the stored file: kept
            extension = upload.name.rsplit(".", 1)[-1].lower()
            if extension not in EVIDENCE_TYPES:  # EvidenceFileField names every upload it passes after its type
                raise ValueError(f"evidence upload not checked by EvidenceFileField: {upload.name!r}")
            entry.evidence_filename = upload.name
            entry.evidence_file.save(random_file_name(extension), upload, save=False)
            written.append((entry.evidence_file.storage, entry.evidence_file.name))
        entry.version += 1
        entry.full_clean(validate_unique=False)
        entry.save()
        saved.append(entry)
        if old_file and old_file != entry.evidence_file.name:
            replaced.append(old_file)
    if stale:
        raise ConcurrentEditError(stale)
    files_delete_on_commit(ProgressEntry._meta.get_field("evidence_file"), replaced)
    measure_statuses_refresh(measures=Measure.all_objects.filter(pk__in=[entry.measure_id for entry in saved]))
    return saved


def measure_statuses_refresh(*, measures: QuerySet[Measure]) -> None:
    """Store on each of ``measures`` (deleted ones included) its ``latest_status`` — the status of its entry in
    the report with the latest period end (ties: the later report), ``""`` when that entry states none, NULL
    when it has no entry — and its ``due_date`` (``Measure.due_date_for``: the timeframe's end, else 30 Sep of
    the plan's fiscal year). Two or three UPDATEs in SQL whatever the number of measures; call it whenever
    entries, report periods, timeframes or a plan's year change, and after bulk loads."""
    ids = measures.values("pk")
    targets = Measure.all_objects.filter(pk__in=ids)
    latest = ProgressEntry.objects.filter(measure=OuterRef("pk")).order_by("-report__period_end", "-report_id")
    targets.update(latest_status=Subquery(latest.values("status")[:1]))
    targets.filter(timeframe_end__isnull=False).update(due_date=F("timeframe_end"))
    phrase_only = targets.filter(timeframe_end__isnull=True)
    for fiscal_year in phrase_only.values_list("plan__fiscal_year", flat=True).distinct().order_by():
        due = Measure.due_date_for(timeframe_end=None, fiscal_year=fiscal_year)
        phrase_only.filter(plan__fiscal_year=fiscal_year).update(due_date=due)


@transaction.atomic
def approval_set(*, item: MeasurePlan | ProgressReport, user, approved: bool, note: str = "") -> Transition:
    """Approve (lock) or reopen a plan or a progress report through the transition table (``measures.workflow``):
    ``state`` becomes approved or draft, ``approved_at``/``approved_by`` are set to now and ``user`` (cleared on a
    reopen), and the transition is appended to the approval log (``approvals.Transition``: who, from, to, when,
    ``note`` as its comment — through which memo), which a reopen never erases. Returns that log row.

    The item's row is locked first (``select_for_update``) and its state read there, like every edit's lock check
    (``refuse_if_locked``): an approval waits for an edit in progress, an edit after it is refused, and of two
    approvals at once the second is refused. Raises ``workflow.ApprovalRefused`` (a ``ValidationError``, Thai
    message) when the item is already approved (``approved``) or not approved (a reopen); nothing changes then."""
    state = type(item).objects.select_for_update().filter(pk=item.pk).values_list("state", flat=True).get()
    action = ApprovalAction.APPROVE if approved else ApprovalAction.REOPEN
    target = approval_target(action=action, state=state)
    now = timezone.now()
    item.state = target
    item.approved_at = now if approved else None
    item.approved_by = user if approved else None
    item.save(update_fields=["state", "approved_at", "approved_by"])
    return transition_record(item=item, action=action, from_state=state, to_state=target, user=user, at=now,
                             comment=note)


_reopen_handlers: list[Callable[..., None]] = []


def reopen_handler_register(handler: Callable[..., None]) -> None:
    """Adds ``handler(*, item, user)``, run by ``approval_reopen`` before the plan or report itself is reopened.
    ``memos`` registers the reopen of the approved memos that carry the item (``MemosConfig.ready``), so this app,
    below memos in the app order, reopens them without importing memos."""
    if handler not in _reopen_handlers:
        _reopen_handlers.append(handler)


@transaction.atomic
def approval_reopen(*, item: MeasurePlan | ProgressReport, user) -> None:
    """The one-click reopen of a plan or report: the registered handlers first (memos: the approved memos that
    carry it are reopened through their route, so their trail records it, and that reopens the item), then the item
    itself (a transition in the approval log) if it is still approved."""
    for handler in _reopen_handlers:
        handler(item=item, user=user)
    if type(item).objects.filter(pk=item.pk, state=ApprovalState.APPROVED).exists():
        approval_set(item=item, user=user, approved=False)
