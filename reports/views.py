from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from measures.choices import Round
from measures.selectors import plan_for_organization
from organizations.permissions import rights_of
from organizations.views import organization_for_request

from .contents import DocumentUnavailable, Kind, available_documents, build_document
from .documents import document_html, render_document
from .forms import MemoCommentFormSet, MemoForm
from .selectors import plan_cover_memo, report_memo
from .services import memo_save


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
               "can_write_memo": rights.can_write_memo}
    return render(request, "reports/document_list.html", context)


def document_preview(request: HttpRequest, slug: str, fiscal_year: int, kind: str) -> HttpResponse:
    """The document as HTML, the same page that is printed, with a toolbar (PDF download, back)."""
    plan = _plan(request, slug, fiscal_year)
    document = _document(request, plan, kind)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    pdf_url = reverse("reports:document_pdf", args=[slug, fiscal_year, kind]) + query
    back_url = reverse("reports:document_list", args=[slug, fiscal_year])
    return HttpResponse(document_html(document, preview=True, pdf_url=pdf_url, back_url=back_url))


def document_pdf(request: HttpRequest, slug: str, fiscal_year: int, kind: str) -> HttpResponse:
    """Download the document as PDF (A4, official layout): archival, tagged PDF/A-3a with an exact Thai text
    layer (``reports.documents.render_document``)."""
    plan = _plan(request, slug, fiscal_year)
    rendered = render_document(_document(request, plan, kind))
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def plan_memo_edit(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """Write or correct the cover memo of a plan (or, with ``?round=``, the memo of its report of that round) and
    its comment chain; without a stored memo the form starts from the draft generated from the data.
    Organization admins and clerks."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_write_memo:
        raise PermissionDenied
    plan = get_object_or_404(plan_for_organization(organization=organization, fiscal_year=fiscal_year))
    round = request.GET.get("round") or None
    if round is None:
        memo = plan_cover_memo(plan=plan)
    elif round in Round.values:
        memo = report_memo(report=get_object_or_404(plan.progress_reports, round=round))
    else:
        raise Http404
    post = request.POST or None
    form = MemoForm(post, instance=memo, plan=plan)
    comments = MemoCommentFormSet(post, instance=memo if memo.pk else None, prefix="comments",
                                  form_kwargs={"organization": organization})
    if post is not None and form.is_valid() and comments.is_valid():
        try:
            memo_save(memo_form=form, comments_formset=comments)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The memo was saved."))
            return redirect("measures:plan_detail", organization.slug, plan.fiscal_year)
    context = {"organization": organization, "plan": plan, "memo": memo, "form": form, "comments": comments}
    return render(request, "reports/memo_form.html", context)
