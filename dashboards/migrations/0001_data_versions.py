"""The ``DataVersion`` table and its triggers (``dashboards.models``): every write to a table the overview reads
bumps the one version row (``name`` "*", ``dashboards.models.ALL``), in the writer's transaction — on PostgreSQL once
per statement, to the next value of a sequence (never repeated, even after a ``TRUNCATE``, and new for every
statement, also within one transaction); on SQLite once per row, by one. One row for every table, not one per
table: two transactions writing two of these tables in opposite orders would otherwise each hold one table's row
and wait for the other's (``deadlock detected``; tests/dashboards/test_data_version_locks.py).

A table added to ``dashboards.versions.VERSIONED_TABLES`` needs a migration that gives it the same triggers
(``tests/dashboards/test_overview_cache.py`` checks that every one of them has them)."""
from django.db import migrations, models

TABLES = [
    "organizations_organization", "organizations_membership", "organizations_oversightscope",
    "assessments_framework", "assessments_indicator", "assessments_levelrule", "assessments_assessment",
    "assessments_indicatorscore", "assessments_scoresummary", "oit_checklist",
]

POSTGRES_FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS ita_data_version_seq;
CREATE OR REPLACE FUNCTION ita_data_version_bump() RETURNS trigger AS $$
BEGIN
  -- An UPDATE of the existing row: concurrent writers queue on its lock. Racing upserts of a missing row can
  -- deadlock in PostgreSQL's speculative insertion, so the row is inserted only when it is missing.
  UPDATE dashboards_dataversion SET version = nextval('ita_data_version_seq') WHERE name = '*';
  IF NOT FOUND THEN
    INSERT INTO dashboards_dataversion (name, version) VALUES ('*', nextval('ita_data_version_seq'))
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS ita_data_version ON {table}; "
                f"CREATE TRIGGER ita_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION ita_data_version_bump();")
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for operation in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS ita_data_version_{table}_{operation.lower()} AFTER {operation} "
                    f"ON {table} BEGIN INSERT INTO dashboards_dataversion (name, version) VALUES ('*', 1) "
                    f"ON CONFLICT(name) DO UPDATE SET version = version + 1; END;")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS ita_data_version ON {table};")
        schema_editor.execute("DROP FUNCTION IF EXISTS ita_data_version_bump(); DROP SEQUENCE IF EXISTS ita_data_version_seq;")
    elif schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for operation in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS ita_data_version_{table}_{operation};")


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ("organizations", "0007_organization_website"),
        ("assessments", "0006_list_indexes"),
        ("oit", "0007_checklist_reopened_note"),
    ]
    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("name", models.CharField(max_length=63, primary_key=True, serialize=False, verbose_name="table")),
                ("version", models.BigIntegerField(verbose_name="version")),
            ],
            options={"verbose_name": "data version", "verbose_name_plural": "data versions"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
