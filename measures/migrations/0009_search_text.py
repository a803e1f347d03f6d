"""The measure list's search reads one stored text per measure through a trigram index (issue 23 §1).

``Measure.search_text``: the title, the method and the steps' texts, one per line, in lower case
(``Measure.search_text_of``), filled here for the measures there are. On PostgreSQL, the ``pg_trgm`` extension
(trusted: the database's owner may create it) and a GIN trigram index on it, ``measure_search_trgm``, which serves
``search_text LIKE '%…%'``; on SQLite neither (no such index there: its tables are one organization's or five, and a
GIN index in the model's state would break SQLite's table rebuilds), so this migration only adds and fills the
column there. Backwards: the index and the column go (the extension too)."""
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

INDEX = GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="measure_search_trgm")

# Measure.search_text_of in SQL: the non-empty title, method and steps (in order), one per line, lower-cased.
FILL_SQL = r"""
UPDATE measures_measure m SET search_text = lower(concat_ws(E'\n', NULLIF(m.title, ''), NULLIF(m.method, ''),
    (SELECT string_agg(s.text, E'\n' ORDER BY s."order") FROM measures_step s WHERE s.measure_id = m.id
     AND s.text <> '')))
"""


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_SQL)
        return
    measure = apps.get_model("measures", "Measure")
    db = schema_editor.connection.alias
    for row in measure.objects.using(db).prefetch_related("steps").iterator(chunk_size=500):
        texts = [step.text for step in sorted(row.steps.all(), key=lambda step: step.order)]
        row.search_text = "\n".join(part for part in (row.title, row.method, *texts) if part).lower()
        row.save(update_fields=["search_text"])


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("measures", "Measure"), INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("measures", "Measure"), INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0008_approval_log'),
    ]

    operations = [
        TrigramExtension(),  # nothing on SQLite
        migrations.AddField(
            model_name='measure',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='search text'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(add_index, remove_index),
    ]
