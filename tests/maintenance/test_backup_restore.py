"""Backup and restore (issue 12 §6): the round trip into an empty database of the active vendor (SQLite by
default, PostgreSQL with DATABASE_URL) gives back every row of every table — history rows included — and every
file byte for byte; restore refuses a non-empty database, another vendor's archive and a damaged archive."""
import hashlib
import io
import json
import tarfile
import uuid

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import load_backend

from maintenance.backup import BackupError, archive_manifest, backup_create, backup_restore, table_row_counts
from tests.browser.helpers import ensure_seed_data
from tests.helpers.database import seed_data_after_the_module  # noqa: F401 (autouse: the seeds back after the module)
from tests.maintenance.archives import PDF, hashes, write_archive


def _wrapper(name: str):
    config = dict(connection.settings_dict) | {"NAME": name}
    return load_backend(config["ENGINE"]).DatabaseWrapper(config, alias="restore_target")


def _admin_connection():
    params = connection.get_connection_params() | {"database": "postgres"}
    params.pop("options", None)
    raw = psycopg2.connect(**{k: v for k, v in params.items() if k in ("database", "user", "password", "host",
                                                                        "port")})
    raw.autocommit = True
    return raw


@pytest.fixture
def fresh_database(tmp_path):
    """A connection to a new, empty database of the vendor the tests run on: a file for SQLite; for PostgreSQL
    a database created here and dropped afterwards."""
    if connection.vendor == "sqlite":
        target = _wrapper(str(tmp_path / "restored.sqlite3"))
        yield target
        target.close()
        return
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    target = _wrapper(name)
    try:
        yield target
    finally:
        target.close()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db
def test_a_backup_restored_into_an_empty_database_gives_back_every_row_history_row_and_file(
        tmp_path, roots, fresh_database):
    archive = tmp_path / "ita-backup.tar.gz"
    source_counts = table_row_counts(connection)
    manifest = backup_create(connection=connection, target=archive)
    assert manifest["vendor"] == connection.vendor
    assert manifest["row_counts"] == source_counts
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    restored_roots = {"MEDIA_ROOT": tmp_path / "restored-media", "SIGNING_KEYS_DIR": tmp_path / "restored-keys"}
    result = backup_restore(connection=fresh_database, source=archive, roots=restored_roots)

    restored_counts = table_row_counts(fresh_database)
    assert set(restored_counts) == set(connection.introspection.table_names())
    assert restored_counts == source_counts
    history = {table: count for table, count in restored_counts.items() if "_historical" in table}
    assert history and sum(history.values()) > 0  # django-simple-history rows came back too
    assert restored_counts["measures_measure"] > 0 and restored_counts["auth_permission"] > 0
    assert hashes(restored_roots) == hashes(roots) and len(hashes(roots)) == 5
    assert (restored_roots["SIGNING_KEYS_DIR"] / "organizations/khok-ma.p12").stat().st_mode & 0o777 == 0o600
    assert (result.files, result.unapplied_migrations) == (5, [])


@pytest.mark.django_db
def test_the_commands_round_trip_and_restore_refuses_a_database_that_is_not_empty(tmp_path, roots):
    archive = tmp_path / "nightly.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"{len(connection.introspection.table_names())} tables" in out.getvalue()
    assert "5 files" in out.getvalue()
    with pytest.raises(CommandError, match=r"ฐานข้อมูล \S+ ไม่ว่าง \(มี \d+ ตาราง\) .* หรือเพิ่ม --force"):
        call_command("restore", str(archive))


