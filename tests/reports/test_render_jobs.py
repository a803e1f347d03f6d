"""Large documents render in the background worker (issue 12 §4): the request only enqueues and reports progress.

The suite runs tasks with django.tasks' immediate backend (test settings); one test runs the real database backend
(django-tasks-db) and its worker, ``db_worker``. The threshold is lowered so that Khok Ma's analysis and measures
document of 2568 (3 pages, about 4,400 characters) counts as large.
"""
import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from measures.models import MeasurePlan
from reports import rendering
from reports.choices import RenderStatus
from reports.models import RenderJob
from tests.factories import OversightScopeFactory, RenderJobFactory

DOCUMENT = ("khok-ma", 2568, "measures")


@pytest.fixture
def large(settings):
    """Documents over 1,000 characters go to the worker."""
    settings.RENDER_INLINE_MAX_CHARS = 1_000
    return settings


@pytest.fixture
def plan(db) -> MeasurePlan:
    return MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def pdf_pages(content: bytes) -> int:
    import io

    return len(PdfReader(io.BytesIO(content)).pages)


def test_the_size_of_a_document_is_the_characters_of_its_text():
    assert rendering.document_characters("<p>ผล  การ&nbsp;ดำเนินการ</p>\n<td>๙๖.๕๕</td>") == len("ผล การ ดำเนินการ ๙๖.๕๕")
    assert rendering.estimated_pages(31_000) == 20


def test_a_small_document_still_downloads_in_the_request(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("reports:document_pdf", args=DOCUMENT))
    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) == 3
    assert not RenderJob.objects.exists()


def test_a_large_document_sends_the_user_to_the_page_that_prepares_it(client, admin_user, large):
    client.force_login(admin_user)
    response = client.get(reverse("reports:document_pdf", args=DOCUMENT))
    create_url = reverse("reports:render_job_create", args=DOCUMENT)
    assert response.status_code == 302 and response["Location"] == create_url
    page = text(client.get(create_url))
    assert "เอกสารนี้มีขนาดใหญ่" in page and "ประมาณ 3 หน้า" in page
    assert "จัดทำไฟล์ PDF ในเบื้องหลัง" in page
    assert not RenderJob.objects.exists()  # a GET enqueues nothing


def test_the_query_of_the_document_is_kept_on_the_way(client, admin_user, large):
    client.force_login(admin_user)
    args = ("khok-ma", 2568, "memo")
    response = client.get(reverse("reports:document_pdf", args=args), {"round": "annual", "attach": "annual"})
    assert response["Location"] == reverse("reports:render_job_create", args=args) + "?round=annual&attach=annual"
    client.post(response["Location"])
    job = RenderJob.objects.get()
    assert (job.kind, job.round, job.attach, job.status) == ("memo", "annual", "annual", RenderStatus.DONE)
    assert job.filename == "memo-khok-ma-2568+annual.pdf"


