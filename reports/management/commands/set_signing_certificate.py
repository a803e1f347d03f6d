"""``manage.py set_signing_certificate --org SLUG FILE.p12``: give an organization its own signing certificate
(``reports.signing.organization_certificate_set``); ``--remove`` takes it away."""
import getpass
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization
from reports.signing import SigningError, organization_certificate_remove, organization_certificate_set

PASSPHRASE_ENV = "ITA_ORG_SIGNING_PASSPHRASE"


class Command(BaseCommand):
    help = ("Store an organization's own PKCS#12 signing certificate (outside MEDIA_ROOT, passphrase encrypted). "
            f"The passphrase is read from ${PASSPHRASE_ENV}, else asked for. --remove takes the certificate away.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="the PKCS#12 (.p12 / .pfx) file")
        parser.add_argument("--org", required=True, help="organization slug")
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, file, org, remove, **options):
        organization = Organization.objects.filter(slug=org).first()
        if organization is None:
            raise CommandError(f"No organization {org!r}.")
        if remove:
            organization_certificate_remove(organization=organization)
            self.stdout.write(f"{organization.name}: own certificate removed")
            return
        if file is None:
            raise CommandError("Name the PKCS#12 file (or use --remove).")
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if passphrase is None:
            passphrase = getpass.getpass("Passphrase: ")
        try:
            organization_certificate_set(organization=organization, pkcs12_data=file.read_bytes(),
                                         passphrase=passphrase)
        except (OSError, SigningError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{organization.name}: own signing certificate stored")
