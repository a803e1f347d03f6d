"""Issuing an approved memo in the background worker (issue 18 §4; pretix's ``invoice_pdf_task``).

Approving used to render and sign the PDF (and call a time-stamping server) while it held the row locks of the memo,
the plan and the organization: 2.5–3.3 s a memo, and every other approval of the organization waited. Now:

1. **In the approval's transaction** (``services.memo_decide`` → ``services.document_issue``): the state, the
   transition, the register number and ``issue_freeze`` — one ``MemoIssue`` row holding the document as it prints now
   (its HTML, ``issue_build``: about 20 ms, built under the memo's and the plan's locks *before* the organization's
   row is locked for the number, which then only fills it in) and the register's facts. ``transaction.on_commit``
   enqueues ``memo_issue_run``.
2. **In the worker** (``manage.py db_worker``), after the commit: ``memo_issue_run`` renders the frozen HTML (in a
   forked child capped like the other background renders, ``rendering.render_pdf_limited``), passes the bytes
   through ``seal_pdf`` (PAdES signature, time stamp) and stores the ``IssuedDocument``. Until then the memo's page
   says "กำลังออกเอกสาร".
3. **A failure** is recorded on the issue (``error``) and retried automatically, ``settings.MEMO_ISSUE_ATTEMPTS`` in
   all, the n-th retry ``MEMO_ISSUE_RETRY_SECONDS × n`` later; then the issue is ``failed``, shown on the memo's page,
   the register and the clerk's page, listed by ``manage.py memo_issues``, and an organization admin may retry it
   (``memo_issue_retry``). An issue that made no progress for ``MEMO_ISSUE_STALE_SECONDS`` (a lost task, a stopped
   worker) is flagged and may be retried the same way.

The render reads nothing but the frozen HTML (images are data URIs in it; fonts and CSS are the deployment's files),
so what the PDF says is what the approver approved, whatever is edited after a reopen.
"""
import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.tasks import task
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _

from core.templatetags.thai import thai_digits
from organizations.models import Organization
from reports.documents import document_html
from reports.rendering import ERRORS as RENDER_ERRORS
from reports.rendering import RenderRefused, render_pdf_limited
from reports.signing import SigningError, SignResult, sign_pdf

from . import notifications
from .choices import IssueStatus, MemoAction
from .documents import issued_memo_document
from .models import IssuedDocument, Memo, MemoIssue

logger = logging.getLogger(__name__)


def seal_pdf(content: bytes, *, organization: Organization, signer_name: str = "") -> SignResult:
    """The last step every issued PDF passes through before it is stored and hashed: the PAdES signature of the
    organization's certificate, else the deployment's (``reports.signing.sign_pdf``; issue 11 part 4). Without a
    certificate the bytes come back unchanged with ``signed`` False, and the portal says the PDF is unsigned.
    Raises ``SigningError`` when a configured certificate cannot sign (the issue then fails and is retried)."""
    return sign_pdf(content, organization=organization, signer_name=signer_name,
                    reason=_("Issued by the ITA portal"))


# Where the document number prints while the document is built before the number is taken (no digits, nothing to
# escape: ``thai_digits`` and autoescaping leave it as it is).
NUMBER_PLACEHOLDER = "ITAREGISTERNUMBERPENDING"


@dataclass(frozen=True)
class FrozenDocument:
    """A memo's document as built for issuing: its file name stem and HTML."""

    stem: str
    html: str


def issue_build(*, memo: Memo, numbered_later: bool = False) -> FrozenDocument:
    """Build what ``memo`` and its attachment print now (``documents.issued_memo_document`` → HTML; about 20 ms for a
    memo and a plan of 10 measures, 2 ms more a measure). With ``numbered_later`` the document number prints as
    ``NUMBER_PLACEHOLDER``, for ``issue_freeze`` to fill in once the number is taken: the approval builds the
    document under the memo's and the plan's row locks, before it takes the organization's."""
    number = memo.document_number
    if numbered_later:
        memo.document_number = NUMBER_PLACEHOLDER
    try:
        document = issued_memo_document(memo)
        return FrozenDocument(document.stem, document_html(document))
    finally:
        memo.document_number = number


