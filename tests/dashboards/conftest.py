"""Fixtures of the dashboard tests."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Indicator, IndicatorScore
from assessments.services import scores_refresh
from organizations.choices import OrganizationKind
from organizations.models import Organization
from tests.factories import AssessmentFactory, OrganizationFactory

RANKED_YEAR = 2569  # no seed organization has an assessment of 2569: ``ranked`` is the whole year


@pytest.fixture
def on_day(monkeypatch):
    """Make ``timezone.localdate()`` (today, as the dashboard view asks for it) return the given day."""
    real = timezone.localdate

    def set_day(day: dt.date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate",
                            lambda value=None, timezone=None: day if value is None else real(value, timezone))
    return set_day


@pytest.fixture
def ranked(db) -> dict[str, Organization]:
    """Six organizations of 2569 with ties: three tambon municipalities of Buriram, one of Surin, an SAO of Buriram
    scoring like the best, and one without a score."""
    specs = {
        "a": ("เทศบาลตำบลเอ", OrganizationKind.TAMBON_MUNICIPALITY, "บุรีรัมย์", "95.00", "ผ่านดีเยี่ยม"),
        "b": ("เทศบาลตำบลบี", OrganizationKind.TAMBON_MUNICIPALITY, "สุรินทร์", "95.00", "ผ่านดีเยี่ยม"),
        "c": ("เทศบาลตำบลซี", OrganizationKind.TAMBON_MUNICIPALITY, "บุรีรัมย์", "90.00", "ผ่านดี"),
        "d": ("เทศบาลตำบลดี", OrganizationKind.TAMBON_MUNICIPALITY, "บุรีรัมย์", "80.00", "ไม่ผ่าน"),
        "e": ("องค์การบริหารส่วนตำบลอี", OrganizationKind.SAO, "บุรีรัมย์", "95.00", "ผ่านดีเยี่ยม"),
        "f": ("เทศบาลตำบลเอฟ", OrganizationKind.TAMBON_MUNICIPALITY, "บุรีรัมย์", None, ""),
    }
    organizations = {}
    for key, (name, kind, province, score, level) in specs.items():
        organization = OrganizationFactory(name=name, kind=kind, province=province, amphoe=f"อำเภอ{key}")
        AssessmentFactory(organization=organization, fiscal_year=RANKED_YEAR,
                          official_score=Decimal(score) if score else None, official_level=level)
        organizations[key] = organization
    indicators = {i.number: i for i in Indicator.objects.filter(framework__fiscal_year=RANKED_YEAR)}
    for key, number, score in [("c", 9, "70"), ("d", 9, "60"), ("d", 1, "80"), ("a", 9, "99")]:
        IndicatorScore.objects.create(assessment=organizations[key].assessments.get(), indicator=indicators[number],
                                      score=Decimal(score))
    scores_refresh(fiscal_years=[RANKED_YEAR])
    return organizations