def test_posting_enqueues_the_render_which_stores_the_pdf_and_the_page_offers_it(client, admin_user, plan, large):
    client.force_login(admin_user)
    response = client.post(reverse("reports:render_job_create", args=DOCUMENT))
    job = RenderJob.objects.get()
    assert response["Location"] == reverse("reports:render_job_detail", args=["khok-ma", job.pk])
    assert (job.organization, job.plan, job.requested_by) == (plan.organization, plan, admin_user)
    assert (job.status, job.progress, job.pages) == (RenderStatus.DONE, 100, 3)
    assert job.characters > 1_000 and job.task_id
    assert job.started_at <= job.finished_at
    page = text(client.get(response["Location"]))
    assert "ไฟล์ PDF พร้อมแล้ว" in page and "พร้อมดาวน์โหลด" in page and "100 %" in page
    assert "data-refresh-seconds" not in client.get(response["Location"]).content.decode()  # finished: no reload
    download = client.get(reverse("reports:render_job_pdf", args=["khok-ma", job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="measures-khok-ma-2568.pdf"'
    assert download.content == bytes(job.content) and pdf_pages(download.content) == 3


def test_an_unfinished_job_page_reloads_itself_through_a_static_script_and_has_no_download(client, admin_user, plan):
    job = RenderJobFactory(plan=plan, status=RenderStatus.RUNNING, progress=40, content=None, requested_by=admin_user)
    client.force_login(admin_user)
    response = client.get(reverse("reports:render_job_detail", args=["khok-ma", job.pk]))
    page = response.content.decode()
    assert 'data-refresh-seconds="2"' in page and "/static/js/refresh.js" in page
    assert "<script>" not in page  # the Content-Security-Policy forbids inline scripts
    assert "กำลังจัดทำไฟล์ PDF" in text(response) and "40 %" in text(response)
    assert client.get(reverse("reports:render_job_pdf", args=["khok-ma", job.pk])).status_code == 404


def test_a_queued_job_says_how_many_wait_before_it(client, admin_user, plan):
    RenderJobFactory.create_batch(2, plan=plan, status=RenderStatus.QUEUED, progress=0)
    job = RenderJobFactory(plan=plan, status=RenderStatus.QUEUED, progress=0)
    client.force_login(admin_user)
    page = text(client.get(reverse("reports:render_job_detail", args=["khok-ma", job.pk])))
    assert "รอคิวจัดทำ" in page and "คิวก่อนหน้า 2 รายการ" in page


def test_the_same_document_asked_twice_while_waiting_is_one_job(client, admin_user, plan, large, monkeypatch):
    monkeypatch.setattr(rendering, "render_job_run", rendering.render_job_run.using(backend="database"))  # no worker
    client.force_login(admin_user)
    url = reverse("reports:render_job_create", args=DOCUMENT)
    first, second = client.post(url), client.post(url)
    assert first["Location"] == second["Location"]
    assert RenderJob.objects.get().status == RenderStatus.QUEUED


def test_a_user_with_too_many_unfinished_jobs_is_told_to_wait(client, admin_user, plan, large, settings):
    settings.RENDER_JOBS_PER_USER = 2
    RenderJobFactory.create_batch(2, plan=plan, kind="status", status=RenderStatus.QUEUED, requested_by=admin_user)
    client.force_login(admin_user)
    response = client.post(reverse("reports:render_job_create", args=DOCUMENT), follow=True)
    assert "ท่านมีเอกสารที่กำลังจัดทำอยู่แล้ว 2 รายการ" in text(response)
    assert RenderJob.objects.count() == 2


def test_a_document_over_the_page_cap_fails_with_a_thai_message_and_no_pdf(client, admin_user, large, settings):
    settings.RENDER_MAX_PAGES = 2
    client.force_login(admin_user)
    response = client.post(reverse("reports:render_job_create", args=DOCUMENT), follow=True)
    job = RenderJob.objects.get()
    assert (job.status, job.error, job.pages, job.content) == (RenderStatus.FAILED, "pages", 3, None)
    page = text(response)
    assert "จัดทำไฟล์ PDF ไม่สำเร็จ" in page
    assert "เอกสารนี้มี 3 หน้า เกินจำนวนสูงสุด 2 หน้าต่อเอกสาร" in page


def _slow_render(html: str, **options) -> bytes:
    time.sleep(30)
    return b""


def test_a_render_over_the_time_cap_is_stopped_with_a_thai_message(client, admin_user, large, settings, monkeypatch):
    settings.RENDER_TIMEOUT_SECONDS = 1
    monkeypatch.setattr(rendering, "render_html_to_pdf", _slow_render)  # the forked render process inherits it
    client.force_login(admin_user)
    started = time.monotonic()
    response = client.post(reverse("reports:render_job_create", args=DOCUMENT), follow=True)
    assert time.monotonic() - started < 10
    job = RenderJob.objects.get()
    assert (job.status, job.error, job.content) == (RenderStatus.FAILED, "timeout", None)
    assert "การจัดทำเอกสารใช้เวลานานเกิน 1 วินาที ระบบจึงหยุดจัดทำ" in text(response)


def test_an_overseer_may_have_a_document_prepared_and_another_organization_may_not(client, plan, large):
    client.force_login(OversightScopeFactory(province="บุรีรัมย์").user)
    response = client.post(reverse("reports:render_job_create", args=DOCUMENT))
    job = RenderJob.objects.get()
    assert response.status_code == 302 and job.status == RenderStatus.DONE
    client.force_login(OversightScopeFactory(province="นครราชสีมา").user)
    for url in (reverse("reports:render_job_create", args=DOCUMENT),
                reverse("reports:render_job_detail", args=["khok-ma", job.pk]),
                reverse("reports:render_job_pdf", args=["khok-ma", job.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("reports:render_job_create", args=DOCUMENT)).status_code == 404
    assert RenderJob.objects.count() == 1


def test_a_job_is_found_only_under_its_own_organization(client, outsider, plan):
    job = RenderJobFactory(plan=plan)
    client.force_login(outsider)  # an admin of Ban Phran
    assert client.get(reverse("reports:render_job_detail", args=["ban-phran", job.pk])).status_code == 404
    assert client.get(reverse("reports:render_job_pdf", args=["ban-phran", job.pk])).status_code == 404


def test_the_real_database_backend_queues_the_job_and_db_worker_renders_it(client, admin_user, large, monkeypatch):
    """django-tasks-db: the request stores the task in the database and the job stays queued; one run of the
    worker command renders it and stores the PDF."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(rendering, "render_job_run", rendering.render_job_run.using(backend="database"))
    # The test runs inside a transaction; the worker would close that connection as "unusable" between tasks.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    client.force_login(admin_user)
    response = client.post(reverse("reports:render_job_create", args=DOCUMENT))
    job = RenderJob.objects.get()
    assert job.status == RenderStatus.QUEUED and job.content is None
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    waiting = text(client.get(response["Location"]))
    assert "รอคิวจัดทำ" in waiting

    call_command("db_worker", "--backend", "database", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.progress, job.pages) == (RenderStatus.DONE, 100, 3)
    assert bytes(job.content).startswith(b"%PDF-") and pdf_pages(bytes(job.content)) == 3
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    download = client.get(reverse("reports:render_job_pdf", args=["khok-ma", job.pk]))
    assert download.content == bytes(job.content)

