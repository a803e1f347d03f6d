"""The typed services (issue 19 §3) called as the forms call them: values and dataclass rows, no forms, and only
the allow-listed fields written."""
import pytest

from measures.services import measure_save
from memos.services import CommentInput, memo_save
from tests.factories import MeasureFactory, MeasurePlanFactory, MemoFactory

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
