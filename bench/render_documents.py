"""Benchmark of the document renderer (issue 4). Run by hand; it is not part of the test suite.

    .venv/bin/python bench/render_documents.py [--runs 3] [--json PATH] [--tracemalloc] [--soak K] [--strict]

Set-up (parent process): a private temporary directory (``tempfile.mkdtemp``, removed at the end unless
``--keep``) holds a throwaway SQLite database; ``DATABASE_URL`` points at it, ``DJANGO_MEDIA_ROOT`` at the same
directory, ``DJANGO_DEBUG=0`` (no query log, as in production) and ``ita_portal.settings.local``. The parent
migrates, loads the five seed documents (``load_seed_documents``) and builds a "large organization"
(``bench-large``: 10 departments, assessments N = 2567 and N+1 = 2568 with 10 indicator scores each, a 2568 plan
with ``--large-measures`` measures of 4-6 steps, 1-4 owners and a timeframe, and an annual progress report with a
result of 2-4 lines and a recommendation per measure). Its text is sentences taken from ``data/seeds/*.yaml``; it
is written as a seed file and loaded with ``datasets.seed.seed_document_load``. The parent renders nothing.

Cases: every document ``reports.contents.available_documents(plan)`` lists for each seed plan (memo alone, the
memo with each attachment, measures, progress, annual, status), plus the annual report of ``bench-large``.

Each case is measured in a fresh subprocess (this script with ``--worker``), one after the other, because
WeasyPrint keeps memory until the process exits and one render would inflate the next one's peak:

1. Django set-up (``django.setup()``, a plan read).
2. Warm-up: ``reports.documents._stylesheets()`` (fonts + document CSS) and a one-line Thai probe PDF through
   ``render_html_to_pdf``, so that fonts, CSS and Pango are loaded. ``base`` = VmRSS now. The kernel's peak-RSS
   mark is then reset (``/proc/self/clear_refs`` ← 5) so that VmHWM measures from here.
3. ``first``: one render of the case (``build_document`` + ``render_document``), the warm-up of this document
   (first use of its templates).
4. N timed renders (``--runs``, default 3): the figures are the median (and min/max) of the wall time of build +
   render, each run building the document anew from the database as a request does; ``build`` is the
   query/gathering part, ``cpu`` the median CPU time of a run (``time.process_time``): when other processes share
   the CPUs, wall time exceeds it, and the 1-min load average after each case is recorded.
5. Memory: ``peak`` = the absolute peak RSS of the process (max of VmHWM before and after the reset, i.e.
   ``ru_maxrss``), ``Δpeak`` = VmHWM since the reset − ``base``: what rendering this document costs on top of a
   warmed-up worker. ``kept`` = VmRSS at the end − ``base`` (what the process keeps after the renders) and
   ``grow`` = (VmRSS at the end − VmRSS after ``first``) / N, the growth per further render of the same document.
6. With ``--soak K``: K more renders after the memory figures, with VmRSS after each (``soak_kib``, − ``base``):
   whether the growth per render goes on (a leak) or levels off (the allocator keeping freed memory).
   With ``--tracemalloc``: one more render under ``tracemalloc`` (after the memory figures; it costs about 5×
   the render time), whose peak is the Python-heap part of the render (Pango/HarfBuzz allocations in C are not
   traced).
7. ``_stylesheets.cache_info()`` and counters around ``FontConfiguration``/``CSS`` in ``reports.documents``: fonts
   and CSS must be parsed once per process (misses == 1, one FontConfiguration and two CSS objects), however many
   documents the process renders.

Once per benchmark, a "cold" subprocess renders the seed cover memo of the first organization with no warm-up: its
first render time (import of ``reports.documents`` + ``_stylesheets()`` + the render) is what the first request of
a new worker process pays.

Targets (issue 4): a memo (without attachment) under 0.5 s and the 40-page annual report under 8 s, both as the
warm median of build + render; the large annual report must have at least 40 pages. Printed PASS/FAIL;
``--strict`` exits 1 when one fails. ``--json PATH`` writes every figure.
"""
import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "seeds"
LARGE_SLUG = "bench-large"
MEMO_TARGET_S = 0.5
ANNUAL_TARGET_S = 8.0
ANNUAL_MIN_PAGES = 40
PROBE_HTML = '<!doctype html><html lang="th"><body><p>ทดสอบการพิมพ์เอกสารภาษาไทย ๑๒๓</p></body></html>'
MB = 1024  # /proc/self/status and ru_maxrss are in KiB


