"""The approval events of plans and progress reports move into the one approval log (``approvals.Transition``)
and ``ApprovalEvent`` goes. Every row is copied with its item, action, user, time and note (as the comment); its
states are those of the transition table (approve: draft → approved, reopen: approved → draft). Backwards the
log's plan and report rows go back into ``ApprovalEvent`` (a note cut to its 300 characters)."""
from django.conf import settings
from django.db import migrations

ITEMS = (("plan_id", "measureplan"), ("progress_report_id", "progressreport"))
STATES = {"approve": ("draft", "approved"), "reopen": ("approved", "draft")}


def _constraints_now(schema_editor) -> None:
    """Check the deferred foreign keys now, so that the schema change after this step finds no pending trigger
    events (PostgreSQL)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _content_types(apps, db) -> dict:
    types = apps.get_model("contenttypes", "ContentType").objects.using(db)
    return {field: types.get_or_create(app_label="measures", model=model)[0] for field, model in ITEMS}


def events_to_log(apps, schema_editor):
    db = schema_editor.connection.alias
    events = apps.get_model("measures", "ApprovalEvent").objects.using(db).order_by("at", "pk")
    if not events.exists():
        return
    transition = apps.get_model("approvals", "Transition")
    types = _content_types(apps, db)
    rows = []
    for event in events.iterator():
        field = "plan_id" if event.plan_id is not None else "progress_report_id"
        from_state, to_state = STATES[event.action]
        rows.append(transition(content_type=types[field], object_id=getattr(event, field), action=event.action,
                               from_state=from_state, to_state=to_state, user_id=event.user_id, at=event.at,
                               comment=event.note))
    transition.objects.using(db).bulk_create(rows, batch_size=1000)
    _constraints_now(schema_editor)


def log_to_events(apps, schema_editor):
    db = schema_editor.connection.alias
    transitions = apps.get_model("approvals", "Transition").objects.using(db)
    event = apps.get_model("measures", "ApprovalEvent")
    types = _content_types(apps, db)
    rows = []
    for field, content_type in types.items():
        model = apps.get_model("measures", "MeasurePlan" if field == "plan_id" else "ProgressReport")
        existing = set(model.objects.using(db).values_list("pk", flat=True))
        logged = transitions.filter(content_type=content_type).order_by("at", "pk")
        rows += [event(**{field: t.object_id}, action=t.action, user_id=t.user_id, at=t.at, note=t.comment[:300])
                 for t in logged.iterator() if t.object_id in existing]
        logged.delete()
    event.objects.using(db).bulk_create(sorted(rows, key=lambda e: e.at), batch_size=1000)
    _constraints_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("measures", "0007_approval_state"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(events_to_log, log_to_events, elidable=False),
        migrations.RemoveConstraint(model_name="approvalevent", name="approval_event_one_item"),
        migrations.DeleteModel(name="ApprovalEvent"),
    ]
