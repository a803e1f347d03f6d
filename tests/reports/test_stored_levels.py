"""One home for the effective score and level: documents and pages print the stored score and level of a result
(``Assessment.score/level/level_letter``, written by ``assessments.services``), on every scale of its year — 2566
carries the pass label and the AA–F letter (77.70 → ไม่ผ่าน (B), 96.04 → ผ่าน (AA), ita-framework.md §4)."""
import io
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags
from pypdf import PdfReader

from assessments.importers import scores_import
from assessments.models import Assessment, Framework, IndicatorScore
from assessments.services import assessment_scores_refresh
from core.thai import to_arabic_digits
from measures.choices import Round
from reports.contents import Kind, build_document
from reports.documents import document_html, render_document
from tests.factories import (
    AssessmentFactory,
    MeasurePlanFactory,
    MembershipFactory,
    OrganizationFactory,
    ProgressReportFactory,
)
from tests.helpers.assessments import csv_bytes, row

D = Decimal

# Every document of a plan's year that prints the result's level: the analysis and measures document, the plan's
# cover memo (its opening paragraph), and the memo with the measures document attached.
LEVEL_DOCUMENTS = [(Kind.MEASURES, None), (Kind.MEMO, None), (Kind.MEMO, Kind.MEASURES)]


def text(html: str) -> str:
    """What a document says: tags and entities resolved, Thai digits → Arabic, all whitespace removed."""
    return "".join(to_arabic_digits(unescape(strip_tags(html))).split())


def _documents(plan) -> dict[tuple, str]:
    return {(kind, attach): text(document_html(build_document(plan, kind, attach=attach)))
            for kind, attach in LEVEL_DOCUMENTS}


def _plan_on(assessment: Assessment):
    return MeasurePlanFactory(organization=assessment.organization, fiscal_year=assessment.fiscal_year + 1,
                              assessment=assessment)


@pytest.fixture
def published_without_level(db):
    """A 2567 result published as 84.00 without a level, whose indicators (all 90) would compute 90.00 ผ่านดี: its
    stored level is that of the published score, ไม่ผ่าน."""
    organization = OrganizationFactory(slug="no-level", name="เทศบาลตำบลไม่มีระดับ")
    assessment = AssessmentFactory(organization=organization, fiscal_year=2567, official_score=D("84.00"))
    framework = Framework.objects.get(fiscal_year=2567)
    IndicatorScore.objects.bulk_create(IndicatorScore(assessment=assessment, indicator=indicator, score=D("90"))
                                       for indicator in framework.indicators.all())
    return assessment_scores_refresh(assessment=assessment)


def test_every_document_prints_the_stored_level_of_a_result_published_without_one(published_without_level):
    assessment = published_without_level
    assert (assessment.score, assessment.level, assessment.computed_level) == (D("84.00"), "ไม่ผ่าน", "ผ่านดี")
    for key, document in _documents(_plan_on(assessment)).items():
        assert "ไม่ผ่าน" in document, key
        assert "ผ่านดี" not in document, key  # never the level computed from the indicators


def test_the_annual_report_averages_are_the_stored_scores(published_without_level):
    before = published_without_level
    after = AssessmentFactory(organization=before.organization, fiscal_year=2568, official_score=D("91.25"))
    assessment_scores_refresh(assessment=after)
    plan = MeasurePlanFactory(organization=before.organization, fiscal_year=2568, assessment=before)
    ProgressReportFactory(plan=plan, round=Round.ANNUAL)
    document = text(document_html(build_document(plan, Kind.ANNUAL)))
    assert "คะแนนเฉลี่ย84.0091.257.25" in document


@pytest.mark.parametrize(("score", "level"), [("77.70", "ไม่ผ่าน(B)"), ("96.04", "ผ่าน(AA)")])
def test_a_2566_score_shows_the_pass_label_and_the_letter_on_the_pages_and_in_the_documents(client, db, score,
                                                                                           level):
    organization = OrganizationFactory(slug="both", name="เทศบาลตำบลสองระดับ")
    assessment = assessment_scores_refresh(assessment=AssessmentFactory(
        organization=organization, fiscal_year=2566, official_score=D(score)))
    assert (assessment.level_text.replace(" ", ""), assessment.level_letter) == (level, level[-3:-1].strip("("))
    for key, document in _documents(_plan_on(assessment)).items():
        assert level in document, key
    client.force_login(MembershipFactory(organization=organization).user)
    result_page = client.get(reverse("assessments:assessment_detail", args=["both", 2566])).content.decode()
    assert f'<div class="stat" data-stored-level><span class="label">ระดับผลการประเมิน</span><span class="value">' \
           f'{assessment.level_text}</span>' in result_page
    organization_page = client.get(reverse("organizations:organization_detail", args=["both"])).content.decode()
    assert f"<td>{assessment.level_text}</td>" in organization_page


@pytest.mark.django_db
def test_2566_scores_imported_without_a_level_show_both_scales_on_the_pages_and_in_the_documents(client):
    rows = [row(fiscal_year="2566", organization="เทศบาลตำบลนำเข้าหนึ่ง", ita="77.70"),
            row(fiscal_year="2566", organization="เทศบาลตำบลนำเข้าสอง", ita="96.04")]
    report = scores_import(content=csv_bytes(rows), create_organizations=True)
    assert report.errors == [] and report.created == 2
    expected = {"เทศบาลตำบลนำเข้าหนึ่ง": ("ไม่ผ่าน", "B"), "เทศบาลตำบลนำเข้าสอง": ("ผ่าน", "AA")}
    for name, (label, letter) in expected.items():
        assessment = Assessment.objects.select_related("organization").get(organization__name=name)
        assert (assessment.official_level, assessment.level, assessment.level_letter) == ("", label, letter)
        shown = f"{label} ({letter})"
        for key, document in _documents(_plan_on(assessment)).items():
            assert shown.replace(" ", "") in document, key
        client.force_login(MembershipFactory(organization=assessment.organization).user)
        slug = assessment.organization.slug
        result_page = client.get(reverse("assessments:assessment_detail", args=[slug, 2566])).content.decode()
        stat = f'data-stored-level><span class="label">ระดับผลการประเมิน</span><span class="value">{shown}</span>'
        assert stat in result_page
        organization_page = client.get(reverse("organizations:organization_detail", args=[slug])).content.decode()
        assert f"<td>{shown}</td>" in organization_page


@pytest.mark.django_db
def test_the_pdf_of_an_imported_2566_score_prints_both_scales():
    report = scores_import(content=csv_bytes([row(fiscal_year="2566", ita="77.70")]), create_organizations=True)
    assert report.errors == [] and report.created == 1
    plan = _plan_on(Assessment.objects.get(organization__name="เทศบาลตำบลบ้านใหม่ทดสอบ"))
    pdf = PdfReader(io.BytesIO(render_document(build_document(plan, Kind.MEASURES), archival=False).content))
    printed = "".join(to_arabic_digits("".join(page.extract_text() for page in pdf.pages)).split())
    assert "ระดับผลการประเมินไม่ผ่าน(B)" in printed
