from django.conf import settings
from django.core.management.base import BaseCommand

from assessments.services import frameworks_load


class Command(BaseCommand):
    help = "Load the ITA framework of each fiscal year (tools, weights, indicators, levels) from data/frameworks.yaml."

    def handle(self, *args, **options):
        loaded = frameworks_load(path=settings.FRAMEWORK_DATA_FILE)
        self.stdout.write(f"Loaded {len(loaded)} frameworks: {', '.join(str(f.fiscal_year) for f in loaded)}")
