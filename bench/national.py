"""Benchmark of the portal at national scale (issue 9, point 5). Run by hand; it is not part of the test suite.

    .venv/bin/python bench/national.py --database-url postgres://postgres@127.0.0.1:5432/ita_national
        [--duration 15 | --requests N] [--clients 8] [--workers 3] [--only TEXT] [--no-export] [--json PATH]
        [--before-tree PATH] [--trivial-duration 5] [--wide 2.0] [--repeats 2] [--rounds 1] [--ports FIRST-LAST]

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
   requests, requests/s over the wall time of the case, that rate as a share of the case's yardstick (the trivial
   view, ``/healthz``: no query, no template — the ceiling of this stack; measured right before each attempt, see
   5), and the 1-min load average at the end of the case (about 3 with the benchmark alone; more means other work
   shared the CPUs).
   Targets (issue 9, issue 23): the organization dashboard p95 ≤ 100 ms and ≥ 10 % of the yardstick; the
   national lists p95 ≤ 250 ms and ≥ 5 %; the plan page p95 ≤ 150 ms and ≥ 5 %.
4. **CSV export** (unless ``--no-export``): ``/measures/?_export=csv`` at growing sizes — one province
   (``bench-province``), one fiscal year and the whole country (``bench-national``) — one request at a time, each in
   a fresh gunicorn of one worker (timeout ``--export-timeout``, default 600 s, so that it can finish) warmed up by
   one page of the measure list; the body is streamed and counted (bytes, lines) as it arrives. While it streams,
   the worker's resident memory (VmRSS) is sampled from ``/proc`` every 10 ms, and its kernel peak mark (VmHWM) is
   reset before the request (``/proc/<pid>/clear_refs`` ← 5) and read after it: ``base`` (RSS before), ``peak``
   and ``growth`` = peak − base. A streaming export keeps ``growth`` flat as the rows grow; one built in memory
   grows with them. An export longer than 30 s is flagged: gunicorn's default sync-worker timeout would kill it.
5. **Honest figures** (issue 23 §6). The machine is shared, so a figure alone says little:
   - *the trivial view beside each case*: right before each attempt of a case, the trivial view (``/healthz``) is
     driven for ``--trivial-duration`` s (default 5) on the same server with the same clients; both rates and the
     1-min load average are printed on the attempt's line;
   - *one yardstick per case*: the case's rates are judged as a share of the **median of the trivial rates
     measured beside all its attempts, on every server** (before and after alike). One 3-second trivial run moves
     by ±5 % and, with ``--before-tree``, the one beside the "after" server read 2–5 % faster even with the same
     code on both (docs/benchmarks/2026-12-06-national-sixth-round.md); with a shared yardstick a before/after
     difference in share is a difference in the pages' own rates, and the yardstick's noise shrinks with the
     attempts;
   - *wide spread is repeated*: a case whose p95 is more than ``--wide`` times its median (default 2.0) is run
     again, up to ``--repeats`` more times (default 2); every attempt is printed;
   - *rounds*: ``--rounds N`` measures each case N times on each server, the servers' order alternating from round
     to round (a machine whose speed drifts favours neither), and prints each case's range of shares, rates and
     p95 over its attempts — the benchmark's own noise. On this 2-core machine one 8-second run moved by ±15 %
     (docs/benchmarks/2026-12-06-national-fifth-round.md);
   - *the verdict* is taken on the attempt (of every round and repeat) whose share of the yardstick is the median,
     the lower of the two middle ones;
   - *targets on both scales*: each case may carry ``target_ms`` (p95) and ``target_share`` (its rate as a share of
     the case's yardstick); it passes when it meets both;
   - *before and after in the same run*: ``--before-tree PATH`` (a checkout of the code before, e.g. ``git worktree
     add /tmp/before main``) starts a second gunicorn from that tree on the same database and with this tree's
     ``.venv``; each case (and each export) is measured on the "before" server, then on the "after" one.

The cases are ``CASES``, a plain list of ``Case`` (name, path, user, targets); ``{slug}`` and ``{year}`` in a path
are the executive's organization and ``--fiscal-year``. Add a case by appending to it.
"""
import argparse
import http.client
import itertools
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
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PASSWORD = "bench-ita-portal"  # generate_national_dataset's default (national/users.py)
USERS = ("bench-national", "bench-province", "bench-executive")
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
KIB = 1024
EXPORT_TARGET_S = 15  # the whole country's CSV (issue 23 §4)


# --- the server --------------------------------------------------------------------------------------------

PORTS: range | None = None  # --ports: the servers listen only in this range (a shared machine); None: any


