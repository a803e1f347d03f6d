"""The audit log is append-only in the database (PostgreSQL, the production database): a trigger refuses to
delete an entry or to change anything in it but its actor (set to NULL when a user account is removed). SQLite
(local use and the first test run) has no such trigger: its tests flush tables with DELETE."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ita_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the audit log is append-only: entries cannot be deleted';
  END IF;
  IF (to_jsonb(NEW) - 'actor_id') IS DISTINCT FROM (to_jsonb(OLD) - 'actor_id') THEN
    RAISE EXCEPTION 'the audit log is append-only: entries cannot be changed';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ita_audit_append_only ON auditlog_logentry;
CREATE TRIGGER ita_audit_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
  FOR EACH ROW EXECUTE FUNCTION ita_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS ita_audit_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS ita_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("auditlog", "__latest__")]
    operations = [migrations.RunPython(forwards, backwards)]
