"""Approving is quick; issuing happens after the commit (issue 18 §4).

The approval writes the state, the transition, the register number and a frozen copy of what the document says; the
background worker renders, signs and stores the PDF after the commit. Until then the memo's page says
"กำลังออกเอกสาร". A failed issue is shown with its error, retried automatically a bounded number of times, and an
organization admin (nobody else: 404) may retry it; the register, the clerk's page and ``manage.py memo_issues``
flag every number whose document is not stored.

The suite's default task backend runs a task when it is enqueued; ``database`` switches the default backend to
django-tasks-db, whose worker (``manage.py db_worker``) these tests run for real.
"""
import io
import re

import pytest
import weasyprint
from django.core.management import CommandError, call_command
from django.urls import reverse

from measures.services import measure_save
from memos.models import IssuedDocument, Memo
from memos.services import memo_reopen
from organizations.choices import Role
from tests.factories import MembershipFactory, OversightScopeFactory
from tests.helpers.memos import Route, committed
from tests.reports.thai_text_layer import text_pypdf

ISSUING = "กำลังออกเอกสาร"
FAILED = "ออกเอกสารไม่สำเร็จ"
RETRY_BUTTON = ">ออกเอกสารอีกครั้ง</button>"
BROKEN = "the renderer is broken"


@pytest.fixture
def route(db) -> Route:
    return Route()


@pytest.fixture
def database(settings, monkeypatch):
    """Tasks go to django-tasks-db's database backend: enqueued rows, run only by ``db_worker``."""
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    # The test runs inside a transaction; the worker would close that connection as "unusable" between tasks.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return settings


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def approve_on_the_page(client, route: Route):
    """Send the memo, forward it twice, and the mayor approves it on the memo's page; the approval commits."""
    route.through(("forward", "เห็นควรเสนอปลัด"), ("forward", "เห็นควรอนุมัติ"))
    client.force_login(route.mayor)
    with committed():
        response = client.post(route.url("memo_decide"), {"action": "approve", "comment": "อนุมัติ",
                                                          "confirm_issue": "on", "version": route.memo_now().version})
    assert response.status_code == 302
    return response


@pytest.fixture
def broken_renderer(monkeypatch):
    """Every PDF render raises (the forked render process inherits it)."""
    def broken(self, *args, **kwargs):
        raise OSError(BROKEN)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    return monkeypatch


def test_the_approval_renders_nothing_the_page_says_issuing_and_the_worker_issues_the_signed_pdf(
        client, route, database, signing):
    response = approve_on_the_page(client, route)
    memo = route.memo_now()
    assert (memo.state, memo.document_number) == ("approved", "บร 71001/1")
    assert not IssuedDocument.objects.exists()  # no PDF was rendered in the request
    page = client.get(response["Location"])
    assert ISSUING in text(page) and "บร 71001/1" in text(page)
    assert 'data-refresh-seconds="3"' in page.content.decode()  # the page reloads itself until it is stored
    assert reverse("memos:memo_issued_pdf", args=[route.organization.slug, memo.pk, 1]) not in text(page)

    frozen = memo.issues.get().html  # built before the number was taken, then numbered
    assert "บร ๗๑๐๐๑/๑" in frozen and "ITAREGISTERNUMBERPENDING" not in frozen

    run_worker()

    issued = IssuedDocument.objects.get(memo=memo)
    assert (issued.version, issued.document_number, issued.register_number, issued.signed) == (
        1, "บร 71001/1", 1, True)
    assert "๗๑๐๐๑/๑" in text_pypdf(bytes(issued.content))
    assert issued.issued_by == route.mayor
    page = client.get(response["Location"])
    assert ISSUING not in text(page) and "data-refresh-seconds" not in page.content.decode()
    download_url = reverse("memos:memo_issued_pdf", args=[route.organization.slug, memo.pk, 1])
    assert f'href="{download_url}"' in page.content.decode()
    assert client.get(download_url).content == bytes(issued.content)


def test_an_edit_after_a_reopen_does_not_reach_the_pdf_of_the_earlier_approval(client, route, database):
    """What the issued PDF says is frozen at approval, even when the worker renders it after the plan changed."""
    approve_on_the_page(client, route)
    memo_reopen(memo=route.memo_now(), user=route.mayor, reason="แก้ไขมาตรการ")
    measure_save(plan=route.plan, measure=route.measure, data={"title": "มาตรการที่แก้หลังเปิดใหม่"}, steps=[],
                 version=1, rights=None)
    assert not IssuedDocument.objects.exists()

    run_worker()

    printed = text_pypdf(bytes(IssuedDocument.objects.get(memo=route.memo).content))
    assert "มาตรการเดิม" in printed and "มาตรการที่แก้หลังเปิดใหม่" not in printed


