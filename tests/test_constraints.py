"""Rules the database itself enforces (conventions: rules in the database first)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import Assessment, IndicatorScore
from measures.models import Measure, MeasurePlan
from organizations.choices import Role
from organizations.models import Membership, Organization


@pytest.mark.django_db
def test_the_database_refuses_a_score_above_100():
    assessment = Assessment.objects.get(organization__slug="pong-nam-ron", fiscal_year=2566)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(official_score=Decimal("100.01"))
    score = IndicatorScore.objects.filter(assessment=assessment).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorScore.objects.filter(pk=score.pk).update(score=Decimal("-1"))
    assessment.refresh_from_db()
    assert assessment.official_score == Decimal("96.55")


@pytest.mark.django_db
def test_one_assessment_per_organization_and_year_with_a_thai_message():
    organization = Organization.objects.get(slug="khok-ma")
    duplicate = Assessment(organization=organization, fiscal_year=2567)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "หน่วยงานนี้มีผลการประเมินของปีงบประมาณนี้แล้ว" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert organization.assessments.count() == 2


@pytest.mark.django_db
def test_a_timeframe_cannot_end_before_it_starts():
    plan = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    measure = Measure(plan=plan, number=99, title="ทดสอบ", timeframe_start=dt.date(2025, 9, 30),
                      timeframe_end=dt.date(2024, 10, 1))
    with pytest.raises(ValidationError) as error:
        measure.full_clean()
    assert "วันสิ้นสุดต้องไม่อยู่ก่อนวันเริ่มดำเนินการ" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        measure.save()
    assert not plan.measures.filter(number=99).exists()


@pytest.mark.django_db
def test_staff_must_belong_to_a_department_of_their_own_organization(admin_user):
    other_department = Organization.objects.get(slug="ban-phran").departments.first()
    membership = Membership(user=admin_user, organization=Organization.objects.get(slug="dong-sombun"),
                            role=Role.STAFF, department=other_department)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "ส่วนราชการนี้เป็นของหน่วยงานอื่น" in str(error.value)
