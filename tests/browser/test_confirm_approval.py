"""Approving asks for confirmation (issue 13): the executive's click on "อนุมัติและล็อก" opens a Thai question;
dismissing it approves nothing, accepting it approves and locks the plan."""
import pytest

from measures.models import MeasurePlan
from organizations.choices import Role
from organizations.models import Organization

from .helpers import chromium, ensure_seed_data, log_in, member, new_page

pytestmark = pytest.mark.browser


def test_approving_a_plan_asks_first(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # reading the database while Playwright's loop runs
    ensure_seed_data()
    member("e2e-mayor-confirm", Organization.objects.get(slug="khok-ma"), Role.EXECUTIVE)
    MeasurePlan.objects.filter(organization__slug="khok-ma", fiscal_year=2568).update(state="draft", approved_at=None,
                                                                                      approved_by=None)
    with chromium() as browser:
        page = new_page(browser, live_server.url)
        log_in(page, "e2e-mayor-confirm")
        page.goto("/organizations/khok-ma/plans/2568/")
        questions = []

        def answer(dialog, accept):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", lambda dialog: answer(dialog, False))
        page.get_by_role("button", name="อนุมัติและล็อก").click()
        page.wait_for_timeout(300)
        assert questions == ["อนุมัติและล็อกใช่หรือไม่ หลังอนุมัติแล้วจะไม่มีผู้ใดแก้ไขได้จนกว่าผู้บริหารจะเปิดให้แก้ไขอีกครั้ง"]
        assert MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568).state == "draft"

        page.once("dialog", lambda dialog: answer(dialog, True))
        with page.expect_navigation():
            page.get_by_role("button", name="อนุมัติและล็อก").click()
        assert len(questions) == 2
        assert MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568).state == "approved"
        assert page.get_by_role("button", name="เปิดให้แก้ไข").count() == 1