@pytest.mark.django_db
def test_restore_refuses_an_archive_of_another_vendor(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = tmp_path / "other.tar.gz"
    manifest = {"format": "ita-portal-backup", "format_version": 1, "vendor": other, "migrations": {},
                "row_counts": {}, "database": {}, "files": []}
    write_archive(archive, {"manifest.json": json.dumps(manifest).encode()})
    label = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
    with pytest.raises(CommandError, match=f"ข้อมูลสำรองของฐานข้อมูล {label[other]} แต่ฐานข้อมูลของระบบเป็น "
                                           f"{label[connection.vendor]}"):
        call_command("restore", str(archive))


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup_and_a_damaged_archive(tmp_path, roots, fresh_database):
    not_a_backup = tmp_path / "photo.tar.gz"
    not_a_backup.write_bytes(PDF)
    with pytest.raises(BackupError, match="ไม่ใช่ไฟล์สำรองที่สร้างด้วย `manage.py backup`"):
        archive_manifest(not_a_backup)

    good = tmp_path / "good.tar.gz"
    backup_create(connection=connection, target=good)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(good, "r:gz") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}
    members["files/MEDIA_ROOT/evidence/2026/11/0123456789abcdef0123456789abcdef.pdf"] = PDF.replace(b"1.4", b"1.5")
    write_archive(damaged, members)
    restored_roots = {"MEDIA_ROOT": tmp_path / "restored-media", "SIGNING_KEYS_DIR": tmp_path / "restored-keys"}
    with pytest.raises(BackupError, match="เสียหายหรือไม่ครบ \\(files/MEDIA_ROOT/evidence/.* ไม่ตรงกับค่า SHA-256"):
        backup_restore(connection=fresh_database, source=damaged, roots=restored_roots)
    assert fresh_database.introspection.table_names() == []  # nothing restored
    assert not restored_roots["MEDIA_ROOT"].exists()


def _damaged_copies(tmp_path, good) -> dict[str, object]:
    """The archive cut off at two thirds (a copy that stopped, a disk that filled up) and with bytes overwritten
    in the middle (a bad disk or transfer)."""
    data = good.read_bytes()
    truncated, corrupted = tmp_path / "truncated.tar.gz", tmp_path / "corrupted.tar.gz"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    middle = len(data) // 2
    corrupted.write_bytes(data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 64]) + data[middle + 64:])
    return {"truncated": truncated, "corrupted": corrupted}


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["truncated", "corrupted"])
def test_a_truncated_or_corrupted_archive_is_refused_in_one_thai_line_and_changes_nothing(tmp_path, roots, damage):
    good = tmp_path / "good.tar.gz"
    backup_create(connection=connection, target=good)
    archive = _damaged_copies(tmp_path, good)[damage]
    counts, files = table_row_counts(connection), hashes(roots)
    (roots["MEDIA_ROOT"] / "garuda/ครุฑ.png").write_bytes(b"changed after the backup")
    files = hashes(roots)

    with pytest.raises(CommandError) as failure:
        call_command("restore", str(archive), "--force")

    message = str(failure.value)
    assert message.startswith(f"คืนข้อมูลไม่สำเร็จ: ไฟล์สำรอง {archive} เสียหาย")
    assert message.endswith("ข้อมูลเดิมยังอยู่ครบ ไม่มีสิ่งใดถูกเปลี่ยน ใช้ไฟล์สำรองชุดอื่น") and "\n" not in message
    assert table_row_counts(connection) == counts
    assert hashes(roots) == files


@pytest.mark.django_db(transaction=True)  # the SQLite backup API cannot write into a database in a transaction
def test_a_sqlite_copy_that_is_not_a_database_is_refused_before_the_live_database_is_touched(tmp_path, roots):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite copy inside an archive (PostgreSQL's dump: test_restore_all_or_nothing.py)")
    ensure_seed_data()
    good = tmp_path / "good.tar.gz"
    backup_create(connection=connection, target=good)
    with tarfile.open(good, "r:gz") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}
    copy = members["database/db.sqlite3"]
    members["database/db.sqlite3"] = copy[:100] + b"\x00" * 4096 * 3 + copy[100 + 4096 * 3:]  # pages zeroed
    manifest = json.loads(members["manifest.json"])
    manifest["database"] |= {"sha256": hashlib.sha256(members["database/db.sqlite3"]).hexdigest()}
    members["manifest.json"] = json.dumps(manifest).encode()
    damaged = tmp_path / "damaged.tar.gz"
    write_archive(damaged, members)
    (roots["MEDIA_ROOT"] / "garuda/ครุฑ.png").write_bytes(b"changed after the backup")
    counts, files = table_row_counts(connection), hashes(roots)

    with pytest.raises(CommandError) as failure:
        call_command("restore", str(damaged), "--force")

    assert str(failure.value).startswith("คืนข้อมูลไม่สำเร็จ: สำเนาฐานข้อมูล SQLite ในไฟล์สำรองเสียหาย")
    assert "\n" not in str(failure.value)
    assert table_row_counts(connection) == counts
    assert hashes(roots) == files
