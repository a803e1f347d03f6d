"""The audit log's trigger, tightened (issue 18 item 8): ``TRUNCATE auditlog_logentry`` is refused by a
statement-level trigger (row-level triggers do not fire on TRUNCATE), and the one change an entry accepts is its
actor set to NULL (``on_delete=SET_NULL`` when a user account is removed): setting it to another user, or from
NULL to a user, is refused like any other change.

The table's owner can still ``ALTER TABLE auditlog_logentry DISABLE TRIGGER``: the trigger stops the portal and
mistakes, not the database's owner. The tests' flush does exactly that (``tests/conftest.py``). A restore drops
and re-creates the table in one transaction (``maintenance/backup.py``): DROP fires no trigger, and pg_restore
loads the rows before it creates the triggers."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ita_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'the audit log is append-only: it cannot be truncated';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'the audit log is append-only: entries cannot be deleted';
  END IF;
  IF (to_jsonb(NEW) - 'actor_id') IS DISTINCT FROM (to_jsonb(OLD) - 'actor_id')
     OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND NEW.actor_id IS NOT NULL) THEN
    RAISE EXCEPTION 'the audit log is append-only: entries cannot be changed (only their actor removed)';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ita_audit_no_truncate ON auditlog_logentry;
CREATE TRIGGER ita_audit_no_truncate BEFORE TRUNCATE ON auditlog_logentry
  FOR EACH STATEMENT EXECUTE FUNCTION ita_audit_append_only();
"""
PREVIOUS = """
DROP TRIGGER IF EXISTS ita_audit_no_truncate ON auditlog_logentry;
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
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
