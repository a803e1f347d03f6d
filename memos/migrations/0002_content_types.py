"""The content types of the moved memo models (issue 19) change app from ``reports`` to ``memos``: the same rows,
so their ids stay, and what points at them (auditlog's entries, permissions and their grants) keeps pointing at
the same models. On a new database there is nothing to rename (content types are made after migrating)."""
from django.db import migrations

MODELS = ["memo", "memocomment", "memotransition", "routingstep", "issueddocument", "memoissue"]


def _move(apps, schema_editor, source: str, target: str) -> None:
    manager = apps.get_model("contenttypes", "ContentType").objects
    content_types = manager.using(schema_editor.connection.alias)
    for model in MODELS:
        if not content_types.filter(app_label=target, model=model).exists():
            content_types.filter(app_label=source, model=model).update(app_label=target)
    manager.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, "reports", "memos")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, "memos", "reports")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("memos", "0001_initial"),
        ("reports", "0008_memos_moved"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
