"""Benchmark of a large document rendered in the background worker while the site keeps answering (issue 12 §4).
Run by hand; not part of the test suite.

    .venv/bin/python bench/render_worker.py [--measures 150] [--idle 40] [--page /organizations/khok-ma/dashboard/]

A throwaway SQLite database in a temporary directory: migrated, the five seed documents and a generated large
organization loaded (``bench/render_documents.py``'s ``bench-large``: ``--measures`` measures with steps, owners,
results and recommendations; 150 measures print an annual report of about 100 pages). Then two processes as
`make run` starts them: the development server (``runserver --noreload``, threaded, DEBUG off) and the worker
(``db_worker --no-reload``). A logged-in client (the demo user, session made with Django's test client) asks for
``--page`` one request after the other: ``--idle`` times with nothing else running, then for as long as the worker
renders the annual report of ``bench-large``, enqueued through ``reports.rendering.render_job_request`` as the
documents page does. Printed: the job's wait in the queue and its render time (started → finished, from the job's
row), its pages and size, and the page's latencies (p50, p95, max) idle and during the render.
"""
import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8797


def _get(path: str, cookie: str) -> tuple[float, int]:
    """One GET on the bench server: (seconds, status)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return time.perf_counter() - started, response.status


def _quantiles(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"n={len(ms):4}  p50={statistics.median(ms):7.1f} ms  p95={p95:7.1f} ms  max={ms[-1]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=150, help="measures of the large organization (150 ≈ 100 p.)")
    parser.add_argument("--idle", type=int, default=40, help="requests of the page before the render")
    parser.add_argument("--page", default="/organizations/khok-ma/dashboard/", help="the page requested meanwhile")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="ita-bench-worker-"))
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import render_documents  # the seeds and the large organization, as the render benchmark builds them

    started = time.perf_counter()
    render_documents.prepare(directory, args.measures)  # sets DATABASE_URL, DJANGO_MEDIA_ROOT, DJANGO_DEBUG=0
    from django.core.management import call_command

    call_command("create_demo_users", verbosity=0)
    print(f"prepared in {time.perf_counter() - started:.0f} s: {directory}")

    from django.contrib.auth import get_user_model
    from django.test import Client

    from measures.models import MeasurePlan
    from reports.models import RenderJob
    from reports.rendering import render_job_request

    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    log = open(directory / "servers.log", "w")  # noqa: SIM115
    server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{PORT}"], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    worker = subprocess.Popen([*manage, "db_worker", "--no-reload", "--interval", "0.5"], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        for _ in range(60):
            try:
                _get("/healthz", cookie)
                break
            except OSError:
                time.sleep(0.5)
        for _ in range(3):
            _get(args.page, cookie)  # warm-up: templates, first queries
        idle = []
        for _ in range(args.idle):
            seconds, status = _get(args.page, cookie)
            assert status == 200, status
            idle.append(seconds)

        plan = MeasurePlan.objects.get(organization__slug="bench-large")
        job = render_job_request(plan=plan, kind="annual", round="annual", attach=None, title=plan.title,
                                 characters=0, user=get_user_model().objects.get(username="demo"))
        during = []
        while True:
            seconds, status = _get(args.page, cookie)
            assert status == 200, status
            job.refresh_from_db()
            if job.status == "running":
                during.append(seconds)
            if job.is_finished:
                break
        if job.status != "done":
            print(f"the render failed: {job.error}")
            return
        job = RenderJob.objects.get(pk=job.pk)
        wait = (job.started_at - job.created_at).total_seconds()
        render = (job.finished_at - job.started_at).total_seconds()
        print(f"document: annual report of bench-large ({args.measures} measures), {job.characters:,} characters, "
              f"{job.pages} pages, {len(bytes(job.content)) / 1e6:.1f} MB")
        print(f"worker: waited {wait:.1f} s in the queue, rendered in {render:.1f} s ({render / job.pages:.2f} s/page)")
        print(f"{args.page} idle:          {_quantiles(idle)}")
        print(f"{args.page} during render: {_quantiles(during)}")
    finally:
        for process in (worker, server):
            process.terminate()
            process.wait(20)
        log.close()


if __name__ == "__main__":
    main()