def issue_freeze(*, memo: Memo, user, built: FrozenDocument | None = None) -> MemoIssue:
    """Freeze what ``memo`` (approved, numbered) prints as its next issued version and have the worker issue it once
    the current transaction commits. Called inside the approval's transaction, under its locks. ``built`` is the
    document built before the number was taken (``issue_build(numbered_later=True)``); its placeholder gets the
    number as the template prints it (Thai digits, escaped). Without it, or when the placeholder is not printed
    exactly once, the document is built now.

    The version is the next after every issued document and every issue of the memo (1, 2…; a reopened and
    re-approved memo keeps its number and gets the next version). Returns the ``MemoIssue`` (status queued)."""
    if built is not None and built.html.count(NUMBER_PLACEHOLDER) == 1:
        built = FrozenDocument(built.stem, built.html.replace(
            NUMBER_PLACEHOLDER, str(conditional_escape(thai_digits(memo.document_number)))))
    else:
        built = issue_build(memo=memo)
    last = max(memo.issued.aggregate(last=Max("version"))["last"] or 0,
               memo.issues.aggregate(last=Max("version"))["last"] or 0)
    version = last + 1
    attached = memo.plan or memo.progress_report
    fields = {
        "document_number": memo.document_number, "register_year": memo.register_year,
        "register_number": memo.register_number, "date": memo.date.isoformat(), "subject": memo.subject,
        "addressee": memo.addressee,
        "department": memo.department_line or (memo.department.name if memo.department_id else ""),
        "attachment": str(attached or "")[:300],
    }
    issue = MemoIssue.objects.create(
        memo=memo, version=version, organization_id=memo.organization_id, html=built.html, fields=fields,
        filename=f"{built.stem}-v{version}.pdf", requested_by=user, requested_at=timezone.now(),
        signer_name=approver_text(memo),
    )
    transaction.on_commit(lambda: issue_enqueue(issue.pk))
    return issue


def approver_text(memo: Memo) -> str:
    """Whom the signature stamp of an issued memo names: the official printed under the memo's latest approval,
    with the capacity line when a substitute approved (``MemoComment.signer_text``), never the log-in account
    (issue 22 §3); "" without an approval block, and the stamp then names the certificate."""
    block = (memo.comments.filter(transition__action=MemoAction.APPROVE)
             .select_related("official", "acting_for", "transition").order_by("-order").first())
    return block.signer_text if block is not None else ""


def issue_enqueue(issue_id: int, *, run_after=None) -> None:
    """Hand the issue to the worker (``memo_issue_run``), after ``run_after`` when the backend can defer. A failure
    to enqueue is logged and leaves the issue queued: it turns stale and is flagged (``MemoIssue.is_stale``)."""
    runner = memo_issue_run
    if run_after is not None and runner.get_backend().supports_defer:
        runner = runner.using(run_after=run_after)
    try:
        result = runner.enqueue(issue_id)
    except Exception:
        logger.exception("Could not enqueue the issue %s", issue_id)
        return
    MemoIssue.objects.filter(pk=issue_id).update(task_id=str(result.id)[:64])


def render_issue(html: str) -> bytes:
    """The PDF of a frozen document: archival (PDF/A-3a), in a forked child killed after
    ``settings.RENDER_TIMEOUT_SECONDS`` (``rendering.render_pdf_limited``). Raises what that raises."""
    pdf, _pages = render_pdf_limited(html, max_pages=settings.RENDER_MAX_PAGES,
                                     timeout=settings.RENDER_TIMEOUT_SECONDS)
    return pdf


@task()
def memo_issue_run(issue_id: int) -> str:
    """The worker's task: claim the issue (queued → running, one more attempt), render its frozen HTML, seal it and
    store the ``IssuedDocument`` (→ issued); on an error, queue it again or, after the last attempt, fail it.
    A second run of an issue already running or done does nothing. Returns the issue's status."""
    issue = _claim(issue_id)
    if issue is None:
        return MemoIssue.objects.values_list("status", flat=True).get(pk=issue_id)
    try:
        sealed = seal_pdf(render_issue(issue.html), organization=issue.organization, signer_name=issue.signer_name)
    except Exception as error:
        logger.exception("Issuing %s (attempt %s) failed", issue, issue.attempts)
        failure = error
    else:
        return _store(issue_id, sealed)
    return _fail(issue_id, failure)  # outside the handler: a retry run at once does not chain onto this error


