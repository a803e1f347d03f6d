"""What each printed document says: the data of one organization's fiscal year, gathered for a template.

A document (``Document``) is a list of parts; each part is a template under ``reports/parts/`` printed on
portrait or landscape pages (thai-documents.md §2: memos portrait, wide tables landscape). The kinds and the
seed documents they reprint:

=========  ==============================================================  ==========
kind       content                                                          seeds
=========  ==============================================================  ==========
memo       บันทึกข้อความ carrying a plan or a report (+ its attachment)       000, 004
measures   score summary, findings per indicator, measures table,           000, 002
           limitations
progress   6-month report grouped by tool (IIT, EIT, OIT)                   003
annual     annual report: measures with results, N vs N+1 indicator table   001
           with the change, averages and a bar chart
status     measures table, then the three status columns ticked + evidence 004
=========  ==============================================================  ==========

Every builder reads the database a fixed number of times, whatever the number of measures.
"""
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, TextChoices
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Indicator
from assessments.selectors import assessment_summary
from measures.choices import Round, Status
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport
from organizations.models import Organization

from .charts import bar_chart


class Kind(TextChoices):
    """The kinds of printed documents (issue 4)."""

    MEMO = "memo", _("Memo")
    MEASURES = "measures", _("Analysis and measures")
    PROGRESS = "progress", _("6-month progress report")
    ANNUAL = "annual", _("Annual implementation report")
    STATUS = "status", _("Status report")


DEFAULT_ROUND = {Kind.PROGRESS: Round.SIX_MONTH, Kind.ANNUAL: Round.ANNUAL, Kind.STATUS: Round.SIX_MONTH}


class DocumentUnavailable(Exception):
    """The organization's year lacks what the document prints (no plan, no report of that round…);
    ``str(error)`` is a Thai message for the user."""


@dataclass(frozen=True)
class Part:
    """A section printed from ``template`` with ``data``; ``landscape`` puts it on A4 landscape pages."""

    template: str
    data: dict
    landscape: bool = False


@dataclass
class Document:
    """A printable document: its kind, title, file name stem and parts in print order."""

    kind: str
    title: str
    stem: str
    organization: Organization
    parts: list[Part] = field(default_factory=list)


# --- the parts --------------------------------------------------------------------------------------------

def _measures_of(plan: MeasurePlan, report: ProgressReport | None = None) -> list[Measure]:
    """The plan's measures in order with steps, owners, indicators (with tools) prefetched; ``entry`` is set to
    the measure's entry in ``report`` (or None)."""
    measures = list(
        plan.measures.prefetch_related(
            "steps", "owners", Prefetch("indicators", queryset=Indicator.objects.select_related("tool"))
        )
    )
    entries = {}
    if report is not None:
        entries = {e.measure_id: e for e in ProgressEntry.objects.filter(report=report)}
    for measure in measures:
        measure.entry = entries.get(measure.pk)
    return measures


def _prefetched(assessment: Assessment) -> Assessment:
    """``assessment`` read again with its scores (and their indicators and tools) prefetched."""
    return Assessment.objects.select_related("organization").prefetch_related(
        "indicator_scores__indicator__tool", "part_scores__tool", "question_scores"
    ).get(pk=assessment.pk)


def _assessment_part(assessment: Assessment) -> Part:
    assessment = _prefetched(assessment)
    summary = assessment_summary(assessment=assessment)
    analysis = getattr(assessment, "analysis", None)
    findings = list(analysis.findings.prefetch_related("indicators")) if analysis else []
    return Part("reports/parts/assessment.html", {
        "assessment": assessment, "summary": summary, "analysis": analysis, "findings": findings,
        "score": assessment.score, "level": assessment.level_text,
    })


def _report_of(plan: MeasurePlan, round: str) -> ProgressReport:
    report = plan.progress_reports.filter(round=round).first()
    if report is None:
        raise DocumentUnavailable(
            f"แผนมาตรการปีงบประมาณ {plan.fiscal_year} ยังไม่มีรายงาน{Round(round).label}"
        )
    return report


