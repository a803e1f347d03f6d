"""The OIT checklist of 2569 in Debian's Chromium (issue 20, "Done when"): at องค์การบริหารส่วนตำบลบ้านพราน (its
seed has the measure plan of 2569), the admin starts the 2569 checklist and assigns O25 and O26 to กองคลัง; the
staff member of กองคลัง links the issued PDF of the plan as O25's evidence and a page of a local website for O26
whose text lacks 2568, the year O26 requires; the staff member runs the readiness check (the page's button: the
request enqueues the task, which the test settings' immediate task backend runs at once, in the live server's
request — the same code path as the worker's, ``readiness_run_task``); the report says in Thai that 2568 is not
found, on the readiness page and in the staff member's work list; the staff member gives a page showing 2568, the
check passes for O26, and the executive confirms the checklist ready to submit.

The plan's issued PDF is an ``IssuedDocument`` row made by ``tests.helpers.oit.issued_document`` (its memo carries
the plan of 2569): issuing a real memo (route, signature, rendering) is covered by test_memo_route.py.

Screenshots go to a temporary directory, or with ``UPDATE_SCREENSHOTS=1`` to ``docs/screenshots/``
(``oit-checklist.png``, ``oit-entry.png``, ``oit-readiness.png``).
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from measures.models import MeasurePlan
from oit.choices import ChecklistState, EvidenceKind, ProblemKind
from oit.items import item_lists_load
from oit.models import Checklist, ChecklistEntry, Problem, ReadinessRun
from organizations.choices import Role
from organizations.models import Organization
from tests.helpers.oit import issued_document
from tests.helpers.oit_site import local_site

from .helpers import chromium, ensure_seed_data, follow, log_in, member, new_page, screenshot, submit

pytestmark = pytest.mark.browser
SLUG, YEAR, DEPARTMENT = "ban-phran", 2569, "กองคลัง"
CHECKLIST = f"/organizations/{SLUG}/oit/{YEAR}/"


def _set_up(website: str):
    ensure_seed_data()
    item_lists_load()
    organization = Organization.objects.get(slug=SLUG)
    organization.website = website
    organization.save(update_fields=["website"])
    member("e2e-oit-admin", organization, Role.ADMIN)
    member("e2e-oit-staff", organization, Role.STAFF, DEPARTMENT)
    member("e2e-oit-executive", organization, Role.EXECUTIVE)
    plan = MeasurePlan.objects.get(organization=organization, fiscal_year=YEAR)
    return issued_document(organization=organization, plan=plan, subject="มาตรการส่งเสริมคุณธรรม ปี 2569")


def _thai(message: str, **params) -> str:
    with translation.override("th"):
        return _(message) % params if params else _(message)


def _entry(code: str) -> ChecklistEntry:
    return ChecklistEntry.objects.get(checklist__organization__slug=SLUG, checklist__fiscal_year=YEAR,
                                      item__code=code)


def _evidence_form(page, code: str):
    """The id prefix of the one element's evidence form of ``code`` (2569's O25 and O26 have one element)."""
    prefix = _entry(code).evidence.get().element_id
    return f"#id_ev-{prefix}"


def _run_check(page) -> None:
    page.goto(CHECKLIST + "readiness/")
    submit(page, page.locator("#readiness-run"), rf"{CHECKLIST}readiness/$")


def test_the_2569_checklist_from_assignment_to_ready(live_server, screenshot_dir):
    with local_site() as site:
        document = _set_up(site.url("/"))
        without_year, with_year = site.url("/no-year"), site.url("/year/2568")

        with chromium() as browser:
            admin = new_page(browser, live_server.url)
            log_in(admin, "e2e-oit-admin")
            admin.goto(CHECKLIST)
            submit(admin, admin.locator("#checklist-start button"), rf"{CHECKLIST}$")
            assert _thai("The OIT checklist of fiscal year %(year)s was made.", year=YEAR) in admin.content()
            for code in ("O25", "O26"):
                admin.goto(f"{CHECKLIST}items/{code}/")
                admin.locator("#id_owners label").filter(has_text=DEPARTMENT).locator("input").check()
                submit(admin, admin.locator("#entry-form button[type=submit]"), rf"{CHECKLIST}$")
                assert _thai("%(code)s was saved.", code=code) in admin.content()
            screenshot(admin, "oit-checklist.png", screenshot_dir, full_page=True)

        assert sorted(_entry("O25").owners.values_list("name", flat=True)) == [DEPARTMENT]
        assert sorted(_entry("O26").owners.values_list("name", flat=True)) == [DEPARTMENT]
        o25, o26 = _evidence_form(None, "O25"), _evidence_form(None, "O26")

        with chromium() as browser:
            staff = new_page(browser, live_server.url)
            log_in(staff, "e2e-oit-staff")
            staff.goto(f"{CHECKLIST}items/O25/")
            # The year's plan is suggested first and chosen already; the staff member ticks the element.
            assert staff.locator(f"{o25}-kind").input_value() == EvidenceKind.DOCUMENT
            assert staff.locator(f"{o25}-document").input_value() == str(document.pk)
            staff.locator("#id_url").fill(site.url("/year/2569"))
            staff.locator(f"{o25}-done").check()
            screenshot(staff, "oit-entry.png", screenshot_dir, full_page=True)
            submit(staff, staff.locator("#entry-form button[type=submit]"), rf"{CHECKLIST}$")

            staff.goto(f"{CHECKLIST}items/O26/")
            staff.locator("#id_url").fill(without_year)
            staff.locator(f"{o26}-done").check()
            staff.locator(f"{o26}-kind").select_option(EvidenceKind.URL)
            staff.locator(f"{o26}-url").fill(without_year)
            submit(staff, staff.locator("#entry-form button[type=submit]"), rf"{CHECKLIST}$")

            _run_check(staff)
            row = staff.locator("#readiness-item-O26")
            year_missing = row.locator(f".problem-{ProblemKind.YEAR_MISSING}")
            assert year_missing.count() == 1
            shown = year_missing.inner_text()
            assert "ไม่พบปี พ.ศ. 2568" in shown, shown
            row.scroll_into_view_if_needed()  # the page lists all 26 items: the shot shows O26's row
            screenshot(staff, "oit-readiness.png", screenshot_dir)
            # The same problem in the staff member's work list, under "ข้อ OIT ของส่วนราชการฉัน"
            follow(staff, staff.get_by_role("link", name="งานของส่วนราชการฉัน"))
            work = staff.locator("#oit-problems tr.problem-year_missing")
            assert work.count() == 1 and "O26" in work.inner_text() and "ไม่พบปี พ.ศ. 2568" in work.inner_text()

        run = ReadinessRun.objects.filter(checklist__organization__slug=SLUG).latest("pk")
        assert run.status == "done"
        assert list(Problem.objects.filter(run=run, entry=_entry("O26")).values_list("kind", "detail")) == [
            (ProblemKind.YEAR_MISSING, "2568")]
        evidence = _entry("O25").evidence.get()
        assert (evidence.done, evidence.kind, evidence.document_id) == (True, EvidenceKind.DOCUMENT, document.pk)
        assert not Problem.objects.filter(run=run, entry=_entry("O25")).exists()
        year_message = Problem.objects.get(run=run, entry=_entry("O26"))
        with translation.override("th"):
            expected_message = year_message.message
        assert expected_message in shown and "2568" in expected_message

        with chromium() as browser:
            staff = new_page(browser, live_server.url)
            log_in(staff, "e2e-oit-staff")
            staff.goto(f"{CHECKLIST}items/O26/")
            staff.locator("#id_url").fill(with_year)
            staff.locator(f"{o26}-url").fill(with_year)
            staff.locator("#id_status").select_option("ready")
            submit(staff, staff.locator("#entry-form button[type=submit]"), rf"{CHECKLIST}$")
            _run_check(staff)
            assert staff.locator("#readiness-item-O26").count() == 0  # no problem left on O26
            assert staff.locator("#readiness-item-O25").count() == 0

            executive = new_page(browser, live_server.url)
            log_in(executive, "e2e-oit-executive")
            executive.goto(CHECKLIST + "ready/")
            submit(executive, executive.locator("#ready-form button[type=submit]"), rf"{CHECKLIST}$")
            assert _thai("The OIT checklist of fiscal year %(year)s is marked ready to submit.",
                         year=YEAR) in executive.content()

        run = ReadinessRun.objects.filter(checklist__organization__slug=SLUG).latest("pk")
        assert not Problem.objects.filter(run=run, entry__item__code__in=["O25", "O26"]).exists()
        assert _entry("O26").url == with_year and _entry("O26").status == "ready"
        checklist = Checklist.objects.get(organization__slug=SLUG, fiscal_year=YEAR)
        assert checklist.state == ChecklistState.READY
        assert checklist.ready_by.username == "e2e-oit-executive"
        assert site.paths.count("/no-year") >= 1 and "/year/2568" in site.paths
