"""Benchmark of the portal at national scale (issue 9, point 5). Run by hand; it is not part of the test suite.

    .venv/bin/python bench/national.py --database-url postgres://postgres@127.0.0.1:5432/ita_national
        [--duration 15 | --requests N] [--clients 8] [--workers 3] [--only TEXT] [--no-export] [--json PATH]

The database must hold the generated country (``manage.py generate_national_dataset``), whose benchmark users
(``bench-national``, ``bench-province``, ``bench-executive``) log in with ``--password``.

1. **Server.** Unless ``--url`` names a server already running, gunicorn (``ita_portal.wsgi``, ``--workers`` sync
   workers, default 3, and gunicorn's own 30 s worker timeout) is started on a free port of 127.0.0.1 with the
   production settings: ``DJANGO_SETTINGS_MODULE=ita_portal.settings.production``, ``DJANGO_DEBUG=0``, a throwaway
   ``DJANGO_SECRET_KEY``, ``DJANGO_SECURE_COOKIES=0`` and ``DJANGO_SSL_REDIRECT=0`` (plain HTTP), ``DATABASE_URL``
   = ``--database-url``, static files collected once into a temporary ``DJANGO_STATIC_ROOT``. The script waits for
   ``/healthz``, and stops the server at the end.
2. **Log-ins.** Each user logs in as a browser does: GET ``/accounts/login/`` (the CSRF cookie and the form's
   token), POST the form, keep the session cookie. The executive's organization is read from the database.
3. **Pages.** For each case in turn, ``--clients`` threads (default 8) each send requests one after the other
   (``http.client``, one connection per request as gunicorn's sync workers close it) for ``--duration`` seconds
   (default 15) or ``--requests`` each, after ``--warmup`` untimed requests per client (default 2). A response
   other than 200 counts as an error (its status and the first one's body start are shown; the script then exits
   with status 1); the body is read in full. Figures: median and p95 latency (nearest rank) of the successful
   requests, requests/s over the wall time of the case, that rate as a share of the trivial view's (``/healthz``: no
   query, no template — the ceiling of this stack), and the 1-min load average at the end of the case (about 3 with
   the benchmark alone; more means other work shared the CPUs). Targets of issue 9: the organization dashboard
   p95 ≤ 100 ms; the whole-country overview and the national measure list p95 ≤ 250 ms.
4. **CSV export** (unless ``--no-export``): ``/measures/?_export=csv`` at growing sizes — one province
   (``bench-province``), one fiscal year and the whole country (``bench-national``) — one request at a time, each in
   a fresh gunicorn of one worker (timeout ``--export-timeout``, default 600 s, so that it can finish) warmed up by
   one page of the measure list; the body is streamed and counted (bytes, lines) as it arrives. While it streams,
   the worker's resident memory (VmRSS) is sampled from ``/proc`` every 10 ms, and its kernel peak mark (VmHWM) is
   reset before the request (``/proc/<pid>/clear_refs`` ← 5) and read after it: ``base`` (RSS before), ``peak``
   and ``growth`` = peak − base. A streaming export keeps ``growth`` flat as the rows grow; one built in memory
   grows with them. An export longer than 30 s is flagged: gunicorn's default sync-worker timeout would kill it.
"""
import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PASSWORD = "bench-ita-portal"  # generate_national_dataset's default (national/users.py)
USERS = ("bench-national", "bench-province", "bench-executive")
TARGETS_MS = {"organization dashboard": 100, "overview, whole country": 250, "measure list, national": 250,
              "overview, OIT ready below 50 %": 250, "overview, OIT dead links": 250,
              "search, no hits": 250, "search, with hits": 250, "search, every measure": 250}
# Searches of the national measure list (issue 23 §1): no measure has the first, about one in ten the second (a
# step of the procurement measure), every measure the third (the word every title starts with).
SEARCHES = {"search, no hits": "ไม่มีคำนี้ในมาตรการใด", "search, with hits": "จัดซื้อจัดจ้าง",
            "search, every measure": "มาตรการ"}
