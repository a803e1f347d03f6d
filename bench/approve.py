"""Benchmark of approving a memo (issue 18 §4), the code before and after the change in the same run. By hand:

    .venv/bin/python bench/approve.py --postgres postgres://postgres@127.0.0.1:5432/postgres --db-prefix h3_bench
    .venv/bin/python bench/approve.py --before 5aee79e --sequential 20 --parallel 8 --measures 30 --json out.json

What it does, for each of two code trees — ``before`` (a temporary ``git worktree`` of ``--before``, by default
5aee79e, the last commit where the approval rendered and signed the PDF inside its transaction) and ``after`` (this
working tree) — one after the other, each in a fresh process and a fresh PostgreSQL database
``<db-prefix>_before`` / ``<db-prefix>_after`` (dropped and created on the server of ``--postgres``):

1. ``migrate``; one organization (document number prefix, a route of one step: the mayor), ``--sequential`` +
   ``--parallel`` + 1 memos sent to the mayor, each carrying its own plan of ``--measures`` measures; a test
   certificate authority (``tests.pki``) so that every issued PDF is signed (PAdES B-B; no time-stamp server).
2. Requests through Django's test client (``django.test.Client``, in this process, no HTTP server), settings
   ``ita_portal.settings.local`` with ``DJANGO_DEBUG=0``, against PostgreSQL, real commits; the mayor posts
   "approve" on the memo's page (``memos:memo_decide``), exactly as the browser does. The task backend is the
   deployment's (django-tasks-db): after the change the request only enqueues the issue; no worker runs meanwhile.
3. One warm-up approval (fonts and CSS are parsed once per process), then ``--sequential`` approvals one after the
   other: p50, p95 and max of the response time; then ``--parallel`` approvals released together from as many
   forked processes (a connection each, as a server's worker processes): each one's response time.
4. After the change, the worker's side: ``manage.py db_worker --batch`` issues every queued document; its wall time
   and the number of stored PDFs are printed.

The parallel approvals run in processes, not threads: threads of one process would share one interpreter lock and
measure it rather than the database's row locks. On 2 cores, 8 processes still share the CPU.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default="5aee79e", help="git revision of the code before the change")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a database URL of the server (used to drop and create the benchmark databases)")
    parser.add_argument("--db-prefix", default="bench_approve", help="benchmark databases: <prefix>_before/_after")
    parser.add_argument("--sequential", type=int, default=20)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--measures", type=int, default=30, help="measures of each memo's plan (the PDF's size)")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run(args)))
        return
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-approve-") as directory:
        before = Path(directory) / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(before), args.before],
                       check=True)
        try:
            for label, tree in (("before", before), ("after", ROOT)):
                results[label] = measure(args, label, tree)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)], check=False)
    report(args, results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def measure(args, label: str, tree: Path) -> dict:
    """Run the benchmark in a fresh process on ``tree`` and a fresh database; its figures."""
    import psycopg2

    name = f"{args.db_prefix}_{label}"
    connection = psycopg2.connect(args.postgres)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
    env = os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ita_portal.settings.local",
                        "DJANGO_DEBUG": "0", "PYTHONPATH": str(tree)}
    commit = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=True).stdout.strip()
    print(f"{label}: {tree} at {commit}{' (uncommitted changes)' if dirty else ''}, database {name}…", flush=True)
    done = subprocess.run([sys.executable, __file__, "--worker", label, "--sequential", str(args.sequential),
                           "--parallel", str(args.parallel), "--measures", str(args.measures)],
                          cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{label} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"commit": commit + ("+" if dirty else "")}


# --- in the benchmark process -------------------------------------------------------------------------------------

def run(args) -> dict:
    sys.path.insert(0, os.getcwd())  # the code tree under test, before the installed (editable) one
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.pki import build_test_pki

    pki = build_test_pki(Path(tempfile.mkdtemp(prefix="bench-approve-pki-")))
    settings.SIGNING_PKCS12, settings.SIGNING_PASSPHRASE = str(pki.pkcs12), pki.passphrase
    settings.SIGNING_TIMESTAMP_URL = ""
    mayor, memos = _pending_memos(args.sequential + args.parallel + 1, args.measures)
    warm, sequential, parallel = memos[0], memos[1:args.sequential + 1], memos[args.sequential + 1:]
    _approve(mayor, warm)
    times = [_approve(mayor, memo) for memo in sequential]
    parallel_times = _approve_together(mayor, parallel)
    from memos.models import IssuedDocument

    issued_in_requests = IssuedDocument.objects.count()
    worker = None
    if issued_in_requests < len(memos):
        started = time.perf_counter()
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
        worker = time.perf_counter() - started
    document = IssuedDocument.objects.order_by("pk").last()
    return {"label": args.worker, "sequential": times, "parallel": parallel_times,
            "issued_in_requests": issued_in_requests, "issued_total": IssuedDocument.objects.count(),
            "memos": len(memos), "worker_seconds": worker, "signed": bool(document and document.signed),
            "pdf_bytes": document.size if document else 0}


def _pending_memos(count: int, measures: int):
    """One organization, a route of one step (its mayor), ``count`` memos sent to the mayor, each with a plan."""
    from memos.services import memo_send
    from tests.factories import MeasureFactory, MembershipFactory, MemoFactory, OrganizationFactory, RoutingStepFactory

    organization = OrganizationFactory(slug="bench-approve", document_number_prefix="บร 71001")
    clerk = MembershipFactory(organization=organization, role="clerk").user
    mayor = RoutingStepFactory(organization=organization, order=1, title="ความเห็น/คำสั่งนายกเทศมนตรี").user
    memos = []
    for n in range(count):
        memo = MemoFactory(organization=organization, plan__fiscal_year=2500 + n)
        for number in range(1, measures + 1):
            MeasureFactory(plan=memo.plan, number=number,
                           title=f"มาตรการที่ {number} ส่งเสริมการเปิดเผยข้อมูลและการมีส่วนร่วมของประชาชนในการตรวจสอบ"
                                 f"การใช้จ่ายงบประมาณของหน่วยงาน ประจำปีงบประมาณ พ.ศ. {2500 + n}")
        memos.append(memo_send(memo=memo, user=clerk))
    return mayor, memos


def _approve(mayor, memo) -> float:
    """The mayor approves ``memo`` on its page; the response time in seconds."""
    from django.test import Client
    from django.urls import reverse

    from memos.models import Memo

    client = Client(HTTP_HOST="localhost")
    client.force_login(mayor)
    url = reverse("memos:memo_decide", args=[memo.organization.slug, memo.pk])
    version = Memo.objects.get(pk=memo.pk).version
    started = time.perf_counter()
    response = client.post(url, {"action": "approve", "comment": "อนุมัติ", "version": version})
    elapsed = time.perf_counter() - started
    state = Memo.objects.get(pk=memo.pk).state
    if response.status_code != 302 or state != "approved":
        raise SystemExit(f"approval of memo {memo.pk} failed: {response.status_code} {state}")
    return elapsed


def _approve_together(mayor, memos) -> list[float]:
    """Approve ``memos`` from as many processes (forked, a database connection each, like a server's worker
    processes), released together by a barrier; each one's response time."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # the children open their own
    context = multiprocessing.get_context("fork")
    barrier, queue = context.Barrier(len(memos)), context.Queue()

    def one(index, memo):
        try:
            barrier.wait()
            queue.put((index, _approve(mayor, memo)))
        except BaseException as error:  # reported below
            queue.put((index, repr(error)))
        finally:
            connections.close_all()

    processes = [context.Process(target=one, args=(i, m)) for i, m in enumerate(memos)]
    for process in processes:
        process.start()
    results = dict(queue.get(timeout=600) for _ in processes)
    for process in processes:
        process.join()
    failed = [r for r in results.values() if not isinstance(r, float)]
    if failed:
        raise SystemExit(f"parallel approvals failed: {failed}")
    return [results[i] for i in range(len(memos))]


