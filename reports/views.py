from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from measures.choices import Round
from measures.selectors import plan_for_organization
from organizations.permissions import rights_of
from organizations.views import organization_for_request

from . import signing
from .choices import RenderStatus
from .contents import DocumentUnavailable, Kind, available_documents, build_document
from .documents import document_html, render_document
from .forms import VerifyPdfForm
from .models import RenderJob
from .rendering import (
    document_characters,
    estimated_pages,
    needs_worker,
    render_job_error,
    render_job_request,
    render_jobs_waiting_before,
)


def _plan(request: HttpRequest, slug: str, fiscal_year: int):
    organization = organization_for_request(request, slug)
    return get_object_or_404(plan_for_organization(organization=organization, fiscal_year=fiscal_year))


def _document(request: HttpRequest, plan, kind: str):
    """The document asked for by the URL (kind) and the query (``round``, ``attach``); 404 when the kind, the
    round or the attachment is unknown or the year lacks its data."""
    round, attach = request.GET.get("round") or None, request.GET.get("attach") or None
    if kind not in Kind.values or round not in (None, *Round.values) or attach not in (None, *Kind.values):
        raise Http404
    try:
        return build_document(plan, kind, round=round, attach=attach)
    except (DocumentUnavailable, ValueError) as error:
        raise Http404(str(error)) from error


def document_list(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The documents of a plan's year that can be printed: each with its HTML preview and its PDF."""
    plan = _plan(request, slug, fiscal_year)
    rights = rights_of(user=request.user, organization=plan.organization)
    context = {"organization": plan.organization, "plan": plan, "documents": available_documents(plan),
               "can_write_memo": rights.can_write_memo,
               "signing_available": signing.signing_available(organization=plan.organization)}
    return render(request, "reports/document_list.html", context)


def _nonce(request: HttpRequest) -> str:
    """The request's Content-Security-Policy nonce ("" outside the CSP middleware)."""
    nonce = get_nonce(request)
    return "" if nonce is None else str(nonce)


def document_preview(request: HttpRequest, slug: str, fiscal_year: int, kind: str) -> HttpResponse:
    """The document as HTML, the same page that is printed, with a toolbar (PDF download, back)."""
    plan = _plan(request, slug, fiscal_year)
    document = _document(request, plan, kind)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    pdf_url = reverse("reports:document_pdf", args=[slug, fiscal_year, kind]) + query
    back_url = reverse("reports:document_list", args=[slug, fiscal_year])
    return HttpResponse(document_html(document, preview=True, pdf_url=pdf_url, back_url=back_url,
                                      csp_nonce=_nonce(request)))


def document_pdf(request: HttpRequest, slug: str, fiscal_year: int, kind: str) -> HttpResponse:
    """Download the document as PDF (A4, official layout): archival, tagged PDF/A-3a with an exact Thai text
    layer (``reports.documents.render_document``). A document over the inline size (``rendering.needs_worker``)
    is not rendered here: the user is sent to the page that prepares it in the background worker."""
    plan = _plan(request, slug, fiscal_year)
    document = _document(request, plan, kind)
    if needs_worker(document_characters(document_html(document))):
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("reports:render_job_create", args=[slug, fiscal_year, kind]) + query)
    rendered = render_document(document)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def render_job_create(request: HttpRequest, slug: str, fiscal_year: int, kind: str) -> HttpResponse:
    """GET: say that the document is large and will be prepared in the background, with its size; POST: enqueue
    the render (``rendering.render_job_request``) and go to the job's page. Whoever may read the document may
    have it prepared (it changes nothing of the organization's data)."""
    plan = _plan(request, slug, fiscal_year)
    document = _document(request, plan, kind)
    characters = document_characters(document_html(document))
    if request.method == "POST":
        try:
            job = render_job_request(plan=plan, kind=kind, round=request.GET.get("round") or None,
                                     attach=request.GET.get("attach") or None, title=document.title,
                                     characters=characters, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            return redirect("reports:render_job_detail", slug, job.pk)
    context = {"organization": plan.organization, "plan": plan, "document": document, "characters": characters,
               "pages": estimated_pages(characters), "large": needs_worker(characters),
               "inline_limit": settings.RENDER_INLINE_MAX_CHARS}
    return render(request, "reports/render_job_create.html", context)


def _render_job(request: HttpRequest, slug: str, pk: int) -> RenderJob:
    organization = organization_for_request(request, slug)
    return get_object_or_404(RenderJob.objects.select_related("plan", "organization").defer("content"),
                             organization=organization, pk=pk)


def render_job_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A background render's progress (the page reloads itself every 2 s until it is finished, through
    ``static/js/refresh.js``), then its download or the Thai reason it failed."""
    job = _render_job(request, slug, pk)
    context = {"organization": job.organization, "plan": job.plan, "job": job, "error": render_job_error(job),
               "waiting": render_jobs_waiting_before(job)}
    return render(request, "reports/render_job.html", context)


def render_job_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The PDF a background render stored; 404 until it is ready."""
    job = _render_job(request, slug, pk)
    if job.status != RenderStatus.DONE:
        raise Http404
    content = RenderJob.objects.values_list("content", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


def verify_pdf(request: HttpRequest) -> HttpResponse:
    """Upload a PDF and read whether we issued it (its SHA-256 in the register), whether it is signed, intact and
    trusted, who signed it and when (``signing.verify_pdf``); any logged-in user. Nothing is stored."""
    form = VerifyPdfForm(request.POST or None, request.FILES or None)
    report = filename = None
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["pdf"]
        filename = upload.name
        result = signing.verify_pdf(upload.read())
        report = signing.verification_report(result)
    context = {"form": form, "result": result, "report": report, "filename": filename,
               "headline": signing.verification_headline(result) if result else "",
               "signing_available": signing.signing_available(),
               "signing_demo": signing.signing_with_demo_certificate()}
    return render(request, "reports/verify.html", context)
