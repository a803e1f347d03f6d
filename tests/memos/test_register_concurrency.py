"""Parallel approvals on PostgreSQL (issue 11): the outgoing register gives numbers without gaps or duplicates,
each memo is issued once, and an edit of the plan started while its memo is being approved is refused; the
approval does not hold its locks while the PDF is rendered (issue 18 §4).

Real threads, each with its own database connection, so these run only on PostgreSQL (SQLite serializes whole
transactions and ignores ``select_for_update``): ``DATABASE_URL=postgres://… pytest tests/reports/
test_register_concurrency.py``. The PDF rendering is replaced by fixed bytes: the numbering is under test. The
suite's immediate task backend runs each approval's issue in its thread after the commit.
"""
import threading
import time

from measures.models import MeasurePlan
from measures.services import LockedError, measure_save
from memos import issuing
from memos.models import IssuedDocument, Memo
from memos.services import memo_decide, memo_send
from tests.factories import MeasureFactory, MembershipFactory, MemoFactory, OrganizationFactory, RoutingStepFactory
from tests.helpers.database import (
    POSTGRESQL_THREADS,
    in_threads,
    seed_data_after_the_module,  # noqa: F401 (autouse: the seeds back after the module)
)

pytestmark = POSTGRESQL_THREADS
MEMOS = 8


def _render(delay: float = 0.0):
    def render(html: str) -> bytes:
        time.sleep(delay)
        return b"%PDF-1.7 " + html[:200].encode()
    return render


def _slow(function, delay: float):
    def slow(*args, **kwargs):
        time.sleep(delay)
        return function(*args, **kwargs)
    return slow


def _organization_with_pending_memos(count: int):
    organization = OrganizationFactory(document_number_prefix="บร 71001")
    clerk = MembershipFactory(organization=organization, role="clerk").user
    mayor = RoutingStepFactory(organization=organization, order=1, title="ความเห็น/คำสั่งนายกเทศมนตรี").user
    memos = []
    for year in range(count):
        memo = MemoFactory(organization=organization, plan__fiscal_year=2560 + year)
        MeasureFactory(plan=memo.plan, number=1)
        memos.append(memo_send(memo=memo, user=clerk))
    return organization, mayor, memos


def test_parallel_approvals_number_the_register_without_gaps_or_duplicates(monkeypatch):
    monkeypatch.setattr(issuing, "render_issue", _render(delay=0.05))
    organization, mayor, memos = _organization_with_pending_memos(MEMOS)
    results = in_threads([
        (lambda memo=memo: memo_decide(memo=memo, user=mayor, action="approve", comment="อนุมัติ"))
        for memo in memos])
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Memo.objects.filter(organization=organization).values_list("register_number", flat=True))
    assert numbers == list(range(1, MEMOS + 1))
    issued = IssuedDocument.objects.filter(organization=organization)
    assert sorted(issued.values_list("register_number", flat=True)) == list(range(1, MEMOS + 1))
    assert issued.count() == MEMOS and MeasurePlan.objects.filter(organization=organization,
                                                                  approved_at__isnull=False).count() == MEMOS


def test_an_edit_started_during_the_approval_waits_for_it_and_is_refused(monkeypatch):
    monkeypatch.setattr(issuing, "render_issue", _render())
    # the approval holds its locks 1 s while it freezes the document
    monkeypatch.setattr(issuing, "document_html", _slow(issuing.document_html, 1.0))
    organization, mayor, (memo,) = _organization_with_pending_memos(1)
    measure = memo.plan.measures.get()

    def edit():
        time.sleep(0.3)  # after the approval locked the plan's row
        return measure_save(plan=memo.plan, measure=measure, data={"title": "แก้ระหว่างอนุมัติ"}, steps=[],
                            version=1, rights=None)

    approval, edited = in_threads([
        lambda: memo_decide(memo=memo, user=mayor, action="approve", comment="อนุมัติ"), edit])
    assert isinstance(approval, Memo) and isinstance(edited, LockedError), (approval, edited)
    measure.refresh_from_db()
    assert measure.title != "แก้ระหว่างอนุมัติ"


def test_an_approval_does_not_wait_for_the_render_of_another_approval_of_the_organization(monkeypatch, settings):
    """Two approvals in one organization, the first one's PDF slow to render (1.5 s): the second, started 0.3 s
    later, answers without waiting for it (it waited for the organization's row lock while the first rendered, before
    issue 18 §4). WeasyPrint itself is replaced (the fork of the capped render inherits it), so the test reads the
    same on the code before the change."""
    import weasyprint

    settings.SIGNING_PKCS12 = ""
    slow = threading.local()

    def write_pdf(self, *args, **kwargs):
        time.sleep(1.5 if getattr(slow, "on", False) else 0)
        return b"%PDF-1.7 test"

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)
    organization, mayor, (first, second) = _organization_with_pending_memos(2)
    durations = {}

    def approve(memo, *, delay: float, slow_render: bool):
        time.sleep(delay)
        slow.on = slow_render
        started = time.monotonic()
        memo_decide(memo=memo, user=mayor, action="approve", comment="อนุมัติ")
        durations[memo.pk] = time.monotonic() - started

    results = in_threads([lambda: approve(first, delay=0, slow_render=True),
                           lambda: approve(second, delay=0.3, slow_render=False)])
    assert results == [None, None], results
    assert durations[second.pk] < 1.0, durations
    assert IssuedDocument.objects.filter(organization=organization).count() == 2
