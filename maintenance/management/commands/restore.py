"""``manage.py restore FILE [--force] [--database ALIAS]``: put back a ``manage.py backup`` archive
(``maintenance.backup.backup_restore``) into an empty database, or over everything with ``--force``; all or
nothing (docs/backup.md). Errors are one translated line (Thai by default), never a traceback."""
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = ("Restore a `manage.py backup` archive, all or nothing: the whole archive is checked against its "
            "SHA-256 hashes first, then the database (into an EMPTY database of the same vendor; --force replaces "
            "everything in a database that has tables) is replaced in one transaction, then the uploaded files are "
            "moved into place, then the rows of every table are counted against the archive. A failure leaves "
            "every current row and file in place (docs/backup.md).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive written by manage.py backup")
        parser.add_argument("--force", action="store_true",
                            help="restore even into a database that has tables: everything in it is replaced, in "
                                 "the same transaction as the restore (stop the portal and the worker first)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, file, force, database, **options):
        from maintenance.backup import BackupError, archive_manifest, backup_restore, human_size

        started = time.monotonic()
        try:
            manifest = archive_manifest(file)
            result = backup_restore(connection=connections[database], source=file, force=force)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{file} (made {manifest['created']}): {len(result.row_counts)} tables, "
            f"{sum(result.row_counts.values()):,} rows, as counted in the archive; {result.files} files "
            f"({human_size(result.file_bytes)}), hashes checked; {time.monotonic() - started:.1f} s")
        if result.unapplied_migrations:
            self.stdout.write(f"{len(result.unapplied_migrations)} migrations of this version are not applied "
                              "yet: run `python manage.py migrate`.")
