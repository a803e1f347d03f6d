"""Backup and restore of a whole deployment: the database and the uploaded files in one ``.tar.gz``
(``manage.py backup FILE`` / ``manage.py restore FILE``; docs/operations/backup-and-restore.md).

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

A restore is all or nothing (issue 18; docs/backup.md): the whole archive is read and checked first; the files
are written to a folder beside their final place; the database is replaced in ONE transaction (PostgreSQL: psql
runs "drop everything" and pg_restore's script between BEGIN and COMMIT; SQLite: the copy is checked with
``PRAGMA integrity_check``, then written with the backup API, which rolls back on any error); only then are the
files moved into place. Any failure before that leaves every current row and file as it was. Errors are
translated (Thai by default), one line each.
"""
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = "ita-portal-backup"
FORMAT_VERSION = 1
VENDORS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
_CHUNK = 1024 * 1024
_STAGING_PREFIX = ".restoring-"  # the folder, inside each file root, where a restore puts files until it commits
_UNREADABLE = (EOFError, zlib.error, tarfile.TarError, gzip.BadGzipFile)  # what a cut or damaged .tar.gz raises


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do, in one line, translated
    (Thai by default) for the operator at the command line."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _nothing_changed(reason: str) -> BackupError:
    return BackupError(_("Restore failed: %(reason)s Every current row and file is still in place; nothing was "
                         "changed.") % {"reason": _one_line(reason)})


def _damaged(source: Path, detail: str) -> BackupError:
    """The one-line error of an archive that cannot be read to its end or whose contents differ from its
    manifest: nothing was restored."""
    return BackupError(_("Restore failed: the backup file %(file)s is damaged or incomplete (%(detail)s). Every "
                         "current row and file is still in place; nothing was changed. Use another backup.")
                       % {"file": source, "detail": _one_line(detail)})


def _unreadable_detail(error: BaseException) -> str:
    if isinstance(error, EOFError) or "unexpected end of data" in str(error):
        return _("the file ends too early: it was cut off")
    return _("its compressed data cannot be read: %(error)s") % {"error": error}


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
            if path.relative_to(root).parts[0].startswith(_STAGING_PREFIX):
                continue  # an unfinished restore's files, never part of the deployment
            if path.is_file() and not path.is_symlink():
                entries.append({"root": root_name, "path": path.relative_to(root).as_posix(),
                                "size": path.stat().st_size, "sha256": sha256_of(path)})
    return entries


def _safe_relative(path: str) -> PurePosixPath:
    """A path from an archive, refused when it could leave its folder (absolute, ``..``)."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(_("The archive names an unsafe path: %(path)r. Nothing was restored.") % {"path": path})
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
        raise BackupError(_("%(program)s was not found: install the PostgreSQL client tools (e.g. apt-get install "
                            "postgresql-client) or set ITA_PG_BIN_DIR.") % {"program": name})
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


def _first_error(stderr: str) -> str:
    """The line of a client tool's error output that says what went wrong (psql: ``ERROR:  …``), on one line."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line[line.index("ERROR:"):] for line in lines if "ERROR:" in line]
    return _one_line((errors or lines or ["?"])[0])