# Issue 23 §2: every national list at pages 1, 50 and 500 (the overview has 166 pages: its last), each overview
# sort, each overview filter.
DEEP_PAGES = [
    ("overview, page 50", "/overview/?page=50"),
    ("overview, last page (166)", "/overview/?page=166"),
    ("overview, by ITA", "/overview/?sort=-ita"),
    ("overview, by ITA, page 50", "/overview/?sort=-ita&page=50"),
    ("overview, by level", "/overview/?sort=level"),
    ("overview, by change", "/overview/?sort=-change"),
    ("overview, by change, page 166", "/overview/?sort=-change&page=166"),
    ("overview, level ผ่าน", "/overview/?level=%E0%B8%9C%E0%B9%88%E0%B8%B2%E0%B8%99"),
    ("measure list, page 50", "/measures/?page=50"),
    ("measure list, page 500", "/measures/?page=500"),
    ("measure list, FY, page 500", "/measures/?fiscal_year=2568&page=500"),
    ("measure list, overdue, page 500", "/measures/?overdue=yes&page=500"),
    ("organization list, page 166", "/organizations/?page=166"),
]
TARGETS_MS |= {name: 250 for name, _path in DEEP_PAGES}
KIB = 1024


# --- the server --------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SECRET_KEY = "bench-national-" + os.urandom(16).hex()  # one per run: sessions stay valid across the servers
# Production serves collected static files (WhiteNoise, hashed names): collected once per run, here.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="bench-national-static-"))


