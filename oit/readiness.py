"""The readiness check of an OIT checklist (ตรวจความพร้อม OIT; issue 20 §3; docs/operations/oit-readiness.md).

``readiness_run_request`` stores a ``ReadinessRun`` (queued) and, once the transaction commits, enqueues
``readiness_run_task`` for the worker (``manage.py db_worker``); ``manage.py oit_readiness SLUG YEAR`` runs the same
check at once (``readiness_check``). The check:

1. collects every distinct URL of the checklist: each entry's URL and its evidence links;
2. fetches them with ``oit.fetch.url_fetch`` (its limits), ``settings.OIT_FETCH_WORKERS`` at a time in threads,
   at most ``OIT_FETCH_PER_HOST`` at once per host; each page's text is searched for the years it shows and then
   dropped (memory stays flat however many URLs: only the years are kept), one ``UrlCheck`` row per URL, written
   in batches as the answers come, at least once a second (the page shows the progress);
3. records the ``Problem`` rows of each entry (``ProblemKind``), each with a Thai message saying what to fix
   (``problem_message``):
   - **no_url**: the entry has no URL;
   - **dead_link**: a URL of the entry (its own or an evidence link) answers 4xx/5xx, or not at all (timeout, DNS,
     refused address, redirect loop…);
   - **off_site**: a URL of the entry is not on the organization's main website (``Organization.website``;
     ``oit.checklists.url_on_main_website``); not checked while the organization has not recorded it;
   - **year_missing**: the year the item's period requires (``required_year``) appears in none of the entry's
     readable pages (HTML or PDF; a page whose text could not be read is not judged);
   - **element_missing**: an element of the item is not ticked, or ticked without a link, file or issued document;
   - **duplicate_url**: the entry's URL is also the URL of another entry whose item is not the same topic. Within
     one year's list every item is its own topic, except items of one sub-area (``Item.sub_area``, e.g. the
     procurement items), which may share a page;
4. writes the problems and the run's summary (items without problems, problems, dead links) in one transaction.

A run that stopped (a lost task, a stopped worker) stays "running"; after ``OIT_READINESS_STALE_SECONDS`` it no
longer stops a new run from being requested.
"""
import logging
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.thai import thai_datetime
from organizations.choices import Role
from organizations.models import Department, Membership, Organization
from organizations.permissions import SUPERUSER, Rights

from .checklists import url_on_main_website
from .choices import ChecklistState, Period, ProblemKind, RunStatus
from .fetch import fetch_client, fetch_error_message, url_fetch, urldefrag_key, years_in
from .models import Checklist, ChecklistEntry, Evidence, Problem, ReadinessRun, UrlCheck
from .results import checklist_counts_refresh

logger = logging.getLogger(__name__)

URL_CHECK_BATCH = 50  # UrlCheck rows written at once while the check runs…
URL_CHECK_FLUSH_SECONDS = 1.0  # …or after this long, so that the page's progress moves

MESSAGES = {
    ProblemKind.NO_URL: gettext_lazy(
        "No link is given for this item. Give the address of the page on the main website that shows it."),
    ProblemKind.DEAD_LINK: gettext_lazy(
        "The link %(url)s does not open: %(reason)s Correct the link, or put the page back on the website."),
    ProblemKind.OFF_SITE: gettext_lazy(
        "The link %(url)s is on %(host)s, not on the main website. Publish the information on the main website "
        "and give that address."),
    ProblemKind.YEAR_MISSING: gettext_lazy(
        "The year %(year)s that this item requires is not found on its pages (%(url)s). Publish the information "
        "of the year %(year)s, or give the address of the page that shows it."),
    ProblemKind.ELEMENT_MISSING: gettext_lazy(
        "The element “%(element)s” is not ticked with its evidence. Tick it once it is on the website and give "
        "its link, file or issued document."),
    ProblemKind.DUPLICATE_URL: gettext_lazy(
        "The link %(url)s is also given for %(codes)s, which is another topic. Give the address of the page of "
        "this item."),
}
RUN_ERRORS = {"failed": gettext_lazy("The check stopped because of an error in the portal. Run it again; if it "
                                     "fails again, tell the portal's administrator.")}


def run_error_message(run: ReadinessRun) -> str:
    """The message of a failed run ("" otherwise)."""
    if run.status != RunStatus.FAILED:
        return ""
    return str(RUN_ERRORS.get(run.error, RUN_ERRORS["failed"]))


