"""The executive summary (issue 22 §8): one A4 page of an organization's year for the นายก to take to the council.

It prints what the dashboard shows, read through the dashboard's own selectors and nothing else (one rule, one
home): the score and level of the latest ITA result against the target (85) beside last year's
(``selectors.latest_year``, ``score_history``), the three weakest indicators (``LatestYear.weakest``), the current
plan's measures done, overdue and reported without a status (``selectors.plan_progress``: ``Measure.is_overdue``,
the rule of ``measures.selectors.overdue_condition``), the OIT readiness when the organization keeps a checklist
(``oit.results.readiness_glance``: the checklist's stored counts; ``oit.readiness.readiness_latest_run``), and the
memos waiting for the reader (``memos.selectors.inbox_for``, narrowed to the organization).

``summary_document`` turns it into a ``reports.contents.Document`` printed by the project's renderer
(``reports.documents``: WeasyPrint, Laksaman, Thai digits and Buddhist-era dates); the print view is the same HTML
(``reports.documents.document_html(preview=True)``). The lists are cut so that the page stays one page whatever
the data (``OVERDUE_LINES``, ``MEMO_LINES``; the rest is counted, "และอีก N …"); each row is one printed
line (the template's ellipsis; ``LINE_CHARACTERS`` caps a title).
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from memos.choices import MemoState
from memos.models import Memo
from memos.selectors import inbox_for
from oit.models import ReadinessRun
from oit.readiness import readiness_latest_run
from organizations.models import Organization
from reports.contents import Document, Part

from . import selectors

OVERDUE_LINES = 5  # overdue measures listed on the page; the rest are counted
MEMO_LINES = 4  # memos listed on the page; the rest are counted
# Each listed row is one printed line: the template cuts what overflows its column with an ellipsis (CSS); a title
# longer than this is cut here first, so that the print view's rows stay short too.
LINE_CHARACTERS = 120


@dataclass(frozen=True)
class ExecutiveSummary:
    """What the one page says, as of ``today``: the dashboard (``selectors.OrganizationDashboard``, unchanged),
    last year's ``YearScore`` (None when the year before the latest result has none), the memos waiting for the
    reader in this organization (oldest first, all of them: the document cuts) and the OIT checklist's latest
    readiness run (None without a checklist or a run)."""

    organization: Organization
    today: dt.date
    dashboard: selectors.OrganizationDashboard
    previous: selectors.YearScore | None
    memos: list[Memo]
    oit_run: ReadinessRun | None

    @property
    def latest(self) -> selectors.LatestYear | None:
        return self.dashboard.latest

    @property
    def progress(self) -> selectors.PlanProgress | None:
        return self.dashboard.progress

    @property
    def target_gap(self) -> Decimal | None:
        """The latest score minus the target, in score points (None without a score)."""
        latest = self.latest
        return None if latest is None or latest.result.score is None else latest.result.score - latest.target


def executive_summary(*, organization: Organization, today: dt.date, user) -> ExecutiveSummary:
    """The ``ExecutiveSummary`` of ``organization`` as of ``today`` (pass ``timezone.localdate()``) for ``user``
    (whose inbox it lists; the caller has checked that ``user`` may read the organization). The figures are those
    of ``selectors.organization_dashboard`` for the same organization and day. The dashboard's queries (10), the
    inbox (1) and, with an OIT checklist, its latest readiness run (1)."""
    dashboard = selectors.organization_dashboard(organization=organization, today=today, can_manage=False)
    latest = dashboard.latest
    previous = next((year for year in dashboard.history
                     if latest and year.fiscal_year == latest.previous_year), None)
    memos = list(inbox_for(user=user).filter(organization=organization))
    run = readiness_latest_run(checklist=dashboard.oit.checklist) if dashboard.oit else None
    return ExecutiveSummary(organization, today, dashboard, previous, memos, run)


def _short(text: str, limit: int = LINE_CHARACTERS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary_document(summary: ExecutiveSummary) -> Document:
    """The one-page document (``reports.contents.Document`` of kind ``executive_summary``, file name
    ``executive-summary-<slug>-<date>``) of ``summary``: its data for ``dashboards/summary/pdf_summary.html``, the
    overdue measures and memos cut to ``OVERDUE_LINES`` and ``MEMO_LINES`` with the rest counted."""
    progress = summary.progress
    overdue = progress.overdue if progress else []
    data = {
        "summary": summary, "organization": summary.organization, "today": summary.today,
        "latest": summary.latest, "previous": summary.previous, "progress": progress,
        "overdue": [{"number": m.number, "title": _short(m.title), "due": m.due_date} for m in
                    overdue[:OVERDUE_LINES]],
        "overdue_more": max(0, len(overdue) - OVERDUE_LINES),
        "memos": [{"date": memo.date, "subject": _short(memo.subject),
                   "returned": memo.state == MemoState.RETURNED, "step": _short(memo.current_step_title)}
                  for memo in summary.memos[:MEMO_LINES]],
        "memos_more": max(0, len(summary.memos) - MEMO_LINES),
        "oit": summary.dashboard.oit, "oit_run": summary.oit_run,
    }
    return Document("executive_summary", f"สรุปผลการดำเนินงานด้าน ITA สำหรับผู้บริหาร {summary.organization.name}",
                    f"executive-summary-{summary.organization.slug}-{summary.today.isoformat()}",
                    summary.organization, [Part("dashboards/summary/pdf_summary.html", data)])