def _run(command: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(_("%(program)s failed (%(code)s): %(error)s")
                          % {"program": Path(command[0]).name, "code": completed.returncode,
                             "error": _first_error(completed.stderr)})


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


# Everything of the schema ``public`` that is not part of an extension: views, tables (their sequences, indexes,
# constraints and triggers go with them), other sequences, functions and procedures (the audit trigger's function
# survives DROP TABLE: issue 18), domains and types. The statements are computed first, then run.
_PG_DROP_EVERYTHING = """
DO $$
DECLARE
  statement text;
BEGIN
  FOR statement IN
    WITH own_class AS (
      SELECT c.relname, c.relkind FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype = 'e')),
    own_proc AS (
      SELECT p.oid, p.prokind FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
        AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                        AND d.deptype = 'e')),
    own_type AS (
      SELECT t.typname, t.typtype FROM pg_type t
      WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('d', 'e', 'r', 'c')
        AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
        AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                        AND d.deptype = 'e'))
    SELECT unnest(ARRAY[
      (SELECT 'DROP MATERIALIZED VIEW IF EXISTS ' || string_agg(format('public.%I', relname), ', ') || ' CASCADE'
         FROM own_class WHERE relkind = 'm'),
      (SELECT 'DROP VIEW IF EXISTS ' || string_agg(format('public.%I', relname), ', ') || ' CASCADE'
         FROM own_class WHERE relkind = 'v'),
      (SELECT 'DROP TABLE IF EXISTS ' || string_agg(format('public.%I', relname), ', ') || ' CASCADE'
         FROM own_class WHERE relkind IN ('r', 'p')),
      (SELECT 'DROP SEQUENCE IF EXISTS ' || string_agg(format('public.%I', relname), ', ') || ' CASCADE'
         FROM own_class WHERE relkind = 'S'),
      (SELECT 'DROP ROUTINE IF EXISTS ' || string_agg(oid::regprocedure::text, ', ') || ' CASCADE' FROM own_proc),
      (SELECT 'DROP DOMAIN IF EXISTS ' || string_agg(format('public.%I', typname), ', ') || ' CASCADE'
         FROM own_type WHERE typtype = 'd'),
      (SELECT 'DROP TYPE IF EXISTS ' || string_agg(format('public.%I', typname), ', ') || ' CASCADE'
         FROM own_type WHERE typtype <> 'd')])
  LOOP
    IF statement IS NOT NULL THEN
      EXECUTE statement;
    END IF;
  END LOOP;
END $$;
"""


def _pg_restore(connection: BaseDatabaseWrapper, dump: Path, *, source: Path, work: Path) -> None:
    """Replace everything in the database with the dump, in ONE transaction: pg_restore first writes its SQL
    script (objects owned by the connecting role, ``--no-owner --no-acl``: the archive may come from a deployment
    with other role names); a dump it cannot read stops here, before the database is touched. Then psql runs,
    between BEGIN and COMMIT (``--single-transaction``, ``ON_ERROR_STOP``), the dropping of every object of the
    schema ``public`` and the script: pg_restore's order creates the tables, loads the rows, then creates the
    indexes, constraints and triggers (the audit log's append-only triggers come after its rows). Any error rolls
    all of it back. Raises ``BackupError`` (translated, one line)."""
    script, prelude = work / "restore.sql", work / "drop-everything.sql"
    pg_restore, psql = pg_binary("pg_restore"), pg_binary("psql")  # missing tools: said before anything else
    try:
        _run([pg_restore, "--no-owner", "--no-acl", f"--file={script}", str(dump)],
             pg_environment(connection))
    except BackupError as error:
        raise _damaged(source, _("pg_restore cannot read its database dump: %(error)s") % {"error": error}) \
            from error
    prelude.write_text(_PG_DROP_EVERYTHING)
    connection.close()  # this process holds no lock on what psql drops
    try:
        _run([psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
              f"--file={prelude}", f"--file={script}"], pg_environment(connection))
    except BackupError as error:
        raise _nothing_changed(_("PostgreSQL refused the restore and rolled it back (%(error)s).")
                               % {"error": error}) from error


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
    """Replace the whole database of ``connection`` with the copy (extracted to a temporary file): the copy is
    checked first (``PRAGMA integrity_check``: a damaged copy stops here), then written page by page with the
    SQLite backup API, inside one write transaction of the live database that SQLite rolls back on any error.
    (The live file is not replaced by renaming: other processes keep the old file open, and in WAL mode its
    ``-wal`` file would be applied to the new one.) Raises ``BackupError`` (translated, one line)."""
    try:
        with closing(sqlite3.connect(copy_path)) as copy:
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as error:
        problems = [str(error)]
    if problems != ["ok"]:
        raise _nothing_changed(_("the SQLite copy in the backup is damaged (%(error)s); use another backup.")
                               % {"error": problems[0]})
    connection.ensure_connection()
    try:
        with closing(sqlite3.connect(copy_path)) as source:
            source.backup(connection.connection)
    except sqlite3.Error as error:
        raise _nothing_changed(_("SQLite refused the restore and rolled it back (%(error)s).")
                               % {"error": error}) from error


# --- backup ---------------------------------------------------------------------------------------------------

def backup_create(*, connection: BaseDatabaseWrapper, target: Path, roots: dict[str, Path] | None = None) -> dict:
    """Write the archive of the database of ``connection`` and the files under ``roots`` (default
    ``file_roots()``) to ``target`` (a ``.tar.gz``, mode 0600: it holds password hashes and signing keys). The
    archive is written beside ``target`` and renamed at the end, so a failed backup leaves no half archive.
    Returns the manifest. Raises ``BackupError`` (unsupported vendor, pg_dump missing or failing)."""
    vendor = connection.vendor
    if vendor not in VENDORS:
        raise BackupError(_("Backups are made of PostgreSQL or SQLite databases, not %(vendor)s.")
                          % {"vendor": vendor})
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
    manifest = None
    try:
        with tarfile.open(source, mode="r|gz") as archive:  # the manifest is the first member: read no further
            for member in archive:
                if member.name == "manifest.json" and member.isfile():
                    manifest = json.loads(archive.extractfile(member).read())
                break
    except (EOFError, zlib.error) as error:
        raise _damaged(source, _unreadable_detail(error)) from error
    except (tarfile.TarError, OSError, ValueError) as error:
        raise BackupError(_("%(file)s is not a backup made by `manage.py backup` (%(error)s). Nothing was "
                            "restored.") % {"file": source, "error": _one_line(error)}) from error
    if (not isinstance(manifest, dict) or manifest.get("format") != FORMAT
            or not {"vendor", "migrations", "row_counts", "database", "files"} <= set(manifest)):
        raise BackupError(_("%(file)s is not a backup made by `manage.py backup`. Nothing was restored.")
                          % {"file": source})
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(_("%(file)s was written by a newer version of the portal (backup format %(version)s); "
                            "restore it with that version.")
                          % {"file": source, "version": manifest["format_version"]})
    return manifest


def archive_verify(source: Path, manifest: dict) -> None:
    """Read the whole archive once and check the database and every file against their SHA-256 in the manifest,
    before anything is restored. Raises ``BackupError`` (one translated line) when the archive is cut off or its
    compressed data is damaged, naming the first member that is missing or differs."""
    expected = {manifest["database"]["path"]: manifest["database"]["sha256"]}
    expected |= {f"files/{entry['root']}/{entry['path']}": entry["sha256"] for entry in manifest["files"]}
    seen = set()
    try:
        with tarfile.open(source, mode="r|gz") as archive:
            for member in archive:
                if member.name not in expected:
                    continue
                digest, data = hashlib.sha256(), archive.extractfile(member) if member.isfile() else None
                while data is not None and (chunk := data.read(_CHUNK)):
                    digest.update(chunk)
                if data is None or digest.hexdigest() != expected[member.name]:
                    raise _damaged(source, _("%(member)s does not match its SHA-256 in the manifest")
                                   % {"member": member.name})
                seen.add(member.name)
    except _UNREADABLE as error:
        raise _damaged(source, _unreadable_detail(error)) from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise _damaged(source, _("%(member)s is missing") % {"member": missing[0]})


def _check_restorable(manifest: dict, connection: BaseDatabaseWrapper, *, force: bool) -> list[str]:
    """Refuse another vendor, migrations this code does not know, and a database with tables (unless
    ``force``). Returns this code's migrations the archive has not applied."""
    if manifest["vendor"] != connection.vendor:
        archive, here = (VENDORS.get(v, v) for v in (manifest["vendor"], connection.vendor))
        raise BackupError(_("This archive is a backup of a %(archive)s database and the portal's database is "
                            "%(here)s: restore it into a %(archive)s database (set DATABASE_URL), or make the "
                            "backup again from a %(here)s deployment.") % {"archive": archive, "here": here})
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(archived - known)
    if unknown:
        raise BackupError(_("The archive's database has migrations this version of the portal does not have "
                            "(%(migrations)s): update the portal to the version that made the backup, then "
                            "restore.") % {"migrations": ", ".join(f"{app}.{name}" for app, name in unknown[:5])})
    tables = connection.introspection.table_names()
    if tables and not force:
        raise BackupError(_("The database %(name)s is not empty (%(tables)s tables). Restore into an empty "
                            "database (createdb a new one), or add --force to replace everything in it.")
                          % {"name": connection.settings_dict["NAME"], "tables": len(tables)})
    return sorted(f"{app}.{name}" for app, name in known - archived)


def _extract_checked(archive: tarfile.TarFile, member_name: str, target: Path, *, sha256: str, mode: int,
                     source: Path) -> int:
    """Write the archive member to ``target``, checking its SHA-256; returns its bytes. Raises ``BackupError``
    (``_damaged``) when it is not a regular file or differs."""
    member = archive.getmember(member_name)
    if not member.isfile():
        raise _damaged(source, _("%(member)s is not a regular file") % {"member": member_name})
    data = archive.extractfile(member)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        while chunk := data.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        raise _damaged(source, _("%(member)s does not match its SHA-256 in the manifest") % {"member": member_name})
    target.chmod(mode)
    return size


def _stage_files(archive: tarfile.TarFile, files: list[dict], roots: dict[str, Path], staging: dict[str, Path],
                 *, source: Path) -> int:
    """Extract every file of the archive into a staging folder inside its root (``<root>/.restoring-…``, on the
    same file system, so moving a file into place is one rename); returns the bytes written. The folders made
    are added to ``staging`` (root name → folder) for the caller to move or remove."""
    total = 0
    for entry in files:
        root_name = entry["root"]
        if root_name not in staging:
            roots[root_name].mkdir(parents=True, exist_ok=True)
            staging[root_name] = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=roots[root_name]))
        member = f"files/{root_name}/{entry['path']}"
        mode = archive.getmember(member).mode & 0o777 or 0o600
        total += _extract_checked(archive, member, staging[root_name] / _safe_relative(entry["path"]),
                                  sha256=entry["sha256"], mode=mode, source=source)
    return total


