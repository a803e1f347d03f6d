"""Helpers of the browser tests: seed data for the live server, the seed documents as plain data, the
portal's forms driven with Playwright, and plans turned into plain dicts for comparison.

Playwright's sync API keeps an asyncio loop running in the main thread while it is started, and Django refuses
ORM calls from a thread with a running loop (``SynchronousOnlyOperation``). So a test does its ORM work before
``chromium()`` is entered and after it is left; the live server answers the browser from its own thread.
"""
import datetime as dt
import os
import re
from contextlib import contextmanager
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments.models import Framework
from measures.models import MeasurePlan
from organizations.choices import Role
from organizations.models import Department, Membership, Organization

CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium; Playwright's own browser download does not work here
PASSWORD = "correct-horse-battery"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOT_LIMIT = 1_500_000  # bytes
TIMEOUT_MS = 15_000


# --- seed data in the database --------------------------------------------------------------------------------

def seed_slugs() -> set[str]:
    return {seed_document(path.name)["organization"]["slug"] for path in settings.SEED_DATA_DIR.glob("*.yaml")}


def ensure_seed_data() -> None:
    """Load the frameworks and the five seed documents unless they are all there.

    ``tests/conftest.py`` loads them once per session and transactional tests (``live_server``) end with the
    session's snapshot put back (``tests.helpers.database``); this is the check for a test after one that ended with
    Django's flush instead (one asking for ``reset_sequences`` or the like).
    """
    if (Framework.objects.exists()
            and Organization.objects.filter(slug__in=seed_slugs()).count() == len(seed_slugs())):
        return
    call_command("load_seed_documents", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def organization_like(seed_slug: str, new_slug: str) -> Organization:
    """A new organization with the name, kind and departments (names, aliases, order) of ``seed_slug``."""
    seed = Organization.objects.get(slug=seed_slug)
    organization = Organization.objects.create(
        slug=new_slug, name=f"{seed.name} (ทดสอบ)", kind=seed.kind, amphoe=seed.amphoe, province=seed.province,
        document_number_prefix=seed.document_number_prefix, phone=seed.phone,
    )
    Department.objects.bulk_create(
        Department(organization=organization, name=d.name, aliases=d.aliases, order=d.order)
        for d in seed.departments.all()
    )
    return organization


def member(username: str, organization: Organization, role: str, department_name: str | None = None):
    """A new user with ``PASSWORD``, member of ``organization`` with ``role`` (in a department for staff)."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    department = organization.departments.get(name=department_name) if department_name else None
    Membership.objects.create(user=user, organization=organization, role=role, department=department)
    return user


def admin_of(organization: Organization, username: str):
    return member(username, organization, Role.ADMIN)


# --- the seed documents as data -------------------------------------------------------------------------------

def seed_document(file_name: str) -> dict:
    return yaml.safe_load((settings.SEED_DATA_DIR / file_name).read_text(encoding="utf-8"))


def be_date(day: dt.date | None) -> str:
    """A date as typed in the portal's forms: day/month/Buddhist-era year, "1/10/2563"; "" for None."""
    return f"{day.day}/{day.month}/{day.year + 543}" if day else ""


def text(value) -> str:
    return "" if value is None else str(value)


# --- plans as plain data --------------------------------------------------------------------------------------

def plan_snapshot(*, slug: str, fiscal_year: int) -> dict:
    """What is stored for the plan of ``slug`` in ``fiscal_year``, as plain data (no ids), for comparing an
    organization entered through the browser with one loaded from its seed document."""
    plan = MeasurePlan.objects.get(organization__slug=slug, fiscal_year=fiscal_year)
    measures = {}
    for m in plan.measures.prefetch_related("indicators", "owners", "steps").order_by("number"):
        measures[m.number] = {
            "title": m.title, "issue": m.issue, "method": m.method, "question_codes": list(m.question_codes),
            "indicators": sorted(i.number for i in m.indicators.all()),
            "owners": sorted(d.name for d in m.owners.all()), "owner_note": m.owner_note,
            "timeframe_start": m.timeframe_start, "timeframe_end": m.timeframe_end,
            "timeframe_text": m.timeframe_text, "monitoring": m.monitoring,
            "steps": [s.text for s in sorted(m.steps.all(), key=lambda s: s.order)],
        }
    reports = {}
    for r in plan.progress_reports.prefetch_related("entries__measure"):
        reports[r.round] = {
            "period_start": r.period_start, "period_end": r.period_end, "title": r.title, "summary": r.summary,
            "entries": {
                e.measure.number: {
                    "status": e.status, "result": e.result, "date_done": e.date_done, "date_text": e.date_text,
                    "evidence": e.evidence, "recommendation": e.recommendation,
                }
                for e in sorted(r.entries.all(), key=lambda e: e.measure.number)
            },
        }
    return {"fiscal_year": plan.fiscal_year, "title": plan.title, "introduction": plan.introduction,
            "measures": measures, "reports": reports}


def differences(expected, actual, path: str = "plan") -> list[str]:
    """Every place where two snapshots differ, one readable line each (``expected`` is the seed's)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        lines = []
        for key in sorted(set(expected) | set(actual), key=str):
            where = f"{path}[{key!r}]"
            if key not in actual:
                lines.append(f"{where}: missing from the entered data (seed: {expected[key]!r})")
            elif key not in expected:
                lines.append(f"{where}: not in the seed (entered: {actual[key]!r})")
            else:
                lines.extend(differences(expected[key], actual[key], where))
        return lines
    return [] if expected == actual else [f"{path}:\n    seed:    {expected!r}\n    entered: {actual!r}"]


# --- the browser ----------------------------------------------------------------------------------------------

@contextmanager
def chromium():
    """Debian's Chromium driven by Playwright (sync API); no ORM calls inside (see the module docstring)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, base_url: str, *, viewport: dict = DESKTOP, touch: bool = False, javascript: bool = True):
    """A page in a fresh context (its own cookies) that records JavaScript errors in ``page.js_errors``; ``touch``
    for a touch screen (``locator.tap()``), ``javascript=False`` for a browser with JavaScript turned off."""
    context = browser.new_context(base_url=base_url, viewport=viewport, locale="th-TH", has_touch=touch,
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    # The first page after log-in (``dashboards.views.home``): the dashboard of a one-organization user, else the
    # overview.
    page.wait_for_url(re.compile(r"/(organizations/[\w-]+/dashboard|overview)/$"))


def form_errors(page) -> list[str]:
    return [t.strip() for t in page.locator(".error, .messages .error").all_inner_texts() if t.strip()]


def submit(page, button, url_pattern: str) -> None:
    """Click ``button``, wait for the page the form leads to and check it is ``url_pattern`` (a regex) with no
    error on it; a form that comes back with errors fails with the messages the page shows."""
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()
    errors = form_errors(page)
    assert re.search(url_pattern, page.url) and not errors, f"after submitting: {page.url} {errors}"


def follow(page, link) -> None:
    """Click ``link`` and wait until the page it leads to has loaded. A bare ``click()`` returns once the click is
    dispatched, so a ``count()`` read right after it may still see the old page (it failed that way in CI)."""
    with page.expect_navigation():
        link.click()
    page.wait_for_load_state()


def screenshot(page, name: str, directory: Path, **options) -> Path:
    """A PNG of the page in ``directory``; fails when it is larger than ``SCREENSHOT_LIMIT``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    # Show the start of every text box, not where the last fill left the caret.
    page.evaluate("""() => { document.activeElement?.blur();
        document.querySelectorAll('textarea').forEach(t => { t.scrollTop = 0; }); }""")
    page.screenshot(path=str(path), type="png", **options)
    assert path.stat().st_size < SCREENSHOT_LIMIT, f"{name} is {path.stat().st_size} bytes"
    return path


def settle(page) -> None:
    """Wait until the page has been laid out and painted again (after a viewport change, a full-page screenshot
    taken at once may show parts of the old layout)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_timeout(200)


def checkbox_by_label(page, group_id: str, label: re.Pattern):
    """The checkbox of the CheckboxSelectMultiple ``group_id`` whose label matches ``label``."""
    labels = page.locator(f"#{group_id} label").filter(has_text=label)
    assert labels.count() == 1, f"{labels.count()} labels match {label.pattern} in #{group_id}"
    return labels.locator("input[type=checkbox]")


def fill_steps(page, steps: list[str], *, exercise: bool = False) -> None:
    """Type ``steps`` into the steps editor, one row per step, adding rows with the "เพิ่มขั้นตอน" button (the
    JavaScript path). With ``exercise`` (three steps or more) rows are first typed out of order with a stray
    row, then put right with ↑ and ↓ and the stray row removed, so the page posts ``steps`` in order."""
    rows = page.locator("#steps .step-row")
    add = page.get_by_role("button", name="เพิ่มขั้นตอน")
    typed = list(steps)
    stray = "ขั้นตอนที่พิมพ์ผิด จะลบทิ้ง"
    if exercise:
        assert len(steps) >= 3
        typed = [steps[1], steps[0], stray, *steps[2:]]
    for index, step in enumerate(typed):
        if index >= rows.count():
            add.click()
        assert rows.count() == index + 1
        rows.nth(index).locator("textarea").fill(step)
    if not exercise:
        return
    # [s1, s0, stray, s2, …]: ↑ on s0 → [s0, s1, stray, s2, …]; ↓ on the stray row → [s0, s1, s2, stray, …]
    rows.nth(1).get_by_role("button", name="เลื่อนขึ้น").click()
    rows.nth(2).get_by_role("button", name="เลื่อนลง").click()
    stray_row = rows.nth(3)
    assert stray_row.locator("textarea").input_value() == stray
    stray_row.get_by_label("ลบ", exact=True).check()
    assert "removed" in (stray_row.get_attribute("class") or "")
    shown = [row.locator("textarea").input_value() for row in rows.all()]
    assert shown[:3] + shown[4:] == steps
    orders = [row.locator("input[name$='-ORDER']").input_value() for row in rows.all()]
    assert orders == [str(n) for n in range(1, len(typed) + 1)], orders


def fill_measure(page, measure: dict, departments: dict[str, str], *, exercise_steps: bool = False) -> None:
    """Fill the new-measure form with a measure of a seed document (``departments``: key → name)."""
    page.fill("#id_number", str(measure["number"]))
    page.fill("#id_title", text(measure["title"]))
    page.fill("#id_issue", text(measure.get("issue")))
    for number in measure.get("indicators") or []:
        checkbox_by_label(page, "id_indicators", re.compile(rf"^\s*{number}\.\s")).check()
    page.fill("#id_question_codes", ", ".join(measure.get("question_codes") or []))
    page.fill("#id_method", text(measure.get("method")))
    fill_steps(page, [text(s) for s in measure.get("steps") or []], exercise=exercise_steps)
    for key in measure.get("owners") or []:
        name = departments[key]
        checkbox_by_label(page, "id_owners", re.compile(rf"^\s*{re.escape(name)}\s*$")).check()
    page.fill("#id_owner_note", text(measure.get("owner_note")))
    # A new measure starts with the whole fiscal year: typed over, or cleared when the seed has no date.
    page.fill("#id_timeframe_start", be_date(measure.get("timeframe_start")))
    page.fill("#id_timeframe_end", be_date(measure.get("timeframe_end")))
    page.fill("#id_timeframe_text", text(measure.get("timeframe_text")))
    page.fill("#id_monitoring", text(measure.get("monitoring")))
    checked = page.locator("#id_indicators input:checked, #id_owners input:checked").count()
    assert checked == len(measure.get("indicators") or []) + len(measure.get("owners") or [])


def fill_progress_row(page, entry: dict) -> None:
    """Fill the row of a progress report page for one seed entry (inputs prefixed ``m<number>``)."""
    prefix = f"#id_m{entry['measure']}-"
    page.select_option(prefix + "status", entry.get("status") or "")
    page.fill(prefix + "result", text(entry.get("result")))
    page.fill(prefix + "date_done", be_date(entry.get("date_done")))
    page.fill(prefix + "date_text", text(entry.get("date_text")))
    page.fill(prefix + "evidence", text(entry.get("evidence")))
    page.fill(prefix + "recommendation", text(entry.get("recommendation")))


def editable_rows(page) -> list[int]:
    """Numbers of the measures that have a form row on the progress report page."""
    names = page.locator("select[name$='-status']").evaluate_all("els => els.map(e => e.name)")
    return [int(re.match(r"m(\d+)-status", name).group(1)) for name in names]