def test_a_failed_issue_is_retried_then_shown_with_its_error_and_an_admin_retry_issues_it(
        client, route, broken_renderer, settings):
    settings.MEMO_ISSUE_ATTEMPTS = 3
    response = approve_on_the_page(client, route)  # the immediate backend runs every attempt at once
    memo = route.memo_now()
    assert (memo.state, memo.document_number) == ("approved", "บร 71001/1")  # the approval stands
    assert not IssuedDocument.objects.filter(memo=memo).exists()
    issue = memo.issues.get()
    assert (issue.status, issue.attempts) == ("failed", 3)
    assert BROKEN in issue.error

    page = client.get(response["Location"]).content.decode()  # the mayor: the failure, no button
    assert FAILED in page and BROKEN in page and RETRY_BUTTON not in page
    admin = MembershipFactory(organization=route.organization, role=Role.ADMIN).user
    client.force_login(admin)
    assert RETRY_BUTTON in client.get(route.url("memo_detail")).content.decode()

    broken_renderer.undo()
    with committed():
        retried = client.post(route.url("memo_issue_retry"))
    assert retried.status_code == 302 and retried["Location"] == route.url("memo_detail")
    issue.refresh_from_db()
    assert (issue.status, issue.attempts, issue.document.version) == ("issued", 1, 1)
    page = client.get(route.url("memo_detail")).content.decode()
    assert FAILED not in page and ISSUING not in page and RETRY_BUTTON not in page
    assert bytes(IssuedDocument.objects.get(memo=memo).content).startswith(b"%PDF-")


def test_the_worker_queues_a_failed_attempt_again_after_a_pause(client, route, database, broken_renderer, settings):
    settings.MEMO_ISSUE_ATTEMPTS, settings.MEMO_ISSUE_RETRY_SECONDS = 3, 60
    from django_tasks_db.models import DBTaskResult

    approve_on_the_page(client, route)
    run_worker()  # the first attempt fails; the second waits a minute

    issue = route.memo_now().issues.get()
    assert (issue.status, issue.attempts) == ("queued", 1) and BROKEN in issue.error
    assert 55 <= (issue.next_attempt_at - issue.started_at).total_seconds() <= 65
    waiting = DBTaskResult.objects.get(id=issue.task_id)
    assert waiting.status == "READY" and waiting.run_after == issue.next_attempt_at
    page = text(client.get(route.url("memo_detail")))
    assert ISSUING in page and "ครั้งที่ 1 จาก 3 ไม่สำเร็จ" in page and BROKEN in page


@pytest.fixture
def failed(client, route, broken_renderer, settings):
    """The memo approved, numbered บร 71001/1, its issue failed after one attempt."""
    settings.MEMO_ISSUE_ATTEMPTS = 1
    approve_on_the_page(client, route)
    broken_renderer.undo()
    client.logout()
    return route.memo_now().issues.get()


@pytest.mark.parametrize("persona", [Role.STAFF, Role.CLERK, Role.EXECUTIVE, "outsider", "overseer"])
def test_only_an_admin_of_the_organization_may_retry_others_get_404_and_nothing_moves(client, route, failed, persona):
    if persona == "outsider":
        user = MembershipFactory(role=Role.ADMIN).user  # an admin of another organization
    elif persona == "overseer":
        user = OversightScopeFactory(province="").user
    else:
        user = MembershipFactory(organization=route.organization, role=persona).user
    client.force_login(user)
    with committed():
        assert client.post(route.url("memo_issue_retry")).status_code == 404
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert not IssuedDocument.objects.exists()


