"""The memo models moved from ``reports`` to ``memos`` (issue 19 §1) keep every row: the move is state only
(``memos.0001_initial`` / ``reports.0008_memos_moved``, the tables keep their names) and ``memos.0002_content_types``
renames the content types in place, so the audit log's entries and the permissions granted keep their models.
(The memo transitions have since moved into the approval log, ``memos.0003``/``0004``: before the move they are in
their own table again; ``tests/test_approval_log_migration.py`` tests that move.)

The test database (the five seed documents loaded, a memo's audit entry and a permission added) is migrated back
to the layout before the move, where the content types are ``reports``' again and the old state reads the same
rows, then forward again; every table's row count is compared each way. Transactional (the migrations run their
own schema editor); it ends fully migrated, and the seeds are put back for the tests after it."""
import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from approvals.models import Transition
from maintenance.backup import table_row_counts
from memos.models import IssuedDocument, Memo, MemoComment, MemoIssue, RoutingStep
from tests.browser.helpers import ensure_seed_data
from tests.factories import UserFactory
from tests.helpers.database import seed_data_after_the_module  # noqa: F401 (autouse: the seeds back after the module)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [("reports", "0007_memo_issue"), ("memos", None)]
MOVED = [Memo, MemoComment, RoutingStep, IssuedDocument, MemoIssue]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)


def _leaf_nodes() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# Apps whose migrations depend on memos': migrating memos back unapplies them (their tables go, and come back
# empty); the seeds are loaded again after the module. They are left out of the comparison, and only they may go.
# (dashboards: its data versions' triggers are on oit's checklists.)
ABOVE_MEMOS = ("oit_", "public_", "dashboards_")


def _counts() -> dict[str, int]:
    counts = table_row_counts(connection)
    counts.pop("django_migrations")  # the only table the round trip changes: which migrations are applied
    return {table: count for table, count in counts.items() if not table.startswith(ABOVE_MEMOS)}


def test_moving_the_memo_models_back_and_forth_keeps_every_row_and_what_points_at_their_content_types():
    ensure_seed_data()
    memo = Memo.objects.order_by("pk").first()
    assert memo is not None and MemoComment.objects.exists()  # the seeds' memos and their comment blocks
    types = {model: ContentType.objects.get_for_model(model) for model in MOVED}
    entry = LogEntry.objects.create(content_type=types[Memo], object_pk=str(memo.pk), object_id=memo.pk,
                                    object_repr=str(memo), action=LogEntry.Action.UPDATE, changes={})
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(content_type=types[Memo], codename="view_memo"))
    before, leaves = _counts(), _leaf_nodes()
    assert before["reports_memo"] == Memo.objects.count() > 0
    # Before the move the memo transitions had their own table; since then they are in the approval log.
    memo_transitions = Transition.objects.filter(content_type__app_label="memos", content_type__model="memo").count()
    old_layout = before | {"reports_memotransition": memo_transitions,
                           "approvals_transition": before["approvals_transition"] - memo_transitions}

    try:
        executor = _migrate(BEFORE_THE_MOVE)
        old = executor._create_project_state(with_applied_migrations=True).apps  # what is applied now
        assert _counts() == old_layout
        assert {(ct.pk, ct.app_label) for ct in ContentType.objects.filter(model__in=[m._meta.model_name for m in
                                                                                      MOVED])} == {
            (types[m].pk, "reports") for m in MOVED}
        assert old.get_model("reports", "Memo").objects.count() == before["reports_memo"]
        assert old.get_model("reports", "IssuedDocument").objects.count() == before["reports_issueddocument"]
        with pytest.raises(LookupError):
            old.get_model("memos", "Memo")
    finally:
        _migrate(leaves)  # leave the database as found, whatever failed above

    assert _counts() == before
    assert {m: ContentType.objects.get_for_model(m).pk for m in MOVED} == {m: t.pk for m, t in types.items()}
    assert {ct.app_label for ct in ContentType.objects.filter(pk__in=[t.pk for t in types.values()])} == {"memos"}
    entry = LogEntry.objects.get(pk=entry.pk)
    assert entry.content_type.model_class() is Memo and entry.content_type.get_object_for_this_type(pk=memo.pk) == memo
    user = type(user).objects.get(pk=user.pk)
    assert user.has_perm("memos.view_memo")
