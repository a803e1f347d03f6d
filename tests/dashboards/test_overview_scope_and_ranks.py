"""The overview's province filter follows the scope's organizations, and every computed rank says how many it is
out of (issue 22 §7, "Oversight" and "The rank card says ลำดับที่ 1 for 1 of 1")."""
import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from assessments.models import Assessment
from assessments.selectors import rank_text, rank_totals
from assessments.services import scores_refresh
from organizations.choices import OrganizationKind
from organizations.models import Organization
from tests.factories import AssessmentFactory, OrganizationFactory, OversightScopeFactory

YEAR = 2569  # the year of the ``ranked`` organizations (conftest.py)


def _text(response) -> str:
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def _province_options(response) -> list[str]:
    select = re.search(r'<select name="province"[^>]*>(.*?)</select>', response.content.decode(), re.S).group(1)
    return [unescape(value) for value in re.findall(r'<option value="([^"]*)"', select) if value]


@pytest.mark.django_db
@pytest.mark.usefixtures("ranked")
def test_the_province_filter_offers_every_province_of_the_scope_with_or_without_a_result(client):
    OrganizationFactory(name="เทศบาลตำบลไม่มีผล", province="ตราด")  # no result in any year
    client.force_login(OversightScopeFactory(province="").user)
    offered = _province_options(client.get(reverse("dashboards:overview"), {"fiscal_year": YEAR}))
    expected = sorted(set(Organization.objects.exclude(province="").values_list("province", flat=True)))
    assert offered == expected
    assert "ตราด" in offered and "นครราชสีมา" in offered


@pytest.mark.django_db
@pytest.mark.usefixtures("ranked")
def test_a_provincial_overseer_is_offered_only_the_provinces_of_their_scope(client):
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    response = client.get(reverse("dashboards:overview"), {"fiscal_year": YEAR})
    assert _province_options(response) == ["บุรีรัมย์"]
    assert "สุรินทร์" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("ranked")
def test_the_overview_says_how_many_each_rank_is_out_of(client):
    """Tambon municipalities with a score in 2569: เอ, บี, ซี, ดี (เอฟ has none) → ซี is 3 of 4 in the kind;
    Buriram with a score: เอ, ซี, ดี, อี → ซี is 3 of 4 in the province; บี is alone in Surin."""
    client.force_login(OversightScopeFactory(province="").user)
    response = client.get(reverse("dashboards:overview"), {"fiscal_year": YEAR})
    rows = {row.record.name: row for row in response.context["table"].paginated_rows}
    cells = {name: (rows[name].get_cell("rank_in_kind"), rows[name].get_cell("rank_in_province"))
             for name in ("เทศบาลตำบลซี", "เทศบาลตำบลบี", "องค์การบริหารส่วนตำบลอี")}
    assert cells == {"เทศบาลตำบลซี": ("3 จาก 4", "3 จาก 4"), "เทศบาลตำบลบี": ("1 จาก 4", "1 จาก 1"),
                     "องค์การบริหารส่วนตำบลอี": ("1 จาก 1", "1 จาก 4")}
    assert "3 จาก 4" in _text(response)


@pytest.mark.django_db
def test_the_assessment_pages_say_how_many_each_computed_rank_is_out_of(demo_client):
    scored = Assessment.objects.filter(fiscal_year=2568, score__isnull=False)
    in_kind = scored.filter(organization__kind=OrganizationKind.TAMBON_MUNICIPALITY).count()
    in_province = scored.filter(organization__province="บุรีรัมย์").count()
    expected = (f"ลำดับที่ 1 จาก {in_kind} หน่วยงานประเภทเทศบาลตำบล; "
                f"ลำดับที่ 1 จาก {in_province} หน่วยงานในจังหวัดบุรีรัมย์")
    detail = _text(demo_client.get(reverse("assessments:assessment_detail", args=["khok-ma", 2568])))
    assert f"คำนวณ: {expected}" in detail
    organization = _text(demo_client.get(reverse("organizations:organization_detail", args=["khok-ma"])))
    assert expected in organization


@pytest.mark.django_db
@pytest.mark.usefixtures("ranked")
def test_rank_totals_count_the_population_the_ranks_rank():
    """The totals are the year's assessments with a score per kind and per province, as ``ranks_refresh`` ranks
    them; a new score elsewhere in the kind raises the kind's total only."""
    totals = rank_totals(fiscal_year=YEAR)
    assert (totals.in_kind(OrganizationKind.TAMBON_MUNICIPALITY), totals.in_kind(OrganizationKind.SAO)) == (4, 1)
    assert (totals.in_province("บุรีรัมย์"), totals.in_province("สุรินทร์")) == (4, 1)
    AssessmentFactory(organization=OrganizationFactory(province="ตราด"), fiscal_year=YEAR,
                      official_score=Decimal("70"))
    scores_refresh(fiscal_years=[YEAR])
    one = rank_totals(fiscal_year=YEAR, kind=OrganizationKind.TAMBON_MUNICIPALITY, province="บุรีรัมย์")
    assert (one.in_kind(OrganizationKind.TAMBON_MUNICIPALITY), one.in_province("บุรีรัมย์")) == (5, 4)
    assert (rank_text(3, 1200), rank_text(None, 4)) == ("3 จาก 1,200", "–")