def problem_message(problem: Problem) -> str:
    """The message of ``problem`` (active language): what is wrong, with its URL and detail, and what to fix."""
    detail = problem.detail
    params = {"url": problem.url, "element": detail, "codes": detail, "year": detail, "host": detail, "reason": ""}
    if problem.kind == ProblemKind.DEAD_LINK:
        code, _space, status = detail.partition(" ")
        params["reason"] = fetch_error_message(code, status_code=int(status) if status.isdigit() else None)
    return str(MESSAGES[problem.kind]) % params


def required_year(*, period: str, fiscal_year: int) -> int | None:
    """The Buddhist-era year an item's pages must show (NACC's year clause, "เป็นการดำเนินการในปี พ.ศ. …"): the
    checklist's fiscal year for ``fy_n`` and ``quarterly``, the year before for ``fy_n_minus_1``, None for
    ``none``."""
    if period in (Period.FY_N, Period.QUARTERLY):
        return fiscal_year
    if period == Period.FY_N_MINUS_1:
        return fiscal_year - 1
    return None


def may_request(rights: Rights) -> bool:
    """Who may run the check: the organization's admins, executives and staff (and superusers); overseers and
    clerks read the report only."""
    return rights.role in (Role.ADMIN, Role.EXECUTIVE, Role.STAFF, SUPERUSER)


# --- requesting --------------------------------------------------------------------------------------------------

def readiness_unfinished(*, checklist: Checklist) -> ReadinessRun | None:
    """The checklist's run still queued or running and not stale (``OIT_READINESS_STALE_SECONDS``), or None."""
    since = timezone.now() - timedelta(seconds=settings.OIT_READINESS_STALE_SECONDS)
    return (checklist.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], requested_at__gte=since)
            .order_by("-requested_at").first())


def readiness_run_request(*, checklist: Checklist, user) -> ReadinessRun:
    """Ask the worker to check ``checklist`` for ``user`` (None: a command or a timer); returns the run (queued).
    A run of the checklist already waiting or running is returned instead of a new one. The task is enqueued when
    the current transaction commits; a failure to enqueue fails the run with a message."""
    with transaction.atomic():
        Checklist.objects.select_for_update().filter(pk=checklist.pk).first()
        waiting = readiness_unfinished(checklist=checklist)
        if waiting is not None:
            return waiting
        run = ReadinessRun(checklist=checklist, requested_by=user, requested_at=timezone.now())
        run.full_clean()
        run.save()
        transaction.on_commit(lambda: readiness_enqueue(run.pk))
    return run


def readiness_enqueue(run_id: int) -> None:
    """Hand the run to the worker; a failure to enqueue is logged and fails the run."""
    try:
        result = readiness_run_task.enqueue(run_id)
    except Exception:
        logger.exception("Could not enqueue the readiness check %s", run_id)
        ReadinessRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.FAILED, error="failed", finished_at=timezone.now())
        return
    ReadinessRun.objects.filter(pk=run_id, task_id="").update(task_id=str(result.id)[:64])


def checklists_to_check(*, due_within: int | None = None, fiscal_year: int | None = None,
                        today=None) -> QuerySet[Checklist]:
    """The checklists a scheduled check covers (``manage.py oit_readiness --due-within/--year``): those whose
    year's OIT entry window opens within ``due_within`` days from ``today`` (``ItemList.entry_opens`` between
    today and today + ``due_within``, both included; a list without the date is never due), and/or those of
    ``fiscal_year``; organization and year selected, by year then organization. Raises ``ValueError`` when
    neither is given or ``due_within`` is negative."""
    if due_within is None and fiscal_year is None:
        raise ValueError("give due_within or fiscal_year")
    checklists = Checklist.objects.select_related("organization").order_by("fiscal_year", "organization__name")
    if due_within is not None:
        if due_within < 0:
            raise ValueError("due_within must be 0 or more days")
        today = today or timezone.localdate()
        checklists = checklists.filter(item_list__entry_opens__gte=today,
                                       item_list__entry_opens__lte=today + timedelta(days=due_within))
    if fiscal_year is not None:
        checklists = checklists.filter(fiscal_year=fiscal_year)
    return checklists


