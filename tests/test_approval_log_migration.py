"""The one approval log (issue 19 §2): the rows of ``measures.ApprovalEvent`` and ``memos.MemoTransition`` move into
``approvals.Transition`` (``measures.0008_approval_log``, ``memos.0003_transitions_to_approval_log``,
``memos.0004_memotransition_removed``), and plans and reports get a stored state from their approval date
(``measures.0007_approval_state``).

The test database (the seed documents loaded) is migrated back to before the log; rows of both old models are
written there — a plan approved through a memo and reopened, a report approved, a memo's route with its printed
decision —, then it is migrated forward: every row is in the log with its item, action, states, user, time and
texts, the printed decision points at its copy, and the states follow the approval dates. Then back again (the rows
are in the old tables, the decision points at its row) and forward. Transactional (the migrations run their own
schema editor); it ends fully migrated, and the seeds are put back for the tests after it."""
import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from approvals.models import Transition
from measures.models import MeasurePlan, ProgressReport
from memos.models import MemoComment
from tests.browser.helpers import ensure_seed_data
from tests.factories import UserFactory
from tests.helpers.database import seed_data_after_the_module  # noqa: F401 (autouse: the seeds back after the module)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_LOG = [("measures", "0006_verbose_names"), ("memos", "0002_content_types")]
UTC = dt.UTC
T = [dt.datetime(2025, 3, day, 10, 0, tzinfo=UTC) for day in range(1, 8)]
LOGGED = ("content_type__model", "object_id", "action", "from_state", "to_state", "user_id", "at", "comment",
          "step_title")


def _migrate(targets):
    """Migrate to ``targets``; the models of the state then applied."""
    MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


def _old_rows(old, *, user, mayor) -> dict:
    """Rows of the old models, as the services wrote them: returns the items and the printed decision's id."""
    plan = old.get_model("measures", "MeasurePlan").objects.get(organization__slug="khok-ma", fiscal_year=2568)
    report = old.get_model("measures", "ProgressReport").objects.filter(plan=plan).order_by("pk").first()
    memo = old.get_model("memos", "Memo").objects.order_by("pk").first()  # a seed memo
    event = old.get_model("measures", "ApprovalEvent").objects
    event.create(plan=plan, action="approve", user_id=mayor.pk, at=T[2], note="บันทึกข้อความ ขออนุมัติแผน")
    event.create(plan=plan, action="reopen", user_id=mayor.pk, at=T[3], note="")
    event.create(progress_report=report, action="approve", user_id=user.pk, at=T[4], note="")
    report.approved_at, report.approved_by_id = T[4], user.pk
    report.save()
    transition = old.get_model("memos", "MemoTransition").objects
    transition.create(memo=memo, action="send", from_state="draft", to_state="pending", user_id=user.pk, at=T[0])
    decision = transition.create(memo=memo, action="approve", from_state="pending", to_state="approved",
                                 user_id=mayor.pk, at=T[1], step_title="ความเห็น/คำสั่งนายกเทศมนตรี",
                                 comment="อนุมัติ\nดำเนินการตามเสนอ")
    block = old.get_model("memos", "MemoComment").objects.create(
        memo=memo, order=501, title="ความเห็น/คำสั่งนายกเทศมนตรี", text="อนุมัติ", transition=decision)
    return {"plan": plan.pk, "report": report.pk, "memo": memo.pk, "block": block.pk}


def test_the_approval_events_and_memo_transitions_move_into_one_log_and_back():
    ensure_seed_data()
    user, mayor = UserFactory(), UserFactory()
    earlier = Transition.objects.count()
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        ids = _old_rows(_migrate(BEFORE_THE_LOG), user=user, mayor=mayor)
        _migrate(leaves)

        logged = Transition.objects.filter(at__in=T).order_by("at", "pk")
        assert Transition.objects.count() == earlier + 5
        assert list(logged.values_list(*LOGGED)) == [
            ("memo", ids["memo"], "send", "draft", "pending", user.pk, T[0], "", ""),
            ("memo", ids["memo"], "approve", "pending", "approved", mayor.pk, T[1], "อนุมัติ\nดำเนินการตามเสนอ",
             "ความเห็น/คำสั่งนายกเทศมนตรี"),
            ("measureplan", ids["plan"], "approve", "draft", "approved", mayor.pk, T[2], "บันทึกข้อความ ขออนุมัติแผน",
             ""),
            ("measureplan", ids["plan"], "reopen", "approved", "draft", mayor.pk, T[3], "", ""),
            ("progressreport", ids["report"], "approve", "draft", "approved", user.pk, T[4], "", "")]
        assert MemoComment.objects.get(pk=ids["block"]).transition == logged[1]
        assert MeasurePlan.objects.get(pk=ids["plan"]).state == "draft"
        assert ProgressReport.objects.get(pk=ids["report"]).state == "approved"
        assert [str(t) for t in logged[1:4]] == ["อนุมัติ: อยู่ระหว่างพิจารณา → อนุมัติแล้ว",  # the labels of each item
                                                 "อนุมัติแล้ว: ร่าง → อนุมัติแล้ว", "เปิดให้แก้ไข: อนุมัติแล้ว → ร่าง"]

        old = _migrate(BEFORE_THE_LOG)
        assert Transition.objects.count() == earlier
        events = old.get_model("measures", "ApprovalEvent").objects.order_by("at", "pk")
        assert list(events.values_list("plan_id", "progress_report_id", "action", "user_id", "at", "note")) == [
            (ids["plan"], None, "approve", mayor.pk, T[2], "บันทึกข้อความ ขออนุมัติแผน"),
            (ids["plan"], None, "reopen", mayor.pk, T[3], ""), (None, ids["report"], "approve", user.pk, T[4], "")]
        transitions = old.get_model("memos", "MemoTransition").objects.order_by("at", "pk")
        assert list(transitions.values_list("memo_id", "action", "user_id", "at", "comment", "step_title")) == [
            (ids["memo"], "send", user.pk, T[0], "", ""),
            (ids["memo"], "approve", mayor.pk, T[1], "อนุมัติ\nดำเนินการตามเสนอ", "ความเห็น/คำสั่งนายกเทศมนตรี")]
        block = old.get_model("memos", "MemoComment").objects.get(pk=ids["block"])
        assert block.transition_id == transitions[1].pk
    finally:
        _migrate(leaves)  # leave the database migrated, whatever failed above

    assert Transition.objects.count() == earlier + 5
    assert MemoComment.objects.get(pk=ids["block"]).transition.comment == "อนุมัติ\nดำเนินการตามเสนอ"
