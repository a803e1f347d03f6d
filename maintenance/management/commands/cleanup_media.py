"""``manage.py cleanup_media [--dry-run] [--grace-hours N]``: delete uploaded files that no row names
(``maintenance.media.leftover_files_delete``)."""
import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Delete uploaded files (evidence, Garuda, signature images, signing certificates) that no row names "
            "and that are older than the grace period. --dry-run lists them only.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the files, delete nothing")
        parser.add_argument("--grace-hours", type=int, default=None,
                            help="only files older than this (default: MEDIA_CLEANUP_GRACE_HOURS, 24)")

    def handle(self, *args, dry_run, grace_hours, **options):
        from maintenance.media import leftover_files_delete

        hours = settings.MEDIA_CLEANUP_GRACE_HOURS if grace_hours is None else grace_hours
        leftovers = leftover_files_delete(grace=dt.timedelta(hours=hours), dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        for leftover in leftovers:
            self.stdout.write(f"  {verb} {leftover.name} ({leftover.size:,} bytes, {leftover.modified:%Y-%m-%d %H:%M})")
        total = sum(leftover.size for leftover in leftovers)
        self.stdout.write(f"{len(leftovers)} unreferenced files older than {hours} h, {total:,} bytes: {verb}")