def measures_document(plan: MeasurePlan, round: str | None = None) -> Document:
    """Seeds 000 and 002: the assessment's score summary and findings (portrait), the measures table
    (landscape), the limitations (portrait). ``round`` is ignored (the plan has no round)."""
    document = _document(Kind.MEASURES, plan, plan.title)
    assessment = plan.assessment
    if assessment is not None:
        document.parts.append(_assessment_part(assessment))
    document.parts.append(Part("reports/parts/measures_table.html", {
        "plan": plan, "measures": _measures_of(plan), "assessment": assessment,
    }, landscape=True))
    analysis = getattr(assessment, "analysis", None) if assessment else None
    if analysis is not None and analysis.limitations:
        document.parts.append(Part("reports/parts/limitations.html", {"analysis": analysis}))
    return document


def progress_document(plan: MeasurePlan, round: str = Round.SIX_MONTH) -> Document:
    """Seed 003: each measure's issue (indicator, question codes and text), owners, method, monitoring and
    deadline, and what was done with its date, grouped by the tool of its first indicator (IIT, EIT, OIT, then
    measures without an indicator)."""
    report = _report_of(plan, round)
    measures = _measures_of(plan, report)
    groups: dict = defaultdict(list)
    for measure in measures:
        indicators = list(measure.indicators.all())
        groups[indicators[0].tool if indicators else None].append(measure)
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, item[0].order if item[0] else 0))
    questions = _question_texts(plan)
    for measure in measures:
        measure.questions = [(code, questions.get(code, "")) for code in measure.question_codes]
    document = _document(Kind.PROGRESS, plan, report.title or plan.title)
    document.parts.append(Part("reports/parts/progress_table.html", {
        "plan": plan, "report": report, "groups": ordered,
    }, landscape=True))
    return document


def annual_document(plan: MeasurePlan, round: str = Round.ANNUAL) -> Document:
    """Seed 001: measures with steps, owners, timeframe, result and recommendation; then the outcome — the ten
    indicators of the base year N (the plan's assessment) and of N+1 (the assessment of the plan's own fiscal
    year) with the change, the overall scores ("คะแนนเฉลี่ย") and a bar chart of both years."""
    report = _report_of(plan, round)
    document = _document(Kind.ANNUAL, plan, report.title or plan.title)
    document.parts.append(Part("reports/parts/annual_table.html", {
        "plan": plan, "report": report, "measures": _measures_of(plan, report),
    }, landscape=True))
    before = plan.assessment
    after = Assessment.objects.filter(organization=plan.organization, fiscal_year=plan.fiscal_year).first()
    if before is not None and after is not None:
        document.parts.append(
            Part("reports/parts/outcome.html", _outcome(_prefetched(before), _prefetched(after)), landscape=True)
        )
    return document


def status_document(plan: MeasurePlan, round: str = Round.SIX_MONTH) -> Document:
    """Seed 004: the measures (steps, owners, monitoring), then the status table — one column per status
    (ยังไม่ดำเนินการ / อยู่ระหว่างดำเนินการ / ดำเนินการเสร็จเรียบร้อยแล้ว) ticked, and the evidence."""
    report = _report_of(plan, round)
    document = _document(Kind.STATUS, plan, report.title or plan.title)
    measures = _measures_of(plan, report)
    document.parts.append(Part("reports/parts/status_table.html", {
        "plan": plan, "report": report, "measures": measures, "statuses": Status.choices,
        "assessment": plan.assessment,
    }, landscape=True))
    return document


def _no_memo_builder(plan: MeasurePlan, round: str | None = None, *, attach: str | None = None) -> Document:
    raise RuntimeError("no memo builder: the memos app is not installed")


_memo_builder: Callable[..., Document] = _no_memo_builder


def register_memo_builder(builder: Callable[..., Document]) -> None:
    """Sets who builds the memo kind: ``builder(plan, round, *, attach)`` → Document. ``memos`` registers its
    ``memos.documents.memo_document`` when the app is ready (``MemosConfig.ready``), so this module, below memos in
    the app order, prints memos without importing them."""
    global _memo_builder
    _memo_builder = builder


BUILDERS = {
    Kind.MEASURES: measures_document, Kind.PROGRESS: progress_document, Kind.ANNUAL: annual_document,
    Kind.STATUS: status_document,
}


