"""The live calculator of the results form asks the server (issue 13): what it shows is what the server computes,
and what the server refuses it refuses, next to the field."""
import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from organizations.choices import Role
from organizations.models import Organization

from .helpers import chromium, ensure_seed_data, log_in, member, new_page

pytestmark = pytest.mark.browser


def test_the_live_calculator_shows_the_servers_result_and_refuses_120(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # reading the database while Playwright's loop runs
    ensure_seed_data()
    member("e2e-admin-calc", Organization.objects.get(slug="khok-ma"), Role.ADMIN)
    stored = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    with chromium() as browser:
        page = new_page(browser, live_server.url)
        log_in(page, "e2e-admin-calc")
        page.goto("/organizations/khok-ma/assessments/2568/edit/")
        ita = page.locator('[data-out="ita"]')
        expect(ita).to_have_text(f"{stored.computed_score:.2f}")
        page.fill("#id_indicator_3", "120")
        expect(page.locator(".live-error")).to_have_text("คะแนนต้องอยู่ระหว่าง 0 ถึง 100")
        expect(ita).to_have_text("–")
        expect(page.locator('[data-out="level"]')).to_have_text("–")
        page.fill("#id_indicator_3", "๙๕")
        expect(page.locator(".live-error")).to_have_count(0)
        expect(ita).not_to_have_text("–")
        assert page.js_errors == []
