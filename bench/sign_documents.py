"""Benchmark of issuing a memo with its attachment: render + sign (PAdES, issue 11 §4), and verify. Run by hand; it is
not part of the test suite.

    .venv/bin/python bench/sign_documents.py [--runs 5] [--json PATH]

Set-up: a private temporary directory (removed at the end) holds a throwaway SQLite database (``DATABASE_URL``),
migrated and loaded with the five seed documents (``load_seed_documents``), and a test certificate authority built
with ``cryptography`` (``tests/pki.py``: root CA → signer certificate, ECDSA P-256 → PKCS#12), pointed at by
``ITA_SIGNING_PKCS12``/``ITA_SIGNING_PASSPHRASE``; no time-stamp URL, so the signature is PAdES B-B (B-T adds
one round trip to the time-stamping service, not measured here: there is no network). Settings:
``ita_portal.settings.local`` with ``DJANGO_DEBUG=0``.

Cases: the seed memos with their attachment, as one PDF — the cover memo of เทศบาลตำบลโป่งน้ำร้อน 2567 + its
analysis and measures (seed 000), and the memo of the 6-month report of อบต.ดงสมบูรณ์ 2564 + the status report
(seed 004). For each, in one process: one warm-up issue (the first signature of a process also loads pyHanko and
parses the stamp font: reported as ``first``), then ``--runs`` timed issues; each run builds the document from the
database, renders it (WeasyPrint), signs it (``reports.signing.sign_pdf``) and verifies it (``verify_pdf``). The
figures are medians (min–max) of wall time per step; sizes are the unsigned and the signed PDF in bytes.
"""
import argparse
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = [  # (organization, fiscal year, round, attachment)
    ("pong-nam-ron", 2567, None, "measures"),
    ("dong-sombun", 2564, "six_month", "status"),
]


def _setup(directory: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.pki import build_test_pki

    pki = build_test_pki(directory)
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{directory / 'bench.sqlite3'}", "DJANGO_MEDIA_ROOT": str(directory / "media"),
        "DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "ita_portal.settings.local",
        "ITA_SIGNING_PKCS12": str(pki.pkcs12), "ITA_SIGNING_PASSPHRASE": pki.passphrase,
        "ITA_TIMESTAMP_URL": "", "ITA_SIGNING_TRUST_ROOTS": "",
    })
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_seed_documents", verbosity=0, stdout=io.StringIO())


def _issue_once(plan, round, attach) -> dict:
    """One issue of the memo + attachment: seconds per step and the sizes."""
    from reports.contents import build_document
    from reports.documents import render_document
    from reports.signing import sign_pdf, verify_pdf

    start = time.perf_counter()
    document = build_document(plan, "memo", round=round, attach=attach)
    built = time.perf_counter()
    content = render_document(document).content
    rendered = time.perf_counter()
    signed = sign_pdf(content, organization=plan.organization)
    sign_done = time.perf_counter()
    verdict = verify_pdf(signed.content)
    verified = time.perf_counter()
    assert signed.signed and verdict.ok, verdict
    return {"build": built - start, "render": rendered - built, "sign": sign_done - rendered,
            "verify": verified - sign_done, "issue": sign_done - start, "unsigned_bytes": len(content),
            "signed_bytes": len(signed.content)}


def _stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="bench-sign-"))
    try:
        _setup(directory)
        from measures.models import MeasurePlan

        results = []
        for slug, year, round, attach in CASES:
            plan = MeasurePlan.objects.select_related("organization").get(organization__slug=slug, fiscal_year=year)
            first = _issue_once(plan, round, attach)
            runs = [_issue_once(plan, round, attach) for _ in range(options.runs)]
            steps = {step: _stats([run[step] for run in runs])
                     for step in ("build", "render", "sign", "verify", "issue")}
            results.append({"case": f"{slug} {year} memo{f'[{round}]' if round else ''}+{attach}", "first": first,
                            "steps": steps, "unsigned_bytes": runs[-1]["unsigned_bytes"],
                            "signed_bytes": runs[-1]["signed_bytes"]})
        print(f"{options.runs} runs per case, PAdES B-B, ECDSA P-256; seconds, median (min–max)")
        print(f"{'case':40} {'render':>17} {'sign':>17} {'issue (all)':>17} {'verify':>17} {'first':>6} "
              f"{'PDF bytes':>18}")
        for result in results:
            cells = [f"{s['median']:.3f} ({s['min']:.2f}–{s['max']:.2f})"
                     for s in (result["steps"][k] for k in ("render", "sign", "issue", "verify"))]
            sizes = f"{result['unsigned_bytes']:,} → {result['signed_bytes']:,}"
            print(f"{result['case']:40} {cells[0]:>17} {cells[1]:>17} {cells[2]:>17} {cells[3]:>17} "
                  f"{result['first']['issue']:6.2f} {sizes:>18}")
        if options.json:
            options.json.write_text(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
