"""``MemoTransition`` goes (its rows are in the approval log since 0003); the printed decisions keep pointing at
their transition (the field ``decision`` takes the name ``transition`` again)."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("memos", "0003_transitions_to_approval_log"),
    ]

    operations = [
        migrations.RemoveField(model_name="memocomment", name="transition"),
        migrations.DeleteModel(name="MemoTransition"),
        migrations.RenameField(model_name="memocomment", old_name="decision", new_name="transition"),
    ]
