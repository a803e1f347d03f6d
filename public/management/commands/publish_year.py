"""``manage.py publish_year SLUG YEAR [--withdraw]``: publish an organization's fiscal year on the public pages, or
withdraw it (``public.services``; recorded in the audit log without a user)."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization
from public.services import year_publish, year_withdraw


class Command(BaseCommand):
    help = "Publish an organization's fiscal year on the public pages (/p/<slug>/<year>/), or withdraw it."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("fiscal_year", type=int)
        parser.add_argument("--withdraw", action="store_true", help="take the year off the public pages")

    def handle(self, *args, slug: str, fiscal_year: int, withdraw: bool, **options):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"No organization with the slug {slug!r}.")
        service = year_withdraw if withdraw else year_publish
        try:
            service(organization=organization, fiscal_year=fiscal_year, user=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        state = "withdrawn" if withdraw else f"public at /p/{slug}/{fiscal_year}/"
        self.stdout.write(f"{organization.name} {fiscal_year}: {state}")
