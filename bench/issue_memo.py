"""Benchmark of issuing a memo with its attachment (issue 11): render once into one PDF, pass it through
``seal_pdf`` (the signature's place), store it with its SHA-256. Run by hand; not part of the test suite.
Since issue 18 §4 the approval only numbers the memo and freezes its HTML (``document_issue``, the ``freeze``
column) and the worker's task ``memos.issuing.memo_issue_run`` renders, seals and stores it; both are timed
here in one process, one after the other (the ``median``/``min``/``max`` columns are their sum).

    .venv/bin/python bench/issue_memo.py [--runs 5]

A throwaway SQLite database in a temporary directory (migrated, the five seed documents loaded); then, in this one
process after a warm-up render (fonts and CSS parsed once per process), ``memos.services.document_issue`` is
timed ``--runs`` times for each case — each run renders, seals and stores a new version, as an approval does — and
the median, min and max wall time, the pages and the size of the stored PDF are printed. Without a signing
certificate ``seal_pdf`` returns the bytes unchanged: the figures are render + hash + store.
"""
import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

CASES = [("pong-nam-ron", 2567, None, "memo + measures, seed 000"),
         ("dong-sombun", 2564, "six_month", "memo + 6-month progress, seed 004"),
         ("khok-ma", 2568, "annual", "memo + annual report, seed 001")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="ita-bench-issue-")
    os.environ.update(DATABASE_URL=f"sqlite:///{directory}/bench.sqlite3", DJANGO_MEDIA_ROOT=directory,
                      DJANGO_DEBUG="0", DJANGO_SETTINGS_MODULE="ita_portal.settings.local")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from pypdf import PdfReader

    call_command("migrate", verbosity=0)
    call_command("load_seed_documents", verbosity=0, stdout=io.StringIO())
    from measures.models import MeasurePlan
    from memos.issuing import memo_issue_run
    from memos.models import Memo
    from memos.selectors import plan_cover_memo, report_memo
    from memos.services import document_issue
    from reports.documents import render_document

    render_document(__import__("reports.contents", fromlist=["x"]).build_document(
        MeasurePlan.objects.get(organization__slug="pong-nam-ron"), "memo"))  # warm-up
    print(f"{'case':42} {'pages':>5} {'size':>9} {'freeze':>7} {'median':>8} {'min':>7} {'max':>7}")
    for slug, year, round, label in CASES:
        plan = MeasurePlan.objects.get(organization__slug=slug, fiscal_year=year)
        memo = plan_cover_memo(plan=plan) if round is None else report_memo(report=plan.progress_reports.get(
            round=round))
        if memo.pk is None:
            memo.save()
        memo.organization.document_number_prefix = memo.organization.document_number_prefix or "บร 71001"
        memo.organization.save()
        times, freezes = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            issue = document_issue(memo=Memo.objects.get(pk=memo.pk), user=None)
            freezes.append(time.perf_counter() - start)
            memo_issue_run.call(issue.pk)
            times.append(time.perf_counter() - start)
            issue.refresh_from_db()
            issued = issue.document
        content = bytes(issued.content)
        pages = len(PdfReader(io.BytesIO(content)).pages)
        print(f"{label:42} {pages:5} {len(content) / 1024:7.0f} kB {statistics.median(freezes):6.3f}s "
              f"{statistics.median(times):7.2f}s "
              f"{min(times):6.2f}s {max(times):6.2f}s")


if __name__ == "__main__":
    main()
