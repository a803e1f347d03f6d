from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from datasets.seed import seed_document_load, seed_files


class Command(BaseCommand):
    help = "Load the five transcribed seed documents (data/seeds/*.yaml); idempotent."

    def handle(self, *args, **options):
        call_command("load_frameworks", stdout=self.stdout)
        call_command("load_oit_items", stdout=self.stdout)
        for path in seed_files(settings.SEED_DATA_DIR):
            organization = seed_document_load(path=path)
            self.stdout.write(f"{path.name}: {organization.name} ({organization.slug})")