@task()
def readiness_run_task(run_id: int) -> str:
    """The worker's task: run the check of the run (``readiness_check``) unless it was already started. Returns the
    run's final status."""
    claimed = ReadinessRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now())
    run = ReadinessRun.objects.select_related("checklist__organization").get(pk=run_id)
    if not claimed:
        return run.status
    return readiness_check(run).status


# --- the check ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Checked:
    """One URL's answer without its text: what the ``UrlCheck`` row and the problems need."""

    url: str
    status_code: int | None
    final_url: str
    content_type: str
    size: int | None
    error: str
    dead: bool
    years: frozenset[int] | None  # None: the text was not read
    checked_at: object


def url_check(url: str, *, client=None) -> Checked:
    """Fetch ``url`` (``oit.fetch.url_fetch``), find the years in its text and drop the text."""
    result = url_fetch(url, client=client)
    years = frozenset(years_in(result.text)) if result.text_read else None
    return Checked(url, result.status_code, result.final_url[:1000], result.content_type[:200], result.size,
                   result.error[:300], result.dead, years, timezone.now())


def _has_evidence(evidence: Evidence) -> bool:
    return bool(evidence.url or evidence.file or evidence.document_id)


def _entries(checklist: Checklist) -> list[ChecklistEntry]:
    return list(checklist.entries.select_related("item").prefetch_related(
        "item__elements", Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))))


def _urls_of(entry: ChecklistEntry) -> list[str]:
    """The entry's URL and its evidence links, each once, in that order."""
    urls = [entry.url.strip()] if entry.url.strip() else []
    for evidence in entry.evidence.all():
        if evidence.url.strip() and evidence.url.strip() not in urls:
            urls.append(evidence.url.strip())
    return urls


def readiness_check(run: ReadinessRun) -> ReadinessRun:
    """Check the run's checklist now, in this process (module docstring), and store the URL checks, the problems
    and the summary; an unexpected error fails the run (logged). Returns the run, done or failed."""
    try:
        return _check(run)
    except Exception:
        logger.exception("The readiness check %s failed", run.pk)
        ReadinessRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error="failed",
                                                      finished_at=timezone.now())
        run.refresh_from_db()
        return run


def _check(run: ReadinessRun) -> ReadinessRun:
    checklist = run.checklist
    if run.status != RunStatus.RUNNING:
        run.status, run.started_at = RunStatus.RUNNING, run.started_at or timezone.now()
        ReadinessRun.objects.filter(pk=run.pk).update(status=run.status, started_at=run.started_at)
    entries = _entries(checklist)
    urls = list(dict.fromkeys(url for entry in entries for url in _urls_of(entry)))
    run.urls_total = len(urls)
    ReadinessRun.objects.filter(pk=run.pk).update(urls_total=run.urls_total)
    checked = _fetch_all(run, urls)
    website = Organization.objects.values_list("website", flat=True).get(pk=checklist.organization_id)
    by_url = defaultdict(list)  # each entry URL (fragment dropped) → the entries giving it
    for entry in entries:
        if entry.url.strip():
            by_url[urldefrag_key(entry.url.strip())].append(entry)
    problems = [problem for entry in entries
                for problem in _entry_problems(run, entry, by_url, checked, website, checklist.fiscal_year)]
    with transaction.atomic():
        Problem.objects.filter(run=run).delete()
        Problem.objects.bulk_create(problems, batch_size=500)
        with_problems = {problem.entry_id for problem in problems}
        run.items_total = len(entries)
        run.items_ready = sum(1 for entry in entries if entry.pk not in with_problems)
        run.problem_count = len(problems)
        run.dead_link_count = sum(1 for result in checked.values() if result.dead)
        run.status, run.finished_at, run.error = RunStatus.DONE, timezone.now(), ""
        run.save(update_fields=["items_total", "items_ready", "problem_count", "dead_link_count", "status",
                                "finished_at", "error", "urls_total"])
        checklist_counts_refresh(checklists=[checklist])  # the overview's stored counts
    return run