def start_gunicorn(database_url: str, workers: int, timeout: int, log: Path,
                   port: int = 0) -> tuple[subprocess.Popen, str]:
    """Start gunicorn with the production settings on ``port`` (0: a free one); returns (process, base URL) once it
    answers."""
    port = port or free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ita_portal.settings.production", "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_SECURE_COOKIES": "0", "DJANGO_SSL_REDIRECT": "0",
           "DATABASE_URL": database_url, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "DJANGO_STATIC_ROOT": str(STATIC_ROOT)}
    if not (STATIC_ROOT / "staticfiles.json").exists():
        subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "ita_portal.wsgi:application", "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--timeout", str(timeout), "--error-logfile", str(log)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited ({process.returncode}); see {log}")
        try:
            if get(base, "/healthz").status == 200:
                return process, base
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit(f"gunicorn did not answer within 60 s; see {log}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the children of ``master`` (from /proc/<pid>/stat, field 4 = parent pid)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def status_kib(pid: int, name: str) -> int:
    """A ``/proc/<pid>/status`` memory field (VmRSS, VmHWM) in KiB; 0 when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- HTTP ----------------------------------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    body: bytes
    headers: list[tuple[str, str]]


def get(base: str, path: str, cookie: str = "", timeout: float = 120) -> Reply:
    """GET ``path`` (one connection per request), the whole body read."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return Reply(response.status, response.read(), response.getheaders())
    finally:
        connection.close()


def cookies_of(reply: Reply) -> dict[str, str]:
    found = {}
    for name, value in reply.headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


def log_in(base: str, username: str, password: str) -> str:
    """Log ``username`` in through the login form; returns the Cookie header of its session."""
    page = get(base, "/accounts/login/")
    csrf = cookies_of(page)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    connection.request("POST", "/accounts/login/", body=body, headers={
        "Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded", "Referer": base + "/"})
    response = connection.getresponse()
    response.read()
    session = cookies_of(Reply(response.status, b"", response.getheaders())).get("sessionid")
    connection.close()
    if response.status != 302 or not session:
        sys.exit(f"{username} could not log in (HTTP {response.status}); was the dataset generated, is the "
                 "password right (--password)?")
    return f"csrftoken={csrf}; sessionid={session}"


# --- pages under load ---------------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    path: str
    user: str | None  # None: anonymous


@dataclass
class Result:
    name: str
    path: str
    user: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    per_second: float = 0.0
    ceiling_share: float = 0.0
    load: float = 0.0  # 1-min load average at the end of the case: other work on the machine shows here
    first_error: str = ""
    latencies_ms: list[float] = field(default_factory=list, repr=False)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of ``values`` (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def drive(base: str, case: Case, cookie: str, args) -> Result:
    """``args.clients`` threads send requests for ``args.duration`` s (or ``args.requests`` each)."""
    result = Result(case.name, case.path, case.user or "anonymous")
    lock = threading.Lock()

    def client() -> None:
        for _ in range(args.warmup):
            get(base, case.path, cookie)
        start_line.wait()
        deadline = time.monotonic() + args.duration
        done = 0
        while (time.monotonic() < deadline) if not args.requests else (done < args.requests):
            started = time.perf_counter()
            try:
                reply = get(base, case.path, cookie)
                status, snippet = reply.status, reply.body[:200]
            except OSError as error:
                status, snippet = 0, str(error).encode()
            elapsed = (time.perf_counter() - started) * 1000
            done += 1
            with lock:
                result.requests += 1
                if status == 200:
                    result.latencies_ms.append(elapsed)
                else:
                    result.errors += 1
                    result.first_error = result.first_error or f"HTTP {status}: {snippet.decode(errors='replace')}"

    start_line = threading.Barrier(args.clients + 1)
    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - began
    result.median_ms = statistics.median(result.latencies_ms) if result.latencies_ms else 0.0
    result.p95_ms = percentile(result.latencies_ms, 0.95)
    result.per_second = len(result.latencies_ms) / result.seconds if result.seconds else 0.0
    result.load = os.getloadavg()[0]
    return result


# --- CSV export ---------------------------------------------------------------------------------------------

@dataclass
class Export:
    name: str
    path: str
    user: str
    status: int = 0
    bytes: int = 0
    lines: int = 0
    first_byte_s: float = 0.0
    seconds: float = 0.0
    base_mib: float = 0.0
    peak_mib: float = 0.0
    growth_mib: float = 0.0
    error: str = ""


def export(base: str, master: int | None, name: str, path: str, user: str, cookie: str, timeout: float) -> Export:
    """Stream one export, counting what arrives, while sampling the memory of the gunicorn workers."""
    result = Export(name, path, user)
    pids = worker_pids(master) if master else []
    before = {pid: status_kib(pid, "VmRSS") for pid in pids}
    for pid in pids:
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        except OSError:
            pass
    sampled = {pid: before[pid] for pid in pids}
    streaming = threading.Event()
    streaming.set()

    def sample() -> None:
        while streaming.is_set():
            for pid in pids:
                sampled[pid] = max(sampled[pid], status_kib(pid, "VmRSS"))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        result.status = response.status
        result.first_byte_s = time.perf_counter() - started
        while chunk := response.read(64 * KIB):
            result.bytes += len(chunk)
            result.lines += chunk.count(b"\n")
    except (OSError, http.client.HTTPException) as error:
        result.error = f"{type(error).__name__}: {error}"
    finally:
        result.seconds = time.perf_counter() - started
        connection.close()
        streaming.clear()
        sampler.join()
    if result.status != 200 and not result.error:
        result.error = f"HTTP {result.status}"
    if pids:
        peaks = {pid: max(sampled[pid], status_kib(pid, "VmHWM")) for pid in pids}
        serving = max(pids, key=lambda pid: peaks[pid] - before[pid])
        result.base_mib, result.peak_mib = before[serving] / KIB, peaks[serving] / KIB
        result.growth_mib = result.peak_mib - result.base_mib
    return result


def run_exports(args, facts: dict, base: str, cookies: dict, log: Path) -> list[Export]:
    """The three exports, growing: each in a fresh one-worker gunicorn (``--export-timeout``) warmed up by one page
    of the measure list, so that the worker serving it is known and its memory starts from the same point."""
    exports = []
    for name, path, user in (
            (f"one province ({facts['measures_in_province']:,} measures)", "/measures/?_export=csv", "bench-province"),
            (f"FY {args.fiscal_year} ({facts['measures_2568']:,})",
             f"/measures/?fiscal_year={args.fiscal_year}&_export=csv", "bench-national"),
            (f"whole country ({facts['measures']:,})", "/measures/?_export=csv", "bench-national")):
        process = None
        if not args.url:
            process, base = start_gunicorn(args.database_url, 1, args.export_timeout, log)
        try:
            get(base, "/measures/", cookies[user])
            exports.append(export(base, process.pid if process else None, name, path, user, cookies[user],
                                  timeout=args.export_timeout + 60))
        finally:
            if process:
                stop(process)
        print(f"  export {name}: {exports[-1].seconds:.1f} s", flush=True)
    return exports


# --- the run ------------------------------------------------------------------------------------------------

def database_facts(database_url: str) -> dict:
    """The executive's organization, the province overseen, and the number of measures in each scope."""
    import psycopg2

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("""SELECT o.slug, o.name FROM organizations_membership m
                          JOIN auth_user u ON u.id = m.user_id
                          JOIN organizations_organization o ON o.id = m.organization_id
                          WHERE u.username = 'bench-executive'""")
        row = cursor.fetchone()
        if row is None:
            sys.exit("No bench-executive membership: run manage.py generate_national_dataset first.")
        cursor.execute("""SELECT s.province FROM organizations_oversightscope s JOIN auth_user u ON u.id = s.user_id
                          WHERE u.username = 'bench-province'""")
        province = cursor.fetchone()[0]
        cursor.execute("""SELECT count(*), count(*) FILTER (WHERE o.province = %s), count(DISTINCT o.id),
                                 count(*) FILTER (WHERE p.fiscal_year = 2568)
                          FROM measures_measure m JOIN measures_measureplan p ON p.id = m.plan_id
                          JOIN organizations_organization o ON o.id = p.organization_id
                          WHERE m.deleted_at IS NULL""", [province])
        measures, in_province, organizations, in_2568 = cursor.fetchone()
    return {"executive_slug": row[0], "executive_name": row[1], "province": province, "measures": measures,
            "measures_in_province": in_province, "measures_2568": in_2568, "organizations_with_plans": organizations}


def cases_for(facts: dict, fiscal_year: int) -> list[Case]:
    slug = facts["executive_slug"]
    return [
        Case("trivial view", "/healthz", None),
        Case("organization dashboard", f"/organizations/{slug}/dashboard/", "bench-executive"),
        Case("overview, whole country", "/overview/", "bench-national"),
        Case("overview, one province", "/overview/", "bench-province"),
        # OIT readiness filters (issue 20 §5) on the checklists' stored counts; a server without them ignores the
        # parameters, which makes the same case the "before" figure of a comparison.
        Case("overview, OIT ready below 50 %", "/overview/?oit_below=50", "bench-national"),
        Case("overview, OIT dead links", "/overview/?dead_links=yes", "bench-national"),
        Case("overview, province, dead links", "/overview/?dead_links=yes", "bench-province"),
        Case("measure list, national", "/measures/", "bench-national"),
        Case(f"measure list, FY {fiscal_year}", f"/measures/?fiscal_year={fiscal_year}", "bench-national"),
        Case("measure list, overdue", "/measures/?overdue=yes", "bench-national"),
        *(Case(name, "/measures/?" + urllib.parse.urlencode({"q": q}), "bench-national")
          for name, q in SEARCHES.items()),
        Case("organization list, national", "/organizations/", "bench-national"),
        Case("plan page (executive)", f"/organizations/{slug}/plans/{fiscal_year}/", "bench-executive"),
    ] + [Case(name, path, "bench-national") for name, path in DEEP_PAGES]


def print_pages(results: list[Result]) -> None:
    print(f"\n{'page':30} {'user':16} {'requests':>8} {'errors':>6} {'median ms':>9} {'p95 ms':>8} {'req/s':>7} "
          f"{'of ceiling':>10} {'load':>5}  target")
    for r in results:
        target = TARGETS_MS.get(r.name)
        passed = target is not None and r.p95_ms <= target and not r.errors
        verdict = "" if target is None else f"p95 ≤ {target} ms: {'PASS' if passed else 'FAIL'}"
        print(f"{r.name:30} {r.user:16} {r.requests:>8} {r.errors:>6} {r.median_ms:>9.1f} {r.p95_ms:>8.1f} "
              f"{r.per_second:>7.1f} {r.ceiling_share:>10.1%} {r.load:>5.1f}  {verdict}")
    for r in results:
        if r.errors:
            print(f"  {r.name}: {r.errors} errors, first: {r.first_error[:160]!r}")


def print_exports(exports: list[Export], timeout: int) -> None:
    print(f"\n{'CSV export':34} {'status':>6} {'lines':>9} {'MB':>8} {'1st byte s':>10} {'total s':>8} "
          f"{'base MiB':>8} {'peak MiB':>8} {'growth':>7}")
    for e in exports:
        print(f"{e.name:34} {e.status:>6} {e.lines:>9,} {e.bytes / 1e6:>8.1f} {e.first_byte_s:>10.2f} "
              f"{e.seconds:>8.1f} {e.base_mib:>8.1f} {e.peak_mib:>8.1f} {e.growth_mib:>7.1f}"
              + (f"  {e.error}" if e.error else "")
              + ("  (longer than gunicorn's default 30 s timeout)" if e.seconds > 30 else ""))
    print(f"Each export in a fresh one-worker gunicorn (timeout {timeout} s), after one page of the measure list; "
          "MiB of the worker's resident memory: base before the export, peak while it streamed, growth = peak - base.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="the PostgreSQL database holding the generated country (default: $DATABASE_URL)")
    parser.add_argument("--url", help="benchmark a server already running there (no gunicorn started)")
    parser.add_argument("--duration", type=float, default=15, help="seconds per case (default 15)")
    parser.add_argument("--requests", type=int, default=0, help="requests per client instead of --duration")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per client and case (default 2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--timeout", type=int, default=30, help="gunicorn worker timeout, s (default 30)")
    parser.add_argument("--export-timeout", type=int, default=600,
                        help="gunicorn worker timeout for the exports, s (default 600: let them finish)")
    parser.add_argument("--fiscal-year", type=int, default=2568, help="year of the filtered measure list")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password of the bench-* users")
    parser.add_argument("--only", help="only the cases whose name contains this text")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export measurement")
    parser.add_argument("--export-only", action="store_true", help="only the CSV export measurement")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    facts = database_facts(args.database_url)
    print(f"Dataset: {facts['organizations_with_plans']:,} organizations with plans, {facts['measures']:,} measures "
          f"({facts['measures_in_province']:,} in {facts['province']}); executive of {facts['executive_name']}")
    log = Path(tempfile.mkstemp(prefix="bench-national-", suffix=".log")[1])
    process, base = (None, args.url.rstrip("/")) if args.url else start_gunicorn(
        args.database_url, args.workers, args.timeout, log)
    try:
        print(f"Server: {base}" + ("" if args.url else f" (gunicorn, {args.workers} workers, log {log}); "
                                   f"{args.clients} clients, {args.duration:g} s per case"))
        cookies = {user: log_in(base, user, args.password) for user in USERS}
        cookies[None] = ""
        results, exports = [], []
        if not args.export_only:
            for case in cases_for(facts, args.fiscal_year):
                if args.only and args.only not in case.name and case.path != "/healthz":
                    continue
                results.append(drive(base, case, cookies[case.user], args))
                print(f"  {case.name}: {results[-1].requests} requests, p95 {results[-1].p95_ms:.0f} ms", flush=True)
            ceiling = results[0].per_second if results else 0
            for result in results:
                result.ceiling_share = result.per_second / ceiling if ceiling else 0
            print_pages(results)
        if process and not args.no_export:
            stop(process)  # the exports get servers of their own
            process = None
        if not args.no_export:
            exports = run_exports(args, facts, base, cookies, log)
            print_exports(exports, args.export_timeout)
        if args.json:
            args.json.write_text(json.dumps({"facts": facts, "pages": [asdict(r) for r in results],
                                             "exports": [asdict(e) for e in exports]}, ensure_ascii=False, indent=1))
    finally:
        if process:
            stop(process)
    failed = sum(r.errors for r in results) + sum(1 for e in exports if e.error)
    if failed:
        sys.exit(f"{failed} failed requests (see above)")


if __name__ == "__main__":
    main()
