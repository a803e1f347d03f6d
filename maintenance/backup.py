"""Backup and restore of a whole deployment: the database and the uploaded files in one ``.tar.gz``
(``manage.py backup FILE`` / ``manage.py restore FILE``; README "Backup and restore").

The archive holds::

    manifest.json            format and version, database vendor, Django version, applied migrations, created
                             time (UTC, ISO 8601), rows per table, the database file and every file with its size
                             and SHA-256
    database/db.dump         PostgreSQL: pg_dump's custom format (restored with pg_restore)
    database/db.sqlite3      SQLite: a copy made with the SQLite backup API (sqlite3.Connection.backup)
    files/<root>/<path>      the files under each folder named by settings.BACKUP_FILE_ROOT_SETTINGS
                             (root "MEDIA_ROOT", "SIGNING_KEYS_DIR")

``dumpdata``/``loaddata`` is not used: it needs the content types and permissions to match, loses nothing only
when every model serializes its natural keys, and carries no files.

The rows per table are counted in the same snapshot the dump reads (PostgreSQL: an exported snapshot given to
pg_dump; SQLite: counted in the copy), so a restore can prove it gave back every row.
"""
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

FORMAT = "ita-portal-backup"
FORMAT_VERSION = 1
VENDORS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do (English, for the
    operator at the command line)."""


@dataclass(frozen=True)
class RestoreResult:
    """What a restore gave back: rows per table (as counted in the restored database), the number of files and
    their bytes, and the migrations of this code that the archive's database has not applied (run ``migrate``)."""

    row_counts: dict[str, int]
    files: int
    file_bytes: int
    unapplied_migrations: list[str]


# --- files ----------------------------------------------------------------------------------------------------

def file_roots() -> dict[str, Path]:
    """The folders whose files are backed up, by the name of the setting naming each
    (``settings.BACKUP_FILE_ROOT_SETTINGS``; read now, so a test's settings apply)."""
    return {name: Path(getattr(settings, name)) for name in settings.BACKUP_FILE_ROOT_SETTINGS}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(roots: dict[str, Path]) -> list[dict]:
    """Every regular file under ``roots`` (symbolic links are not followed): root, POSIX path, size, SHA-256."""
    entries = []
    for root_name, root in roots.items():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                entries.append({"root": root_name, "path": path.relative_to(root).as_posix(),
                                "size": path.stat().st_size, "sha256": sha256_of(path)})
    return entries


def _safe_relative(path: str) -> PurePosixPath:
    """A path from an archive, refused when it could leave its folder (absolute, ``..``)."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"The archive names an unsafe path: {path!r}.")
    return relative


# --- database: counts and migrations --------------------------------------------------------------------------

def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _row_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor, tables) -> dict[str, list[str]]:
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def table_row_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """Rows per table of ``connection`` (every table ``introspection.table_names()`` lists)."""
    with connection.cursor() as cursor:
        return _row_counts(cursor, connection.introspection.table_names(cursor))


# --- PostgreSQL -----------------------------------------------------------------------------------------------

def pg_binary(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore``: in ``settings.PG_BIN_DIR`` if set, else the newest
    ``/usr/lib/postgresql/<version>/bin`` (Debian keeps one per version; the newest reads every older server),
    else the PATH. Raises ``BackupError`` when there is none."""
    candidates = [Path(settings.PG_BIN_DIR) / name] if settings.PG_BIN_DIR else []
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    candidates += [folder / name for folder in versions]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools (e.g. apt-get install "
                          f"postgresql-client) or set ITA_PG_BIN_DIR.")
    return found


