"""The period a progress round reports on: one rule (``measures.choices.round_period``) for the new-report form and
the dashboard's checklist."""
import datetime as dt

import pytest
from django.urls import reverse

from measures.choices import Round, round_period
from tests.helpers.forms import get_form


def test_the_six_month_round_runs_from_1_october_to_31_march_and_the_annual_round_the_whole_year():
    assert round_period(fiscal_year=2568, round=Round.SIX_MONTH) == (dt.date(2024, 10, 1), dt.date(2025, 3, 31))
    assert round_period(fiscal_year=2568, round=Round.ANNUAL) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    assert round_period(fiscal_year=2567, round=Round.SIX_MONTH)[1] == dt.date(2024, 3, 31)


@pytest.mark.django_db
def test_the_new_report_form_proposes_the_rounds_period(client, admin_user):
    client.force_login(admin_user)
    url = reverse("measures:report_create", args=["khok-ma", 2568])
    six_month = get_form(client, url + "?round=six_month")
    assert (six_month["period_start"], six_month["period_end"]) == ("1/10/2567", "31/3/2568")
