"""The memo as a printed document: the cover memo of a plan or a report (stored, else a draft from the data), an
issued memo with its attachment, and the memo's part of a document. ``reports.contents`` composes the other kinds and
calls ``memo_document`` for the memo kind through the builder ``MemosConfig.ready`` registers."""
from measures.choices import Round
from measures.models import MeasurePlan
from organizations.selectors import garuda_data_uri, signature_data_uri
from reports.contents import Document, Kind, Part, _document, _report_of, build_document

from .models import Memo
from .selectors import plan_cover_memo, report_memo


def memo_document(plan: MeasurePlan, round: str | None = None, *, attach: str | None = None) -> Document:
    """The memo that carries the plan (no ``round``) or its report of ``round``: the stored memo, else a draft
    from the data. ``attach`` (a kind other than memo) appends that document after the memo, in one file."""
    memo = plan_cover_memo(plan=plan) if round is None else report_memo(report=_report_of(plan, round))
    document = _document(Kind.MEMO, plan, memo.subject)
    document.parts.append(memo_part(memo))
    if attach:
        attached = build_document(plan, attach, round=round)
        document.parts += attached.parts
        document.stem += f"+{attach}"
    return document


def attachment_kind(memo: Memo) -> tuple[str | None, str | None]:
    """(kind, round) of the document a memo carries, as issued with it: the plan → the analysis and measures
    document; a 6-month report → the 6-month progress report (seed 003); an annual report → the annual report
    (seed 001); nothing → (None, None)."""
    if memo.plan_id:
        return Kind.MEASURES, None
    if memo.progress_report_id:
        report = memo.progress_report
        return (Kind.ANNUAL if report.round == Round.ANNUAL else Kind.PROGRESS), report.round
    return None, None


def issued_memo_document(memo: Memo) -> Document:
    """``memo`` (this stored memo, whichever plan or report it carries) followed by its attachment
    (``attachment_kind``), in one document: what ``services.document_issue`` renders and freezes."""
    organization = memo.organization
    plan = memo.plan or (memo.progress_report.plan if memo.progress_report_id else None)
    year = plan.fiscal_year if plan else memo.date.year + 543
    document = Document(Kind.MEMO, memo.subject, f"memo-{organization.slug}-{year}", organization)
    document.parts.append(memo_part(memo))
    kind, round = attachment_kind(memo)
    if kind is not None:
        document.parts += build_document(plan, kind, round=round).parts
        document.stem += f"+{kind}"
    return document


def memo_only_document(memo: Memo) -> Document:
    """``memo`` alone, as it will print (its decisions so far included), without its attachment: the preview and
    the PDF on the decision page; the attachment has its own document (``attachment_kind``)."""
    plan = memo.plan or (memo.progress_report.plan if memo.progress_report_id else None)
    year = plan.fiscal_year if plan else memo.date.year + 543
    document = Document(Kind.MEMO, memo.subject, f"memo-{memo.organization.slug}-{year}", memo.organization)
    document.parts.append(memo_part(memo))
    return document


def memo_part(memo: Memo) -> Part:
    """The memo's part: its fields, its comment chain (officials read in one query) and the organization's
    Garuda as a data URI ("" when none is uploaded). Once a memo has been sent along its route, its comment
    chain is the decisions taken on the route (issue 11), each dated; blocks typed on the form print only on
    memos that never went the route (the seed memos). The drafter and each commenting official get
    ``signature_src``: their signature image as a data URI, printed above the typed name ("" without one). A
    decision taken by a substitute prints their official and the capacity line (``MemoComment.capacity_line``)."""
    comments = []
    if memo.pk:
        blocks = memo.comments.select_related("official", "acting_for", "transition")
        if memo.route:  # sent along the route: the decisions are the blocks, not blocks typed on the form
            blocks = blocks.filter(transition__isnull=False)
        comments = list(blocks)
    for official in {memo.drafter, *(c.official for c in comments)} - {None}:
        official.signature_src = signature_data_uri(official)
    return Part("reports/parts/memo.html", {
        "memo": memo, "comments": comments, "garuda_src": garuda_data_uri(memo.organization),
    })
