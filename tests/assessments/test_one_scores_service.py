"""The results form and the score import write through one service, ``assessments.services.assessment_scores_set``,
with the same typed inputs (indicator number → ``Decimal``, ``PublishedFigures``): a rule added to the service
refuses bad input from both paths, and the same figures reach it from both as the same values."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.importers import scores_import
from assessments.models import Assessment
from core.thai import to_arabic_digits
from tests.helpers.assessments import SEED_001_2568, _post, csv_bytes, row

pytestmark = pytest.mark.django_db

RULE = "กฎของบริการ: คะแนนตัวชี้วัดที่ ๓ ต้องไม่เท่ากับ ๑๐๐"
ARABIC_2568 = ["99.19", "99.84", "100", "98.37", "99.18", "99.08", "99.16", "99.16", "100", "100.00"]


@pytest.fixture
def service_rule(monkeypatch):
    """A rule put into the service for the test (indicator 3 must not be 100); records what each call was given."""
    given = []
    original = services._indicator_scores_set

    def with_rule(assessment, framework, stored, scores, **options):
        given.append(dict(scores))
        if scores.get(3) == Decimal("100"):
            raise ValidationError(RULE)
        return original(assessment, framework, stored, scores, **options)

    monkeypatch.setattr(services, "_indicator_scores_set", with_rule)
    return given


def test_a_rule_of_the_service_refuses_the_form_and_the_import_alike_and_nothing_is_saved(client, admin_user,
                                                                                         service_rule):
    client.force_login(admin_user)
    page = _post(client, "khok-ma", 2569, official_score="๙๙.๕๔").content.decode()
    assert RULE in page and 'value="๙๙.๕๔"' in page  # beside the form, the user's input kept
    report = scores_import(content=csv_bytes([row(fiscal_year="2569", organization="โคกม้า",
                                                  indicators=ARABIC_2568, ita="99.54")]))
    assert [(error.row, error.message) for error in report.errors] == [(2, RULE)]
    assert report.refused and not report.saved
    assert not Assessment.objects.filter(organization__slug="khok-ma", fiscal_year=2569).exists()
    form_scores, import_scores = service_rule
    assert form_scores == import_scores == {n: Decimal(v) for n, v in enumerate(ARABIC_2568, start=1)}
    assert all(type(number) is int and type(score) is Decimal for number, score in form_scores.items())


def test_the_same_figures_from_the_form_and_from_the_import_are_stored_alike(client, admin_user):
    client.force_login(admin_user)
    assert [to_arabic_digits(SEED_001_2568[n]) for n in range(1, 11)] == ARABIC_2568  # what ``_post`` types
    _post(client, "khok-ma", 2569, official_score="๙๙.๕๔", official_level="ผ่านดีเยี่ยม")
    by_form = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2569)
    scores_import(content=csv_bytes([row(fiscal_year="2569", organization="บ้านพราน", kind="อบต.",
                                         amphoe="", province="บุรีรัมย์", indicators=ARABIC_2568, ita="99.54",
                                         level="ผ่านดีเยี่ยม")]), create_organizations=True)
    by_import = Assessment.objects.exclude(pk=by_form.pk).get(fiscal_year=2569, official_score=Decimal("99.54"))

    def stored(assessment):
        return ({s.indicator.number: s.score for s in assessment.indicator_scores.all()},
                assessment.official_score, assessment.official_level, assessment.score, assessment.level)

    assert stored(by_form) == stored(by_import)