def test_the_retry_is_refused_to_anonymous_visitors_and_when_nothing_failed(client, route, failed):
    response = client.post(route.url("memo_issue_retry"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    admin = MembershipFactory(organization=route.organization, role=Role.ADMIN).user
    client.force_login(admin)
    assert client.get(route.url("memo_issue_retry")).status_code == 405
    with committed():
        client.post(route.url("memo_issue_retry"))
    failed.refresh_from_db()
    assert failed.status == "issued"
    assert client.post(route.url("memo_issue_retry")).status_code == 404  # issued: nothing to retry
    assert IssuedDocument.objects.filter(memo=route.memo).count() == 1


def test_the_register_the_clerks_page_and_the_command_flag_numbers_without_their_document(client, route, failed):
    client.force_login(route.clerk)
    register = text(client.get(reverse("memos:register", args=[route.organization.slug])))
    assert "บร 71001/1" in register and FAILED in register
    approved = text(client.get(reverse("memos:issued_documents", args=[route.organization.slug])))
    assert route.memo.subject in approved and FAILED in approved

    out = io.StringIO()
    with pytest.raises(CommandError, match="ทะเบียนหนังสือส่งบางเลขยังไม่มีเอกสาร"):
        call_command("memo_issues", stdout=out)
    assert f"{route.organization.slug}\tบร 71001/1\tออกเอกสารไม่สำเร็จ: OSError: {BROKEN}" in out.getvalue()

    with committed():
        call_command("memo_issues", "--retry", stdout=io.StringIO())  # retried; the worker issues it
    out = io.StringIO()
    call_command("memo_issues", stdout=out)
    assert "บร 71001/1" not in out.getvalue() and "ไม่มีเอกสาร 0 เลข" in out.getvalue()
    register = text(client.get(reverse("memos:register", args=[route.organization.slug])))
    assert FAILED not in register and ISSUING not in register


def test_a_number_being_issued_is_flagged_on_the_register(client, route, database):
    approve_on_the_page(client, route)
    client.force_login(route.clerk)
    register = text(client.get(reverse("memos:register", args=[route.organization.slug])))
    assert "บร 71001/1" in register and ISSUING in register
    assert Memo.objects.get(pk=route.memo.pk).issues.get().status == "queued"


def test_a_reopened_and_approved_again_memo_issues_version_two_with_the_same_number(route):
    route.through(("forward", ""), ("forward", ""), ("approve", "อนุมัติ"))
    memo_reopen(memo=route.memo_now(), user=route.mayor, reason="แก้ไข")
    route.through(("forward", ""), ("forward", ""), ("approve", "อนุมัติอีกครั้ง"))
    assert list(IssuedDocument.objects.filter(memo=route.memo).values_list("version", "register_number")) == [
        (1, 1), (2, 1)]
    assert list(route.memo_now().issues.values_list("version", "status")) == [(1, "issued"), (2, "issued")]


def test_an_issue_stuck_without_a_worker_is_flagged_and_an_admin_starts_it_again(client, route, database, settings):
    """The worker was stopped (or the task lost): after ``MEMO_ISSUE_STALE_SECONDS`` the page and the command say
    so, and the admin's retry queues it again for the worker."""
    import datetime as dt

    from django.utils import timezone

    from memos.models import MemoIssue

    settings.MEMO_ISSUE_STALE_SECONDS = 600
    approve_on_the_page(client, route)
    admin = MembershipFactory(organization=route.organization, role=Role.ADMIN).user
    client.force_login(admin)
    assert RETRY_BUTTON not in client.get(route.url("memo_detail")).content.decode()  # queued a moment ago
    MemoIssue.objects.update(requested_at=timezone.now() - dt.timedelta(minutes=11))

    page = client.get(route.url("memo_detail")).content.decode()
    assert ISSUING in page and "ไม่มีความคืบหน้ามานานแล้ว" in page and RETRY_BUTTON in page
    assert "data-refresh-seconds" not in page
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("memo_issues", stdout=out)
    assert "ค้าง: ไม่มีความคืบหน้าตั้งแต่เข้าคิว" in out.getvalue()

    with committed():
        client.post(route.url("memo_issue_retry"))
    run_worker()
    assert MemoIssue.objects.get().status == "issued" and IssuedDocument.objects.filter(memo=route.memo).count() == 1


def test_an_admins_retry_and_the_issues_outcome_are_in_the_organizations_audit_log(client, route, failed):
    from auditlog.models import LogEntry

    admin = MembershipFactory(organization=route.organization, role=Role.ADMIN).user
    client.force_login(admin)
    with committed():
        client.post(route.url("memo_issue_retry"))
    entries = LogEntry.objects.filter(content_type__model="memoissue", object_pk=str(failed.pk))
    by_admin = [e for e in entries if e.actor_id == admin.pk]
    assert by_admin, "the retry is not in the audit log"
    assert all(e.additional_data["organization_id"] == route.organization.pk for e in entries)
    assert any(e.changes_dict.get("status", [None, None])[1] == "issued" for e in entries)
    assert not any("html" in e.changes_dict for e in entries)  # the frozen document is not copied into the log
    log = client.get(reverse("audit:organization_audit_log", args=[route.organization.slug])).content.decode()
    assert admin.username in log
