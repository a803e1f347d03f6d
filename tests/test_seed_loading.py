"""The five seed documents load with the counts their documents show, idempotently."""
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

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


@pytest.mark.django_db
def test_loading_again_keeps_what_people_entered_and_the_register():
    """``make run`` loads the seeds every time it starts: the second start must neither wipe what was entered
    since nor fail on a memo already issued (its issued documents protect it: the register is never deleted)."""
    from memos.models import IssuedDocument
    from tests.factories import MemoFactory

    measure = Measure.objects.get(plan__organization__slug="khok-ma", plan__fiscal_year=2568, number=1)
    measure.title = "มาตรการที่ผู้ใช้แก้ไขแล้ว"
    measure.save()
    memo = MemoFactory(organization=measure.plan.organization)
    IssuedDocument.objects.create(
        memo=memo, version=1, organization=memo.organization, document_number="กส 1/2569", register_year=2569,
        register_number=1, date="2026-12-01", subject="ทดสอบ", content=b"%PDF-1.7", size=8, sha256="0" * 64,
        issued_at=timezone.now())
    out = io.StringIO()
    call_command("load_seed_documents", stdout=out)
    measure.refresh_from_db()
    assert measure.title == "มาตรการที่ผู้ใช้แก้ไขแล้ว"
    assert IssuedDocument.objects.filter(memo=memo).count() == 1
    assert "khok-ma: already loaded, kept as it is (--reload replaces it)" in out.getvalue()