def free_port() -> int:
    """A free port of 127.0.0.1: in ``PORTS`` when set, else any the system gives."""
    for port in PORTS or (0,):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    sys.exit(f"No free port in {PORTS.start}-{PORTS.stop - 1}")


SECRET_KEY = "bench-national-" + os.urandom(16).hex()  # one per run: sessions stay valid across the servers
# Production serves collected static files (WhiteNoise, hashed names): collected once per run, here.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="bench-national-static-"))


def start_gunicorn(database_url: str, workers: int, timeout: int, log: Path,
                   port: int = 0, tree: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """Start gunicorn with the production settings on ``port`` (0: a free one), serving the code of ``tree``
    (default: this checkout) with this checkout's ``.venv``; returns (process, base URL) once it answers."""
    port = port or free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ita_portal.settings.production", "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": SECRET_KEY, "DJANGO_SECURE_COOKIES": "0", "DJANGO_SSL_REDIRECT": "0",
           "DATABASE_URL": database_url, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "DJANGO_STATIC_ROOT": str(STATIC_ROOT)}
    if not (STATIC_ROOT / "staticfiles.json").exists():
        subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "ita_portal.wsgi:application", "--workers", str(workers),
               "--chdir", str(tree), "--bind", f"127.0.0.1:{port}", "--timeout", str(timeout),
               "--error-logfile", str(log)]
    env["PYTHONPATH"] = str(tree)  # the tree's code first, whatever the .venv has installed
    process = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    """One page under load: ``path`` (``{slug}``: the executive's organization, ``{year}``: ``--fiscal-year``) as
    ``user`` (None: anonymous); it passes when its p95 is at most ``target_ms`` and its rate at least
    ``target_share`` of the case's yardstick, the trivial view's median rate beside its attempts (None: not judged
    on that scale)."""

    name: str
    path: str
    user: str | None  # None: anonymous
    target_ms: float | None = None
    target_share: float | None = None


@dataclass
class Result:
    name: str
    path: str
    user: str
    server: str = ""  # "before" or "after" with --before-tree, else ""
    attempt: int = 1
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    per_second: float = 0.0
    trivial_per_second: float = 0.0  # the trivial view's rate, measured right before this attempt on this server
    yardstick_per_second: float = 0.0  # the case's yardstick: median trivial rate of all its attempts (set_yardstick)
    ceiling_share: float = 0.0  # per_second / yardstick_per_second
    load: float = 0.0  # 1-min load average at the end of the case: other work on the machine shows here
    target_ms: float | None = None
    target_share: float | None = None
    verdict: str = ""  # "PASS", "FAIL" or "" (no target); on the attempt the verdict is taken from
    first_error: str = ""
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def spread(self) -> float:
        """p95 / median (1 = every request alike)."""
        return self.p95_ms / self.median_ms if self.median_ms else 0.0

    def judge(self) -> str:
        """PASS when every target of the case is met and no request failed, FAIL otherwise, "" without targets."""
        if self.target_ms is None and self.target_share is None:
            return ""
        met = (not self.errors and (self.target_ms is None or self.p95_ms <= self.target_ms)
               and (self.target_share is None or self.ceiling_share >= self.target_share))
        return "PASS" if met else "FAIL"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of ``values`` (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def drive(base: str, case: Case, cookie: str | Callable[[int], str], args, duration: float | None = None, *,
          paths: Callable[[int], Iterator[str]] | None = None,
          on_reply: Callable[[Reply | None], None] | None = None) -> Result:
    """``args.clients`` threads send requests for ``duration`` s (default ``args.duration``; or ``args.requests``
    each), after ``args.warmup`` untimed ones each, all starting together (a barrier); returns their ``Result``
    (median and p95 of the successful requests, rate over the wall time, 1-min load at the end).

    Client ``n`` (0, 1, …) requests the paths of ``paths(n)`` in turn (default: ``case.path``, already formatted,
    again and again) with the Cookie header ``cookie`` (or ``cookie(n)``: one session per client).
    ``on_reply(reply)`` (None for a failed connection) is called for each timed request, under a lock."""
    duration = args.duration if duration is None else duration
    result = Result(case.name, case.path, case.user or "anonymous", target_ms=case.target_ms,
                    target_share=case.target_share)
    lock = threading.Lock()

    def client(number: int) -> None:
        own = paths(number) if paths else itertools.repeat(case.path)
        own_cookie = cookie(number) if callable(cookie) else cookie
        for _ in range(args.warmup):
            get(base, next(own), own_cookie)
        start_line.wait()
        deadline = time.monotonic() + duration
        done = 0
        while (time.monotonic() < deadline) if not args.requests else (done < args.requests):
            started = time.perf_counter()
            reply = None
            try:
                reply = get(base, next(own), own_cookie)
                status, snippet = reply.status, reply.body[:200]
            except OSError as error:
                status, snippet = 0, str(error).encode()
            elapsed = (time.perf_counter() - started) * 1000
            done += 1
            with lock:
                if on_reply:
                    on_reply(reply)
                result.requests += 1
                if status == 200:
                    result.latencies_ms.append(elapsed)
                else:
                    result.errors += 1
                    result.first_error = result.first_error or f"HTTP {status}: {snippet.decode(errors='replace')}"

    start_line = threading.Barrier(args.clients + 1)
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(args.clients)]
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
    server: str = ""
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