# --- helpers shared by both processes ---------------------------------------------------------------------

def _status_kib(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) if match else 0


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) of this process to its current RSS (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _setup_django(db_dir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(db_dir / "media")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings.local")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _label(case: dict) -> str:
    """``memo[annual]+status``: the kind, its round and its attachment."""
    text = case["kind"] + (f"[{case['round']}]" if case["round"] else "")
    return text + (f"+{case['attach']}" if case["attach"] else "")


# --- the worker: one case in a fresh process --------------------------------------------------------------

def _render_once(plan, case: dict) -> tuple[float, float, float, bytes]:
    """Build and render the case's document: (build s, render s, CPU s of both, PDF)."""
    from reports.contents import build_document
    from reports.documents import render_document

    cpu, start = time.process_time(), time.perf_counter()
    document = build_document(plan, case["kind"], round=case["round"], attach=case["attach"])
    built = time.perf_counter()
    content = render_document(document).content
    return built - start, time.perf_counter() - built, time.process_time() - cpu, content


def _count_calls(module, name: str, counts: dict) -> None:
    original = getattr(module, name)

    def counted(*args, **kwargs):
        counts[name] = counts.get(name, 0) + 1
        return original(*args, **kwargs)

    setattr(module, name, counted)


def worker(case: dict, args) -> dict:
    """Measure one case in this (fresh) process; see the module docstring for the steps."""
    runs = args.runs
    started = time.perf_counter()
    _setup_django(args.db_dir)
    from pypdf import PdfReader

    from measures.models import MeasurePlan

    plan = MeasurePlan.objects.select_related("organization", "assessment").get(pk=case["plan"])
    setup_s = time.perf_counter() - started
    rss_setup = _status_kib("VmRSS")
    result: dict = {"setup_s": setup_s, "rss_setup_kib": rss_setup}

    start = time.perf_counter()
    import reports.documents as documents

    counts: dict = {}
    _count_calls(documents, "FontConfiguration", counts)
    _count_calls(documents, "CSS", counts)
    imported = time.perf_counter()
    documents._stylesheets()
    parsed = time.perf_counter()
    if args.cold:  # the case's first render is the first render of the process
        build_s, render_s, _, content = _render_once(plan, case)
        result["cold"] = {
            "import_s": imported - start, "stylesheets_s": parsed - imported, "build_s": build_s,
            "render_s": render_s, "total_s": time.perf_counter() - start,
        }
    else:
        documents.render_html_to_pdf(PROBE_HTML)
        result["warmup_s"] = time.perf_counter() - start
    rss_base = _status_kib("VmRSS")
    hwm_before = _status_kib("VmHWM")
    reset = _reset_peak_rss()

    build_s, render_s, _, content = _render_once(plan, case)
    result["first_s"] = build_s + render_s
    rss_first = _status_kib("VmRSS")
    builds, renders, cpus = [], [], []
    for _ in range(runs):
        build_s, render_s, cpu_s, content = _render_once(plan, case)
        builds.append(build_s)
        renders.append(render_s)
        cpus.append(cpu_s)
    hwm_after = _status_kib("VmHWM")
    rss_end = _status_kib("VmRSS")
    totals = [b + r for b, r in zip(builds, renders, strict=True)]
    pages = len(PdfReader(io.BytesIO(content)).pages)
    result |= {
        "pages": pages, "bytes": len(content), "runs": runs,
        "build_s": statistics.median(builds), "render_s": statistics.median(renders),
        "median_s": statistics.median(totals), "min_s": min(totals), "max_s": max(totals),
        "per_page_s": statistics.median(totals) / pages, "all_s": totals, "cpu_s": statistics.median(cpus),
        "loadavg_1min": os.getloadavg()[0],
        "peak_reset": reset,
        "rss_base_kib": rss_base, "rss_first_kib": rss_first, "rss_end_kib": rss_end,
        "peak_kib": max(hwm_before, hwm_after, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "delta_peak_kib": (hwm_after - rss_base) if reset else None,
        "kept_kib": rss_end - rss_base, "growth_per_run_kib": (rss_end - rss_first) / runs if runs else 0,
    }
    if args.soak:
        result["soak_kib"] = []
        for _ in range(args.soak):
            _render_once(plan, case)
            result["soak_kib"].append(_status_kib("VmRSS") - rss_base)
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
        _render_once(plan, case)
        result["tracemalloc_peak_kib"] = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
    info = documents._stylesheets.cache_info()
    result["stylesheets"] = {"misses": info.misses, "hits": info.hits, "currsize": info.currsize,
                             "FontConfiguration": counts.get("FontConfiguration", 0), "CSS": counts.get("CSS", 0)}
    return result


# --- the parent: database, cases, one subprocess per case, the report -------------------------------------

def _seed_texts() -> dict[str, list[str]]:
    """Sentences of the seed documents: measure titles, steps, monitoring, result lines, recommendations."""
    import yaml

    texts: dict[str, set[str]] = {k: set() for k in ("titles", "steps", "monitoring", "results", "recommendations")}
    for path in sorted(SEED_DIR.glob("*.yaml")):
        seed = yaml.safe_load(path.read_text(encoding="utf-8"))
        for plan in seed.get("plans") or []:
            for measure in plan.get("measures") or []:
                texts["titles"].add(measure["title"].strip())
                texts["steps"].update(s.strip() for s in measure.get("steps") or [] if s and len(s) > 20)
                if measure.get("monitoring"):
                    texts["monitoring"].add(" ".join(measure["monitoring"].split()))
            for report in plan.get("progress_reports") or []:
                for entry in report.get("entries") or []:
                    for line in (entry.get("result") or "").splitlines():
                        line = re.sub(r"^\s*\d+\.\s*", "", line).strip()
                        if len(line) > 20:
                            texts["results"].add(line)
                    recommendation = " ".join((entry.get("recommendation") or "").split())
                    if len(recommendation) > 20:
                        texts["recommendations"].add(recommendation)
    return {k: sorted(v) for k, v in texts.items()}


DEPARTMENTS = [
    ("palad", "สำนักปลัดเทศบาล"), ("klang", "กองคลัง"), ("chang", "กองช่าง"), ("suksa", "กองการศึกษา"),
    ("satharanasuk", "กองสาธารณสุขและสิ่งแวดล้อม"), ("yutthasat", "กองยุทธศาสตร์และงบประมาณ"),
    ("sawatdikan", "กองสวัสดิการสังคม"), ("prapa", "กองการประปา"), ("audit", "หน่วยตรวจสอบภายใน"),
    ("chang-sukhaphiban", "กองช่างสุขาภิบาล"),
]
QUARTERS = [
    ("2024-10-01", "2024-12-31", "ไตรมาสที่ 1 (ตุลาคม - ธันวาคม 2567)"),
    ("2025-01-01", "2025-03-31", "ไตรมาสที่ 2 (มกราคม - มีนาคม 2568)"),
    ("2025-04-01", "2025-06-30", "ไตรมาสที่ 3 (เมษายน - มิถุนายน 2568)"),
    ("2025-07-01", "2025-09-30", "ไตรมาสที่ 4 (กรกฎาคม - กันยายน 2568)"),
    ("2024-10-01", "2025-09-30", "ตลอดปีงบประมาณ พ.ศ. 2568"),
]


def large_seed(measures: int) -> dict:
    """A seed document (data/seeds/SCHEMA.md) of a large municipality: ``measures`` measures and an annual
    report on each, with sentences of the real seeds (deterministic)."""
    rng = random.Random(4)
    texts = _seed_texts()
    keys = [key for key, _ in DEPARTMENTS]
    name = "เทศบาลเมืองบ้านใหญ่"

    def scores(low: float) -> dict[int, float]:
        return {n: round(rng.uniform(low, 100), 2) for n in range(1, 11)}

    plan_measures, entries = [], []
    for number in range(1, measures + 1):
        start, end, timeframe = rng.choice(QUARTERS)
        plan_measures.append({
            "number": number, "title": rng.choice(texts["titles"]), "indicators": [(number - 1) % 10 + 1],
            "steps": rng.sample(texts["steps"], rng.randint(4, 6)), "owners": rng.sample(keys, rng.randint(1, 4)),
            "owner_note": "", "timeframe_start": start, "timeframe_end": end, "timeframe_text": timeframe,
            "monitoring": rng.choice(texts["monitoring"]) if number % 3 == 0 else "",
        })
        lines = rng.sample(texts["results"], rng.randint(2, 4))
        entries.append({
            "measure": number, "status": rng.choice(["done", "done", "in_progress"]),
            "result": "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1)),
            "date_done": None, "date_text": "", "evidence": "",
            "recommendation": rng.choice(texts["recommendations"]),
        })
    title = f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานของ{name} ประจำปีงบประมาณ พ.ศ. 2568"
    return {
        "source": "bench/render_documents.py (generated from sentences of data/seeds/*.yaml)",
        "organization": {"slug": LARGE_SLUG, "name": name, "kind": "town_municipality", "amphoe": "เมืองบ้านใหญ่",
                         "province": "นครราชสีมา", "document_number_prefix": "นม 52101", "phone": ""},
        "departments": [{"key": key, "name": dept, "aliases": []} for key, dept in DEPARTMENTS],
        "officials": [],
        "assessments": [
            {"fiscal_year": 2567, "official_score": 88.41, "official_level": "ผ่าน", "indicators": scores(70)},
            {"fiscal_year": 2568, "official_score": 95.12, "official_level": "ผ่านดี", "indicators": scores(85)},
        ],
        "plans": [{
            "fiscal_year": 2568, "based_on_assessment": 2567, "title": title, "introduction": "",
            "measures": plan_measures,
            "progress_reports": [{
                "round": "annual", "period_start": "2024-10-01", "period_end": "2025-09-30",
                "title": f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสของ{name} "
                         "ประจำปีงบประมาณ พ.ศ. 2568",
                "summary": f"รายงานผลการดำเนินการตาม{title}", "entries": entries,
            }],
        }],
        "memos": [],
    }


def prepare(db_dir: Path, large_measures: int) -> list[dict]:
    """Migrate, load the seeds and the large organization; the cases to measure, in order."""
    import yaml

    _setup_django(db_dir)
    from django.core.management import call_command

    from datasets.seed import seed_document_load
    from measures.choices import Round
    from measures.models import MeasurePlan
    from reports.contents import Kind, available_documents

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_seed_documents", stdout=io.StringIO())
    path = db_dir / f"900_{LARGE_SLUG}.yaml"
    path.write_text(yaml.safe_dump(large_seed(large_measures), allow_unicode=True, sort_keys=False), "utf-8")
    seed_document_load(path=path)

    cases = []
    plans = MeasurePlan.objects.select_related("organization").order_by("organization__slug", "fiscal_year")
    seeds = {p.stem.split("_", 1)[1]: p.name for p in SEED_DIR.glob("*.yaml")}
    for plan in sorted(plans, key=lambda p: seeds.get(p.organization.slug, "~")):
        base = {"org": plan.organization.slug, "year": plan.fiscal_year, "plan": plan.pk}
        if plan.organization.slug == LARGE_SLUG:
            cases.append(base | {"kind": str(Kind.ANNUAL), "round": str(Round.ANNUAL), "attach": None, "large": True})
            continue
        for doc in available_documents(plan):
            cases.append(base | {"kind": str(doc.kind), "round": doc.round and str(doc.round),
                                 "attach": doc.attach and str(doc.attach), "large": False})
    return cases


def _run_worker(case: dict, args, db_dir: Path, cold: bool = False) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(case), "--db-dir", str(db_dir),
               "--runs", str(args.runs)]
    command += ["--cold"] if cold else []
    command += ["--tracemalloc"] if args.tracemalloc and not cold else []
    command += ["--soak", str(args.soak)] if args.soak and not cold else []
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"worker failed for {case['org']} {_label(case)} (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _mb(kib) -> str:
    return "-" if kib is None else f"{kib / MB:.1f}"


HEADER = (f"{'organization':<14} {'FY':>4}  {'document':<26} {'pages':>5} {'build':>6} {'first':>6} {'median':>7} "
          f"{'min':>6} {'max':>6} {'cpu':>6} {'s/page':>6}  "
          f"{'base':>5} {'peak':>5} {'Δpeak':>6} {'kept':>5} {'grow':>5}")


def _row(case: dict, r: dict) -> str:
    line = (f"{case['org']:<14} {case['year']:>4}  {_label(case):<26} {r['pages']:>5} {r['build_s'] * 1000:>4.0f}ms "
            f"{r['first_s']:>6.3f} {r['median_s']:>7.3f} {r['min_s']:>6.3f} {r['max_s']:>6.3f} {r['cpu_s']:>6.3f} "
            f"{r['per_page_s']:>6.3f}  {_mb(r['rss_base_kib']):>5} {_mb(r['peak_kib']):>5} "
            f"{_mb(r['delta_peak_kib']):>6} {_mb(r['kept_kib']):>5} {_mb(r['growth_per_run_kib']):>5}")
    if "tracemalloc_peak_kib" in r:
        line += f"  py {_mb(r['tracemalloc_peak_kib'])}"
    return line


def _targets(results: list[tuple[dict, dict]]) -> list[dict]:
    targets = []
    memos = [(c, r) for c, r in results if c["kind"] == "memo" and not c["attach"]]
    if memos:
        case, worst = max(memos, key=lambda cr: cr[1]["median_s"])
        targets.append({
            "target": f"memo (no attachment) < {MEMO_TARGET_S} s", "measured_s": worst["median_s"],
            "passed": worst["median_s"] < MEMO_TARGET_S,
            "detail": f"slowest of {len(memos)} memos: {case['org']} {_label(case)}",
        })
    for case, r in results:
        if case["large"]:
            passed = r["median_s"] < ANNUAL_TARGET_S and r["pages"] >= ANNUAL_MIN_PAGES
            targets.append({
                "target": f"{ANNUAL_MIN_PAGES}-page annual report < {ANNUAL_TARGET_S:g} s", "measured_s": r["median_s"],
                "passed": passed, "detail": f"{r['pages']} pages, {r['per_page_s']:.3f} s/page"
                + ("" if r["pages"] >= ANNUAL_MIN_PAGES else f" (fewer than {ANNUAL_MIN_PAGES} pages)"),
            })
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed renders per case after the warm-up (default 3)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--large-measures", type=int, default=62, help="measures of the large organization")
    parser.add_argument("--only", help="only organizations whose slug contains this text")
    parser.add_argument("--tracemalloc", action="store_true", help="one more render per case under tracemalloc")
    parser.add_argument("--soak", type=int, default=0, metavar="K",
                        help="K more renders per case, RSS after each (does memory level off?)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, large seed)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--db-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker), args)))
        return 0

    began = time.perf_counter()
    db_dir = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        print(f"Preparing {db_dir / 'bench.sqlite3'} (migrate, seeds, {LARGE_SLUG}) …", flush=True)
        cases = prepare(db_dir, args.large_measures)
        if args.only:
            cases = [c for c in cases if args.only in c["org"]]
        prepared = time.perf_counter() - began
        print(f"  ready in {prepared:.1f} s; {len(cases)} cases, each in a fresh process, {args.runs} timed runs\n",
              flush=True)

        cold_case = next((c for c in cases if c["kind"] == "memo" and not c["attach"] and not c["round"]), cases[0])
        cold = _run_worker(cold_case, args, db_dir, cold=True)
        c = cold["cold"]
        print(f"Cold first render of a process ({cold_case['org']} {_label(cold_case)}): {c['total_s']:.3f} s = "
              f"import reports.documents {c['import_s']:.3f} + fonts/CSS {c['stylesheets_s']:.3f} + build "
              f"{c['build_s']:.3f} + render {c['render_s']:.3f}; same document warm: median {cold['median_s']:.3f} s\n")

        print(HEADER)
        print("-" * len(HEADER))
        results = []
        for case in cases:
            result = _run_worker(case, args, db_dir)
            results.append((case, result))
            print(_row(case, result), flush=True)
        loads = [r["loadavg_1min"] for _, r in results]
        print(f"Times in s (build: ms): first = warm-up render of the document; median/min/max of {args.runs} runs of "
              "build + render (wall), cpu = median CPU time of a run.\nMemory in MB: base = RSS after Django + "
              "fonts/CSS warm-up, peak = absolute peak RSS, Δpeak = peak − base, kept = RSS at the end − base, "
              f"grow = RSS growth per further run.\n1-min load average after the cases: {min(loads):.2f}-"
              f"{max(loads):.2f} (other processes share the {os.cpu_count()} CPUs: wall > cpu means waiting)")

        if args.soak:
            print(f"\nSoak: RSS − base in MB after the first render, after the {args.runs} runs, then after each "
                  f"of {args.soak} more renders of the same document")
            for case, r in results:
                soak = " ".join(_mb(k) for k in r["soak_kib"])
                print(f"  {case['org']:<14} {_label(case):<26} {_mb(r['rss_first_kib'] - r['rss_base_kib']):>5} "
                      f"{_mb(r['kept_kib']):>5} | {soak}")

        sheets = [r["stylesheets"] for _, r in results] + [cold["stylesheets"]]
        once = all(s["misses"] == 1 and s["FontConfiguration"] == 1 and s["CSS"] == 2 for s in sheets)

        def seen(key: str) -> list[int]:
            return sorted({s[key] for s in sheets})

        print(f"\nFonts/CSS loaded once per process: {'yes' if once else 'NO'} — _stylesheets misses {seen('misses')}, "
              f"hits {seen('hits')}, FontConfiguration() {seen('FontConfiguration')}, CSS() {seen('CSS')} "
              f"in each of {len(sheets)} processes")

        targets = _targets(results)
        print("\nTargets:")
        for t in targets:
            print(f"  {'PASS' if t['passed'] else 'FAIL'}  {t['target']:<34} {t['measured_s']:.3f} s  ({t['detail']})")
        total = time.perf_counter() - began
        print(f"\nWhole benchmark: {total:.1f} s (preparation {prepared:.1f} s) on {os.cpu_count()} CPUs")

        if args.json:
            import weasyprint

            args.json.write_text(json.dumps({
                "date": dt.datetime.now().astimezone().date().isoformat(), "runs": args.runs,
                "total_s": total, "prepare_s": prepared,
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform(), "weasyprint": weasyprint.__version__},
                "cold": {"case": cold_case, **cold},
                "cases": [{"case": case, **result} for case, result in results],
                "stylesheets_once_per_process": once, "targets": targets,
            }, ensure_ascii=False, indent=1), encoding="utf-8")
            print(f"Figures written to {args.json}")
        failed = not once or not all(t["passed"] for t in targets)
        return 1 if args.strict and failed else 0
    finally:
        if args.keep:
            print(f"Kept {db_dir}")
        else:
            shutil.rmtree(db_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
