from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from oit.items import ItemDataError, item_lists_load


class Command(BaseCommand):
    help = ("Load the OIT items of each fiscal year from data/oit/<year>.yaml (idempotent; a list's version grows "
            "when its items change). Items corrected on the portal's page are kept unless --overwrite.")

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=None,
                            help="A year file or a directory of them (default: settings.OIT_DATA_DIR).")
        parser.add_argument("--overwrite", action="store_true",
                            help="Replace the corrections made on the page with the files' text.")

    def handle(self, *args, path=None, overwrite=False, **options):
        try:
            outcomes = item_lists_load(path=path or settings.OIT_DATA_DIR, overwrite=overwrite)
        except ItemDataError as error:
            raise CommandError(str(error)) from error
        for outcome in outcomes:
            item_list = outcome.item_list
            state = "created" if outcome.created else "changed" if outcome.changed else "unchanged"
            line = (f"OIT {item_list.fiscal_year}: {item_list.items.count()} items, version {item_list.version} "
                    f"({state})")
            if outcome.kept:
                line += f"; kept as corrected on the page: {', '.join(outcome.kept)}"
            self.stdout.write(line)
