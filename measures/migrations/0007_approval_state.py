"""Plans and progress reports get a stored approval ``state`` (draft / approved), set from ``approved_at`` for the
rows there are: an item with an approval date is approved. ``approved_at``/``approved_by`` stay, written by the
approval service only (no longer editable in forms or the admin)."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def states_from_approval_dates(apps, schema_editor):
    db = schema_editor.connection.alias
    for name in ("MeasurePlan", "ProgressReport"):
        model = apps.get_model("measures", name)
        model.objects.using(db).filter(approved_at__isnull=False).update(state="approved")


class Migration(migrations.Migration):

    dependencies = [
        ("measures", "0006_verbose_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="measureplan",
            name="state",
            field=models.CharField(choices=[("draft", "Draft"), ("approved", "Approved")], default="draft",
                                   editable=False, max_length=16, verbose_name="state"),
        ),
        migrations.AddField(
            model_name="progressreport",
            name="state",
            field=models.CharField(choices=[("draft", "Draft"), ("approved", "Approved")], default="draft",
                                   editable=False, max_length=16, verbose_name="state"),
        ),
        migrations.RunPython(states_from_approval_dates, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="measureplan",
            name="approved_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="approved at"),
        ),
        migrations.AlterField(
            model_name="measureplan",
            name="approved_by",
            field=models.ForeignKey(blank=True, editable=False, null=True,
                                    on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="approved by"),
        ),
        migrations.AlterField(
            model_name="progressreport",
            name="approved_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="approved at"),
        ),
        migrations.AlterField(
            model_name="progressreport",
            name="approved_by",
            field=models.ForeignKey(blank=True, editable=False, null=True,
                                    on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="approved by"),
        ),
    ]
