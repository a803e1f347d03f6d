"""Large documents render in the background worker (issue 12 §4; docs/operations/background-work.md).

The size of a document is the number of characters of text it prints (``document_characters``: the HTML's
text, tags removed, entities read, each run of white space one character). Measured on this machine, a page
holds about 1,550 characters and WeasyPrint lays out 0.12–0.28 s a page; the largest seed document has 19,186
characters (10 pages, 1–2 s). A document over ``settings.RENDER_INLINE_MAX_CHARS`` (30,000, ≈ 20 pages) is not
rendered in the request: ``render_job_request`` stores a ``RenderJob`` and enqueues ``render_job_run`` on
Django's tasks framework (``settings.TASKS``: django-tasks-db's database backend, run by ``manage.py
db_worker``); the job's page shows its progress and then the download.

Every background render is capped (``render_pdf_limited``): it runs in a forked child process that is killed after
``settings.RENDER_TIMEOUT_SECONDS``, and a document laid out on more than ``settings.RENDER_MAX_PAGES`` pages is
refused before its PDF is written. Either ends the job with a Thai message.
"""
import html
import logging
import multiprocessing
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.tasks import task
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.models import MeasurePlan

from .choices import RenderStatus
from .contents import DocumentUnavailable, build_document
from .documents import document_html, render_html_to_pdf
from .models import RenderJob

logger = logging.getLogger(__name__)

# Measured on the seeds and the bench's large annual report (docs/operations/background-work.md).
CHARACTERS_PER_PAGE = 1550
SECONDS_PER_PAGE = 0.2  # WeasyPrint, 2 shared cores: 0.12–0.28 s a page; only for the progress estimate

ERRORS = {
    "pages": gettext_lazy("The document has %(pages)s pages; a document may have at most %(limit)s pages. "
                          "Print it in parts (e.g. the report without the memo) or shorten its texts."),
    "timeout": gettext_lazy("Rendering took longer than %(limit)s seconds and was stopped. Shorten the texts of "
                            "the document or print it in parts."),
    "unavailable": gettext_lazy("The data of this document is no longer there (the plan or its report changed)."),
    "failed": gettext_lazy("The document could not be rendered because of an error in the portal. "
                           "Try again; if it fails again, tell the portal's administrator."),
}


class RenderRefused(Exception):
    """A background render stopped by a limit: ``code`` is a key of ``ERRORS``; ``pages`` the pages laid out."""

    def __init__(self, code: str, pages: int | None = None):
        super().__init__(code)
        self.code, self.pages = code, pages


def document_characters(document_html_text: str) -> int:
    """The size of a document: characters of text in its HTML (tags removed, entities read, every run of
    white space counted as one). About 1,550 print on an A4 page."""
    return len(" ".join(html.unescape(strip_tags(document_html_text)).split()))


def needs_worker(characters: int) -> bool:
    """True when a document of ``characters`` is too large to render in the web request."""
    return characters > settings.RENDER_INLINE_MAX_CHARS


def estimated_pages(characters: int) -> int:
    """Pages a document of ``characters`` is expected to print on (at least 1)."""
    return max(1, round(characters / CHARACTERS_PER_PAGE))


# --- the render, capped -------------------------------------------------------------------------------------------

class _TooManyPages(Exception):
    def __init__(self, pages: int):
        super().__init__(pages)
        self.pages = pages


def _child(connection, document_html_text: str, max_pages: int) -> None:
    """In the forked child: lay the document out; refuse it past ``max_pages`` (before writing the PDF), else
    render it. Sends ``("ok", pdf bytes, pages)``, ``("pages", pages)`` or ``("error", text)``."""
    from weasyprint import HTML

    laid_out: list[int] = []
    render = HTML.render

    def render_capped(self, *args, **kwargs):
        document = render(self, *args, **kwargs)
        laid_out.append(len(document.pages))
        if len(document.pages) > max_pages:
            raise _TooManyPages(len(document.pages))
        return document

    HTML.render = render_capped  # this process only: it ends after this render
    try:
        pdf = render_html_to_pdf(document_html_text, archival=True)  # as the direct downloads: PDF/A-3a
    except _TooManyPages as refused:
        connection.send(("pages", refused.pages))
    except BaseException as error:  # reported to the parent, which records the failure
        connection.send(("error", f"{type(error).__name__}: {error}"))
    else:
        connection.send(("ok", pdf, laid_out[-1] if laid_out else 0))
    finally:
        connection.close()


