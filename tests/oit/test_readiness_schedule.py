"""The scheduled readiness check: ``manage.py oit_readiness --due-within DAYS`` / ``--year YEAR`` queues the check
of every checklist whose year's OIT entry window opens within DAYS days, or of every checklist of YEAR
(``oit.readiness.checklists_to_check``); deploy/ita-portal-oit-readiness.timer runs it daily."""
import configparser
import datetime as dt

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from oit.choices import RunStatus
from oit.models import ReadinessRun
from oit.readiness import checklists_to_check
from tests.factories import ChecklistFactory, ItemListFactory, OrganizationFactory


@pytest.fixture
def years(db):
    """Checklists of three years: 2572's entry window opens in 10 days, 2573's in 40, 2574's opened yesterday;
    2575's list has no date. Two organizations have a 2572 checklist."""
    today = timezone.localdate()
    opens = {2572: today + dt.timedelta(days=10), 2573: today + dt.timedelta(days=40),
             2574: today - dt.timedelta(days=1), 2575: None}
    made = {}
    for year, day in opens.items():
        item_list = ItemListFactory(fiscal_year=year, entry_opens=day)
        made[year] = [ChecklistFactory(item_list=item_list, organization=OrganizationFactory(name=f"อบต. {year}"))]
    made[2572].append(ChecklistFactory(item_list=made[2572][0].item_list,
                                       organization=OrganizationFactory(name="อบต. ก 2572")))
    return made


def queued() -> list[tuple[str, int]]:
    return sorted((run.checklist.organization.name, run.checklist.fiscal_year)
                  for run in ReadinessRun.objects.select_related("checklist__organization"))


def test_checklists_whose_entry_window_opens_within_the_days(years):
    def names(**kwargs):
        return [(c.organization.name, c.fiscal_year) for c in checklists_to_check(**kwargs)]

    assert names(due_within=10) == [("อบต. 2572", 2572), ("อบต. ก 2572", 2572)]  # the day itself is within
    assert names(due_within=9) == []
    assert names(due_within=40) == [("อบต. 2572", 2572), ("อบต. ก 2572", 2572), ("อบต. 2573", 2573)]
    assert names(due_within=40, fiscal_year=2573) == [("อบต. 2573", 2573)]
    assert names(fiscal_year=2574) == [("อบต. 2574", 2574)]  # --year: whatever the window
    assert names(due_within=0) == []
    with pytest.raises(ValueError):
        checklists_to_check()


def test_the_command_queues_them_for_the_worker_once(years, capsys):
    call_command("oit_readiness", "--due-within", "30")
    assert "ส่งการตรวจความพร้อม OIT 2 รายการเข้าคิวให้ระบบเบื้องหลังแล้ว" in capsys.readouterr().out
    assert queued() == [("อบต. 2572", 2572), ("อบต. ก 2572", 2572)]
    assert {run.status for run in ReadinessRun.objects.all()} == {RunStatus.QUEUED}
    assert {run.requested_by for run in ReadinessRun.objects.all()} == {None}
    call_command("oit_readiness", "--due-within", "30")  # the next day's timer: a waiting check is not doubled
    assert ReadinessRun.objects.count() == 2
    call_command("oit_readiness", "--year", "2574")
    assert "ส่งการตรวจความพร้อม OIT 1 รายการ" in capsys.readouterr().out.splitlines()[-1]
    assert ("อบต. 2574", 2574) in queued() and ReadinessRun.objects.count() == 3


@pytest.mark.parametrize(("arguments", "message"), [
    (["--due-within", "-1"], "--due-within ต้องเป็นจำนวนวัน ตั้งแต่ 0 ขึ้นไป"),
    (["khok-ma", "2569", "--year", "2569"], "ระบุหน่วยงานและปี หรือ --due-within/--year อย่างใดอย่างหนึ่ง"),
    ([], "ระบุ slug ของหน่วยงานและปีงบประมาณ หรือ --due-within จำนวนวัน หรือ --year ปี"),
])
def test_the_command_refuses_unclear_arguments_in_thai(db, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("oit_readiness", *arguments)
    assert not ReadinessRun.objects.exists()


def test_the_systemd_timer_runs_the_command_daily_as_the_portal():
    deploy = settings.BASE_DIR / "deploy"
    service = configparser.ConfigParser(interpolation=None, strict=False)
    service.read(deploy / "ita-portal-oit-readiness.service", encoding="utf-8")
    timer = configparser.ConfigParser(interpolation=None, strict=False)
    timer.read(deploy / "ita-portal-oit-readiness.timer", encoding="utf-8")
    assert service["Service"]["ExecStart"] == (
        "/srv/ita-portal/.venv/bin/python manage.py oit_readiness --due-within 30")
    assert (service["Service"]["Type"], service["Service"]["User"]) == ("oneshot", "ita")
    assert service["Service"]["EnvironmentFile"] == "/etc/ita-portal.env"
    assert timer["Timer"]["OnCalendar"] == "*-*-* 02:30:00" and timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["Unit"] == "ita-portal-oit-readiness.service"
    assert timer["Install"]["WantedBy"] == "timers.target"
