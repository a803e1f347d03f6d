"""The audit log (issue 12 point 3): log-ins and failed log-ins, changes to settings and results, approvals and
reopens, with who, from where and when; an organization admin reads their organization's log, filtered, and
nothing else; nobody edits it."""
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.services import PublishedFigures, assessment_scores_set
from core.thai import MONTHS
from organizations.models import Organization
from tests.conftest import PASSWORD
from tests.helpers.pages import rows

LOG = reverse("audit:organization_audit_log", args=["khok-ma"])


@pytest.mark.django_db
def test_log_ins_failures_and_log_outs_are_recorded_with_the_address(client, admin_user, staff_user):
    client.post(reverse("login"), {"username": "staff-khok-ma", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("login"), {"username": "nobody-at-all", "password": "wrong"}, REMOTE_ADDR="10.1.2.4")
    client.post(reverse("login"), {"username": "staff-khok-ma", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    client.force_login(admin_user)
    found = [row[1:4] for row in rows(client.get(LOG).content.decode())]
    assert ["staff-khok-ma", "10.1.2.3", "ออกจากระบบ"] in found
    assert ["staff-khok-ma", "10.1.2.3", "เข้าสู่ระบบ"] in found
    assert ["staff-khok-ma", "10.1.2.3", "เข้าสู่ระบบไม่สำเร็จ"] in found
    assert not any("nobody-at-all" in cell for row in found for cell in row)  # not a member: not this log
    failed = LogEntry.objects.get(object_repr="nobody-at-all")
    assert (failed.actor, failed.remote_addr, failed.additional_data) == (None, "10.1.2.4", {"event": "login_failed"})


@pytest.mark.django_db
def test_a_settings_change_is_logged_with_its_old_and_new_value_by_whom(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("organizations:organization_settings", args=["khok-ma"]), {
        "document_number_prefix": "บร ๗๑๐๐๑", "phone": "0 4466 1234", "register_year_basis": "calendar"},
        REMOTE_ADDR="10.5.5.5")
    [row] = [r for r in rows(client.get(LOG).content.decode()) if r[3] == "แก้ไข" and "หน่วยงาน" in r[4]]
    assert row[1:3] == ["admin-khok-ma", "10.5.5.5"]
    assert "0 4466 1234" in row[5]


@pytest.mark.django_db
def test_changed_indicator_scores_are_logged_though_written_in_bulk(client, admin_user):
    assessment = Assessment.objects.get(organization__slug="khok-ma", fiscal_year=2567)
    old = assessment.indicator_scores.get(indicator__number=3).score
    assessment_scores_set(organization=assessment.organization, fiscal_year=2567,
                          indicator_scores={**{s.indicator.number: s.score for s in assessment.indicator_scores.all()},
                                            3: Decimal("12.34")},
                          published=PublishedFigures(), replace=True)
    entry = LogEntry.objects.filter(object_pk=str(assessment.pk), changes__has_key="indicator_3").get()
    assert entry.changes["indicator_3"] == [str(old), "12.34"]
    assert entry.additional_data == {"organization_id": assessment.organization_id}
    client.force_login(admin_user)
    assert any("12.34" in row[5] for row in rows(client.get(LOG).content.decode()))


@pytest.mark.django_db
def test_approval_and_reopen_are_logged(client, executive, admin_user):
    client.force_login(executive)
    url = reverse("measures:plan_approval", args=["khok-ma", 2568])
    client.post(url, {"action": "approve"})
    client.post(url, {"action": "reopen"})
    client.force_login(admin_user)
    plan_rows = [r for r in rows(client.get(LOG).content.decode()) if "แผน" in r[4] and r[1] == "mayor-khok-ma"]
    assert len(plan_rows) >= 2  # approved, then reopened: both kept


@pytest.mark.django_db
def test_only_the_organizations_admins_read_its_log_and_only_its_entries(client, admin_user, staff_user, executive,
                                                                         outsider):
    client.force_login(outsider)  # admin of Ban Phran: changes its own settings, then looks at Khok Ma's log
    client.post(reverse("organizations:organization_settings", args=["ban-phran"]), {
        "document_number_prefix": "บร ๙๙๙๙๙", "phone": "", "register_year_basis": "calendar"})
    assert client.get(LOG).status_code == 404
    for user in (staff_user, executive):
        client.force_login(user)
        response = client.get(LOG)
        assert response.status_code == 403 and "ไม่มีสิทธิ์ดำเนินการนี้" in response.content.decode()
    client.force_login(admin_user)
    page = client.get(LOG).content.decode()
    assert "<h1>บันทึกการใช้งาน</h1>" in page
    assert "บร ๙๙๙๙๙" not in page
    own = client.get(reverse("audit:organization_audit_log", args=["ban-phran"]))
    assert own.status_code == 404  # Khok Ma's admin is not a member of Ban Phran


@pytest.mark.django_db
def test_the_log_filters_by_event_and_user(client, admin_user, staff_user):
    client.post(reverse("login"), {"username": "staff-khok-ma", "password": "wrong"})
    client.post(reverse("login"), {"username": "staff-khok-ma", "password": PASSWORD})
    client.force_login(admin_user)
    failed = rows(client.get(LOG + "?event=login_failed").content.decode())
    assert failed and {row[3] for row in failed} == {"เข้าสู่ระบบไม่สำเร็จ"}
    mine = rows(client.get(LOG + "?actor=admin-khok").content.decode())
    assert mine and {row[1] for row in mine} == {"admin-khok-ma"}


@pytest.mark.django_db
def test_the_log_page_offers_no_way_to_change_an_entry(client, admin_user):
    client.force_login(admin_user)
    page = client.get(LOG).content.decode()
    assert 'method="post"' not in page.split("<main")[1]  # a read-only page: no form that writes
    count = LogEntry.objects.count()
    assert client.post(LOG, {"action": "delete"}).status_code == 405
    assert LogEntry.objects.count() == count


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_delete_an_entry_on_postgresql(admin_user):
    from django.db import DatabaseError, connection, transaction
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (the production database)")
    entry = LogEntry.objects.order_by("pk").last()
    for statement in (LogEntry.objects.filter(pk=entry.pk).update, ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement(object_repr="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    admin_user.delete()  # a removed user's entries stay, without their account
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_the_date_filters_have_their_own_thai_labels(client, admin_user):
    client.force_login(admin_user)
    page = client.get(LOG).content.decode()
    assert '<label for="id_since">ตั้งแต่วันที่:</label>' in page and '<label for="id_until">ถึงวันที่:</label>' in page
    assert "จากสถานะ" not in page and ">เรียน:<" not in page


@pytest.mark.django_db
def test_a_changed_moment_shows_a_buddhist_era_date_in_bangkok(client, executive, admin_user):
    client.force_login(executive)
    client.post(reverse("measures:plan_approval", args=["khok-ma", 2568]), {"action": "approve"})
    from measures.models import MeasurePlan

    approved_at = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568).approved_at
    stored = LogEntry.objects.filter(changes__has_key="approved_at").latest("pk").changes["approved_at"][1]
    assert "+" not in stored  # auditlog stores the moment as naive UTC ("2026-12-06 06:43:44.964270")
    client.force_login(admin_user)
    [row] = [r for r in rows(client.get(LOG).content.decode()) if "อนุมัติเมื่อ" in r[5]]
    local = timezone.localtime(approved_at)
    expected = f"{local.day} {MONTHS[local.month - 1]} {local.year + 543} เวลา {local:%H.%M} น."
    assert f"อนุมัติเมื่อ : – → {expected}" in row[5], row[5]
    assert str(local.year) not in row[5]


@pytest.mark.django_db
def test_a_changed_date_shows_a_buddhist_era_date(client, admin_user):
    import datetime as dt

    from tests.factories import MemoFactory

    memo = MemoFactory(organization=Organization.objects.get(slug="khok-ma"), plan=None)
    memo.date = dt.date(2025, 3, 5)
    memo.save()
    client.force_login(admin_user)
    [row] = [r for r in rows(client.get(LOG).content.decode()) if r[3] == "แก้ไข" and memo.subject in r[4]]
    assert "1 มีนาคม 2568 → 5 มีนาคม 2568" in row[5], row[5]


@pytest.mark.django_db
def test_a_certificate_change_shows_neither_the_masked_text_nor_half_the_passphrase(client, admin_user):
    organization = Organization.objects.get(slug="khok-ma")
    organization.signing_pkcs12 = "organizations/khok-ma.p12"
    organization.signing_passphrase = "secret-pass"
    organization.save()
    client.force_login(admin_user)
    row = [r for r in rows(client.get(LOG).content.decode()) if "ใบรับรอง" in r[5]][0]  # the latest first
    assert "**ne" not in row[5] and "t-pass" not in row[5] and "*" not in row[5]
    assert row[5].count("– → (ซ่อนค่าไว้)") == 2, row[5]