def _move_into_place(files: list[dict], roots: dict[str, Path], staging: dict[str, Path]) -> None:
    """Move every staged file to its place under its root (``os.replace``: each file is the old one or the new
    one, never half written). Files under the roots that the archive does not hold are left alone: uploads made
    after the backup are named by no restored row, and ``cleanup_media`` deletes them after its grace period."""
    for entry in files:
        relative = _safe_relative(entry["path"])
        target = roots[entry["root"]] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging[entry["root"]] / relative, target)


def _restore_database(connection: BaseDatabaseWrapper, dump: Path, *, source: Path, work: Path) -> None:
    if connection.vendor == "postgresql":
        _pg_restore(connection, dump, source=source, work=work)
    else:
        _sqlite_restore(connection, dump)


def backup_restore(*, connection: BaseDatabaseWrapper, source: Path, roots: dict[str, Path] | None = None,
                   force: bool = False) -> RestoreResult:
    """Restore the archive at ``source`` into the database of ``connection`` and the folders ``roots`` (default
    ``file_roots()``), all or nothing: every member is checked against its SHA-256 first (``archive_verify``: a
    damaged or cut-off archive restores nothing); the files are extracted to staging folders beside their place;
    the database is replaced in one transaction (``_pg_restore``, ``_sqlite_restore``); only when it committed are
    the files moved into place. Then the rows per table are counted and compared with the manifest. Raises
    ``BackupError`` (translated, one line): not an archive, another vendor, unknown migrations, a database with
    tables (unless ``force``), a damaged member, a database that refused the restore (rolled back: every current
    row and file is still in place), a count that differs."""
    source = Path(source)
    manifest = archive_manifest(source)
    unapplied = _check_restorable(manifest, connection, force=force)
    roots = file_roots() if roots is None else roots
    files = manifest["files"]
    for entry in files:
        if entry["root"] not in roots:
            raise BackupError(_("The archive holds files of %(root)s, which this deployment does not have "
                                "(settings.BACKUP_FILE_ROOT_SETTINGS). Nothing was restored.")
                              % {"root": entry["root"]})
        _safe_relative(entry["path"])
    archive_verify(source, manifest)
    created_roots = [root for root in roots.values() if not root.exists()]
    staging: dict[str, Path] = {}
    replaced = False
    try:
        with tempfile.TemporaryDirectory(prefix="ita-restore-") as work, tarfile.open(source, mode="r:gz") as archive:
            database = manifest["database"]
            dump = Path(work) / PurePosixPath(database["path"]).name
            try:
                _extract_checked(archive, database["path"], dump, sha256=database["sha256"], mode=0o600,
                                 source=source)
                total = _stage_files(archive, files, roots, staging, source=source)
            except _UNREADABLE as error:
                raise _damaged(source, _unreadable_detail(error)) from error
            except OSError as error:
                raise _nothing_changed(_("the files could not be written: %(error)s.") % {"error": error}) \
                    from error
            _restore_database(connection, dump, source=source, work=Path(work))
            replaced = True
            try:
                _move_into_place(files, roots, staging)
            except OSError as error:  # renames on one file system: a full disk or a removed folder, not a race
                raise BackupError(_("The database was restored but the files could not be moved into place "
                                    "(%(error)s): run the same restore again.") % {"error": error}) from error
    except BaseException:
        if not replaced:  # a failed restore leaves no new folder behind either
            for root in created_roots:
                shutil.rmtree(root, ignore_errors=True)
        raise
    finally:
        for folder in staging.values():
            shutil.rmtree(folder, ignore_errors=True)
    connection.close()  # the next query sees the restored schema
    counts = table_row_counts(connection)
    differ = {table: (expected, counts.get(table)) for table, expected in manifest["row_counts"].items()
              if counts.get(table) != expected}
    if differ:
        raise BackupError(_("The restored database differs from the archive's counts (table: archived, "
                            "restored): %(tables)s") % {"tables": ", ".join(
                                f"{t}: {a}, {b}" for t, (a, b) in sorted(differ.items())[:10])})
    return RestoreResult(row_counts=counts, files=len(files), file_bytes=total, unapplied_migrations=unapplied)


def human_size(size: int) -> str:
    """``1234567`` → ``"1.2 MB"`` (decimal units)."""
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return str(size)