def _fetch_all(run: ReadinessRun, urls: list[str]) -> dict[str, Checked]:
    """Fetch ``urls`` in ``settings.OIT_FETCH_WORKERS`` threads with one client; write a ``UrlCheck`` row per URL in
    batches (this thread only touches the database). Returns each URL's ``Checked``."""
    checked: dict[str, Checked] = {}
    pending: list[UrlCheck] = []
    flushed = time.monotonic()
    UrlCheck.objects.filter(run=run).delete()
    with fetch_client() as client, ThreadPoolExecutor(max_workers=settings.OIT_FETCH_WORKERS,
                                                      thread_name_prefix="oit-fetch") as pool:
        futures = [pool.submit(url_check, url, client=client) for url in urls]
        for future in as_completed(futures):
            result = future.result()
            checked[result.url] = result
            pending.append(UrlCheck(
                run=run, url=result.url[:1000], status_code=result.status_code, final_url=result.final_url,
                content_type=result.content_type, size=result.size, error=result.error,
                years_found=sorted(result.years) if result.years is not None else [],
                checked_at=result.checked_at))
            if len(pending) >= URL_CHECK_BATCH or time.monotonic() - flushed >= URL_CHECK_FLUSH_SECONDS:
                UrlCheck.objects.bulk_create(pending)
                pending, flushed = [], time.monotonic()
    UrlCheck.objects.bulk_create(pending)
    return checked


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _related(one, other) -> bool:
    """Whether two items are the same topic for the duplicate-URL rule: the same item, or one sub-area."""
    return one.pk == other.pk or bool(one.sub_area and one.sub_area == other.sub_area)


def _entry_problems(run, entry, by_url, checked, website, fiscal_year) -> list[Problem]:
    found = []

    def add(kind, detail="", url=""):
        found.append(Problem(run=run, entry=entry, kind=kind, detail=str(detail)[:500], url=url[:1000]))

    urls = _urls_of(entry)
    if not entry.url.strip():
        add(ProblemKind.NO_URL)
    for url in urls:
        result = checked.get(url)
        if result is not None and result.dead:
            add(ProblemKind.DEAD_LINK, f"{result.error or 'http_status'} {result.status_code or ''}".strip(), url)
        if website and not url_on_main_website(url=url, website=website):
            add(ProblemKind.OFF_SITE, _host_of(url), url)
    year = required_year(period=entry.item.period, fiscal_year=fiscal_year)
    readable = [checked[url] for url in urls if url in checked and checked[url].years is not None]
    if year is not None and readable and not any(year in result.years for result in readable):
        add(ProblemKind.YEAR_MISSING, year, ", ".join(result.url for result in readable)[:1000])
    evidence = {row.element_id: row for row in entry.evidence.all()}
    for element in entry.item.elements.all():
        row = evidence.get(element.pk)
        if row is None or not row.done or not _has_evidence(row):
            add(ProblemKind.ELEMENT_MISSING, element.text)
    if entry.url.strip():
        others = [other.item.code for other in by_url[urldefrag_key(entry.url.strip())]
                  if other.pk != entry.pk and not _related(entry.item, other.item)]
        if others:
            add(ProblemKind.DUPLICATE_URL, ", ".join(others), entry.url.strip())
    return found


# --- reading -----------------------------------------------------------------------------------------------------

def readiness_latest_run(*, checklist: Checklist) -> ReadinessRun | None:
    """The checklist's latest run (any status), or None."""
    return checklist.runs.order_by("-requested_at", "-pk").first()


def readiness_latest_done(*, checklist: Checklist) -> ReadinessRun | None:
    """The checklist's latest finished run (done), whose report the pages show, or None."""
    return checklist.runs.filter(status=RunStatus.DONE).order_by("-finished_at", "-pk").first()


@dataclass
class EntryReport:
    """One entry of a run's report: the entry (item selected, owners prefetched) and its problems."""

    entry: ChecklistEntry
    problems: list[Problem]


def readiness_report(*, run: ReadinessRun) -> list[EntryReport]:
    """Every entry of the run's checklist in item order with its problems of the run (entries with problems
    first keep their item order: the list is in item order, each with an empty list when it has none)."""
    problems = defaultdict(list)
    for problem in run.problems.order_by("entry__item__order", "kind", "pk"):
        problems[problem.entry_id].append(problem)
    entries = (run.checklist.entries.select_related("item").prefetch_related("owners")
               .order_by("item__order", "item__code"))
    return [EntryReport(entry, problems.get(entry.pk, [])) for entry in entries]


def readiness_progress(*, run: ReadinessRun) -> tuple[int, int]:
    """(URLs checked so far, URLs to check) of a run."""
    return run.url_checks.count(), run.urls_total


