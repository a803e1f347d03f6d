import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from datasets.seed import seed_document_load, seed_files
from organizations.models import Organization


class Command(BaseCommand):
    help = ("Load the five transcribed seed documents (data/seeds/*.yaml). An organization already in the database "
            "is kept as it is (what people entered since stays), unless --reload replaces its documents.")

    def add_arguments(self, parser):
        parser.add_argument("--reload", action="store_true",
                            help="Replace the seed organizations' documents with the files' (refused once a memo "
                                 "of theirs has been issued: the register is never deleted).")

    def handle(self, *args, reload: bool = False, **options):
        call_command("load_frameworks", stdout=self.stdout)
        call_command("load_oit_items", stdout=self.stdout)
        for path in seed_files(settings.SEED_DATA_DIR):
            slug = yaml.safe_load(path.read_text(encoding="utf-8"))["organization"]["slug"]
            if not reload and Organization.objects.filter(slug=slug).exists():
                self.stdout.write(f"{slug}: already loaded, kept as it is (--reload replaces it)")
                continue
            try:
                organization = seed_document_load(path=path)
            except ProtectedError as error:
                raise CommandError(f"{slug}: a memo of this organization has been issued, so its documents cannot "
                                   "be replaced (the register is never deleted).") from error
            self.stdout.write(f"{path.name}: {organization.name} ({organization.slug})")
