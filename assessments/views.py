from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.thai import to_arabic_digits
from organizations.permissions import rights_of
from organizations.selectors import oversight_of
from organizations.views import organization_for_request

from .forms import EIT_PARTS, AnalysisForm, AssessmentForm, FindingFormSet, QuestionScoreFormSet, ScoreImportForm
from .importers import COLUMNS, scores_import
from .models import Analysis, Framework, Indicator
from .scoring import compute_scores
from .selectors import assessment_summary, assessments_for_organization
from .services import FindingInput, QuestionScoreInput, analysis_save, assessment_scores_set

SAMPLE_FILE = settings.BASE_DIR / "data" / "samples" / "scores-sample.csv"


def assessment_detail(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    organization = organization_for_request(request, slug)
    assessment = get_object_or_404(assessments_for_organization(organization=organization), fiscal_year=fiscal_year)
    analysis = getattr(assessment, "analysis", None)
    findings = analysis.findings.prefetch_related("indicators") if analysis else []
    context = {
        "organization": organization,
        "assessment": assessment,
        "summary": assessment_summary(assessment=assessment),
        "analysis": analysis,
        "findings": findings,
        "plans": assessment.measure_plans.all(),
        "can_edit": rights_of(user=request.user, organization=organization).can_manage,
    }
    return render(request, "assessments/assessment_detail.html", context)


def assessment_start(request: HttpRequest, slug: str) -> HttpResponse:
    """From the organization page's year picker to the results form of that year (organization admins)."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise PermissionDenied
    year = to_arabic_digits(request.GET.get("fiscal_year", "")).strip()
    if not year.isdigit() or not Framework.objects.filter(fiscal_year=int(year)).exists():
        messages.error(request, _("Choose a fiscal year that has an ITA framework."))
        return redirect("organizations:organization_detail", organization.slug)
    return redirect("assessments:assessment_edit", organization.slug, int(year))


def assessment_edit(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """Enter or correct the results of one fiscal year (organization admins)."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise PermissionDenied
    framework = get_object_or_404(
        Framework.objects.prefetch_related("tools", "indicators__tool", "level_rules"), fiscal_year=fiscal_year
    )
    assessment = assessments_for_organization(organization=organization).filter(fiscal_year=fiscal_year).first()
    initial = AssessmentForm.initial_for(assessment) if assessment else {"fiscal_year": fiscal_year}
    form = AssessmentForm(request.POST or None, initial=initial, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            # What the form shows replaces what is stored: a blank field clears (``clear_blanks``).
            assessment_scores_set(
                organization=organization, fiscal_year=framework.fiscal_year, framework=framework,
                indicator_scores=form.indicator_scores(), part_scores=form.part_scores(),
                published=form.published(), notes=form.cleaned_data["notes"], replace=True, clear_blanks=True)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The ITA result of fiscal year %(year)s was saved.") % {"year": fiscal_year})
            return redirect("assessments:assessment_detail", organization.slug, fiscal_year)
    context = {"organization": organization, "form": form, "framework": framework, "assessment": assessment}
    return render(request, "assessments/assessment_form.html", context)


def score_preview(request: HttpRequest, slug: str, fiscal_year: int) -> JsonResponse:
    """The live computation of the results form (POST its fields; organization admins): the same form validates
    the typed scores and ``scoring.compute_scores`` computes — one rule, on the server; the browser
    (static/js/ita-score.js) only shows the answer. JSON: ``tools`` {code: "96.55" or null}, ``ita``, ``level``
    (strings or null), ``errors`` {field name: Thai message} for the score fields the server refuses (then
    nothing is computed)."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    framework = get_object_or_404(
        Framework.objects.prefetch_related("tools", "indicators__tool", "level_rules"), fiscal_year=fiscal_year)
    form = AssessmentForm(request.POST, framework=framework)
    form.is_valid()
    scores = [f"indicator_{i.number}" for i in framework.indicators.all()] + [f"eit_part_{p}" for p in EIT_PARTS]
    errors = {name: " ".join(form.errors[name]) for name in scores if name in form.errors}
    tools = {tool.code: None for tool in framework.tools.all()}
    if errors:
        return JsonResponse({"tools": tools, "ita": None, "level": None, "errors": errors})
    data = form.cleaned_data
    indicators = {i.number: data[f"indicator_{i.number}"] for i in framework.indicators.all()
                  if data.get(f"indicator_{i.number}") is not None}
    parts = [data[f"eit_part_{p}"] for p in EIT_PARTS if data.get(f"eit_part_{p}") is not None]
    result = compute_scores(framework, indicators, {"EIT": parts})
    tools |= {code: f"{score:.2f}" for code, score in result.tool_scores.items()}
    return JsonResponse({"tools": tools, "ita": f"{result.ita:.2f}" if result.ita is not None else None,
                         "level": result.level or None, "errors": {}})


def analysis_edit(request: HttpRequest, slug: str, fiscal_year: int) -> HttpResponse:
    """The analysis of a result: introduction, findings (indicators, question codes, text, recommendation),
    limitations, and the published question scores. Organization admins; all or nothing."""
    organization = organization_for_request(request, slug)
    if not rights_of(user=request.user, organization=organization).can_manage:
        raise PermissionDenied
    assessment = get_object_or_404(assessments_for_organization(organization=organization), fiscal_year=fiscal_year)
    analysis = getattr(assessment, "analysis", None) or Analysis(assessment=assessment)
    indicators = Indicator.objects.filter(framework__fiscal_year=fiscal_year)
    post = request.POST or None
    form = AnalysisForm(post, instance=analysis)
    findings = FindingFormSet(post, instance=analysis, prefix="findings", form_kwargs={"indicators": indicators})
    questions = QuestionScoreFormSet(post, instance=assessment, prefix="questions")
    if post is not None and form.is_valid() and findings.is_valid() and questions.is_valid():
        try:
            analysis_save(assessment=assessment, introduction=form.cleaned_data["introduction"],
                          limitations=form.cleaned_data["limitations"], findings=_finding_inputs(findings),
                          questions=_question_inputs(questions))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The analysis of fiscal year %(year)s was saved.") % {"year": fiscal_year})
            return redirect("assessments:assessment_detail", organization.slug, fiscal_year)
    context = {"organization": organization, "assessment": assessment, "form": form, "findings": findings,
               "questions": questions}
    return render(request, "assessments/analysis_form.html", context)


def _posted_rows(formset):
    """(form, deleted) for the forms of ``formset`` that say something: every stored row, deleted or not, and the new
    rows filled in (and not deleted), in the order of the page."""
    deleted = {id(form) for form in formset.deleted_forms}
    return [(form, id(form) in deleted) for form in formset.forms
            if form.instance.pk is not None or (form.has_changed() and id(form) not in deleted)]


def _finding_inputs(formset) -> list[FindingInput]:
    rows = []
    for form, deleted in _posted_rows(formset):
        data = form.cleaned_data
        rows.append(FindingInput(
            id=form.instance.pk, number=data.get("number"), title=data.get("title", ""),
            indicators=list(data.get("indicators") or []), question_codes=list(data.get("question_codes") or []),
            text=data.get("text", ""), recommendation=data.get("recommendation", ""), delete=deleted))
    return rows


def _question_inputs(formset) -> list[QuestionScoreInput]:
    rows = []
    for form, deleted in _posted_rows(formset):
        data = form.cleaned_data
        rows.append(QuestionScoreInput(id=form.instance.pk, code=data.get("code", ""), text=data.get("text", ""),
                                       score=data.get("score"), delete=deleted))
    return rows


def score_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of published scores (issue 9 §3): superusers and national overseers for the whole country,
    provincial overseers for the rows of their provinces (others are errors); everybody else 403. Shows the errors
    by row, column and reason, or the counts."""
    oversight = oversight_of(user=request.user)
    if not oversight.any:
        raise PermissionDenied
    form = ScoreImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = scores_import(
            content=upload.read(), filename=upload.name,
            provinces=None if oversight.national else oversight.provinces,
            dry_run=form.cleaned_data["dry_run"], valid_only=form.cleaned_data["valid_only"],
            replace=form.cleaned_data["replace"], create_organizations=form.cleaned_data["create_organizations"],
        )
    context = {"form": form, "report": report, "columns": COLUMNS, "national": oversight.national,
               "provinces": ", ".join(sorted(oversight.provinces))}
    return render(request, "assessments/score_import.html", context)


def score_import_sample(request: HttpRequest) -> FileResponse:
    """The sample file of the repository (``data/samples/scores-sample.csv``), for those who may import."""
    if not oversight_of(user=request.user).any:
        raise PermissionDenied
    return FileResponse(SAMPLE_FILE.open("rb"), as_attachment=True, filename=SAMPLE_FILE.name,
                        content_type="text/csv; charset=utf-8")