def render_pdf_limited(document_html_text: str, *, max_pages: int, timeout: float,
                       on_wait: Callable[[float], None] | None = None) -> tuple[bytes, int]:
    """Render ``document_html_text`` to PDF in a forked child process. Returns ``(pdf bytes, pages)``.
    Raises ``RenderRefused("pages", n)`` when the layout has more than ``max_pages`` pages (the PDF is not
    written), ``RenderRefused("timeout")`` when the child runs longer than ``timeout`` seconds (it is killed),
    RuntimeError when the render failed. ``on_wait(elapsed seconds)`` is called about once a second meanwhile."""
    context = multiprocessing.get_context("fork")  # the child inherits the parsed fonts and CSS
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, document_html_text, max_pages), daemon=True)
    started = time.monotonic()
    child.start()
    sender.close()
    try:
        while not receiver.poll(1.0):
            elapsed = time.monotonic() - started
            if elapsed > timeout:
                child.kill()
                raise RenderRefused("timeout")
            if on_wait is not None:
                on_wait(elapsed)
        try:
            message = receiver.recv()
        except EOFError:  # the child died without a word (killed by the system, out of memory…)
            raise RuntimeError("the render process ended without a result") from None
    finally:
        receiver.close()
        child.join(5)
        if child.is_alive():
            child.kill()
    if message[0] == "pages":
        raise RenderRefused("pages", message[1])
    if message[0] == "error":
        raise RuntimeError(message[1])
    return message[1], message[2]


# --- jobs ---------------------------------------------------------------------------------------------------------

def _update(job: RenderJob, **fields) -> None:
    """Write ``fields`` to the job's row at once (the page reading it is another process)."""
    for name, value in fields.items():
        setattr(job, name, value)
    RenderJob.objects.filter(pk=job.pk).update(**fields)


@task()
def render_job_run(job_id: int) -> str:
    """The worker's task: render the job's document under the limits and store the PDF (``status`` done) or the
    reason (``status`` failed, ``error`` a key of ``ERRORS``). Progress: 5 % started, 20 % content read,
    20–95 % while laying out (estimated from the characters), 100 % stored. Returns the final status."""
    job = RenderJob.objects.select_related("plan__organization").get(pk=job_id)
    if job.is_finished:
        return job.status
    _update(job, status=RenderStatus.RUNNING, progress=5, started_at=timezone.now())
    try:
        document = build_document(job.plan, job.kind, round=job.round or None, attach=job.attach or None)
        text = document_html(document)
        _update(job, progress=20, characters=document_characters(text))
        expected = estimated_pages(job.characters) * SECONDS_PER_PAGE

        def on_wait(elapsed: float) -> None:
            _update(job, progress=min(95, 20 + int(75 * elapsed / max(expected, 1))))

        pdf, pages = render_pdf_limited(text, max_pages=settings.RENDER_MAX_PAGES,
                                        timeout=settings.RENDER_TIMEOUT_SECONDS, on_wait=on_wait)
    except RenderRefused as refused:
        _update(job, status=RenderStatus.FAILED, error=refused.code, pages=refused.pages, finished_at=timezone.now())
    except (DocumentUnavailable, ValueError):
        _update(job, status=RenderStatus.FAILED, error="unavailable", finished_at=timezone.now())
    except Exception:
        logger.exception("Background render %s failed", job.pk)
        _update(job, status=RenderStatus.FAILED, error="failed", finished_at=timezone.now())
    else:
        _update(job, status=RenderStatus.DONE, progress=100, content=pdf, pages=pages,
                filename=f"{document.stem}.pdf", finished_at=timezone.now())
    return job.status


def render_job_request(*, plan: MeasurePlan, kind: str, round: str | None, attach: str | None, title: str,
                       characters: int, user) -> RenderJob:
    """Ask the worker to render the document (``kind``, ``round``, ``attach``) of ``plan`` for ``user``; returns
    the job. The same document already waiting or rendering for the same user is that job, not a new one.
    Raises ValidationError (Thai) when the user already has ``settings.RENDER_JOBS_PER_USER`` unfinished jobs."""
    unfinished = RenderJob.objects.filter(requested_by=user, status__in=[RenderStatus.QUEUED, RenderStatus.RUNNING])
    same = unfinished.filter(plan=plan, kind=kind, round=round or "", attach=attach or "").first()
    if same is not None:
        return same
    if unfinished.count() >= settings.RENDER_JOBS_PER_USER:
        raise ValidationError(
            _("You already have %(count)s documents being prepared; wait until one is ready."),
            code="too_many_jobs", params={"count": settings.RENDER_JOBS_PER_USER})
    job = RenderJob.objects.create(organization=plan.organization, plan=plan, kind=kind, round=round or "",
                                   attach=attach or "", title=title[:500], characters=characters, requested_by=user)
    try:
        result = render_job_run.enqueue(job.pk)
    except Exception:
        logger.exception("Could not enqueue background render %s", job.pk)
        _update(job, status=RenderStatus.FAILED, error="failed", finished_at=timezone.now())
        return job
    RenderJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def render_job_error(job: RenderJob) -> str:
    """The Thai (or English) message for a failed job ("" otherwise), with its figures."""
    if job.status != RenderStatus.FAILED:
        return ""
    message = ERRORS.get(job.error, ERRORS["failed"])
    return str(message) % {"pages": job.pages or 0, "limit": settings.RENDER_MAX_PAGES if job.error == "pages"
                           else settings.RENDER_TIMEOUT_SECONDS}


def render_jobs_waiting_before(job: RenderJob) -> int:
    """How many jobs of any organization wait in the queue before ``job`` (0 once it runs)."""
    if job.status != RenderStatus.QUEUED:
        return 0
    return RenderJob.objects.filter(status=RenderStatus.QUEUED, pk__lt=job.pk).count()

