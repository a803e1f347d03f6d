"""Pages of memos: the form of a plan's or report's cover memo, and the memo route (issue 11): the organization's
route, a memo's page with its trail and decisions, the inbox, the issued PDFs, the outgoing register and the
clerk's page.

Reading: members of the organization and its overseers (others 404). Acting: the table of ``memos.workflow``
(the drafting side sends, the person whose turn it is decides, an executive reopens); the services check it again
under the memo's row lock, so a forged or stale POST changes nothing.
"""
from collections.abc import Callable

from auditlog.signals import accessed
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csp import get_nonce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import ExportMixin
from core.forms import forms_in_chosen_order
from measures.choices import Round
from measures.selectors import plan_for_organization
from organizations.permissions import rights_of
from organizations.views import organization_for_request
from reports.documents import document_html, render_document

from . import workflow
from .choices import MemoAction
from .documents import attachment_kind, memo_only_document
from .filtersets import RegisterFilterSet
from .forms import DecisionForm, MemoCommentFormSet, MemoForm, ReasonForm, RoutingStepFormSet
from .issuing import memo_issue_retry
from .models import IssuedDocument, Memo, MemoComment
from .selectors import (
    approved_memos_for,
    inbox_for,
    issued_versions,
    latest_issue,
    memo_for_organization,
    memo_trail,
    plan_cover_memo,
    register_for,
    report_memo,
)
from .services import StepInput, memo_decide, memo_reopen, memo_save, memo_send, routing_steps_set
from .tables import RegisterTable, attachment_label


def _memo(request: HttpRequest, slug: str, pk: int) -> tuple:
    organization = organization_for_request(request, slug)
    return organization, get_object_or_404(memo_for_organization(organization=organization, pk=pk))


def routing_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's route for memos, in order (organization admins)."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise PermissionDenied
    initial = [{"title": s.title, "official": s.official, "user": s.user}
               for s in organization.routing_steps.select_related("official", "user")]
    formset = RoutingStepFormSet(request.POST or None, initial=initial, prefix="steps",
                                 form_kwargs={"organization": organization})
    if request.method == "POST" and formset.is_valid():
        steps = [StepInput(f.cleaned_data["title"], f.cleaned_data["official"], f.cleaned_data["user"])
                 for f in forms_in_chosen_order(formset) if f.cleaned_data.get("title")]
        try:
            routing_steps_set(organization=organization, steps=steps)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The route of the memos was saved."))
            return redirect("memos:routing_edit", organization.slug)
    return render(request, "memos/routing_form.html", {"organization": organization, "formset": formset})


def memo_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A memo: what it carries, where it is on its route, the trail of every transition, the issued versions, and
    the form of whatever the user may do now. The person whose turn it is sees the memo as it will print (the
    HTML preview, its PDF and its attachment) beside the decision form, with no decision chosen for them."""
    organization, memo = _memo(request, slug, pk)
    return _detail_page(request, organization, memo)


def _attachment_links(organization, memo: Memo) -> dict:
    """The preview and PDF URLs of the document the memo carries (``attachment_kind``); {} when none."""
    kind, round = attachment_kind(memo)
    plan = memo.plan or (memo.progress_report.plan if memo.progress_report_id else None)
    if kind is None or plan is None:
        return {}
    query = f"?round={round}" if round else ""
    args = [organization.slug, plan.fiscal_year, kind]
    return {"preview": reverse("reports:document_preview", args=args) + query,
            "pdf": reverse("reports:document_pdf", args=args) + query}


def _detail_page(request: HttpRequest, organization, memo: Memo, decide_form: DecisionForm | None = None,
                 ) -> HttpResponse:
    """The memo's page; ``decide_form`` is a refused decision, shown with its messages beside its fields."""
    rights = rights_of(user=request.user, organization=organization)
    open_actions = workflow.actions_for(memo=memo, user=request.user, rights=rights)
    decisions = [action for action in workflow.DECISIONS if action in open_actions]
    if decisions and decide_form is None:
        decide_form = DecisionForm(initial={"version": memo.version}, actions=decisions)
    reason_form = ReasonForm(initial={"version": memo.version})
    issue = latest_issue(memo=memo)
    context = {
        "organization": organization, "memo": memo, "trail": memo_trail(memo=memo),
        "issued": issued_versions(memo=memo), "attachment": attachment_label(memo),
        "route": memo.route or [{"title": s.title, "official": s.official, "user": s.user}
                                for s in organization.routing_steps.select_related("official", "user")],
        "decide_form": decide_form, "reason_form": reason_form,
        "can_send": MemoAction.SEND in open_actions,
        "can_reopen": MemoAction.REOPEN in open_actions,
        "can_edit": workflow.editable_by(memo=memo, rights=rights),
        "plan": memo.plan or (memo.progress_report.plan if memo.progress_report_id else None),
        "issue": issue, "can_retry_issue": rights.can_manage and issue is not None and issue.can_retry,
        "max_attempts": settings.MEMO_ISSUE_ATTEMPTS,
        "attachment_links": _attachment_links(organization, memo) if decide_form else {},
    }
    return render(request, "memos/memo_detail.html", context)


