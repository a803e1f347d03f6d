"""``manage.py generate_national_dataset``: fill the database with a synthetic country (issue 9, point 5)."""
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from assessments.services import scores_refresh
from measures.models import Measure
from measures.services import measure_statuses_refresh
from national.generator import generate
from national.spec import GENERATED_SLUG_PREFIX, Spec
from national.users import BENCH_PASSWORD, BENCH_PROVINCE, bench_users_create
from national.writer import generated_delete
from oit.models import Checklist
from oit.results import checklist_counts_refresh
from organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Generate a realistic synthetic country: organizations of every kind in the real proportions, 76 provinces, "
        "and per fiscal year an assessment, a plan of about 10 measures and both progress reports; then refresh "
        "the stored scores and statuses and create the benchmark users. Refuses to run when generated "
        f"organizations (slug {GENERATED_SLUG_PREFIX}…) exist, unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, default=8300, help="agencies (default 8300, the country)")
        parser.add_argument("--years", type=int, default=8, help="fiscal years up to --last-year (default 8)")
        parser.add_argument("--last-year", type=int, default=2569, help="last fiscal year, BE (default 2569)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed, the same country")
        parser.add_argument("--measures", type=int, default=10, help="measures per plan on average (default 10)")
        parser.add_argument("--chunk", type=int, default=200, help="organizations per transaction of plans")
        parser.add_argument("--replace", action="store_true",
                            help="delete the generated organizations (and all their data) first")
        parser.add_argument("--bench-password", default=None,
                            help=f"password of the bench-* users (default {BENCH_PASSWORD!r}, local settings only)")
        parser.add_argument("--bench-province", default=BENCH_PROVINCE,
                            help=f"province of bench-province (default {BENCH_PROVINCE})")

    def handle(self, *args, **options):
        password = options["bench_password"]
        if password is None:
            if not settings.DEMO_USERS_ENABLED:
                raise CommandError("Give --bench-password: the default one is only used under the local settings.")
            password = BENCH_PASSWORD
        spec = Spec(organizations=options["organizations"], years=options["years"], seed=options["seed"],
                    last_year=options["last_year"], measures=options["measures"], chunk=options["chunk"])
        if spec.organizations < 1 or spec.years < 1 or spec.measures < 3:
            raise CommandError("--organizations and --years must be at least 1, --measures at least 3.")
        began = time.perf_counter()
        self._replace(options["replace"])
        call_command("load_frameworks", stdout=self.stdout)  # after the delete: it refreshes the stored scores
        try:
            generated = generate(spec, progress=self._progress)
        except LookupError as error:
            raise CommandError(str(error)) from error
        timings = {"generated rows made in Python": generated.python_seconds,
                   "commits (deferred foreign-key checks)": generated.commit_seconds}
        timings |= self._refresh(spec)
        executive = self._executive_organization(options["bench_province"])
        for username, reads in bench_users_create(password=password, province=options["bench_province"],
                                                  organization=executive).items():
            self.stdout.write(f"  user {username}: {reads}")
        self._report(generated.stats, timings, time.perf_counter() - began)

    def _replace(self, replace: bool) -> None:
        existing = Organization.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).count()
        if existing and not replace:
            raise CommandError(f"The database already holds {existing} generated organizations "
                               f"(slug {GENERATED_SLUG_PREFIX}…): run with --replace to generate them again.")
        if existing:
            started = time.perf_counter()
            with transaction.atomic():
                deleted = generated_delete(Organization, "slug__startswith", GENERATED_SLUG_PREFIX)
            self.stdout.write(f"Deleted {existing} generated organizations and {sum(deleted.values())} rows "
                              f"in {time.perf_counter() - started:.1f} s")

    def _refresh(self, spec: Spec) -> dict[str, float]:
        """Stored scores, ranks and summaries; latest statuses and due dates; PostgreSQL statistics."""
        timings = {}
        started = time.perf_counter()
        scores_refresh(fiscal_years=spec.fiscal_years)
        timings["scores_refresh (stored scores, ranks, summaries)"] = time.perf_counter() - started
        started = time.perf_counter()
        with transaction.atomic():
            measure_statuses_refresh(measures=Measure.all_objects.all())
        timings["measure_statuses_refresh (latest status, due date)"] = time.perf_counter() - started
        started = time.perf_counter()
        checklist_counts_refresh(checklists=Checklist.objects.filter(
            organization__slug__startswith=GENERATED_SLUG_PREFIX))
        timings["checklist_counts_refresh (OIT items ready, problems)"] = time.perf_counter() - started
        if connection.vendor == "postgresql":
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics before anyone benchmarks
            timings["ANALYZE"] = time.perf_counter() - started
        return timings

    def _executive_organization(self, province: str) -> Organization:
        """The organization of bench-executive: the first generated เทศบาลตำบล of ``province`` (else any)."""
        generated = Organization.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX).order_by("slug")
        return (generated.filter(province=province, kind="tambon_municipality").first()
                or generated.filter(kind="tambon_municipality").first() or generated.first())

    def _progress(self, message: str) -> None:
        self.stdout.write(f"  {message}")

    def _report(self, stats: dict[str, list[float]], timings: dict[str, float], total: float) -> None:
        self.stdout.write(f"\n{'table':34} {'rows':>10} {'seconds':>8} {'rows/s':>9}")
        for table, (rows, seconds) in stats.items():
            self.stdout.write(f"{table:34} {int(rows):>10,} {seconds:>8.1f} {rows / max(seconds, 1e-9):>9,.0f}")
        self.stdout.write(f"{'all tables':34} {int(sum(r for r, _ in stats.values())):>10,} "
                          f"{sum(s for _, s in stats.values()):>8.1f}")
        for what, seconds in timings.items():
            self.stdout.write(f"{what:56} {seconds:>8.1f} s")
        self.stdout.write(self.style.SUCCESS(f"National dataset generated in {total:.1f} s ({total / 60:.1f} min)"))
