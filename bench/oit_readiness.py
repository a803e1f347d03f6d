"""Benchmark of the OIT readiness check (issue 20 §3) in the real background worker. Run by hand; not part of the
test suite.

    .venv/bin/python bench/oit_readiness.py [--delays 0,0.2,0.5] [--many 2000] [--kilobytes 200]

A throwaway SQLite database in a temporary directory (migrated; one organization made here) and the tests' local
website (``tests/helpers/oit_site.py``: an HTTP server on 127.0.0.1 in a thread of this process). Every check is
requested as the page requests it (``oit.readiness.readiness_run_request``, django-tasks-db's database backend) and
run by a separate worker process, ``manage.py db_worker --batch --no-reload`` (``ITA_OIT_FETCH_ALLOWED_NETWORKS=
127.0.0.1/32``, every other limit at its default: 10 s, 10 MB, 5 redirects, 2 at once per host, 8 threads).

(a) **One organization, 26 URLs** (the 26 items of 2569, each with its URL on the main website: 20 HTML pages, 4
    PDFs, 2 that answer 404; one element each, ticked with a link), with the website answering each request
    after ``--delays`` seconds (0: the local server as fast as it goes; 0.2 and 0.5: a slow municipal server).
    Printed: the check's time in the worker (the run's started → finished), from the request to done, problems.
(b) **``--many`` URLs** (2,000 items of one checklist, one URL each, an HTML page of ``--kilobytes`` KB with the
    year: 2,000 × 200 KB = 400 MB of pages, which would show in the memory if texts were kept). The worker's
    resident memory (VmRSS of /proc/<pid>/status) is sampled every 0.1 s while the run's status is "running"; printed
    at the start of the check (the first sample), at 10, 25, 50 (middle), 75 and 90 % of the URLs checked and at the
    end (the last sample), with the peak (VmHWM) and the time.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid`` in MB ({} once it has ended)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except FileNotFoundError:
        return {}
    return {line.split(":")[0]: int(line.split()[1]) // 1024 for line in lines if line.startswith(("VmRSS",
                                                                                                    "VmHWM"))}


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
                             "--no-startup-delay", "--interval", "0.1"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delays", default="0,0.2,0.5", help="seconds the website waits before each answer")
    parser.add_argument("--many", type=int, default=2000, help="URLs of the memory run")
    parser.add_argument("--kilobytes", type=int, default=200, help="size of each page of the memory run")
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="ita-bench-oit-")
    os.environ.update(DATABASE_URL=f"sqlite:///{directory}/bench.sqlite3", DJANGO_MEDIA_ROOT=directory,
                      DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="ita_portal.settings.local",
                      ITA_OIT_FETCH_ALLOWED_NETWORKS="127.0.0.1/32")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from oit.choices import EvidenceKind, Period
    from oit.models import Checklist, ChecklistEntry, Element, Evidence, Item, ItemList, ReadinessRun
    from oit.readiness import readiness_run_request
    from organizations.models import Organization
    from tests.helpers.oit_site import local_site

    def checklist_of(site, slug: str, paths: list[str]) -> Checklist:
        """A new organization's checklist of 2569 whose item n has the URL ``paths[n - 1]`` (items shared)."""
        organization = Organization.objects.create(slug=slug, name=f"เทศบาลตำบล{slug}", kind="tambon_municipality",
                                                   province="บุรีรัมย์", website=site.url("/"))
        item_list = ItemList.objects.get_or_create(fiscal_year=2569)[0]
        checklist = Checklist.objects.create(organization=organization, fiscal_year=2569, item_list=item_list,
                                             list_version=1)
        have = {item.order: item for item in item_list.items.all()}
        Item.objects.bulk_create(Item(item_list=item_list, code=f"O{n}", order=n, title=f"ข้อ {n}",
                                      period=Period.FY_N) for n in range(1, len(paths) + 1) if n not in have)
        items = list(item_list.items.filter(order__lte=len(paths)).order_by("order"))
        Element.objects.bulk_create(Element(item=item, order=1, text="แสดงข้อมูล") for item in items
                                    if item.order not in have)
        elements = {element.item_id: element for element in Element.objects.filter(item__in=items)}
        entries = ChecklistEntry.objects.bulk_create(ChecklistEntry(checklist=checklist, item=item,
                                                                    url=site.url(path))
                                                     for item, path in zip(items, paths, strict=True))
        Evidence.objects.bulk_create(Evidence(entry=entry, element=elements[entry.item_id], done=True,
                                              kind=EvidenceKind.URL, url=entry.url) for entry in entries)
        return checklist

    def run_in_worker(checklist, sample: bool = False):
        requested = time.perf_counter()
        run = readiness_run_request(checklist=checklist, user=None)
        worker = _worker(dict(os.environ))
        samples = []  # (seconds, urls checked, VmRSS MB, VmHWM MB) while the check runs
        while worker.poll() is None:
            if sample:
                memory = _status(worker.pid)
                status = ReadinessRun.objects.values_list("status", flat=True).get(pk=run.pk)
                if memory and status == "running":
                    samples.append((time.perf_counter() - requested, run.url_checks.count(), memory["VmRSS"],
                                    memory["VmHWM"]))
            time.sleep(0.1)
        run = ReadinessRun.objects.get(pk=run.pk)
        return run, time.perf_counter() - requested, samples

    print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    with local_site() as site:
        print("\n(a) one organization, 26 URLs")
        print(f"{'delay':>6} {'check':>8} {'request→done':>13} {'problems':>9} {'dead':>5}")
        for number, delay in enumerate(float(d) for d in args.delays.split(",")):
            paths = ([f"/slow/{delay}?page={n}" for n in range(20)] + [f"/pdf/2569?n={n}" for n in range(4)]
                     + ["/status/404?n=1", "/status/404?n=2"])
            checklist = checklist_of(site, f"bench-{number}", paths)
            run, total, _samples = run_in_worker(checklist)
            check = (run.finished_at - run.started_at).total_seconds()
            print(f"{delay:6.1f} {check:7.2f}s {total:12.2f}s {run.problem_count:9} {run.dead_link_count:5}")
        print(f"\n(b) {args.many} URLs of {args.kilobytes} KB each, the worker's memory")
        paths = [f"/big/{args.kilobytes}?n={n}" for n in range(args.many)]
        started = time.perf_counter()
        checklist = checklist_of(site, "bench-many", paths)
        print(f"checklist of {args.many} entries made in {time.perf_counter() - started:.1f} s")
        run, total, samples = run_in_worker(checklist, sample=True)
        check = (run.finished_at - run.started_at).total_seconds()
        print(f"status {run.status}, {run.urls_total} URLs, {run.problem_count} problems, check {check:.1f} s, "
              f"request→done {total:.1f} s")
        points = {"start": samples[0]}
        for share in (0.1, 0.25, 0.5, 0.75, 0.9):
            points[f"{share:.0%}" if share != 0.5 else "middle"] = min(
                samples, key=lambda s: abs(s[1] - args.many * share))
        points["end"] = samples[-1]
        print(f"{'point':>7} {'time':>7} {'checked':>8} {'VmRSS':>8} {'VmHWM':>8}")
        for name, (seconds, checked, rss, hwm) in points.items():
            print(f"{name:>7} {seconds:6.1f}s {checked:8} {rss:6} MB {hwm:6} MB")
        print(f"peak VmHWM {max(s[3] for s in samples)} MB over {len(samples)} samples")
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min); at {timezone.now():%Y-%m-%d %H:%M} UTC")


if __name__ == "__main__":
    main()
