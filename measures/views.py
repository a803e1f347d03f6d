"""Pages of plans, measures and progress reports. Reading: members of the organization (others 404). Writing:
the role matrix of ``organizations.permissions``, applied through ``selectors.measures_editable_by``."""
import copy
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.paginators import LazyPaginator

from assessments.models import Assessment
from core.exports import EXPORT_PARAM, ExportMixin
from core.thai import fiscal_year_bounds, to_arabic_digits
from core.uploads import EVIDENCE_TYPES
from organizations.permissions import Rights, rights_of
from organizations.selectors import oversight_of
from organizations.views import organization_for_request

from .choices import Round, round_period
from .filtersets import MeasureFilterSet
from .forms import (
    MeasureForm,
    OwnDepartmentConfirmForm,
    PlanEditForm,
    PlanForm,
    ProgressEntryForm,
    ProgressReportForm,
    ProposedMeasureFormSet,
    StepFormSet,
    steps_from,
)
from .history import measure_history
from .models import MeasurePlan, ProgressEntry, ProgressReport
from .selectors import (
    deleted_measures_for_plan,
    department_work,
    indicator_queryset_for,
    measure_list_count,
    measure_rows,
    measures_editable_by,
    measures_for_user,
    memberships_of,
    plan_for_organization,
    plan_page,
    plan_page_fingerprint,
)
from .services import (
    EntryInput,
    LockedError,
    OwnDepartmentRemovalError,
    approval_reopen,
    approval_set,
    measure_delete,
    measure_number_next,
    measure_restore,
    measure_save,
    plan_create,
    plan_update,
    progress_entries_save,
    progress_report_save,
    proposed_measures,
    refuse_if_approved,
)
from .tables import MeasureTable


