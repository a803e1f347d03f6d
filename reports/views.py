from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from measures.selectors import plan_for_organization
from organizations.permissions import rights_of
from organizations.views import organization_for_request

from .documents import memo_html, render_memo
from .forms import MemoCommentFormSet, MemoForm
from .selectors import plan_cover_memo
from .services import memo_save


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


def plan_memo_edit(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """Write or correct the cover memo of a plan (or of one of its reports) and its comment chain; a plan without
    a stored memo starts from the draft generated from its data. Organization admins and clerks."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_write_memo:
        raise PermissionDenied
    plan = get_object_or_404(plan_for_organization(organization=organization, fiscal_year=fiscal_year))
    memo = plan_cover_memo(plan=plan)
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