def run_exports(args, facts: dict, base: str, cookies: dict, log: Path, tree: Path = ROOT,
                server: str = "") -> list[Export]:
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
            process, base = start_gunicorn(args.database_url, 1, args.export_timeout, log, tree=tree)
        try:
            get(base, "/measures/", cookies[user])
            exports.append(export(base, process.pid if process else None, name, path, user, cookies[user],
                                  timeout=args.export_timeout + 60))
            exports[-1].server = server
        finally:
            if process:
                stop(process)
        print(f"  export {name}" + (f" [{server}]" if server else "") + f": {exports[-1].seconds:.1f} s, "
              f"growth {exports[-1].growth_mib:.1f} MiB, load {os.getloadavg()[0]:.1f}", flush=True)
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


TRIVIAL = Case("trivial view", "/healthz", None)  # no query, no template: the ceiling of this stack
NATIONAL_LIST = {"target_ms": 250, "target_share": 0.05}  # issue 9 (ms) and issue 23 §6 (share of the yardstick)

# The pages measured, in order. Append a Case to add one (``{slug}``, ``{year}``: see the module's docstring).
CASES: list[Case] = [
    Case("organization dashboard", "/organizations/{slug}/dashboard/", "bench-executive",
         target_ms=100, target_share=0.10),
    Case("overview, whole country", "/overview/", "bench-national", **NATIONAL_LIST),
    Case("overview, one province", "/overview/", "bench-province"),
    # OIT readiness filters (issue 20 §5) on the checklists' stored counts; a server without them ignores the
    # parameters, which makes the same case the "before" figure of a comparison.
    Case("overview, OIT ready below 50 %", "/overview/?oit_below=50", "bench-national", **NATIONAL_LIST),
    Case("overview, OIT dead links", "/overview/?dead_links=yes", "bench-national", **NATIONAL_LIST),
    Case("overview, province, dead links", "/overview/?dead_links=yes", "bench-province"),
    Case("measure list, national", "/measures/", "bench-national", **NATIONAL_LIST),
    Case("measure list, FY {year}", "/measures/?fiscal_year={year}", "bench-national"),
    Case("measure list, overdue", "/measures/?overdue=yes", "bench-national"),
    Case("organization list, national", "/organizations/", "bench-national"),
    Case("plan page (executive)", "/organizations/{slug}/plans/{year}/", "bench-executive",
         target_ms=150, target_share=0.05),
    *(Case(name, "/measures/?" + urllib.parse.urlencode({"q": q}), "bench-national", **NATIONAL_LIST)
      for name, q in SEARCHES.items()),
    *(Case(name, path, "bench-national", **NATIONAL_LIST) for name, path in DEEP_PAGES),
]


def cases_for(facts: dict, fiscal_year: int, only: list[str] | None = None) -> list[Case]:
    """``CASES`` (those whose name contains one of ``only``) with their paths and names formatted."""
    found = []
    for case in CASES:
        name = case.name.format(slug=facts["executive_slug"], year=fiscal_year)
        if only and not any(text in name for text in only):
            continue
        found.append(Case(name, case.path.format(slug=facts["executive_slug"], year=fiscal_year), case.user,
                          case.target_ms, case.target_share))
    return found


def measure_case(base: str, server: str, case: Case, cookies: dict, args) -> list[Result]:
    """``case`` on the server at ``base``, each attempt right after the trivial view on the same server; repeated
    while its spread is wide (p95 > ``args.wide`` × median), at most ``args.repeats`` more times. Returns the
    attempts, not yet judged (``judge_attempts``)."""
    attempts: list[Result] = []
    while True:
        trivial = drive(base, TRIVIAL, "", args, duration=args.trivial_duration)
        result = drive(base, case, cookies[case.user], args)
        result.server = server  # number: judge_attempts; share: set_yardstick
        result.trivial_per_second = trivial.per_second
        attempts.append(result)
        label = f"{case.name}" + (f" [{server}]" if server else "")
        print(f"  {label}: {result.requests} requests, median {result.median_ms:.0f} ms, p95 {result.p95_ms:.0f} ms, "
              f"{result.per_second:.1f}/s beside the trivial view's {trivial.per_second:.0f}/s, "
              f"load {result.load:.1f}", flush=True)
        if result.spread <= args.wide or len(attempts) > args.repeats:
            break
    return attempts


