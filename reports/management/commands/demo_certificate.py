"""``manage.py demo_certificate``: create, once, the local demo certificate that ``make run`` signs memos with
(``reports.demo_certificate``; docs/operations/signing.md). Later runs find the files and leave them as they are.
Local settings only: elsewhere (``SIGNING_DEMO_PKCS12`` empty) it refuses and creates nothing."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.demo_certificate import DEMO_CA_NAME, demo_certificate_ensure


class Command(BaseCommand):
    help = "Create the local demo signing certificate once (local settings only); later runs reuse it."

    def handle(self, *args, **options):
        if not settings.SIGNING_DEMO_PKCS12 or not settings.SIGNING_DEMO_CA:
            raise CommandError("The demo certificate is only created under the local settings "
                               "(SIGNING_DEMO_PKCS12); production signs with ITA_SIGNING_PKCS12.")
        demo = demo_certificate_ensure(pkcs12_path=settings.SIGNING_DEMO_PKCS12, ca_path=settings.SIGNING_DEMO_CA)
        verb = "Created" if demo.created else "Reusing"
        self.stdout.write(f"{verb} the demo certificate \"{DEMO_CA_NAME}\": {demo.pkcs12} (CA: {demo.ca_pem})")
        if settings.SIGNING_PKCS12 and settings.SIGNING_PKCS12 != str(demo.pkcs12):
            self.stdout.write(f"  not used: ITA_SIGNING_PKCS12 names another certificate ({settings.SIGNING_PKCS12})")
