"""Benchmark of the public pages (issue 21 §4). Run by hand; it is not part of the test suite.

    .venv/bin/python bench/public.py --database-url postgres://postgres@127.0.0.1:5432/ita_national
        [--year 2568] [--clients 8] [--duration 15] [--load-clients 200] [--load-duration 60] [--workers 3]
        [--signed-in-clients 4] [--json PATH]

The database holds the generated country (``manage.py generate_national_dataset``) and its benchmark users.

1. **Publishing.** Every organization with a result in ``--year`` (default: the latest year with results) gets
   that year published (``public.Publication`` rows written in bulk, by ``bench-national``; rows already there are
   kept) — the national dataset as the public sees it when every organization publishes.
2. **Server.** gunicorn with the production settings (``bench/national.py``: ``--workers`` sync workers, static
   files collected, a free port), with ``REDIS_URL`` passed on when set (the shared cache of the workers).
3. **Year page, 8 clients.** The year page of the organization with the most measures in an approved plan of
   that year (else the first with a result): ``--clients`` threads for ``--duration`` s after warm-up; median and
   p95 (nearest rank). Target: p95 ≤ 50 ms.
4. **200 clients.** First ``--signed-in-clients`` signed-in users (``bench-executive``) load their organization's
   dashboard alone for ``--duration`` s (the baseline); then the same again while ``--load-clients`` anonymous
   clients request public pages (the year page, the organization page, the year's JSON and CSV, cycling) for
   ``--load-duration`` s. Targets: no error for anyone; the signed-in p95 under load ≤ 2 × the baseline.
"""
import argparse
import importlib.util
import itertools
import json
import os
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_national", ROOT / "bench" / "national.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def publish_year(database_url: str, year: int | None) -> dict:
    """Publish ``year`` (or the latest year with results) for every organization with a result in it; the slug
    and fiscal year of the page to measure, and the executive's organization."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings.local")
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.utils import timezone

    from assessments.models import Assessment
    from measures.models import MeasurePlan
    from organizations.models import Membership
    from public.models import Publication

    year = year or Assessment.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    by = get_user_model().objects.filter(username="bench-national").first()
    now = timezone.now()
    organizations = Assessment.objects.filter(fiscal_year=year).values_list("organization_id", flat=True)
    Publication.objects.bulk_create(
        [Publication(organization_id=pk, fiscal_year=year, published_at=now, published_by=by)
         for pk in organizations], ignore_conflicts=True, batch_size=2000)
    plan = (MeasurePlan.objects.filter(fiscal_year=year, approved_at__isnull=False)
            .annotate(n=Count("measures", filter=Q(measures__deleted_at__isnull=True))).order_by("-n")
            .select_related("organization").first())
    slug = plan.organization.slug if plan else (
        Assessment.objects.filter(fiscal_year=year).select_related("organization").first().organization.slug)
    executive = Membership.objects.filter(user__username="bench-executive").select_related("organization").first()
    return {"year": year, "slug": slug, "measures": plan.n if plan else 0,
            "published": Publication.objects.filter(fiscal_year=year, withdrawn_at__isnull=True).count(),
            "dashboard": f"/organizations/{executive.organization.slug}/dashboard/" if executive else ""}


def drive_mixed(base: str, paths: list[str], clients: int, duration: float) -> bench.Result:
    """``clients`` anonymous threads cycling through ``paths`` for ``duration`` s."""
    result = bench.Result("public pages, mixed", " ".join(paths), "anonymous")
    lock = threading.Lock()
    start_line = threading.Barrier(clients + 1)

    def client(offset: int) -> None:
        cycle = itertools.islice(itertools.cycle(paths), offset % len(paths), None)
        start_line.wait()
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            path = next(cycle)
            started = time.perf_counter()
            try:
                reply = bench.get(base, path)
                status, snippet = reply.status, reply.body[:120]
            except OSError as error:
                status, snippet = 0, str(error).encode()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                result.requests += 1
                if status == 200:
                    result.latencies_ms.append(elapsed)
                else:
                    result.errors += 1
                    result.first_error = result.first_error or f"HTTP {status}: {snippet.decode(errors='replace')}"

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - began
    result.p95_ms = bench.percentile(result.latencies_ms, 0.95)
    result.median_ms = bench.percentile(result.latencies_ms, 0.5)
    result.per_second = len(result.latencies_ms) / result.seconds if result.seconds else 0.0
    result.load = os.getloadavg()[0]
    return result


def line(result: bench.Result) -> str:
    return (f"{result.name:<38} {result.requests:>7} req {result.errors:>4} err  median {result.median_ms:7.1f} ms"
            f"  p95 {result.p95_ms:7.1f} ms  {result.per_second:7.1f}/s  load {result.load:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--year", type=int)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--load-clients", type=int, default=200)
    parser.add_argument("--load-duration", type=float, default=60)
    parser.add_argument("--signed-in-clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--password", default=bench.DEFAULT_PASSWORD)
    parser.add_argument("--json")
    args = parser.parse_args()
    args.requests = 0
    facts = publish_year(args.database_url, args.year)
    print(f"published {facts['published']} organizations for {facts['year']}; measured: /p/{facts['slug']}/"
          f"{facts['year']}/ ({facts['measures']} measures)")
    log = Path(bench.tempfile.mkdtemp(prefix="bench-public-")) / "gunicorn.log"
    process, base = bench.start_gunicorn(args.database_url, args.workers, 30, log)
    results = []
    try:
        year_page = f"/p/{facts['slug']}/{facts['year']}/"
        results.append(bench.drive(base, bench.Case("public year page", year_page, None), "", args))
        if facts["dashboard"]:
            cookie = bench.log_in(base, "bench-executive", args.password)
            alone = argparse.Namespace(**{**vars(args), "clients": args.signed_in_clients})
            dashboard = bench.Case("signed-in dashboard, alone", facts["dashboard"], "bench-executive")
            results.append(bench.drive(base, dashboard, cookie, alone))
        # The catalogue is left out: at national scale it is one 16 MB document that harvesters fetch now and then.
        paths = [year_page, f"/p/{facts['slug']}/", f"{year_page}?format=json", f"{year_page}?format=csv"]
        box: dict = {}
        loader = threading.Thread(target=lambda: box.setdefault(
            "load", drive_mixed(base, paths, args.load_clients, args.load_duration)))
        loader.start()
        time.sleep(min(10.0, args.load_duration / 4))  # the load is running
        if facts["dashboard"]:
            under = argparse.Namespace(**{**vars(args), "clients": args.signed_in_clients,
                                          "duration": min(args.duration, args.load_duration / 2)})
            dashboard = bench.Case("signed-in dashboard, under load", facts["dashboard"], "bench-executive")
            results.append(bench.drive(base, dashboard, cookie, under))
        loader.join()
        results.insert(len(results) - (1 if facts["dashboard"] else 0), box["load"])
        for result in results:
            print(line(result))
    finally:
        bench.stop(process)
    if args.json:
        Path(args.json).write_text(json.dumps({"facts": facts, "results": [
            {k: v for k, v in asdict(r).items() if k != "latencies_ms"} for r in results]}, indent=1))


if __name__ == "__main__":
    main()
