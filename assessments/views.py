from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from organizations.views import organization_for_request

from .selectors import assessment_summary, assessments_for_organization


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
    }
    return render(request, "assessments/assessment_detail.html", context)
