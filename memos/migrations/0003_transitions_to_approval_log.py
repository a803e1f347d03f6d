"""The memo route's transitions move into the one approval log (``approvals.Transition``): every row is copied
with its memo, action, states, user, step, comment and time, and each printed decision (``MemoComment``) is pointed
at its copy (``decision``, renamed ``transition`` by 0004, which drops ``MemoTransition``). Backwards the log's memo
rows go back into ``MemoTransition`` and the decisions point at them again."""
import django.db.models.deletion
from django.db import migrations, models

FIELDS = ("action", "from_state", "to_state", "user_id", "step_title", "comment", "at")


def _constraints_now(schema_editor) -> None:
    """Check the deferred foreign keys now, so that the schema change after this step finds no pending trigger
    events (PostgreSQL)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _memo_type(apps, db):
    return apps.get_model("contenttypes", "ContentType").objects.using(db).get_or_create(
        app_label="memos", model="memo")[0]


def _point_decisions(apps, db, *, source: str, target: str, new_ids: dict[int, int]) -> None:
    comment = apps.get_model("memos", "MemoComment")
    blocks = list(comment.objects.using(db).filter(**{f"{source}__isnull": False}))
    for block in blocks:
        setattr(block, f"{target}_id", new_ids.get(getattr(block, f"{source}_id")))
    comment.objects.using(db).bulk_update(blocks, [target], batch_size=1000)


def transitions_to_log(apps, schema_editor):
    db = schema_editor.connection.alias
    old = list(apps.get_model("memos", "MemoTransition").objects.using(db).order_by("at", "pk"))
    if not old:
        return
    transition = apps.get_model("approvals", "Transition")
    memo_type = _memo_type(apps, db)
    copies = transition.objects.using(db).bulk_create(
        [transition(content_type=memo_type, object_id=t.memo_id, **{f: getattr(t, f) for f in FIELDS}) for t in old],
        batch_size=1000)
    _point_decisions(apps, db, source="transition", target="decision",
                     new_ids={t.pk: copy.pk for t, copy in zip(old, copies, strict=True)})
    _constraints_now(schema_editor)


def log_to_transitions(apps, schema_editor):
    db = schema_editor.connection.alias
    logged = apps.get_model("approvals", "Transition").objects.using(db).filter(
        content_type=_memo_type(apps, db)).order_by("at", "pk")
    memos = set(apps.get_model("memos", "Memo").objects.using(db).values_list("pk", flat=True))
    rows = [t for t in logged if t.object_id in memos]
    model = apps.get_model("memos", "MemoTransition")
    copies = model.objects.using(db).bulk_create(
        [model(memo_id=t.object_id, **{f: getattr(t, f) for f in FIELDS}) for t in rows], batch_size=1000)
    _point_decisions(apps, db, source="decision", target="transition",
                     new_ids={t.pk: copy.pk for t, copy in zip(rows, copies, strict=True)})
    logged.delete()
    _constraints_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("memos", "0002_content_types"),
    ]

    operations = [
        migrations.AddField(
            model_name="memocomment",
            name="decision",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                       related_name="+", to="approvals.transition", verbose_name="decision"),
        ),
        migrations.RunPython(transitions_to_log, log_to_transitions, elidable=False),
    ]
