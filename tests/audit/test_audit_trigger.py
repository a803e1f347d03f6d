"""The audit log's append-only trigger on PostgreSQL (issue 18 item 8): ``TRUNCATE auditlog_logentry`` is
refused (a statement-level trigger: row triggers do not fire on TRUNCATE), and the only change an entry accepts is
its actor set to NULL (``on_delete=SET_NULL`` when a user account is removed), never to another user."""
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's "
                                                                  "(the production database); SQLite has none"),
    pytest.mark.django_db,
]


def _entry(actor) -> LogEntry:
    return LogEntry.objects.create(content_type=ContentType.objects.get_for_model(type(actor)),
                                   object_pk=str(actor.pk), object_repr=actor.username,
                                   action=LogEntry.Action.UPDATE, actor=actor)


def test_the_database_refuses_to_truncate_the_audit_log(admin_user):
    _entry(admin_user)
    count = LogEntry.objects.count()
    with connection.cursor() as cursor:  # run the test's deferred foreign-key checks now: TRUNCATE refuses to
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run with pending trigger events, for its own reason
    with pytest.raises(DatabaseError, match="append-only: it cannot be truncated"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("TRUNCATE auditlog_logentry")
    assert LogEntry.objects.count() == count > 0
    with pytest.raises(DatabaseError, match="append-only: it cannot be truncated"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("TRUNCATE auditlog_logentry RESTART IDENTITY CASCADE")
    assert LogEntry.objects.count() == count


def test_the_actor_of_an_entry_can_be_removed_but_never_rewritten_to_another_user(admin_user, staff_user):
    entry = _entry(admin_user)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(actor=staff_user)
    assert LogEntry.objects.get(pk=entry.pk).actor_id == admin_user.pk

    LogEntry.objects.filter(pk=entry.pk).update(actor=None)  # what deleting the user does (SET_NULL)
    assert LogEntry.objects.get(pk=entry.pk).actor_id is None
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(actor=staff_user)  # NULL → someone: refused too
    assert LogEntry.objects.get(pk=entry.pk).actor_id is None


def test_deleting_a_user_keeps_their_entries_without_the_account(admin_user):
    entry = _entry(admin_user)
    admin_user.delete()
    entry.refresh_from_db()
    assert (entry.actor_id, entry.object_repr) == (None, "admin-khok-ma")
