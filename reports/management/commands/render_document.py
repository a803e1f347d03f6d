from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from measures.models import MeasurePlan
from reports.documents import render_memo
from reports.selectors import plan_cover_memo

KINDS = ["memo"]


class Command(BaseCommand):
    help = "Print a document of an organization's fiscal year as PDF (kinds: memo)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--org", required=True, help="organization slug")
        parser.add_argument("--year", required=True, type=int, help="fiscal year (BE), e.g. 2567")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, kind, org, year, output, **options):
        plans = MeasurePlan.objects.filter(organization__slug=org, fiscal_year=year)
        plan = plans.select_related("organization").first()
        if plan is None:
            raise CommandError(f"No measure plan of {org!r} for fiscal year {year}.")
        document = render_memo(plan_cover_memo(plan=plan))
        output.write_bytes(document.content)
        self.stdout.write(f"Wrote {output} ({len(document.content)} bytes)")