# --- the report -----------------------------------------------------------------------------------------------------

def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def report(args, results: dict) -> None:
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"\nApproving a memo: test client, PostgreSQL, {args.measures} measures per plan, signed PDFs; {load}")
    print(f"{'code':7} {'commit':9} {'sequential n':>12} {'p50':>7} {'p95':>7} {'max':>7}   "
          f"{'parallel n':>10} {'max':>7} {'mean':>7} {'≤ 1 s':>6}   {'PDFs in requests':>16} {'worker':>8}")
    for label, r in results.items():
        seq, par = r["sequential"], r["parallel"]
        worker = f"{r['worker_seconds']:.1f} s" if r["worker_seconds"] is not None else "–"
        print(f"{label:7} {r['commit']:9} {len(seq):12} {statistics.median(seq):7.3f} {_p95(seq):7.3f} "
              f"{max(seq):7.3f}   {len(par):10} {max(par):7.3f} {statistics.mean(par):7.3f} "
              f"{sum(t <= 1.0 for t in par):>3}/{len(par):<2}   "
              f"{r['issued_in_requests']:>7}/{r['memos']:<8} {worker:>8}")
        print(f"        parallel, each: {' '.join(f'{t:.2f}' for t in sorted(par))}; issued in the end "
              f"{r['issued_total']}/{r['memos']}, signed {r['signed']}, last PDF {r['pdf_bytes'] / 1024:.0f} kB")


if __name__ == "__main__":
    main()
