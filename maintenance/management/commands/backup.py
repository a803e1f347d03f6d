"""``manage.py backup FILE [--database ALIAS]``: the database and the uploaded files in one archive
(``maintenance.backup.backup_create``)."""
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = ("Write the database (pg_dump on PostgreSQL, the SQLite backup API on SQLite) and the uploaded files "
            "(MEDIA_ROOT, SIGNING_KEYS_DIR) to one .tar.gz with a manifest of row counts and SHA-256 hashes. "
            "Keep it as secret as the database: it holds password hashes and signing keys.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive to write, e.g. ita-2026-11-26.tar.gz")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, file, database, **options):
        from maintenance.backup import BackupError, backup_create, human_size

        started = time.monotonic()
        try:
            manifest = backup_create(connection=connections[database], target=file)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        file_bytes = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            f"{file}: {manifest['vendor']} database, {len(manifest['row_counts'])} tables, {rows:,} rows; "
            f"{len(manifest['files'])} files ({human_size(file_bytes)}); archive {human_size(file.stat().st_size)}, "
            f"{time.monotonic() - started:.1f} s")
