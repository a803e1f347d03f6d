"""Benchmark of the public pages (issue 21 §4). Run by hand; it is not part of the test suite.

    .venv/bin/python bench/public.py --database-url postgres://postgres@127.0.0.1:5432/ita_national
        [--year 2568] [--clients 8] [--duration 15] [--load-clients 200] [--load-duration 60] [--workers 3]
        [--signed-in-clients 4] [--nginx [--public-workers 2]] [--port 8100] [--json PATH]

The database holds the generated country (``manage.py generate_national_dataset``) and its benchmark users.

1. **Publishing.** Every organization with a result in ``--year`` (default: the latest year with results) gets
   that year published (``public.Publication`` rows written in bulk, by ``bench-national``; rows already there are
   kept) — the national dataset as the public sees it when every organization publishes.
2. **Server.** gunicorn with the production settings (``bench/national.py``: ``--workers`` sync workers, static
   files collected), with ``REDIS_URL`` passed on when set (the shared cache of the workers). With ``--nginx``, as
   deployed: ``deploy/nginx.conf`` (its micro-cache and its upstreams, rewritten for this machine by
   ``deploy/local_nginx.py``: plain HTTP, one nginx worker, files in a temporary folder) in front of that gunicorn
   (the portal, ``ita_portal``) and of a second one of ``--public-workers`` for the public pages
   (``ita_public``); every request below goes through nginx. Ports: ``--port`` and the two after it (nginx, the
   portal, the public pages), else free ones. Needs Debian's nginx (``make nginx``).
   Then the **trivial view** (``/healthz``, ``--clients`` for ``--duration`` s): how fast this machine is now.
3. **Year page, 8 clients.** The year page of the organization with the most measures in an approved plan of
   that year (else the first with a result): ``--clients`` threads for ``--duration`` s after warm-up; median and
   p95 (nearest rank). Target: p95 ≤ 50 ms.
4. **200 clients.** First ``--signed-in-clients`` signed-in users (``bench-executive``) load their organization's
   dashboard alone for ``--duration`` s (the baseline); then the same again while ``--load-clients`` anonymous
   clients request public pages (the year page, the organization page, the year's JSON and CSV, cycling) for
   ``--load-duration`` s, from a process of their own at ``--load-nice`` (10: the crowd's own CPU yields to the
   servers, as real visitors' computers are not the server's; 0: it competes). Targets: no error for anyone; the
   signed-in p95 under load ≤ 2 × the baseline. With ``--nginx`` the share of each ``X-Cache-Status`` (HIT,
   UPDATING …) of the anonymous answers is printed.
5. **Catalogue.** ``/p/catalog.json`` page 1 and the number of pages (``Link: rel="last"``): time, size, and
   size as sent gzip-compressed (by nginx; without it, uncompressed).
"""
import argparse
import collections
import http.client
import importlib.util
import itertools
import json
import multiprocessing
import os
import re
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_national", ROOT / "bench" / "national.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
_spec = importlib.util.spec_from_file_location("local_nginx", ROOT / "deploy" / "local_nginx.py")
local_nginx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(local_nginx)


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


def drive_mixed(base: str, paths: list[str], clients: int, duration: float,
                cache_statuses: collections.Counter | None = None) -> bench.Result:
    """``clients`` anonymous threads cycling through ``paths`` (each client from its own place in the cycle) for
    ``duration`` s, no warm-up (``bench.drive``); each answer's ``X-Cache-Status`` (nginx) counted in
    ``cache_statuses``."""
    def cycle(number: int):
        return itertools.islice(itertools.cycle(paths), number % len(paths), None)

    def count(reply) -> None:
        if cache_statuses is not None:
            headers = dict((k.lower(), v) for k, v in reply.headers) if reply else {}
            cache_statuses[headers.get("x-cache-status", "none")] += 1

    settings = argparse.Namespace(clients=clients, duration=duration, requests=0, warmup=0)
    return bench.drive(base, bench.Case("public pages, mixed", " ".join(paths), None), "", settings,
                       paths=cycle, on_reply=count)


def line(result: bench.Result) -> str:
    return (f"{result.name:<38} {result.requests:>7} req {result.errors:>4} err  median {result.median_ms:7.1f} ms"
            f"  p95 {result.p95_ms:7.1f} ms  {result.per_second:7.1f}/s  load {result.load:.1f}")