def problems_for_department(*, department: Department, fiscal_year: int) -> list[Problem]:
    """The problems the latest finished check of ``department``'s organization's checklist of ``fiscal_year``
    found on the entries ``department`` owns, in item order (``entry`` and ``entry.item`` selected; each
    problem's ``message`` says what to fix). Empty when there is no checklist or no finished check. Three queries.
    For the staff's work list (งานของส่วนราชการฉัน)."""
    checklist = Checklist.objects.filter(organization_id=department.organization_id, fiscal_year=fiscal_year).first()
    run = readiness_latest_done(checklist=checklist) if checklist else None
    if run is None:
        return []
    return list(run.problems.filter(entry__owners=department).select_related("entry__item")
                .order_by("entry__item__order", "entry__item__code", "kind", "pk").distinct())


def problems_for_user(*, user) -> list[Problem]:
    """The problems found by the latest finished check (the run ``readiness_latest_done`` would return: latest
    ``finished_at``, then id) of each checklist not yet marked ready, on the entries owned by the departments of
    ``user``'s active memberships — the same departments and checklists as ``checklists.department_entries`` —,
    whatever the entry's status (an entry marked ready with a dead link is shown too). Ordered by organization,
    year, item; ``entry__item`` and ``entry__checklist__organization`` selected; each problem's ``message`` says
    what to fix. One query. For the staff's work list (งานของส่วนราชการฉัน)."""
    if not user.is_authenticated:
        return []
    departments = (Membership.objects.active().filter(user=user, department__isnull=False)
                   .values("department_id"))
    latest = (ReadinessRun.objects.filter(checklist_id=OuterRef("run__checklist_id"), status=RunStatus.DONE)
              .order_by("-finished_at", "-pk").values("pk")[:1])
    return list(Problem.objects.filter(run__checklist__state=ChecklistState.OPEN, entry__owners__in=departments,
                                       run_id=Subquery(latest))
                .select_related("entry__item", "entry__checklist__organization")
                .order_by("entry__checklist__organization__name", "entry__checklist__fiscal_year",
                          "entry__item__order", "entry__item__code", "kind", "pk").distinct())


# --- the one-page report for the executive -----------------------------------------------------------------------

PDF_PROBLEM_LINES = 18  # problems printed on the one page; the rest are counted ("และอีก N รายการ")


def readiness_document(*, run: ReadinessRun):
    """The printable report of a finished run (รายงานความพร้อม OIT): the organization, the year, when it was
    checked, the counts (items without problems out of all, problems, dead links, links checked) and the first
    ``PDF_PROBLEM_LINES`` problems in item order (item code, what is wrong, the link or element), then "and N more".
    One A4 page: each line is cut to one printed line. Returns a ``reports.contents.Document``."""
    from reports.contents import Document, Part

    checklist = run.checklist
    organization = checklist.organization
    problems = list(run.problems.select_related("entry__item").order_by("entry__item__order", "entry__item__code",
                                                                         "kind", "pk")[:PDF_PROBLEM_LINES])
    by_kind = {kind: run.problems.filter(kind=kind).count() for kind in ProblemKind.values}
    data = {
        "organization": organization, "fiscal_year": checklist.fiscal_year, "run": run,
        "checked_at": thai_datetime(run.finished_at), "urls_checked": run.url_checks.count(),
        "kinds": [(ProblemKind(kind).label, count) for kind, count in by_kind.items() if count],
        "problems": [{"code": p.entry.item.code, "kind": p.get_kind_display(),
                      "what": _short(p.detail if p.kind == ProblemKind.ELEMENT_MISSING else p.url or p.detail)}
                     for p in problems],
        "more": max(0, run.problem_count - len(problems)),
    }
    return Document("oit_readiness", f"รายงานความพร้อม OIT ปีงบประมาณ {checklist.fiscal_year}",
                    f"oit-readiness-{organization.slug}-{checklist.fiscal_year}", organization,
                    [Part("oit/readiness/pdf_report.html", data)])


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def readiness_pdf_document(*, run: ReadinessRun):
    """The report of ``readiness_document`` printed as a PDF (archival PDF/A-3a, ``reports.documents``); returns a
    ``reports.documents.RenderedDocument``."""
    from django.utils import translation

    from reports.documents import render_document

    with translation.override("th"):
        return render_document(readiness_document(run=run))
