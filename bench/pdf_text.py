"""Benchmark of the Thai text layer (issue 10, ``reports.pdf_text``). Run by hand; it is not part of the test suite.

    .venv/bin/python bench/pdf_text.py [--runs 3] [--only TEXT] [--no-pixels] [--json PATH]

Set-up: a private temporary directory (removed at the end) holds a throwaway SQLite database; ``DATABASE_URL``
points at it, ``DJANGO_DEBUG=0``, ``ita_portal.settings.local``; it is migrated and the five seed documents are
loaded (``load_seed_documents``). Then, in this one process, for every document
``reports.contents.available_documents`` lists for each seed plan (30: memos alone and with each attachment,
measures, progress, annual, status):

1. **Text**: the document printed as it is downloaded (archival, tagged PDF/A-3a) with the fix and with
   WeasyPrint's own text layer (``pdf_text.uninstalled()``); the share of the HTML's Thai phrases found verbatim
   in the text pypdf and pdftotext extract (``tests/reports/thai_text_layer.py``, the metric of
   ``../shared/tools/thai-text-layer-check`` with the chart's labels as separate phrases), per document and per
   kind (a memo with an attachment counts as ``memo+<kind>``).
2. **Pixels**: every page of both PDFs rasterised with ``pdftoppm -r 100``; the largest difference of one
   channel (0–255) between the two images of a page, and how many pixels differ at all.
3. **Speed**: ``--runs`` renders of the HTML (``render_html_to_pdf``; the HTML is built once) in each of four
   settings — plain and archival, each with and without the fix — interleaved run by run so that load from
   other processes hits all four alike; the figures are the medians of the CPU time (``time.process_time``)
   and of the wall time, summed over the documents. The fix's cost is with/without on plain PDFs; PDF/A's cost
   is archival/plain with the fix. Byte sizes are those of the last run.

The figures of docs/benchmarks/2026-11-26-thai-text-layer.md come from this script.
"""
import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (("plain", False), ("archival", True))


