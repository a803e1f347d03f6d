"""The daily digest (issue 22 §1): each member of a department gets, by e-mail, the measures of their department that
are overdue and those due within 7 days, by the one rule of "overdue" (``measures.selectors.overdue_condition``, with
``due_soon_condition`` beside it); ``manage.py send_digest`` sends it and deploy/ita-portal-digest.timer runs it
daily; a person may turn it off."""
import configparser
import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.thai import fiscal_year_of, thai_date
from measures.models import Measure
from measures.services import measure_statuses_refresh
from notifications.digest import digest_mails
from notifications.services import preference_set
from organizations.choices import Role
from tests.factories import DepartmentFactory, MeasureFactory, MeasurePlanFactory, MembershipFactory, UserFactory

SITE = "https://ita.example.go.th"


class Office:
    """One organization with two departments (กองคลัง, กองช่าง), this fiscal year's plan and an old one, and the
    measures around ``today``; a staff member of each department with an address, and three more of กองคลัง who
    get nothing: no address, digest turned off, membership deactivated."""

    def __init__(self, today: dt.date):
        self.today = today
        self.finance = DepartmentFactory(name="กองคลัง")
        self.organization = self.finance.organization
        self.works = DepartmentFactory(name="กองช่าง", organization=self.organization)
        year = fiscal_year_of(today)
        self.plan = MeasurePlanFactory(organization=self.organization, fiscal_year=year)
        old = MeasurePlanFactory(organization=self.organization, fiscal_year=year - 2)

        def measure(number, days, owners, plan=None):
            return MeasureFactory(plan=plan or self.plan, number=number, title=f"มาตรการที่ทดสอบ {number}",
                                  timeframe_end=today + dt.timedelta(days=days), owners=owners)

        self.late = measure(1, -1, [self.finance])  # overdue, never reported
        self.due = measure(2, 7, [self.finance, self.works])  # due on the 7th day: within
        measure(3, 8, [self.finance])  # due on the 8th day: not yet
        done = measure(4, -3, [self.finance])  # overdue but done
        no_status = measure(5, -3, [self.finance])  # a result without a status: counted apart, never late
        self.works_late = measure(6, -10, [self.works])
        measure(7, -400, [self.finance], plan=old)  # last years' plans stay out
        measure_statuses_refresh(measures=Measure.objects.filter(plan__organization=self.organization))
        Measure.objects.filter(pk=done.pk).update(latest_status="done")
        Measure.objects.filter(pk=no_status.pk).update(latest_status="")

        def staff(username, department, email=True, **membership):
            user = UserFactory(username=username, email=f"{username}@example.go.th" if email else "",
                               first_name=username.title())
            MembershipFactory(user=user, organization=self.organization, role=Role.STAFF, department=department,
                              **membership)
            return user

        self.finance_staff = staff("somchai", self.finance)
        self.works_staff = staff("somsri", self.works)
        staff("noaddress", self.finance, email=False)
        preference_set(user=staff("optedout", self.finance), digest=False)
        staff("gone", self.finance, is_active=False)
        MembershipFactory(organization=self.organization, role=Role.EXECUTIVE,
                          user=UserFactory(username="mayor", email="mayor@example.go.th"))

    def due_text(self, days: int) -> str:
        """The due date ``days`` from today as the digest prints it ("31 มีนาคม 2570")."""
        return thai_date(self.today + dt.timedelta(days=days), thai_digits=False)

    def link(self, number: int) -> str:
        return (f"{SITE}/organizations/{self.organization.slug}/plans/{self.plan.fiscal_year}/measures/"
                f"{number}/")


@pytest.fixture
def office(db, settings) -> Office:
    settings.SITE_URL = SITE
    return Office(timezone.localdate())


