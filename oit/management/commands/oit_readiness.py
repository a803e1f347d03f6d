"""``manage.py oit_readiness SLUG YEAR [--queue]``: the readiness check (ตรวจความพร้อม OIT) of an organization's OIT
checklist of a fiscal year, run now in this process (``oit.readiness.readiness_check``), or handed to the worker
with ``--queue``. Prints the summary and each problem (Thai). Exit status 1 when the check found problems or
failed, so that a monitor reports it; 0 otherwise.

``manage.py oit_readiness --due-within DAYS [--year YEAR]`` and ``manage.py oit_readiness --year YEAR``: the
scheduled form (deploy/ita-portal-oit-readiness.timer runs it daily): every checklist whose year's OIT entry window
opens within DAYS days (``oit.readiness.checklists_to_check``), or every checklist of YEAR, is handed to the worker
(``readiness_run_request``: a check already waiting or running is not doubled). Prints how many were queued; exit
status 0 (the problems are on each organization's page and in its staff's work list)."""
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oit.choices import RunStatus
from oit.models import Checklist, ReadinessRun
from oit.readiness import checklists_to_check, readiness_check, readiness_run_request, run_error_message


class Command(BaseCommand):
    help = ("Run the OIT readiness check of an organization's checklist of a fiscal year now (or --queue it for the "
            "worker); exit status 1 when problems were found or the check failed. With --due-within DAYS or "
            "--year YEAR and no organization: queue the check of every checklist whose entry window opens within "
            "DAYS days, or of every checklist of YEAR.")

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="the organization's slug")
        parser.add_argument("fiscal_year", nargs="?", type=int, help="the fiscal year (Buddhist era), e.g. 2569")
        parser.add_argument("--queue", action="store_true", help="hand the check to the worker instead")
        parser.add_argument("--due-within", type=int, metavar="DAYS", dest="due_within",
                            help="queue every checklist whose year's OIT entry window opens within DAYS days")
        parser.add_argument("--year", type=int, metavar="YEAR",
                            help="queue every checklist of this fiscal year (with --due-within: only of this year)")

    def handle(self, *args, slug=None, fiscal_year=None, queue=False, due_within=None, year=None, **options):
        with translation.override("th"):
            if due_within is not None or year is not None:
                if slug or fiscal_year:
                    raise CommandError(_("Give an organization and a year, or --due-within/--year, not both."))
                if due_within is not None and due_within < 0:
                    raise CommandError(_("--due-within takes a number of days, 0 or more."))
                return self._queue_many(due_within=due_within, fiscal_year=year)
            if not slug or not fiscal_year:
                raise CommandError(_("Give an organization's slug and a fiscal year, or --due-within DAYS or "
                                     "--year YEAR."))
            return self._one(slug=slug, fiscal_year=fiscal_year, queue=queue)

    def _queue_many(self, *, due_within, fiscal_year) -> None:
        queued = 0
        for checklist in checklists_to_check(due_within=due_within, fiscal_year=fiscal_year):
            readiness_run_request(checklist=checklist, user=None)
            queued += 1
        self.stdout.write(_("%(count)s OIT readiness checks are queued for the worker.") % {"count": queued})

    def _one(self, *, slug, fiscal_year, queue) -> None:
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
