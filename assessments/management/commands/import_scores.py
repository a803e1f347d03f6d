from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.importers import ImportReport, scores_import


class Command(BaseCommand):
    help = (
        "Import the ITA scores NACC published from a CSV (UTF-8) or XLSX file, one row per organization and fiscal "
        "year (columns: see docs/data/import.md). Every row is checked first; nothing is "
        "saved if a row is invalid, unless --valid-only."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and count, save nothing")
        parser.add_argument("--valid-only", action="store_true", help="import the valid rows, skip the invalid ones")
        parser.add_argument("--replace", action="store_true",
                            help="overwrite an organization's own indicator scores where the file differs")
        parser.add_argument("--create-organizations", action="store_true",
                            help="create the organizations the portal does not hold (else each is an error, with "
                                 "the closest existing names); a dry run lists them")

    def handle(self, *args, file: Path, dry_run: bool, valid_only: bool, replace: bool, create_organizations: bool,
               **options):
        try:  # no more than one byte over the limit is read: the importer refuses the file in Thai
            with file.open("rb") as opened:
                content = opened.read(settings.IMPORT_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        report = scores_import(content=content, filename=file.name, dry_run=dry_run, valid_only=valid_only,
                               replace=replace, create_organizations=create_organizations)
        self._print(report)
        if report.refused:
            raise CommandError(_("Nothing was saved: correct the errors above and import again."))

    def _print(self, report: ImportReport) -> None:
        for error in report.errors:
            self.stderr.write(_error_line(error))
        if report.ignored_columns:
            self.stdout.write(_("Columns not used: %(columns)s") % {"columns": ", ".join(report.ignored_columns)})
        if report.refused:
            return
        for conflict in report.conflicts:
            self.stdout.write(_("Row %(row)s (%(organization)s, %(year)s) left unchanged: %(differences)s") % {
                "row": conflict.row, "organization": conflict.organization, "year": conflict.fiscal_year,
                "differences": conflict.message})
        if report.new_organizations:
            self.stdout.write(_("New organizations:"))
            for new in report.new_organizations:
                self.stdout.write("  " + _("row %(row)s: %(name)s (%(kind)s, %(province)s)") % {
                    "row": new.row, "name": new.name, "kind": new.kind, "province": new.province or "–"})
        for label, count in report.counts():
            self.stdout.write(f"{label}: {count}")
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))


def _error_line(error) -> str:
    """"แถว 3, คอลัมน์ indicator_3: คะแนนต้องอยู่ระหว่าง 0 ถึง 100" (the file itself: no row, no column)."""
    where = [_("row %(row)s") % {"row": error.row}] if error.row else [_("the file")]
    if error.column:
        where.append(_("column %(column)s") % {"column": error.column})
    return f"{', '.join(where)}: {error.message}"