def set_yardstick(attempts: list[Result]) -> float:
    """The yardstick of one case: the median of the trivial rates (requests/s) measured beside ``attempts`` (every
    attempt of the case, on every server); each attempt's ``ceiling_share`` becomes its rate over it. One yardstick
    for before and after, so that neither server's share carries its own trivial run's noise (issue 23 §6).
    Returns the yardstick (0 when no trivial rate was measured: every share is then 0)."""
    yardstick = statistics.median(a.trivial_per_second for a in attempts) if attempts else 0.0
    for attempt in attempts:
        attempt.yardstick_per_second = yardstick
        attempt.ceiling_share = attempt.per_second / yardstick if yardstick else 0.0
    return yardstick


def judge_attempts(attempts: list[Result]) -> Result:
    """Number ``attempts`` (every round's and repeat's of one case on one server) and give the verdict on the one
    whose share of the yardstick (``set_yardstick``) is the median — the lower of the two middle ones when their
    number is even — so that neither a lucky nor an unlucky run decides (issue 23 §6). Returns that attempt."""
    for number, attempt in enumerate(attempts, 1):
        attempt.attempt = number
    chosen = sorted(attempts, key=lambda r: r.ceiling_share)[(len(attempts) - 1) // 2]
    chosen.verdict = chosen.judge()
    return chosen


def print_spread(results: list[Result]) -> None:
    """Per case and server with several attempts: the range of its shares, rates, p95 and of the trivial rates
    beside them — the benchmark's own noise."""
    groups: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        groups.setdefault((r.name, r.server), []).append(r)
    lines = [(name, server, group) for (name, server), group in groups.items() if len(group) > 1]
    if not lines:
        return
    print(f"\n{'spread of the attempts':32} {'server':6} {'n':>2} {'share min–max':>15} {'req/s min–max':>15} "
          f"{'p95 ms min–max':>15} {'trivial/s min–max':>17}")
    for name, server, group in lines:
        shares, rates, p95s, trivials = ([getattr(r, a) for r in group]
                                         for a in ("ceiling_share", "per_second", "p95_ms", "trivial_per_second"))
        print(f"{name:32} {server:6} {len(group):>2} {min(shares):>7.1%}–{max(shares):<6.1%} "
              f"{min(rates):>7.0f}–{max(rates):<7.0f} {min(p95s):>7.0f}–{max(p95s):<7.0f} "
              f"{min(trivials):>8.0f}–{max(trivials):<8.0f}")


def print_pages(results: list[Result]) -> None:
    print(f"\n{'page':32} {'server':6} {'#':>1} {'user':16} {'requests':>8} {'errors':>6} {'median ms':>9} "
          f"{'p95 ms':>8} {'req/s':>7} {'trivial/s':>9} {'yardstick':>9} {'share':>6} {'load':>5}  target")
    for r in results:
        targets = " and ".join(t for t in (f"p95 ≤ {r.target_ms:g} ms" if r.target_ms is not None else "",
                                          f"≥ {r.target_share:.0%} of yardstick" if r.target_share is not None else "")
                               if t)
        verdict = f"{targets}: {r.verdict}" if r.verdict else ("(not judged: another attempt is)" if targets else "")
        print(f"{r.name:32} {r.server:6} {r.attempt:>1} {r.user:16} {r.requests:>8} {r.errors:>6} "
              f"{r.median_ms:>9.1f} {r.p95_ms:>8.1f} {r.per_second:>7.1f} {r.trivial_per_second:>9.1f} "
              f"{r.yardstick_per_second:>9.1f} {r.ceiling_share:>6.1%} {r.load:>5.1f}  {verdict}")
    for r in results:
        if r.errors:
            print(f"  {r.name}: {r.errors} errors, first: {r.first_error[:160]!r}")


def print_exports(exports: list[Export], timeout: int) -> None:
    print(f"\n{'CSV export':34} {'server':6} {'status':>6} {'lines':>9} {'MB':>8} {'1st byte s':>10} {'total s':>8} "
          f"{'base MiB':>8} {'peak MiB':>8} {'growth':>7}")
    for e in exports:
        print(f"{e.name:34} {e.server:6} {e.status:>6} {e.lines:>9,} {e.bytes / 1e6:>8.1f} {e.first_byte_s:>10.2f} "
              f"{e.seconds:>8.1f} {e.base_mib:>8.1f} {e.peak_mib:>8.1f} {e.growth_mib:>7.1f}"
              + (f"  {e.error}" if e.error else "")
              + ("  (longer than gunicorn's default 30 s timeout)" if e.seconds > 30 else "")
              + (f"  ≤ {EXPORT_TARGET_S} s: {'PASS' if e.seconds <= EXPORT_TARGET_S and not e.error else 'FAIL'}"
                 if e.name.startswith("whole country") else ""))
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
    parser.add_argument("--only", action="append",
                        help="only the cases whose name contains this text (may be given several times)")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export measurement")
    parser.add_argument("--export-only", action="store_true", help="only the CSV export measurement")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--before-tree", type=Path,
                        help="a checkout of the code before (e.g. a git worktree of main): each case and export is "
                             "measured on it too, in the same run, before this tree's")
    parser.add_argument("--trivial-duration", type=float, default=5,
                        help="seconds of the trivial view measured right before each case (default 5)")
    parser.add_argument("--wide", type=float, default=2.0,
                        help="a case whose p95 exceeds this many times its median is repeated (default 2.0)")
    parser.add_argument("--repeats", type=int, default=2, help="at most this many repeats of a wide case (default 2)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure each case this many times per server, the servers' order alternating; the "
                             "verdict is on the median share (default 1)")
    parser.add_argument("--ports", help="FIRST-LAST: start the servers on ports of this range only (default: any)")
    args = parser.parse_args()
    if args.ports:
        global PORTS
        first, _, last = args.ports.partition("-")
        PORTS = range(int(first), int(last) + 1)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    if args.before_tree and args.url:
        parser.error("--before-tree starts its own servers: leave out --url")
    facts = database_facts(args.database_url)
    print(f"Dataset: {facts['organizations_with_plans']:,} organizations with plans, {facts['measures']:,} measures "
          f"({facts['measures_in_province']:,} in {facts['province']}); executive of {facts['executive_name']}")
    print(f"Load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    log = Path(tempfile.mkstemp(prefix="bench-national-", suffix=".log")[1])
    trees = [("before", args.before_tree.resolve()), ("after", ROOT)] if args.before_tree else [("", ROOT)]
    servers: list[tuple[str, Path, subprocess.Popen | None, str]] = []
    results: list[Result] = []
    exports: list[Export] = []
    try:
        for server, tree in trees:
            process, base = (None, args.url.rstrip("/")) if args.url else start_gunicorn(
                args.database_url, args.workers, args.timeout, log, tree=tree)
            servers.append((server, tree, process, base))
            print(f"Server{f' {server}' if server else ''}: {base}" + ("" if args.url else (
                f" (gunicorn, {args.workers} workers, code of {tree}, log {log}); {args.clients} clients, "
                f"{args.duration:g} s per case after {args.trivial_duration:g} s of the trivial view")))
        cookies = {user: log_in(servers[0][3], user, args.password) for user in USERS}
        cookies[None] = ""
        if not args.export_only:
            for case in cases_for(facts, args.fiscal_year, args.only):
                attempts: dict[str, list[Result]] = {server: [] for server, *_ in servers}
                for round_ in range(args.rounds):  # the servers' order alternates from one round to the next
                    for server, _tree, _process, base in (servers if round_ % 2 == 0 else servers[::-1]):
                        attempts[server].extend(measure_case(base, server, case, cookies, args))
                set_yardstick([a for server_attempts in attempts.values() for a in server_attempts])
                for server, *_ in servers:
                    judge_attempts(attempts[server])
                    results.extend(attempts[server])
            print_pages(results)
            print_spread(results)
        for index, (server, tree, process, base) in enumerate(servers):
            if process and not args.no_export:
                stop(process)  # the exports get servers of their own
                servers[index] = (server, tree, None, base)
        if not args.no_export:
            for server, tree, _process, base in servers:
                exports.extend(run_exports(args, facts, base, cookies, log, tree=tree, server=server))
            print_exports(exports, args.export_timeout)
        print(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.json:
            args.json.write_text(json.dumps({"facts": facts, "pages": [asdict(r) for r in results],
                                             "exports": [asdict(e) for e in exports]}, ensure_ascii=False, indent=1))
    finally:
        for _server, _tree, process, _base in servers:
            if process:
                stop(process)
    failed = sum(r.errors for r in results) + sum(1 for e in exports if e.error)
    if failed:
        sys.exit(f"{failed} failed requests (see above)")


if __name__ == "__main__":
    main()
