from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from measures.selectors import plan_for_organization
from organizations.views import organization_for_request

from .documents import memo_html, render_memo
from .selectors import plan_cover_memo


def _plan_memo(request: HttpRequest, slug: str, fiscal_year: int):
    organization = organization_for_request(request, slug)
    plan = get_object_or_404(plan_for_organization(organization=organization, fiscal_year=fiscal_year))
    return plan_cover_memo(plan=plan)


def plan_memo_pdf(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """Download the cover memo of a plan as PDF."""
    document = render_memo(_plan_memo(request, slug, fiscal_year))
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


def plan_memo_preview(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The same memo as HTML: searchable and copyable (the PDF text layer garbles Thai, §5.4)."""
    return HttpResponse(memo_html(_plan_memo(request, slug, fiscal_year)))