def pg_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, SSL options, PGOPTIONS) for the
    client tools, from the connection's settings (``DATABASE_URL``); the password never appears on a command
    line."""
    config = connection.settings_dict
    env = {"PGDATABASE": config["NAME"], "PGHOST": config.get("HOST") or "", "PGPORT": str(config.get("PORT") or ""),
           "PGUSER": config.get("USER") or "", "PGPASSWORD": config.get("PASSWORD") or ""}
    options = config.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                             ("sslkey", "PGSSLKEY"), ("options", "PGOPTIONS"), ("service", "PGSERVICE"),
                             ("passfile", "PGPASSFILE")):
        if options.get(option):
            env[variable] = str(options[option])
    return os.environ.copy() | {key: value for key, value in env.items() if value}


def _run(command: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({completed.returncode}): {completed.stderr.strip()}")


def _pg_dump(connection: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Dump with pg_dump (custom format) from a snapshot exported by a REPEATABLE READ transaction that counts
    the rows and reads the migrations in the same snapshot."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = connection.introspection.table_names(cursor)
            counts = _row_counts(cursor, tables)
            migrations = _applied_migrations(cursor, tables)
            _run([pg_binary("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                 pg_environment(connection))
        raw.rollback()
    finally:
        raw.close()
    return counts, migrations


def _pg_restore(connection: BaseDatabaseWrapper, dump: Path, *, force: bool) -> None:
    """pg_restore in one transaction (all or nothing), objects owned by the connecting role (``--no-owner
    --no-acl``: the archive may come from a deployment with other role names). With ``force``, every table of the
    database is dropped first."""
    tables = connection.introspection.table_names()
    if force and tables:
        with connection.cursor() as cursor:  # one statement: all dropped or none
            cursor.execute("DROP TABLE " + ", ".join(_quote(table) for table in tables) + " CASCADE")
    _run([pg_binary("pg_restore"), "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
          f"--dbname={connection.settings_dict['NAME']}", str(dump)], pg_environment(connection))


# --- SQLite ---------------------------------------------------------------------------------------------------

def _sqlite_dump(connection: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Copy with the SQLite backup API (consistent even while others write), then count in the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = [row[0] for row in cursor.fetchall()]
        return _row_counts(cursor, tables), _applied_migrations(cursor, tables)
    finally:
        copy.close()


def _sqlite_restore(connection: BaseDatabaseWrapper, copy_path: Path) -> None:
    """Replace the whole database of ``connection`` with the copy, page by page (SQLite backup API)."""
    connection.ensure_connection()
    source = sqlite3.connect(copy_path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


# --- backup ---------------------------------------------------------------------------------------------------

def backup_create(*, connection: BaseDatabaseWrapper, target: Path, roots: dict[str, Path] | None = None) -> dict:
    """Write the archive of the database of ``connection`` and the files under ``roots`` (default
    ``file_roots()``) to ``target`` (a ``.tar.gz``, mode 0600: it holds password hashes and signing keys). The
    archive is written beside ``target`` and renamed at the end, so a failed backup leaves no half archive.
    Returns the manifest. Raises ``BackupError`` (unsupported vendor, pg_dump missing or failing)."""
    vendor = connection.vendor
    if vendor not in VENDORS:
        raise BackupError(f"Backups are made of PostgreSQL or SQLite databases, not {vendor}.")
    roots = file_roots() if roots is None else roots
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="ita-backup-") as work:
        database_name = "database/db.dump" if vendor == "postgresql" else "database/db.sqlite3"
        dump = Path(work) / Path(database_name).name
        counts, migrations = (_pg_dump if vendor == "postgresql" else _sqlite_dump)(connection, dump)
        files = _files_under(roots)  # after the dump: every file a dumped row names was written before its commit
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "vendor": vendor,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "django_version": django.get_version(), "migrations": migrations, "row_counts": counts,
            "database": {"path": database_name, "size": dump.stat().st_size, "sha256": sha256_of(dump)},
            "files": files,
        }
        partial = target.with_name(target.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime, info.mode = len(data), int(dt.datetime.now(dt.UTC).timestamp()), 0o600
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=database_name)
                for entry in files:
                    archive.add(roots[entry["root"]] / entry["path"], arcname=f"files/{entry['root']}/{entry['path']}")
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- restore --------------------------------------------------------------------------------------------------

def archive_manifest(source: Path) -> dict:
    """The manifest of the archive at ``source``; raises ``BackupError`` when it is not one of ours or of a
    newer format."""
    try:
        with tarfile.open(source, mode="r:gz") as archive:
            member = archive.extractfile("manifest.json")
            manifest = json.loads(member.read()) if member else None
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(f"{source} is not a backup made by `manage.py backup` ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a backup made by `manage.py backup`.")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(f"{source} was written by a newer version of the portal (backup format "
                          f"{manifest['format_version']}); restore it with that version.")
    return manifest


def archive_verify(source: Path, manifest: dict) -> None:
    """Read the whole archive once and check the database and every file against their SHA-256 in the manifest,
    before anything is restored. Raises ``BackupError`` naming the first member that is missing or differs."""
    expected = {manifest["database"]["path"]: manifest["database"]["sha256"]}
    expected |= {f"files/{entry['root']}/{entry['path']}": entry["sha256"] for entry in manifest["files"]}
    seen = set()
    with tarfile.open(source, mode="r|gz") as archive:
        for member in archive:
            if member.name not in expected:
                continue
            digest, data = hashlib.sha256(), archive.extractfile(member) if member.isfile() else None
            while data is not None and (chunk := data.read(_CHUNK)):
                digest.update(chunk)
            if data is None or digest.hexdigest() != expected[member.name]:
                raise BackupError(f"The archive is damaged: {member.name} does not match its SHA-256 in the "
                                  "manifest. Nothing was restored.")
            seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"The archive is damaged: {missing[0]} is missing. Nothing was restored.")


def _check_restorable(manifest: dict, connection: BaseDatabaseWrapper, *, force: bool) -> list[str]:
    """Refuse another vendor, migrations this code does not know, and a database with tables (unless
    ``force``). Returns this code's migrations the archive has not applied."""
    if manifest["vendor"] != connection.vendor:
        archive, here = (VENDORS.get(v, v) for v in (manifest["vendor"], connection.vendor))
        raise BackupError(f"This archive is a backup of a {archive} database and the portal's database is "
                          f"{here}: restore it into a {archive} database (set DATABASE_URL), or make the backup "
                          f"again from a {here} deployment.")
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(archived - known)
    if unknown:
        raise BackupError("The archive's database has migrations this version of the portal does not have ("
                          + ", ".join(f"{app}.{name}" for app, name in unknown[:5])
                          + "): update the portal to the version that made the backup, then restore.")
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables). "
                          "Restore into an empty database (createdb a new one), or add --force to replace "
                          "everything in it.")
    return sorted(f"{app}.{name}" for app, name in known - archived)


