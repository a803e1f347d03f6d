"""A restore is all or nothing (issue 18 item 2): ``restore --force`` over the live PostgreSQL database, with the
audit log's append-only triggers in it, gives back every row of every table and every file byte for byte; a
restore that fails — a damaged database dump, or a failure after every table was dropped and loaded again —
leaves every current row and file in place, and says so in one Thai line.

These run on the test database itself (transactional tests: the restore runs in other sessions, psql and
pg_restore); when the module ends the session's seed data is put back for the tests after it."""
import hashlib
import json
import stat
import tarfile

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from maintenance.backup import backup_create, table_row_counts
from tests.browser.helpers import ensure_seed_data
from tests.factories import OrganizationFactory
from tests.helpers.database import seed_data_after_the_module  # noqa: F401 (autouse: the seeds back after the module)
from tests.maintenance.archives import hashes, write_archive

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="restores over the live PostgreSQL database (pg_restore, psql, the audit trigger)"),
    pytest.mark.django_db(transaction=True),
]
EVIDENCE = "evidence/2026/11/0123456789abcdef0123456789abcdef.pdf"


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'auditlog_logentry'::regclass "
                       "AND NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def _members(archive) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as opened:
        return {m.name: opened.extractfile(m).read() for m in opened.getmembers() if m.isfile()}


def _changed_after_the_backup(roots) -> None:
    """What happens between the backup and the restore: a new organization, an evidence file rewritten, the
    signing key removed."""
    OrganizationFactory(slug="after-the-backup")
    (roots["MEDIA_ROOT"] / EVIDENCE).write_bytes(b"%PDF-1.7 rewritten after the backup")
    (roots["SIGNING_KEYS_DIR"] / "organizations/khok-ma.p12").unlink()


def _backup(tmp_path, roots):
    ensure_seed_data()
    LogEntry.objects.create(content_type=ContentType.objects.get_for_model(LogEntry), object_pk="1",
                            object_repr="before the backup", action=LogEntry.Action.CREATE)
    assert _triggers() >= {"ita_audit_append_only"} and LogEntry.objects.exists()
    archive = tmp_path / "nightly.tar.gz"
    backup_create(connection=connection, target=archive)
    return archive, table_row_counts(connection), hashes(roots)


def test_a_forced_restore_over_the_live_database_gives_back_every_row_trigger_and_file(tmp_path, roots):
    archive, counts, files = _backup(tmp_path, roots)
    triggers = _triggers()
    _changed_after_the_backup(roots)
    assert table_row_counts(connection) != counts and hashes(roots) != files

    call_command("restore", str(archive), "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert table_row_counts(connection) == counts
    assert sum(counts.values()) > 1000 and counts["auditlog_logentry"] > 0
    assert hashes(roots) == files and len(files) == 5
    assert stat.S_IMODE((roots["SIGNING_KEYS_DIR"] / "organizations/khok-ma.p12").stat().st_mode) == 0o600
    assert _triggers() == triggers  # the append-only triggers came back, after the rows
    assert not [p for root in roots.values() for p in root.iterdir() if p.name.startswith(".restoring")]


def test_a_damaged_database_dump_restores_nothing_and_says_so_in_one_thai_line(tmp_path, roots):
    archive, _, _ = _backup(tmp_path, roots)
    _changed_after_the_backup(roots)
    counts, files = table_row_counts(connection), hashes(roots)
    members = _members(archive)
    dump = members["database/db.dump"]
    members["database/db.dump"] = dump[: len(dump) * 2 // 3]  # cut off, as a disk that filled up would
    manifest = json.loads(members["manifest.json"])
    manifest["database"] |= {"size": len(members["database/db.dump"]),
                             "sha256": hashlib.sha256(members["database/db.dump"]).hexdigest()}
    members["manifest.json"] = json.dumps(manifest).encode()
    damaged = tmp_path / "damaged.tar.gz"
    write_archive(damaged, members)

    with pytest.raises(CommandError) as failure:
        call_command("restore", str(damaged), "--force")

    assert len(connection.introspection.table_names()) == len(counts)
    assert table_row_counts(connection) == counts  # every row still there, the new organization too
    assert hashes(roots) == files
    message = str(failure.value)
    assert message.startswith("คืนข้อมูลไม่สำเร็จ") and "ข้อมูลเดิมยังอยู่ครบ" in message and "\n" not in message


def test_a_restore_failing_after_every_table_was_dropped_and_loaded_leaves_the_data_untouched(
        tmp_path, roots, settings):
    archive, _, _ = _backup(tmp_path, roots)
    _changed_after_the_backup(roots)
    counts, files = table_row_counts(connection), hashes(roots)
    # pg_restore that writes its whole script, then one statement that fails at the very end, after the drops
    # and every row loaded: the transaction must take everything back
    from maintenance.backup import pg_binary
    fake = tmp_path / "bin"
    fake.mkdir()
    for name in ("pg_dump", "psql"):
        (fake / name).symlink_to(pg_binary(name))
    (fake / "pg_restore").write_text(
        f'#!/bin/sh\n"{pg_binary("pg_restore")}" "$@" || exit $?\n'
        'for argument; do case "$argument" in --file=*) echo "SELECT 1/0;" >> "${argument#--file=}";; esac; done\n')
    (fake / "pg_restore").chmod(0o755)
    settings.PG_BIN_DIR = str(fake)

    with pytest.raises(CommandError) as failure:
        call_command("restore", str(archive), "--force")

    assert len(connection.introspection.table_names()) == len(counts)
    assert table_row_counts(connection) == counts
    assert hashes(roots) == files
    message = str(failure.value)
    assert message.startswith("คืนข้อมูลไม่สำเร็จ") and "division by zero" in message and "\n" not in message