def _plan(request: HttpRequest, slug: str, fiscal_year: int) -> tuple:
    """(organization, plan) for a member of the organization; Http404 otherwise."""
    organization = organization_for_request(request, slug)
    plan = get_object_or_404(plan_for_organization(organization=organization, fiscal_year=fiscal_year))
    return organization, plan


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def plan_detail(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The plan of ``fiscal_year``: its approval, its measures with steps, owners and findings, its progress reports
    and memos. Members and overseers of the organization (others 404).

    The measures and reports (``measures/inc/plan_body.html``) are cached under the fingerprint of every row they
    read (``selectors.plan_page_fingerprint``: one query), the day (overdue), the language and the reader's right to
    edit (role, department), as the dashboard is: a hit builds nothing, and any write to those rows, however made,
    shows on the next request. The approval block's form (it carries the CSRF token) is not cached; its record of
    approvals is, as are the memos."""
    organization, plan = _plan(request, slug, fiscal_year)
    rights = rights_of(user=request.user, organization=organization)
    body = _plan_body(request=request, organization=organization, plan=plan, rights=rights)
    context = {
        "organization": organization,
        "plan": plan,
        "body": body.html,
        "approval_events": body.approval_events,
        "can_manage": rights.can_manage,
        "can_add_measure": rights.can_add_measure,
        "can_start_report": rights.can_start_report,
        "can_approve": rights.can_approve,
        "can_write_memo": rights.can_write_memo,
        "deleted_count": body.deleted_count if rights.can_manage else 0,
        "rounds": [r for r in Round if r not in body.rounds_started],
    }
    return render(request, "measures/plan_detail.html", context)


PLAN_CACHE_SECONDS = 3600  # an entry is also keyed by the day, so it never outlives its date


@dataclass(frozen=True)
class PlanBody:
    """The cached part of the plan page: its ``html``, and the facts the page's buttons need from the same rows
    (the rounds whose report is started, the number of deleted measures)."""

    html: SafeString
    approval_events: SafeString  # the plan's approval record (measures/inc/approval_events.html)
    rounds_started: frozenset[str]
    deleted_count: int


def _plan_body(*, request: HttpRequest, organization, plan: MeasurePlan, rights: Rights) -> PlanBody:
    """The plan page's body (measures, reports, memos) and approval record from the cache, or built
    (``selectors.plan_page``; the memos by ``{% plan_memos %}``) and cached. What the reader may edit is in the key:
    every measure for admins, their department's for staff (``Rights.can_edit_measure``)."""
    today = timezone.localdate()
    key = (f"plan-page:{plan.pk}:{today.isoformat()}:{get_language()}:{rights.role}:{rights.department_id}:"
           f"{plan_page_fingerprint(plan=plan)}")
    body = cache.get(key)
    if body is None:
        page = plan_page(plan=plan, today=today)
        html = render_to_string("measures/inc/plan_body.html", {
            # ``request`` as a plain variable (no context processors): the OIT code links load their index once
            # per request on it (oit.templatetags.oit_tags), not once per measure card.
            "request": request,
            "organization": organization, "plan": plan, "measures": page.measures, "reports": page.reports,
            "status_counts": page.status_counts, "overdue_count": page.overdue_count,
            "editable": {m.number for m in page.measures if rights.can_edit_measure(m)}})
        events = render_to_string("measures/inc/approval_events.html", {"item": plan})
        body = PlanBody(html=html, approval_events=events,
                        rounds_started=frozenset(report.round for report in page.reports),
                        deleted_count=page.deleted_count)
        cache.set(key, body, timeout=PLAN_CACHE_SECONDS)
    return body


def plan_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Start the plan of fiscal year N+1 from the assessment of year N (``?assessment=N``): the form proposes
    a draft measure per weak indicator, which the user keeps, edits or drops. Organization admins only."""
    organization = organization_for_request(request, slug)
    _require(rights_of(user=request.user, organization=organization).can_manage)
    year = to_arabic_digits(request.GET.get("assessment", "")).strip()
    assessment = None
    if year.isdigit():
        assessment = get_object_or_404(Assessment.objects.filter(organization=organization), fiscal_year=int(year))
    proposed = proposed_measures(assessment=assessment) if assessment else None
    proposals = [vars(p) | {"keep": True} for p in proposed.items] if proposed else []
    initial = {}
    if assessment:
        fiscal_year = assessment.fiscal_year + 1
        initial = {"fiscal_year": fiscal_year, "title": _(
            "Measures to promote integrity and transparency in the organization, fiscal year %(year)s"
        ) % {"year": fiscal_year}}
    form = PlanForm(request.POST or None, initial=initial)
    formset = ProposedMeasureFormSet(request.POST or None, initial=proposals, prefix="proposal",
                                     form_kwargs={"organization": organization})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            data = form.cleaned_data
            plan = plan_create(organization=organization, fiscal_year=data["fiscal_year"], title=data["title"],
                               introduction=data["introduction"], assessment=assessment,
                               measures=[f.proposal() for f in formset.forms if f.cleaned_data.get("keep")])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan of fiscal year %(year)s was created with %(count)s measures.")
                             % {"year": plan.fiscal_year, "count": plan.measures.count()})
            return redirect("measures:plan_detail", organization.slug, plan.fiscal_year)
    context = {"organization": organization, "form": form, "formset": formset, "assessment": assessment,
               "assessments": organization.assessments.all(), "basis": proposed.basis if proposed else ""}
    return render(request, "measures/plan_form.html", context)


def plan_edit(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    organization, plan = _plan(request, slug, fiscal_year)
    _require(rights_of(user=request.user, organization=organization).can_manage)
    # The form validates a copy: ``is_valid`` writes the posted values onto its instance, and ``plan_update``
    # compares them with the stored plan's.
    form = PlanEditForm(request.POST or None, instance=copy.copy(plan))
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            plan_update(plan=plan, fiscal_year=data["fiscal_year"], assessment=data["assessment"],
                        title=data["title"], introduction=data["introduction"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("measures:plan_detail", organization.slug, plan.fiscal_year)
    context = {"organization": organization, "plan": plan, "form": form, "formset": None}
    return render(request, "measures/plan_form.html", context)


def _approval(request: HttpRequest, *, item, approved: bool, done: str) -> None:
    """The one-click approval of a plan or report (a transition in the approval log); a reopen goes through the
    memos that carry the item (``services.approval_reopen`` and the handler memos registers), so their trail
    records it too. ``done`` is the message of success; a transition the table refuses (approving twice) shows the
    service's message instead."""
    try:
        if approved:
            approval_set(item=item, user=request.user, approved=True)
        else:
            approval_reopen(item=item, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


def plan_approval(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """Approve (lock) or reopen a plan (POST): executives only."""
    organization, plan = _plan(request, slug, fiscal_year)
    _require(rights_of(user=request.user, organization=organization).can_approve)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    approved = request.POST.get("action") == "approve"
    _approval(request, item=plan, approved=approved,
              done=_("The plan was approved and is locked.") if approved else _("The plan was reopened."))
    return redirect("measures:plan_detail", organization.slug, plan.fiscal_year)


def measure_detail(request: HttpRequest, slug: str, fiscal_year: int, number: int) -> HttpResponse:
    organization, plan = _plan(request, slug, fiscal_year)
    measure = get_object_or_404(plan.measures.prefetch_related("steps", "owners", "indicators"), number=number)
    entries = measure.progress_entries.select_related("report").order_by("report__period_end")
    rights = rights_of(user=request.user, organization=organization)
    context = {
        "organization": organization, "plan": plan, "measure": measure, "entries": entries,
        "history": measure_history(measure=measure),
        "can_edit": rights.can_edit_measure(measure),
        "can_manage": rights.can_manage,
    }
    return render(request, "measures/measure_detail.html", context)


def measure_edit(request: HttpRequest, slug: str, fiscal_year: int, number: int | None = None) -> HttpResponse:
    """Create (``number`` None; organization admins) or edit a measure with its steps (admins, and staff of an
    owner department). A post from an older version is refused and the user's input stays on the form."""
    organization, plan = _plan(request, slug, fiscal_year)
    rights = rights_of(user=request.user, organization=organization)
    if number is None:
        _require(rights.can_add_measure)
        measure = None
        start, end = fiscal_year_bounds(plan.fiscal_year)
        initial = {"number": measure_number_next(plan=plan), "timeframe_start": start, "timeframe_end": end}
        if rights.department_id:  # staff add measures of their own department
            initial["owners"] = [rights.department_id]
        steps_initial = []
    else:
        measure = get_object_or_404(plan.measures.all(), number=number)
        _require(measures_editable_by(user=request.user, organization=organization).filter(pk=measure.pk).exists())
        initial = {}
        steps_initial = [{"text": step.text, "ORDER": step.order} for step in measure.steps.all()]
    try:
        refuse_if_approved(plan)
    except LockedError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("measures:plan_detail", organization.slug, plan.fiscal_year)
    form = MeasureForm(request.POST or None, instance=measure, initial=initial, plan=plan,
                       indicators=indicator_queryset_for(plan))
    formset = StepFormSet(request.POST or None, initial=steps_initial, prefix="steps")
    confirm = OwnDepartmentConfirmForm(request.POST or None)
    asks_confirmation = confirm.confirmed()  # keep the ticked box on the page if another error comes up
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            measure = measure_save(plan=plan, measure=measure, data=form.cleaned_data, steps=steps_from(formset),
                                   version=form.cleaned_data.get("version"), rights=rights,
                                   confirm_own_department_removal=confirm.confirmed())
        except ValidationError as error:
            asks_confirmation |= isinstance(error, OwnDepartmentRemovalError)
            form.add_error(None, error)
        else:
            messages.success(request, _("Measure %(number)s was saved.") % {"number": measure.number})
            return redirect("measures:measure_detail", organization.slug, plan.fiscal_year, measure.number)
    context = {"organization": organization, "plan": plan, "measure": measure, "form": form, "formset": formset,
               "confirm": confirm if asks_confirmation else None}
    return render(request, "measures/measure_form.html", context)


def measure_delete_view(request: HttpRequest, slug: str, fiscal_year: int, number: int) -> HttpResponse:
    """Ask, then delete a measure recoverably (organization admins)."""
    organization, plan = _plan(request, slug, fiscal_year)
    _require(rights_of(user=request.user, organization=organization).can_manage)
    measure = get_object_or_404(plan.measures.all(), number=number)
    if request.method == "POST":
        try:
            measure_delete(measure=measure, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Measure %(number)s was deleted. An organization admin can restore it from "
                                        "the deleted measures of the plan.") % {"number": number})
        return redirect("measures:plan_detail", organization.slug, plan.fiscal_year)
    context = {"organization": organization, "plan": plan, "measure": measure,
               "entry_count": measure.progress_entries.count(), "step_count": measure.steps.count()}
    return render(request, "measures/measure_confirm_delete.html", context)


def deleted_measures(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """Deleted measures of a plan, each with a restore button (organization admins)."""
    organization, plan = _plan(request, slug, fiscal_year)
    _require(rights_of(user=request.user, organization=organization).can_manage)
    if request.method == "POST":
        measure = get_object_or_404(deleted_measures_for_plan(plan=plan), pk=request.POST.get("measure"))
        try:
            measure = measure_restore(measure=measure)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Measure %(number)s was restored.") % {"number": measure.number})
            return redirect("measures:measure_detail", organization.slug, plan.fiscal_year, measure.number)
    context = {"organization": organization, "plan": plan, "measures": deleted_measures_for_plan(plan=plan)}
    return render(request, "measures/deleted_measures.html", context)


def _report(plan: MeasurePlan, round_: str) -> ProgressReport:
    return get_object_or_404(plan.progress_reports.all(), round=round_)


def report_edit(request: HttpRequest, slug: str, fiscal_year: int, round: str | None = None) -> HttpResponse:
    """Create (``?round=six_month|annual``; admins and staff, so that a round exists without waiting for an admin)
    or edit a progress report's round, period and title (admins)."""
    organization, plan = _plan(request, slug, fiscal_year)
    rights = rights_of(user=request.user, organization=organization)
    _require(rights.can_manage if round else rights.can_start_report)
    report = _report(plan, round) if round else None
    initial = {}
    if report is None:
        chosen = request.GET.get("round", Round.SIX_MONTH)
        start, end = round_period(fiscal_year=plan.fiscal_year, round=chosen)
        initial = {"round": chosen, "period_start": start, "period_end": end, "title": _(
            "Report on the measures to promote integrity and transparency, fiscal year %(year)s, %(round)s"
        ) % {"year": plan.fiscal_year, "round": Round(chosen).label if chosen in Round.values else ""}}
    form = ProgressReportForm(request.POST or None, instance=copy.copy(report), initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            report = progress_report_save(plan=plan, report=report, round=data["round"],
                                          period_start=data["period_start"], period_end=data["period_end"],
                                          title=data["title"], summary=data["summary"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The progress report was saved."))
            return redirect("measures:report_detail", organization.slug, plan.fiscal_year, report.round)
    context = {"organization": organization, "plan": plan, "report": report, "form": form}
    return render(request, "measures/report_form.html", context)


def report_detail(request: HttpRequest, slug: str, fiscal_year: int, round: str) -> HttpResponse:
    """A progress report, one row per measure: a form row for each measure the user may report on (admins:
    all; staff: their department's), read-only rows for the others. All rows saved together or none."""
    organization, plan = _plan(request, slug, fiscal_year)
    report = _report(plan, round)
    editable = set(measures_editable_by(user=request.user, organization=organization)
                   .filter(plan=plan).values_list("pk", flat=True))
    entries = {e.measure_id: e for e in report.entries.all()}
    rows = []
    post = request.POST if request.method == "POST" else None
    for measure in plan.measures.prefetch_related("owners"):
        entry = entries.get(measure.pk)
        form = None
        if measure.pk in editable and not report.is_locked:
            download_url = reverse("measures:evidence_download",
                                   args=[organization.slug, plan.fiscal_year, report.round, measure.number])
            form = ProgressEntryForm(post, request.FILES or None, instance=entry or ProgressEntry(version=0),
                                     measure=measure, prefix=f"m{measure.number}", download_url=download_url)
        rows.append({"measure": measure, "entry": entry, "form": form})
    forms_ = [row["form"] for row in rows if row["form"]]
    if post is not None:
        _require(bool(forms_) or report.is_locked)
        try:
            refuse_if_approved(report)
        except LockedError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("measures:report_detail", organization.slug, plan.fiscal_year, report.round)
        if all(form.is_valid() for form in forms_):
            inputs = [EntryInput(measure=form.measure, data=form.cleaned_data,
                                 version=form.cleaned_data.get("version") or 0)
                      for form in forms_ if form.has_changed()]
            try:
                progress_entries_save(report=report, rows=inputs)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Progress of %(count)s measures was saved.") % {"count": len(inputs)})
                return redirect("measures:report_detail", organization.slug, plan.fiscal_year, report.round)
        else:
            messages.error(request, _("Some rows have errors; nothing was saved. The rows are marked below."))
    rights = rights_of(user=request.user, organization=organization)
    context = {"organization": organization, "plan": plan, "report": report, "rows": rows,
               "has_forms": bool(forms_), "can_manage": rights.can_manage, "can_approve": rights.can_approve}
    return render(request, "measures/report_detail.html", context)


def report_approval(request: HttpRequest, slug: str, fiscal_year: int, round: str) -> HttpResponse:
    """Approve (lock) or reopen a progress report (POST): executives only."""
    organization, plan = _plan(request, slug, fiscal_year)
    _require(rights_of(user=request.user, organization=organization).can_approve)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    report = _report(plan, round)
    approved = request.POST.get("action") == "approve"
    _approval(request, item=report, approved=approved,
              done=_("The report was approved and is locked.") if approved else _("The report was reopened."))
    return redirect("measures:report_detail", organization.slug, plan.fiscal_year, report.round)


def evidence_download(request: HttpRequest, slug: str, fiscal_year: int, round: str, number: int) -> FileResponse:
    """The evidence file of a progress row, for members of the organization only (files are never public), as an
    attachment named as uploaded, with the content type of its stored (detected) extension — anything else, e.g.
    a file stored before types were enforced, as ``application/octet-stream``."""
    organization, plan = _plan(request, slug, fiscal_year)
    entry = get_object_or_404(ProgressEntry.objects.filter(report__plan=plan, report__round=round,
                                                           measure__number=number, measure__deleted_at__isnull=True)
                              .filter(~Q(evidence_file="")))
    try:
        handle = entry.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    stored = entry.evidence_file.name.rsplit("/", 1)[-1]
    content_type = EVIDENCE_TYPES.get(stored.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    # The name it was uploaded under (Thai kept): Django writes it as RFC 5987 filename*=utf-8''…
    return FileResponse(handle, as_attachment=True, filename=entry.evidence_filename or stored,
                        content_type=content_type)


XLSX_MAX_ROWS = 100_000  # beyond this a spreadsheet is the wrong tool: the CSV export streams any number


class MeasureListView(ExportMixin, SingleTableMixin, FilterView):
    """The measures of the user's organizations (members and overseers): filtered, sorted, 50 a page at any depth
    (``measure_rows``), with their number (``measure_list_count``: reused for 5 minutes for overseers, and said so;
    the pages themselves never count: ``LazyPaginator``), and exported
    (``?_export=csv|xlsx``, with the same filters and sort, all rows; the CSV streams)."""

    table_class = MeasureTable
    filterset_class = MeasureFilterSet
    template_name = "measures/measure_list.html"
    table_pagination = {"per_page": 50, "paginator_class": LazyPaginator}

    def get_queryset(self):
        return measures_for_user(user=self.request.user)

    def get_table_data(self):
        # The filtered queryset as plain rows: the page builds no model objects (``measure_rows``). An overseer's
        # list (up to the country's 664,000 measures) remembers its pages' positions; a member's (a few hundred)
        # and the exports read as they are.
        remember = EXPORT_PARAM not in self.request.GET and oversight_of(user=self.request.user).any
        return measure_rows(super().get_table_data(), remember_positions=remember)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if EXPORT_PARAM not in self.request.GET:
            filters = self.request.GET.copy()
            for name in ("page", "sort", "per_page"):
                filters.pop(name, None)
            context["filters_query"] = filters.urlencode()  # the key of the filter form's cached HTML
            context["measure_count"] = measure_list_count(user=self.request.user, measures=context["table"].data.data,
                                                          filters=context["filters_query"])
            # Set when this page was read from a remembered position (``measure_rows``): the page says since when.
            context["position_remembered_at"] = context["table"].data.data.remembered_at
        return context

    def export_filename(self, export: str) -> str:
        return f"measures.{export}"

    def export_refused(self, export: str, records) -> HttpResponse | None:
        if export == "csv" or not records[XLSX_MAX_ROWS:XLSX_MAX_ROWS + 1].exists():
            return None
        messages.error(self.request, _("More than %(count)s measures match: export them as CSV, or narrow the "
                                       "filters for Excel.") % {"count": f"{XLSX_MAX_ROWS:,}"})
        query = self.request.GET.copy()
        query.pop(EXPORT_PARAM)
        return redirect(f"{self.request.path}?{query.urlencode()}")


def my_work(request: HttpRequest) -> HttpResponse:
    """The progress rows the user's department still has to fill in (each linked to its row of the report), the
    rounds it may start, then the measures owned by the user's department(s) by organization and fiscal year."""
    memberships = list(memberships_of(user=request.user))
    work = department_work(user=request.user)
    context = {
        "rows_to_fill": work.rows_to_fill,
        "rounds_to_start": work.rounds_to_start,
        "departments": [m for m in memberships if m.department_id],
        "without_department": [m for m in memberships if not m.department_id],
        "measures": work.measures,
    }
    return render(request, "measures/my_work.html", context)
