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
from tests import office_files

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


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


@pytest.fixture
def roots(tmp_path, settings):
    """Uploaded files of every kind, in the deployment's folders: evidence (Thai download names live in the
    rows; these are stored names), a Garuda, a signature, an organization's signing key (mode 0600)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_KEYS_DIR = tmp_path / "signing"
    files = {
        settings.MEDIA_ROOT / "evidence/2026/11/0123456789abcdef0123456789abcdef.pdf": PDF,
        settings.MEDIA_ROOT / "evidence/2026/11/fedcba9876543210fedcba9876543210.docx": office_files.docx(),
        settings.MEDIA_ROOT / "garuda/ครุฑ.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        settings.MEDIA_ROOT / "signatures/ลายมือชื่อ นายก.png": b"\x89PNG\r\n\x1a\n" + b"\x01" * 300,
        settings.SIGNING_KEYS_DIR / "organizations/khok-ma.p12": b"0\x82\x0b\x0c" + b"\x02" * 2000,
    }
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (settings.SIGNING_KEYS_DIR / "organizations/khok-ma.p12").chmod(0o600)
    return {"MEDIA_ROOT": settings.MEDIA_ROOT, "SIGNING_KEYS_DIR": settings.SIGNING_KEYS_DIR}


def hashes(roots: dict) -> dict[tuple[str, str], str]:
    return {(name, path.relative_to(root).as_posix()): hashlib.sha256(path.read_bytes()).hexdigest()
            for name, root in roots.items() for path in root.rglob("*") if path.is_file()}


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
    with pytest.raises(CommandError, match="is not empty .* add --force"):
        call_command("restore", str(archive))


@pytest.mark.django_db
def test_restore_refuses_an_archive_of_another_vendor(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = tmp_path / "other.tar.gz"
    manifest = {"format": "ita-portal-backup", "format_version": 1, "vendor": other, "migrations": {},
                "row_counts": {}, "database": {}, "files": []}
    _write_archive(archive, {"manifest.json": json.dumps(manifest).encode()})
    label = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
    with pytest.raises(CommandError, match=f"backup of a {label[other]} database and the portal's database is "
                                           f"{label[connection.vendor]}"):
        call_command("restore", str(archive))


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup_and_a_damaged_archive(tmp_path, roots, fresh_database):
    not_a_backup = tmp_path / "photo.tar.gz"
    not_a_backup.write_bytes(PDF)
    with pytest.raises(BackupError, match="is not a backup made by"):
        archive_manifest(not_a_backup)

    good = tmp_path / "good.tar.gz"
    backup_create(connection=connection, target=good)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(good, "r:gz") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}
    members["files/MEDIA_ROOT/evidence/2026/11/0123456789abcdef0123456789abcdef.pdf"] = PDF.replace(b"1.4", b"1.5")
    _write_archive(damaged, members)
    restored_roots = {"MEDIA_ROOT": tmp_path / "restored-media", "SIGNING_KEYS_DIR": tmp_path / "restored-keys"}
    with pytest.raises(BackupError, match="damaged: files/MEDIA_ROOT/evidence/.* does not match its SHA-256"):
        backup_restore(connection=fresh_database, source=damaged, roots=restored_roots)
    assert fresh_database.introspection.table_names() == []  # nothing restored
    assert not restored_roots["MEDIA_ROOT"].exists()


def _write_archive(path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