def _setup(db_dir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(db_dir / "media")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_seed_documents", stdout=io.StringIO())


def _documents(only: str | None) -> list[dict]:
    from measures.models import MeasurePlan
    from reports.contents import available_documents, build_document
    from reports.documents import document_html

    documents = []
    for plan in MeasurePlan.objects.select_related("organization").order_by("organization__slug", "fiscal_year"):
        if only and only not in plan.organization.slug:
            continue
        for available in available_documents(plan):
            kind = str(available.kind) + (f"+{available.attach}" if available.attach else "")
            label = f"{plan.organization.slug} {plan.fiscal_year} {kind}" + (
                f" [{available.round}]" if available.round else "")
            document = build_document(plan, available.kind, round=available.round, attach=available.attach)
            documents.append({"label": label, "kind": kind, "html": document_html(document)})
    return documents


def _render(html: str, *, fixed: bool, archival: bool) -> tuple[float, float, bytes]:
    from reports import pdf_text
    from reports.documents import render_html_to_pdf

    cpu, wall = time.process_time(), time.perf_counter()
    if fixed:
        content = render_html_to_pdf(html, archival=archival)
    else:
        with pdf_text.uninstalled():
            content = render_html_to_pdf(html, archival=archival)
    return time.process_time() - cpu, time.perf_counter() - wall, content


def _pixels(fixed: bytes, plain: bytes) -> tuple[int, int, int]:
    """(pages, largest channel difference, pixels that differ) between the two PDFs at 100 dpi."""
    from PIL import Image, ImageChops

    with tempfile.TemporaryDirectory() as directory:
        pages = []
        for name, content in (("f", fixed), ("u", plain)):
            path = Path(directory) / f"{name}.pdf"
            path.write_bytes(content)
            subprocess.run(["pdftoppm", "-r", "100", "-png", str(path), f"{directory}/{name}"], check=True)
            pages.append(sorted(Path(directory).glob(f"{name}-*.png")))
        assert len(pages[0]) == len(pages[1])
        largest = differing = 0
        for a, b in zip(*pages, strict=True):
            difference = ImageChops.difference(Image.open(a).convert("RGB"), Image.open(b).convert("RGB"))
            red, green, blue = difference.split()
            channel_max = ImageChops.lighter(ImageChops.lighter(red, green), blue)
            largest = max(largest, channel_max.getextrema()[1])
            differing += sum(channel_max.histogram()[1:])
        return len(pages[0]), largest, differing


def measure(documents: list[dict], runs: int, pixels: bool) -> dict:
    from tests.reports.thai_text_layer import EXTRACTORS, Score

    scores = {(fixed, name): defaultdict(Score) for fixed in (True, False) for name in EXTRACTORS}
    results = []
    for document in documents:
        html = document["html"]
        _render(html, fixed=True, archival=True)  # warm-up: this document's fonts and images
        times: dict = defaultdict(lambda: {"cpu": [], "wall": []})
        contents = {}
        for run in range(runs):
            for setting, archival in SETTINGS:
                for fixed in ((True, False) if run % 2 else (False, True)):  # alternate who goes first
                    cpu, wall, content = _render(html, fixed=fixed, archival=archival)
                    times[setting, fixed]["cpu"].append(cpu)
                    times[setting, fixed]["wall"].append(wall)
                    contents[setting, fixed] = content
        row = {"label": document["label"], "kind": document["kind"], "text": {},
               "times": {f"{setting} {'fixed' if fixed else 'unfixed'}": {
                   "cpu_s": statistics.median(t["cpu"]), "wall_s": statistics.median(t["wall"]),
                   "bytes": len(contents[setting, fixed])} for (setting, fixed), t in times.items()}}
        for fixed in (True, False):
            for name, extract in EXTRACTORS.items():
                one = Score().add(html, extract(contents["archival", fixed]))
                scores[fixed, name][document["kind"]].add(html, extract(contents["archival", fixed]))
                row["text"][f"{name} {'fixed' if fixed else 'unfixed'}"] = [one.found, one.total]
        if pixels:
            row["pages"], row["largest_difference"], row["differing_pixels"] = _pixels(
                contents["archival", True], contents["archival", False])
        results.append(row)
        print(_line(row), flush=True)
    per_kind = {kind: {f"{name} {'fixed' if fixed else 'unfixed'}": [score[kind].found, score[kind].total]
                       for (fixed, name), score in scores.items()} for kind in scores[True, "pypdf"]}
    return {"documents": results, "per_kind": per_kind}


def _share(pair: list[int]) -> str:
    return f"{pair[0] / pair[1]:7.2%}" if pair[1] else "      -"


def _line(row: dict) -> str:
    t, x = row["text"], row["times"]
    pixels = f"  {row['pages']:>3} p  Δmax {row['largest_difference']:>3}" if "pages" in row else ""
    return (f"{row['label']:<44} pypdf {_share(t['pypdf fixed'])} (without {_share(t['pypdf unfixed'])})  "
            f"pdftotext {_share(t['pdftotext fixed'])} (without {_share(t['pdftotext unfixed'])})  "
            f"cpu {x['plain fixed']['cpu_s']:.3f}/{x['plain unfixed']['cpu_s']:.3f} s"
            f"  PDF/A {x['archival fixed']['cpu_s']:.3f} s{pixels}")


def report(result: dict, runs: int) -> None:
    print("\nPer kind: Thai phrases found verbatim (with the fix / without)")
    for kind, figures in sorted(result["per_kind"].items()):
        print(f"  {kind:<16} pypdf {_share(figures['pypdf fixed'])} / {_share(figures['pypdf unfixed'])}   "
              f"pdftotext {_share(figures['pdftotext fixed'])} / {_share(figures['pdftotext unfixed'])}   "
              f"({figures['pypdf fixed'][1]} phrases)")
    totals = {key: [sum(f[key][0] for f in result["per_kind"].values()),
                    sum(f[key][1] for f in result["per_kind"].values())]
              for key in ("pypdf fixed", "pypdf unfixed", "pdftotext fixed", "pdftotext unfixed")}
    print(f"  {'all':<16} pypdf {_share(totals['pypdf fixed'])} / {_share(totals['pypdf unfixed'])}   "
          f"pdftotext {_share(totals['pdftotext fixed'])} / {_share(totals['pdftotext unfixed'])}")
    documents = result["documents"]
    if documents and "pages" in documents[0]:
        worst = max(documents, key=lambda d: d["largest_difference"])
        print(f"\nPixels (pdftoppm -r 100, with vs without the fix, archival): {sum(d['pages'] for d in documents)} "
              f"pages, largest channel difference {worst['largest_difference']} ({worst['label']}), "
              f"{sum(d['differing_pixels'] for d in documents)} pixels differ")
    print(f"\nSpeed: medians of {runs} runs, summed over {len(documents)} documents")
    sums = {key: {m: sum(d["times"][key][m] for d in documents) for m in ("cpu_s", "wall_s", "bytes")}
            for key in documents[0]["times"]}
    for key, figures in sums.items():
        print(f"  {key:<18} cpu {figures['cpu_s']:7.2f} s   wall {figures['wall_s']:7.2f} s   "
              f"{figures['bytes'] / 1e6:6.2f} MB")
    fix = sums["plain fixed"]["cpu_s"] / sums["plain unfixed"]["cpu_s"] - 1
    fix_wall = sums["plain fixed"]["wall_s"] / sums["plain unfixed"]["wall_s"] - 1
    archival = sums["archival fixed"]["cpu_s"] / sums["plain fixed"]["cpu_s"] - 1
    size = sums["archival fixed"]["bytes"] / sums["plain fixed"]["bytes"] - 1
    print(f"  the fix costs {fix:+.1%} CPU ({fix_wall:+.1%} wall; target ≤ +15 %: "
          f"{'PASS' if fix <= 0.15 else 'FAIL'}); PDF/A costs {archival:+.1%} CPU and {size:+.1%} bytes")
    print(f"  load average (1 min) at the end: {os.getloadavg()[0]:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed renders per document and setting (default 3)")
    parser.add_argument("--only", help="only organizations whose slug contains this text")
    parser.add_argument("--no-pixels", dest="pixels", action="store_false", help="skip the rasterised comparison")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-pdf-text-") as directory:
        _setup(Path(directory))
        documents = _documents(args.only)
        result = measure(documents, args.runs, args.pixels)
    report(result, args.runs)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