def _locked(issue_id: int) -> MemoIssue:
    return MemoIssue.objects.select_for_update(of=("self",)).select_related("organization").get(pk=issue_id)


@transaction.atomic
def _claim(issue_id: int) -> MemoIssue | None:
    issue = _locked(issue_id)
    if issue.status != IssueStatus.QUEUED:
        return None
    issue.status, issue.attempts = IssueStatus.RUNNING, issue.attempts + 1
    issue.started_at, issue.next_attempt_at = timezone.now(), None
    issue.save(update_fields=["status", "attempts", "started_at", "next_attempt_at"])
    return issue


def _fail(issue_id: int, error: Exception) -> str:
    """Record ``error``; queue the issue again after a pause unless that was its last attempt."""
    with transaction.atomic():
        issue = _locked(issue_id)
        if issue.document_id is not None:  # another run stored it meanwhile
            return issue.status
        issue.error = _error_text(error)[:2000]
        if issue.attempts < settings.MEMO_ISSUE_ATTEMPTS:
            issue.status = IssueStatus.QUEUED
            issue.next_attempt_at = timezone.now() + timedelta(seconds=settings.MEMO_ISSUE_RETRY_SECONDS
                                                               * issue.attempts)
        else:
            issue.status, issue.finished_at, issue.next_attempt_at = IssueStatus.FAILED, timezone.now(), None
        issue.save(update_fields=["status", "error", "next_attempt_at", "finished_at"])
    if issue.status == IssueStatus.QUEUED:
        issue_enqueue(issue.pk, run_after=issue.next_attempt_at)
    return issue.status


def _error_text(error: Exception) -> str:
    """What the memo's page shows of a failed attempt: the Thai message of a signing failure or a render limit, else
    the error's type and text (a failure in the render process comes as "<type>: <text>" already)."""
    if isinstance(error, RenderRefused):
        limit = settings.RENDER_MAX_PAGES if error.code == "pages" else settings.RENDER_TIMEOUT_SECONDS
        return str(RENDER_ERRORS.get(error.code, RENDER_ERRORS["failed"])) % {"pages": error.pages or 0, "limit": limit}
    if isinstance(error, SigningError | RuntimeError) and str(error):
        return str(error)
    return f"{type(error).__name__}: {error}"


@transaction.atomic
def _store(issue_id: int, sealed: SignResult) -> str:
    issue = _locked(issue_id)
    if issue.document_id is not None:
        return issue.status
    content, fields = sealed.content, issue.fields
    document = IssuedDocument.objects.create(
        memo_id=issue.memo_id, version=issue.version, organization_id=issue.organization_id,
        document_number=fields["document_number"], register_year=fields["register_year"],
        register_number=fields["register_number"], date=fields["date"], subject=fields["subject"],
        addressee=fields["addressee"], department=fields["department"], attachment=fields["attachment"],
        filename=issue.filename, content=content, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        signed=sealed.signed, issued_at=timezone.now(), issued_by_id=issue.requested_by_id,
    )
    issue.status, issue.document, issue.finished_at = IssueStatus.ISSUED, document, timezone.now()
    issue.error, issue.next_attempt_at = "", None
    issue.save(update_fields=["status", "document", "finished_at", "error", "next_attempt_at"])
    notifications.document_issued(issue=issue)  # e-mails, after the commit
    return issue.status


@transaction.atomic
def memo_issue_retry(*, issue: MemoIssue) -> MemoIssue:
    """Start a failed or stale issue again (an organization admin, from the memo's page, or ``manage.py
    memo_issues --retry``): its attempts start from 0, its last error is cleared (the log keeps it) and the worker
    gets it after the commit. The view checks who
    may. Raises ``ValidationError`` (Thai) when the issue is issued, or pending and not stale."""
    issue = _locked(issue.pk)
    if not issue.can_retry:
        raise ValidationError(_("This document is being issued or has been issued; there is nothing to retry."),
                              code="not_retryable")
    issue.status, issue.attempts, issue.finished_at, issue.error = IssueStatus.QUEUED, 0, None, ""
    issue.next_attempt_at = timezone.now()  # due now; the stale clock starts again
    issue.save(update_fields=["status", "attempts", "next_attempt_at", "finished_at", "error"])
    transaction.on_commit(lambda: issue_enqueue(issue.pk))
    return issue