def _extract_checked(archive: tarfile.TarFile, member_name: str, target: Path, *, sha256: str, mode: int) -> int:
    """Write the archive member to ``target`` (through a temporary name), checking its SHA-256; returns bytes."""
    member = archive.getmember(member_name)
    if not member.isfile():
        raise BackupError(f"The archive's {member_name} is not a regular file.")
    source = archive.extractfile(member)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    digest, size = hashlib.sha256(), 0
    with partial.open("wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        partial.unlink()
        raise BackupError(f"The archive is damaged: {member_name} does not match its SHA-256 in the manifest.")
    partial.chmod(mode)
    partial.replace(target)
    return size


def backup_restore(*, connection: BaseDatabaseWrapper, source: Path, roots: dict[str, Path] | None = None,
                   force: bool = False) -> RestoreResult:
    """Restore the archive at ``source`` into the database of ``connection`` and the folders ``roots`` (default
    ``file_roots()``): every member is checked against its SHA-256 first (``archive_verify``: a damaged
    archive restores nothing), then the database (PostgreSQL: one pg_restore transaction; SQLite: the backup API), then
    every file, each checked against its SHA-256; then the rows per table are counted and compared with the
    manifest. Raises ``BackupError``: not an archive, another vendor, unknown migrations, a database with
    tables (unless ``force``), a damaged member, a count that differs."""
    source = Path(source)
    manifest = archive_manifest(source)
    unapplied = _check_restorable(manifest, connection, force=force)
    roots = file_roots() if roots is None else roots
    files = manifest["files"]
    for entry in files:
        if entry["root"] not in roots:
            raise BackupError(f"The archive holds files of {entry['root']}, which this deployment does not have "
                              "(settings.BACKUP_FILE_ROOT_SETTINGS).")
        _safe_relative(entry["path"])
    archive_verify(source, manifest)
    with tempfile.TemporaryDirectory(prefix="ita-restore-") as work, tarfile.open(source, mode="r:gz") as archive:
        database = manifest["database"]
        dump = Path(work) / PurePosixPath(database["path"]).name
        _extract_checked(archive, database["path"], dump, sha256=database["sha256"], mode=0o600)
        if connection.vendor == "postgresql":
            _pg_restore(connection, dump, force=force)
        else:
            _sqlite_restore(connection, dump)
        total = 0
        for entry in files:
            member = f"files/{entry['root']}/{entry['path']}"
            mode = archive.getmember(member).mode & 0o777 or 0o600
            total += _extract_checked(archive, member, roots[entry["root"]] / _safe_relative(entry["path"]),
                                      sha256=entry["sha256"], mode=mode)
    connection.close()  # the next query sees the restored schema
    counts = table_row_counts(connection)
    differ = {table: (expected, counts.get(table)) for table, expected in manifest["row_counts"].items()
              if counts.get(table) != expected}
    if differ:
        raise BackupError("The restored database differs from the archive's counts (table: archived, restored): "
                          + ", ".join(f"{t}: {a}, {b}" for t, (a, b) in sorted(differ.items())[:10]))
    return RestoreResult(row_counts=counts, files=len(files), file_bytes=total, unapplied_migrations=unapplied)


def human_size(size: int) -> str:
    """``1234567`` → ``"1.2 MB"`` (decimal units)."""
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return str(size)