def build_document(plan: MeasurePlan, kind: str, *, round: str | None = None, attach: str | None = None
                   ) -> Document:
    """The document of ``kind`` for ``plan``. ``round`` (six_month | annual) picks the report; progress and
    status default to the 6-month report, annual to the annual one, memo to the plan's cover memo.
    Raises DocumentUnavailable (Thai message) when the data is missing, ValueError for an unknown kind."""
    if kind == Kind.MEMO:
        if attach == Kind.MEMO:
            raise ValueError("a memo cannot attach a memo")
        return _memo_builder(plan, round, attach=attach)
    if kind not in BUILDERS:
        raise ValueError(f"unknown document kind {kind!r}")
    return BUILDERS[kind](plan, round or DEFAULT_ROUND.get(kind))


def _document(kind: str, plan: MeasurePlan, title: str) -> Document:
    return Document(kind, title, f"{kind}-{plan.organization.slug}-{plan.fiscal_year}", plan.organization)


def _question_texts(plan: MeasurePlan) -> dict[str, str]:
    """Question code → question text, from the published question scores of the plan's assessment."""
    if plan.assessment is None:
        return {}
    return {q.code: q.text for q in plan.assessment.question_scores.all()}


@dataclass(frozen=True)
class OutcomeRow:
    """One indicator of the outcome table: scores of the two years and the change (after − before)."""

    number: int
    name: str
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before


def _outcome(before: Assessment, after: Assessment) -> dict:
    scores = {
        a.fiscal_year: {s.indicator.number: s.score for s in a.indicator_scores.all()}
        for a in (before, after)
    }
    framework = after.framework or before.framework
    names = {i.number: i.name for i in framework.indicators.all()} if framework else {}
    numbers = sorted(set(scores[before.fiscal_year]) | set(scores[after.fiscal_year]) | set(names))
    rows = [OutcomeRow(n, names.get(n, ""), scores[before.fiscal_year].get(n), scores[after.fiscal_year].get(n))
            for n in numbers]
    average = OutcomeRow(0, "คะแนนเฉลี่ย", before.score, after.score)
    chart = bar_chart(
        categories=[str(r.number) for r in rows],
        series=[(f"ปี {before.fiscal_year}", [r.before for r in rows]),
                (f"ปี {after.fiscal_year}", [r.after for r in rows])],
        title=f"ผลคะแนน ITA ปี {before.fiscal_year} และปี {after.fiscal_year} รายตัวชี้วัด", x_label="ตัวชี้วัดที่",
    )
    return {"before": before, "after": after, "rows": rows, "average": average, "chart": chart}


@dataclass(frozen=True)
class AvailableDocument:
    """One printable document of a plan's year: its label, kind and the query that picks round/attachment."""

    label: str
    kind: str
    round: str | None = None
    attach: str | None = None

    @property
    def query(self) -> str:
        """``"?round=six_month&attach=status"``, or ``""``."""
        pairs = [f"{k}={v}" for k, v in (("round", self.round), ("attach", self.attach)) if v]
        return f"?{'&'.join(pairs)}" if pairs else ""


def available_documents(plan: MeasurePlan) -> list[AvailableDocument]:
    """The documents the data of ``plan`` can print: the cover memo, the analysis and measures document, the memo
    with it attached; per progress report, its report kinds (6-month → progress and status, annual → annual and
    status), its memo and the memo with each attachment. One query for the reports."""
    documents = [
        AvailableDocument(str(_("Cover memo of the plan")), Kind.MEMO),
        AvailableDocument(str(Kind.MEASURES.label), Kind.MEASURES),
        AvailableDocument(f"{_('Cover memo of the plan')} + {Kind.MEASURES.label}", Kind.MEMO, attach=Kind.MEASURES),
    ]
    for report in plan.progress_reports.all():
        kinds = [Kind.PROGRESS, Kind.STATUS] if report.round == Round.SIX_MONTH else [Kind.ANNUAL, Kind.STATUS]
        round_label = report.get_round_display()
        documents += [AvailableDocument(f"{k.label} ({round_label})", k, report.round) for k in kinds]
        memo_label = _("Memo of the report")
        documents.append(AvailableDocument(f"{memo_label} ({round_label})", Kind.MEMO, report.round))
        documents += [
            AvailableDocument(f"{memo_label} ({round_label}) + {k.label}", Kind.MEMO, report.round, k)
            for k in kinds
        ]
    return documents
