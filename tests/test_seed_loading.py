"""The five seed documents load with the counts their documents show, idempotently."""
import pytest
from django.core.management import call_command

from assessments.models import Finding, IndicatorScore, QuestionScore
from measures.models import Measure, ProgressEntry, Step
from memos.models import MemoComment
from organizations.models import Organization

# Counted in the documents themselves (shared/seeds/*.txt); see data/seeds/*.yaml transcription_notes.
EXPECTED = {
    "pong-nam-ron": dict(departments=2, officials=3, assessments=1, indicator_scores=10, question_scores=1,
                         findings=7, measures=10, steps=18, entries=0, memos=1, comments=2),
    "khok-ma": dict(departments=7, officials=0, assessments=2, indicator_scores=20, question_scores=0,
                    findings=0, measures=8, steps=18, entries=8, memos=0, comments=0),
    "ban-phran": dict(departments=2, officials=0, assessments=1, indicator_scores=5, question_scores=42,
                      findings=10, measures=10, steps=37, entries=0, memos=0, comments=0),
    "mueang-phalai": dict(departments=5, officials=0, assessments=0, indicator_scores=0, question_scores=0,
                          findings=0, measures=25, steps=52, entries=25, memos=0, comments=0),
    "dong-sombun": dict(departments=4, officials=3, assessments=1, indicator_scores=0, question_scores=0,
                        findings=0, measures=12, steps=15, entries=12, memos=1, comments=3),
}


def counts(organization: Organization) -> dict[str, int]:
    return dict(
        departments=organization.departments.count(),
        officials=organization.officials.count(),
        assessments=organization.assessments.count(),
        indicator_scores=IndicatorScore.objects.filter(assessment__organization=organization).count(),
        question_scores=QuestionScore.objects.filter(assessment__organization=organization).count(),
        findings=Finding.objects.filter(analysis__assessment__organization=organization).count(),
        measures=Measure.objects.filter(plan__organization=organization).count(),
        steps=Step.objects.filter(measure__plan__organization=organization).count(),
        entries=ProgressEntry.objects.filter(report__plan__organization=organization).count(),
        memos=organization.memos.count(),
        comments=MemoComment.objects.filter(memo__organization=organization).count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("slug", EXPECTED)
def test_each_seed_loads_what_its_document_shows(slug):
    assert counts(Organization.objects.get(slug=slug)) == EXPECTED[slug]


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_keeps_memberships(admin_user):
    call_command("load_seed_documents", stdout=open("/dev/null", "w"))
    for slug, expected in EXPECTED.items():
        assert counts(Organization.objects.get(slug=slug)) == expected
    assert admin_user.memberships.get().organization.slug == "khok-ma"


@pytest.mark.django_db
def test_seed_003_statuses_are_as_reported():
    statuses = ProgressEntry.objects.filter(report__plan__organization__slug="mueang-phalai")
    assert statuses.filter(status="done").count() == 14
    assert statuses.filter(status="in_progress").count() == 11


@pytest.mark.django_db
def test_seed_004_memo_carries_its_header_and_comment_chain():
    memo = Organization.objects.get(slug="dong-sombun").memos.get()
    assert memo.document_number == "กส 74601/"
    assert memo.date.isoformat() == "2021-03-31"
    assert memo.progress_report.plan.fiscal_year == 2564
    assert memo.drafter.full_name == "นายบัวร บุตรคำ"
    assert [(c.title, c.official.full_name) for c in memo.comments.all()] == [
        ("ความเห็นหัวหน้าสำนักปลัด", "นางกฤษฎารัตน์ ภูคงคำ"),
        ("ความเห็นปลัดเทศบาล", "นายกิตติธร รัตนวรรณ"),
        ("ความเห็นนายกเทศมนตรีตำบลดงสมบูรณ์", "นายกิตติธร รัตนวรรณ"),
    ]
