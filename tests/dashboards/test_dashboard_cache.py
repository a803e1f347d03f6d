"""The organization dashboard's cache (``dashboards.fingerprint``): it is keyed by a fingerprint of every row the
dashboard reads, so a second request builds nothing, and any change to those rows — through a service, a bulk
``update()`` or a raw statement that no service knows about — shows on the very next request."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Indicator, IndicatorScore
from assessments.services import assessment_scores_refresh
from dashboards import selectors, views
from dashboards.fingerprint import dashboard_fingerprint, input_tables
from measures.choices import Status
from measures.models import Measure
from organizations.choices import Role
from organizations.models import Department, Organization
from tests.factories import MembershipFactory, OrganizationFactory
from tests.helpers.dates import AFTER_FISCAL_YEAR_2566
from tests.helpers.pages import section, table_rows, text


def dashboard_url(slug: str) -> str:
    return reverse("dashboards:organization_dashboard", args=[slug])


@pytest.fixture
def executive_of(client, db):
    def login(slug: str):
        membership = MembershipFactory(organization=Organization.objects.get(slug=slug), role=Role.EXECUTIVE)
        client.force_login(membership.user)
        return client
    return login


TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.I)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["khok-ma", "mueang-phalai", "ban-phran"])
def test_every_table_the_dashboard_reads_is_in_the_fingerprint(slug):
    """Fails when the dashboard starts reading a table whose changes the fingerprint would not see."""
    organization = Organization.objects.get(slug=slug)
    with CaptureQueriesContext(connection) as queries:
        dashboard = selectors.organization_dashboard(organization=organization, today=timezone.localdate(),
                                                     can_manage=True)
        views.render_to_string("dashboards/inc/organization_body.html", {
            "organization": organization, "dashboard": dashboard, "charts": views._charts(dashboard),
            "read_only": False})
    read = {table for query in queries.captured_queries for table in TABLE.findall(query["sql"])}
    assert read, "the dashboard read nothing"
    assert read <= input_tables(), f"not in dashboards.fingerprint._inputs(): {read - input_tables()}"


@pytest.mark.django_db
def test_the_fingerprint_changes_with_any_row_and_only_for_its_organization():
    khok_ma, phalai = (Organization.objects.get(slug=slug) for slug in ("khok-ma", "mueang-phalai"))
    before = {o.pk: dashboard_fingerprint(organization=o) for o in (khok_ma, phalai)}
    assert len(before[khok_ma.pk]) == 64 and before[khok_ma.pk] != before[phalai.pk]
    assert dashboard_fingerprint(organization=khok_ma) == before[khok_ma.pk]  # stable while nothing changes
    Measure.objects.filter(plan__organization=phalai).update(title="x")
    assert dashboard_fingerprint(organization=phalai) != before[phalai.pk]
    assert dashboard_fingerprint(organization=khok_ma) == before[khok_ma.pk]
    Indicator.objects.filter(number=1).update(name="ดัชนีใหม่")  # frameworks are everybody's
    assert dashboard_fingerprint(organization=khok_ma) != before[khok_ma.pk]


@pytest.mark.django_db
def test_a_second_request_is_served_from_the_cache(executive_of, django_assert_num_queries):
    client = executive_of("khok-ma")
    first = client.get(dashboard_url("khok-ma")).content.decode()
    # session, user, the memberships with their organizations (the organization, the reader's rights and the top
    # bar's link to their only organization: organizations.selectors.active_memberships), fingerprint, the oversight
    # scopes (the top bar's link to the score import): nothing built
    with django_assert_num_queries(5):
        second = client.get(dashboard_url("khok-ma")).content.decode()
    main = re.compile(r"<main.*?</main>", re.S)  # the page outside it carries the form's CSRF token
    assert main.search(second).group(0) == main.search(first).group(0)
    assert "93.99" in text(section(second, "h-history")) and "99.54" in text(section(second, "h-history"))


@pytest.mark.django_db
def test_changes_written_around_the_services_show_at_once(executive_of, on_day):
    on_day(AFTER_FISCAL_YEAR_2566)
    client = executive_of("mueang-phalai")
    page = client.get(dashboard_url("mueang-phalai")).content.decode()
    assert "มาตรการที่เลยกำหนด (11)" in text(page)
    # A bulk update no service sees: four overdue measures are done.
    overdue = Measure.objects.filter(plan__organization__slug="mueang-phalai", latest_status=Status.IN_PROGRESS)
    Measure.objects.filter(pk__in=list(overdue.values_list("pk", flat=True)[:4])).update(latest_status=Status.DONE)
    page = client.get(dashboard_url("mueang-phalai")).content.decode()
    assert "มาตรการที่เลยกำหนด (7)" in text(page)
    # A raw statement renames an owner department.
    department = Department.objects.filter(organization__slug="mueang-phalai", measures__isnull=False).first()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Department._meta.db_table} SET name = %s WHERE id = %s",
                       ["กองทดสอบแคช", department.pk])
    page = client.get(dashboard_url("mueang-phalai")).content.decode()
    assert any(row[0] == "กองทดสอบแคช" for row in table_rows(page, "table-departments"))


@pytest.mark.django_db
def test_a_changed_indicator_score_shows_at_once(executive_of):
    client = executive_of("khok-ma")
    client.get(dashboard_url("khok-ma"))
    latest = Assessment.objects.filter(organization__slug="khok-ma").order_by("-fiscal_year").first()
    IndicatorScore.objects.filter(assessment=latest, indicator__number=1).update(score="12.34")
    page = client.get(dashboard_url("khok-ma")).content.decode()
    assert "12.34" in text(section(page, "h-latest"))


@pytest.mark.django_db
def test_the_rank_total_is_of_the_same_refresh_as_the_rank(executive_of):
    """A score written around the services (no refresh of the year's ranks) neither ranks nor counts: the card
    keeps "1 จาก 1" (rank and total of the same refresh), not "1 จาก 2" beside an organization without a rank."""
    client = executive_of("dong-sombun")
    dong_sombun = Organization.objects.get(slug="dong-sombun")
    other = OrganizationFactory(kind=dong_sombun.kind, province="น่าน")
    Assessment.objects.create(organization=other, fiscal_year=2562, official_score="50.00", score="50.00")
    assert "ลำดับที่ 1 จาก 1 คำนวณในระบบ" in text(client.get(dashboard_url("dong-sombun")).content.decode())


@pytest.mark.django_db
def test_a_new_score_of_the_same_kind_changes_the_rank_total_at_once(executive_of):
    """The rank card's total ("1 จาก 1") counts other organizations' assessments, as the year's ranks were last
    refreshed (the stored summaries, ``rank_totals``): a new one, once its scores are stored, shows at once."""
    client = executive_of("dong-sombun")
    assert "ลำดับที่ 1 จาก 1 คำนวณในระบบ" in text(client.get(dashboard_url("dong-sombun")).content.decode())
    dong_sombun = Organization.objects.get(slug="dong-sombun")
    other = OrganizationFactory(kind=dong_sombun.kind, province="น่าน")
    assessment_scores_refresh(
        assessment=Assessment.objects.create(organization=other, fiscal_year=2562, official_score="50.00"))
    assert "ลำดับที่ 1 จาก 2 คำนวณในระบบ" in text(client.get(dashboard_url("dong-sombun")).content.decode())