def start_nginx(portal: str, public: str, port: int) -> tuple[subprocess.Popen, str]:
    """nginx with deploy/nginx.conf (``local_nginx``: plain HTTP on ``port``, the two upstreams); (process, base)."""
    if not local_nginx.nginx_binary():
        sys.exit("nginx is not installed: make nginx (Debian's nginx)")
    prefix = Path(bench.tempfile.mkdtemp(prefix="bench-public-nginx-"))
    config = local_nginx.write(prefix, port=port, portal=portal, public=public)
    process = subprocess.Popen(local_nginx.command(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"nginx exited ({process.returncode}); see {prefix / 'error.log'}")
        try:
            if bench.get(base, "/healthz").status == 200:
                return process, base
        except OSError:
            time.sleep(0.1)
    process.terminate()
    sys.exit(f"nginx did not answer within 20 s; see {prefix / 'error.log'}")


def catalogue(base: str) -> dict:
    """Page 1 of /p/catalog.json, plain and gzip-compressed: ms, bytes, datasets, pages (from the Link header)."""
    facts = {}
    for label, headers in (("plain", {}), ("gzip", {"Accept-Encoding": "gzip"})):
        parts = bench.urllib.parse.urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        started = time.perf_counter()
        connection.request("GET", "/p/catalog.json", headers=headers)
        response = connection.getresponse()
        body = response.read()
        facts[f"{label}_ms"] = round((time.perf_counter() - started) * 1000, 1)
        facts[f"{label}_bytes"] = len(body)
        facts[f"{label}_encoding"] = response.getheader("Content-Encoding", "identity")
        if label == "plain":
            facts["datasets"] = len(json.loads(body)["dataset"])
            last = re.search(r'page=(\d+)>; rel="last"', response.getheader("Link", ""))
            facts["pages"] = int(last.group(1)) if last else 1
        connection.close()
    return facts


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
    parser.add_argument("--nginx", action="store_true", help="through deploy/nginx.conf, public pages' own workers")
    parser.add_argument("--public-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="nginx's port; the portal and the public pages the next")
    parser.add_argument("--load-nice", type=int, default=10,
                        help="the crowd's process's niceness (0: as important as the servers)")
    parser.add_argument("--password", default=bench.DEFAULT_PASSWORD)
    parser.add_argument("--json")
    args = parser.parse_args()
    args.requests = 0
    facts = publish_year(args.database_url, args.year)
    print(f"published {facts['published']} organizations for {facts['year']}; measured: /p/{facts['slug']}/"
          f"{facts['year']}/ ({facts['measures']} measures)")
    folder = Path(bench.tempfile.mkdtemp(prefix="bench-public-"))
    ports = [args.port + n if args.port else 0 for n in range(3)]  # nginx, the portal, the public pages
    processes = []
    try:
        process, base = bench.start_gunicorn(args.database_url, args.workers, 30, folder / "gunicorn.log",
                                             port=ports[1])
        processes.append(process)
        if args.nginx:
            process, public = bench.start_gunicorn(args.database_url, args.public_workers, 30,
                                                   folder / "gunicorn-public.log", port=ports[2])
            processes.append(process)
            process, base = start_nginx(base.removeprefix("http://"), public.removeprefix("http://"),
                                        ports[0] or bench.free_port())
            processes.append(process)
        print(f"measured at {base}" + (" (nginx, deploy/nginx.conf)" if args.nginx else " (gunicorn)"))
        results = measure(base, facts, args)
    finally:
        for process in reversed(processes):
            bench.stop(process)
    for result in results["results"]:
        print(line(result))
    print("cache statuses under load:", dict(results["cache"]))
    print("catalogue page 1:", results["catalogue"])
    if args.json:
        Path(args.json).write_text(json.dumps({"facts": facts, "nginx": args.nginx, "cache": results["cache"],
                                               "catalogue": results["catalogue"], "results": [
            {k: v for k, v in asdict(r).items() if k != "latencies_ms"} for r in results["results"]]}, indent=1))


def measure(base: str, facts: dict, args) -> dict:
    """Every case of the module's docstring (3.–5.) against ``base``."""
    results = [bench.drive(base, bench.Case("trivial view", "/healthz", None), "", args)]
    year_page = f"/p/{facts['slug']}/{facts['year']}/"
    results.append(bench.drive(base, bench.Case("public year page", year_page, None), "", args))
    if facts["dashboard"]:
        cookie = bench.log_in(base, "bench-executive", args.password)
        alone = argparse.Namespace(**{**vars(args), "clients": args.signed_in_clients})
        dashboard = bench.Case("signed-in dashboard, alone", facts["dashboard"], "bench-executive")
        results.append(bench.drive(base, dashboard, cookie, alone))
    # The catalogue is measured on its own below (harvesters fetch it now and then).
    paths = [year_page, f"/p/{facts['slug']}/", f"{year_page}?format=json", f"{year_page}?format=csv"]
    receiving, sending = multiprocessing.Pipe(duplex=False)
    loader = multiprocessing.get_context("fork").Process(
        target=_load_process, args=(base, paths, args.load_clients, args.load_duration, args.load_nice, sending))
    loader.start()
    time.sleep(min(10.0, args.load_duration / 4))  # the load is running
    if facts["dashboard"]:
        under = argparse.Namespace(**{**vars(args), "clients": args.signed_in_clients,
                                      "duration": min(args.duration, args.load_duration / 2)})
        dashboard = bench.Case("signed-in dashboard, under load", facts["dashboard"], "bench-executive")
        results.append(bench.drive(base, dashboard, cookie, under))
    sending.close()  # the crowd's end only: recv() below fails instead of waiting if the crowd dies
    load, statuses = receiving.recv()
    load = bench.Result(**load)
    loader.join()
    results.insert(len(results) - (1 if facts["dashboard"] else 0), load)
    return {"results": results, "cache": statuses, "catalogue": catalogue(base)}


def _load_process(base: str, paths: list[str], clients: int, duration: float, nice: int, pipe) -> None:
    """The anonymous crowd in a process of its own (its 200 threads do not hold the measuring process's GIL),
    at ``nice`` priority: on one machine the crowd's own CPU would otherwise be taken from the servers it
    measures, which real visitors' computers never do. Sends (result, cache statuses) through ``pipe``."""
    os.nice(nice)
    statuses: collections.Counter = collections.Counter()
    result = drive_mixed(base, paths, clients, duration, statuses)
    result.latencies_ms = []
    pipe.send((asdict(result), dict(statuses)))  # a dict: the Result class of a module loaded by path won't pickle
    pipe.close()


if __name__ == "__main__":
    main()