def test_each_member_gets_their_departments_overdue_and_due_measures(office, django_assert_num_queries):
    with django_assert_num_queries(4):
        mails = digest_mails(today=office.today, days=7)
    assert [(m.to, m.subject) for m in mails] == [
        ("somchai@example.go.th", "มาตรการของหน่วยงานท่าน: เลยกำหนด 1 รายการ ครบกำหนดภายใน 7 วัน 1 รายการ"),
        ("somsri@example.go.th", "มาตรการของหน่วยงานท่าน: เลยกำหนด 1 รายการ ครบกำหนดภายใน 7 วัน 1 รายการ"),
    ]
    body = mails[0].body
    name, year = office.organization.name, office.plan.fiscal_year
    assert body.startswith("เรียน Somchai\n")
    late_line = f"- {name} แผนปี {year} มาตรการที่ 1: มาตรการที่ทดสอบ 1 (กำหนด {office.due_text(-1)})"
    due_line = f"- {name} แผนปี {year} มาตรการที่ 2: มาตรการที่ทดสอบ 2 (กำหนด {office.due_text(7)})"
    assert f"เลยกำหนด (1 รายการ)\n{late_line}\n  {office.link(1)}\n" in body
    assert f"ครบกำหนดภายใน 7 วัน (1 รายการ)\n{due_line}\n  {office.link(2)}\n" in body
    for absent in ("มาตรการที่ทดสอบ 3", "มาตรการที่ทดสอบ 4", "มาตรการที่ทดสอบ 5", "มาตรการที่ทดสอบ 6",
                   "มาตรการที่ทดสอบ 7"):
        assert absent not in body
    assert f"ปิดได้ที่หน้าการแจ้งเตือนทางอีเมลของท่าน:\n{SITE}/accounts/notifications/\n" in body
    assert f'<a href="{office.link(1)}">' in mails[0].html
    assert "มาตรการที่ทดสอบ 6" in mails[1].body and "มาตรการที่ทดสอบ 1" not in mails[1].body


def test_nobody_gets_an_empty_digest(office):
    Measure.objects.filter(plan=office.plan).update(latest_status="done")
    assert digest_mails(today=office.today, days=7) == []


def test_turning_the_digest_back_on_brings_it_back(office):
    optedout = office.organization.memberships.get(user__username="optedout").user
    preference_set(user=optedout, digest=True)
    assert "optedout@example.go.th" in [m.to for m in digest_mails(today=office.today, days=7)]


def test_the_command_sends_the_digests_and_says_how_many_in_thai(office, capsys):
    call_command("send_digest")
    assert "ส่งสรุปงานทางอีเมลแล้ว 2 จาก 2 ฉบับ" in capsys.readouterr().out
    assert sorted(message.to[0] for message in mail.outbox) == ["somchai@example.go.th", "somsri@example.go.th"]
    assert mail.outbox[0].alternatives[0].mimetype == "text/html"


def test_the_dry_run_lists_and_sends_nothing(office, capsys):
    call_command("send_digest", "--dry-run", "--days", "8")
    out = capsys.readouterr().out
    assert "somchai@example.go.th\tมาตรการของหน่วยงานท่าน: เลยกำหนด 1 รายการ ครบกำหนดภายใน 8 วัน 2 รายการ" in out
    assert "จะส่งสรุปงาน 2 ฉบับ (ยังไม่ได้ส่ง)" in out
    assert mail.outbox == []


def test_the_systemd_timer_runs_the_command_every_morning_as_the_portal():
    deploy = settings.BASE_DIR / "deploy"
    service = configparser.ConfigParser(interpolation=None, strict=False)
    service.read(deploy / "ita-portal-digest.service", encoding="utf-8")
    timer = configparser.ConfigParser(interpolation=None, strict=False)
    timer.read(deploy / "ita-portal-digest.timer", encoding="utf-8")
    assert service["Service"]["ExecStart"] == "/srv/ita-portal/.venv/bin/python manage.py send_digest"
    assert (service["Service"]["Type"], service["Service"]["User"]) == ("oneshot", "ita")
    assert service["Service"]["EnvironmentFile"] == "/etc/ita-portal.env"
    assert timer["Timer"]["OnCalendar"] == "*-*-* 06:30:00" and timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "ita-portal-digest.service"
    assert timer["Install"]["WantedBy"] == "timers.target"
