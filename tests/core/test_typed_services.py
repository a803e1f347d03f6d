"""The typed services (issue 19 §3) called as the forms call them: values and dataclass rows, no forms, and only
the allow-listed fields written."""
import pytest

from measures.services import EntryInput, Proposal, measure_save, plan_create, progress_entries_save
from memos.services import CommentInput, memo_save
from tests.factories import (
    DepartmentFactory,
    MeasureFactory,
    MeasurePlanFactory,
    MemoFactory,
    OrganizationFactory,
    ProgressReportFactory,
)

pytestmark = pytest.mark.django_db


def test_measure_save_ignores_names_outside_its_allow_list():
    measure = MeasureFactory(title="เดิม")
    other = MeasurePlanFactory(fiscal_year=2570)
    saved = measure_save(plan=measure.plan, measure=measure, data={"title": "ใหม่", "plan": other, "version": 9},
                         steps=["ขั้นแรก"], version=measure.version, rights=None)
    saved.refresh_from_db()
    assert (saved.title, saved.plan_id) == ("ใหม่", measure.plan_id)
    assert [step.text for step in saved.steps.all()] == ["ขั้นแรก"]


def test_memo_save_numbers_comment_blocks_in_the_order_given_and_deletes_the_flagged_ones():
    memo = MemoFactory()
    memo_save(memo=memo, data={"subject": "เรื่องใหม่", "state": "issued"},
              comments=[CommentInput(id=None, title="ก", text="หนึ่ง"), CommentInput(id=None, title="ข", text="สอง")],
              version=memo.version)
    first, second = memo.comments.order_by("order")
    memo_save(memo=memo, data={}, comments=[CommentInput(id=second.pk, title="ข", text="สอง"),
                                            CommentInput(id=first.pk, delete=True)], version=memo.version)
    memo.refresh_from_db()
    assert memo.subject == "เรื่องใหม่" and memo.state != "issued"
    assert [(c.title, c.order) for c in memo.comments.order_by("order")] == [("ข", 1)]


def test_plan_create_takes_the_kept_proposals_as_dataclasses_without_a_form():
    organization = OrganizationFactory()
    finance = DepartmentFactory(organization=organization, name="กองคลัง")
    plan = plan_create(organization=organization, fiscal_year=2569, title="แผน ๒๕๖๙", introduction="", measures=[
        Proposal(indicator=3, title=" ยกระดับตัวชี้วัดที่ ๓ ", issue="ต่ำกว่าเป้า", method="", owners=[finance.pk],
                 steps="ประชุม\n\nรายงาน"),
        Proposal(indicator=None, title="ปรับปรุงข้อ o13", issue="", method="", question_codes=["o13"]),
    ])
    first, second = plan.measures.order_by("number")
    assert (first.number, first.title, list(first.indicators.values_list("number", flat=True))) == (
        1, "ยกระดับตัวชี้วัดที่ ๓", [3])
    assert [step.text for step in first.steps.all()] == ["ประชุม", "รายงาน"]
    assert list(first.owners.all()) == [finance]
    assert (first.timeframe_start.isoformat(), first.timeframe_end.isoformat()) == ("2025-10-01", "2026-09-30")
    assert (second.number, second.question_codes, second.indicators.count()) == (2, ["o13"], 0)


def test_progress_entries_save_ignores_names_outside_its_allow_list():
    report = ProgressReportFactory()
    measure = MeasureFactory(plan=report.plan)
    other = MeasureFactory(plan=report.plan)
    [entry] = progress_entries_save(report=report, rows=[EntryInput(
        measure=measure, version=0, data={"result": "ทำแล้ว", "status": "done", "measure": other, "report": None,
                                          "evidence_filename": "ปลอม.pdf", "version": 99})])
    entry.refresh_from_db()
    assert (entry.result, entry.status, entry.measure_id, entry.evidence_filename, entry.version) == (
        "ทำแล้ว", "done", measure.pk, "", 1)
