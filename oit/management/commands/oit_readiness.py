"""``manage.py oit_readiness SLUG YEAR [--queue]``: the readiness check (ตรวจความพร้อม OIT) of an organization's OIT
checklist of a fiscal year, run now in this process (``oit.readiness.readiness_check``; on demand, or from a timer
before NACC's entry window), or handed to the worker with ``--queue``. Prints the summary and each problem (Thai).
Exit status 1 when the check found problems or failed, so that a timer or a monitor reports it; 0 otherwise."""
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oit.choices import RunStatus
from oit.models import Checklist, ReadinessRun
from oit.readiness import readiness_check, readiness_run_request, run_error_message


class Command(BaseCommand):
    help = ("Run the OIT readiness check of an organization's checklist of a fiscal year now (or --queue it for the "
            "worker); exit status 1 when problems were found or the check failed.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the organization's slug")
        parser.add_argument("fiscal_year", type=int, help="the fiscal year (Buddhist era), e.g. 2569")
        parser.add_argument("--queue", action="store_true", help="hand the check to the worker instead")

    def handle(self, *args, slug: str, fiscal_year: int, queue: bool = False, **options):
        with translation.override("th"):
            checklist = (Checklist.objects.select_related("organization")
                         .filter(organization__slug=slug, fiscal_year=fiscal_year).first())
            if checklist is None:
                raise CommandError(_("%(slug)s has no OIT checklist of the fiscal year %(year)s.")
                                   % {"slug": slug, "year": fiscal_year})
            if queue:
                run = readiness_run_request(checklist=checklist, user=None)
                self.stdout.write(_("The readiness check %(id)s is queued for the worker.") % {"id": run.pk})
                return
            run = ReadinessRun.objects.create(checklist=checklist, requested_at=timezone.now(),
                                              status=RunStatus.RUNNING, started_at=timezone.now())
            run = readiness_check(run)
            if run.status == RunStatus.FAILED:
                self.stderr.write(run_error_message(run))
                sys.exit(1)
            self.stdout.write(_("%(organization)s, fiscal year %(year)s: %(ready)s of %(total)s items without "
                                "problems, %(problems)s problems, %(dead)s links that do not open, %(urls)s links "
                                "checked.") % {
                "organization": checklist.organization.name, "year": fiscal_year, "ready": run.items_ready,
                "total": run.items_total, "problems": run.problem_count, "dead": run.dead_link_count,
                "urls": run.urls_total})
            for problem in run.problems.select_related("entry__item").order_by("entry__item__order", "kind", "pk"):
                self.stdout.write(f"{problem.entry.item.code}: {problem.message}")
            if run.problem_count:
                sys.exit(1)