# Framed by the memo's own page: same origin only, in both headers (browsers obey the Content-Security-Policy's
# frame-ancestors before X-Frame-Options; the project's policy says 'none').
@xframe_options_sameorigin
@csp_override({**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]})
def memo_preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The memo alone as it will print (``documents.memo_only_document``), as HTML with a toolbar (PDF, back);
    framed by the memo's own page (same origin only)."""
    organization, memo = _memo(request, slug, pk)
    nonce = get_nonce(request)
    return HttpResponse(document_html(
        memo_only_document(memo), preview=True, csp_nonce="" if nonce is None else str(nonce),
        pdf_url=reverse("memos:memo_pdf", args=[slug, pk]), back_url=reverse("memos:memo_detail", args=[slug, pk])))


def memo_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The memo alone as a PDF, as it stands now (not the issued file: that is ``memo_issued_pdf``)."""
    organization, memo = _memo(request, slug, pk)
    rendered = render_document(memo_only_document(memo))
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def memo_issue_retry_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An organization admin starts the failed (or stale) issue of the memo's latest approval again (POST). Anyone
    else, and a memo with nothing to retry, gets 404."""
    organization, memo = _memo(request, slug, pk)
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise Http404
    issue = latest_issue(memo=memo)
    if issue is None or not issue.can_retry:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return _carried_out(request, slug, memo, lambda: memo_issue_retry(issue=issue),
                        _("Issuing the document was started again."))


def _post_transition(request: HttpRequest, slug: str, pk: int, actor: str, act) -> HttpResponse:
    """Run ``act(memo, actions)`` for a POST, with the actions open to the user now (``workflow.actions_for``); a
    refusal of the service comes back as a Thai message on the memo's page. A user who does not act as ``actor``
    (``workflow.actors_for``) gets 403 before the form is read; the service checks everything again under the
    memo's row lock."""
    organization, memo = _memo(request, slug, pk)
    rights = rights_of(user=request.user, organization=organization)
    if actor not in workflow.actors_for(memo=memo, user=request.user, rights=rights):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return act(memo, workflow.actions_for(memo=memo, user=request.user, rights=rights))


def _refused(request: HttpRequest, form, slug: str, memo: Memo, fallback: str = "") -> HttpResponse:
    """Back to the memo with the refused form's own message: a damaged hidden version (``STALE_FORM``, shown by
    ``HiddenErrorsMixin``), else ``fallback``, else the fields' messages."""
    text = " ".join(form.non_field_errors()) or str(fallback) or " ".join(
        message for errors in form.errors.values() for message in errors)
    messages.error(request, text)
    return redirect("memos:memo_detail", slug, memo.pk)


def _carried_out(request: HttpRequest, slug: str, memo: Memo, transition: Callable[[], object],
                 done: str) -> HttpResponse:
    """Run the service call ``transition()``; back to the memo with ``done`` as a success message, or with the
    service's ``ValidationError`` messages (a stale version, a state that changed meanwhile) as an error."""
    try:
        transition()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("memos:memo_detail", slug, memo.pk)


def memo_send_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The drafting side sends the memo along the route (POST)."""
    def act(memo: Memo, _actions: set[str]) -> HttpResponse:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return _refused(request, form, slug, memo)
        return _carried_out(request, slug, memo, lambda: memo_send(
            memo=memo, user=request.user, comment=form.cleaned_data["comment"], version=form.cleaned_data["version"]),
            _("The memo was sent for consideration."))
    return _post_transition(request, slug, pk, workflow.TRANSITIONS[MemoAction.SEND].actor, act)


def memo_decide_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The person whose turn it is decides (POST): forward, approve, not approve, return for changes."""
    def act(memo: Memo, open_actions: set[str]) -> HttpResponse:
        actions = [action for action in workflow.DECISIONS if action in open_actions]
        form = DecisionForm(request.POST, actions=actions)
        if not form.is_valid():
            if form.non_field_errors():
                return _refused(request, form, slug, memo, _("Choose a decision."))
            return _detail_page(request, memo.organization, memo, decide_form=form)
        action = form.cleaned_data["action"]
        return _carried_out(request, slug, memo, lambda: memo_decide(
            memo=memo, user=request.user, action=action, comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"]), DONE[action])
    return _post_transition(request, slug, pk, workflow.CURRENT, act)


DONE = {
    MemoAction.FORWARD: _("The memo was forwarded to the next step."),
    MemoAction.APPROVE: _("The memo was approved and issued."),
    MemoAction.REJECT: _("The memo was not approved."),
    MemoAction.RETURN: _("The memo was returned for changes."),
}


def memo_reopen_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An executive reopens an approved or rejected memo (POST), with a reason."""
    def act(memo: Memo, _actions: set[str]) -> HttpResponse:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return _refused(request, form, slug, memo)
        return _carried_out(request, slug, memo, lambda: memo_reopen(
            memo=memo, user=request.user, reason=form.cleaned_data["comment"], version=form.cleaned_data["version"]),
            _("The memo was reopened; what was issued stays downloadable."))
    return _post_transition(request, slug, pk, workflow.TRANSITIONS[MemoAction.REOPEN].actor, act)


def _pdf_response(issued: IssuedDocument) -> HttpResponse:
    """The stored bytes, as issued; the download is recorded in the audit log (auditlog's ``accessed``)."""
    accessed.send(sender=IssuedDocument, instance=issued)
    response = HttpResponse(bytes(issued.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{issued.filename}"'
    response["X-Content-SHA256"] = issued.sha256
    return response


def memo_issued_pdf(request: HttpRequest, slug: str, pk: int, version: int) -> HttpResponse:
    """The stored bytes of one issued version, as they were issued."""
    _organization, memo = _memo(request, slug, pk)
    return _pdf_response(get_object_or_404(memo.issued, version=version))


def memo_issued_latest(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The stored bytes of the memo's latest issued version; 404 when it was never issued."""
    _organization, memo = _memo(request, slug, pk)
    issued = memo.issued.order_by("-version").first()
    if issued is None:
        raise Http404
    return _pdf_response(issued)


def inbox(request: HttpRequest) -> HttpResponse:
    """หนังสือรอพิจารณา: the memos waiting for the user's decision, and those returned to them for changes."""
    return render(request, "memos/inbox.html", {"memos": inbox_for(user=request.user)})


def issued_documents(request: HttpRequest, slug: str) -> HttpResponse:
    """The clerk's page: approved memos with what they carry and every issued PDF, and the way to the register."""
    organization = organization_for_request(request, slug)
    return render(request, "memos/issued_documents.html",
                  {"organization": organization, "memos": approved_memos_for(organization=organization)})


class RegisterView(ExportMixin, SingleTableMixin, FilterView):
    """The outgoing register of one organization, filtered, sorted, paged 50 a page, and exported
    (``?_export=csv|xlsx``: every row of the filter, the same columns as plain text)."""

    table_class = RegisterTable
    filterset_class = RegisterFilterSet
    template_name = "memos/register.html"
    table_pagination = {"per_page": 50}

    def dispatch(self, request, *args, **kwargs):
        self.organization = organization_for_request(request, kwargs["slug"])  # 404 before anything else
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return register_for(organization=self.organization)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"organization": self.organization}

    def export_filename(self, export: str) -> str:
        return f"register-{self.organization.slug}.{export}"


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
    # Only blocks typed on the form are edited here: the decisions taken on the route are their authors' own.
    comments = MemoCommentFormSet(post, instance=memo if memo.pk else None, prefix="comments",
                                  queryset=MemoComment.objects.filter(transition__isnull=True),
                                  form_kwargs={"organization": organization})
    if post is not None and form.is_valid() and comments.is_valid():
        try:
            # No version on the page: it was opened as a draft before anyone stored the memo (0 never matches).
            seen = form.cleaned_data.get("seen_version")
            memo_save(memo=memo, data=form.memo_data(), comments=comments.comment_inputs(),
                      version=0 if seen is None else seen,
                      take_register_number=form.cleaned_data.get("take_register_number", False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The memo was saved."))
            return redirect("measures:plan_detail", organization.slug, plan.fiscal_year)
    context = {"organization": organization, "plan": plan, "memo": memo, "form": form, "comments": comments}
    return render(request, "memos/memo_form.html", context)
