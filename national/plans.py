"""The generated plans: measures, steps, owners, timeframes, and both progress reports with their entries."""
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from core.thai import BE_OFFSET, thai_date, thai_date_range, to_thai_digits
from measures.choices import ApprovalState
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport, Step

from . import names
from .results import YearRules
from .spec import SCORES, GeneratedOrganization, Spec
from .writer import RowWriter

TZ = ZoneInfo("Asia/Bangkok")


@dataclass
class PlanRows:
    """The rows of one chunk of plans, per table."""

    plans: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    owners: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    entries: list = field(default_factory=list)


class PlanMaker:
    """Makes the plans of organizations, numbering plans, measures and reports from the given first ids."""

    def __init__(self, spec: Spec, rng: random.Random, frameworks: dict[int, YearRules], first_ids: dict[str, int]):
        self.spec, self.rng, self.frameworks = spec, rng, frameworks
        self.next = dict(first_ids)

    def _id(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table] - 1

    def organization(self, organization: GeneratedOrganization, rows: PlanRows) -> None:
        """Add to ``rows`` the plans of every fiscal year of ``organization``, each based on the year before."""
        for year in self.spec.fiscal_years:
            previous = organization.assessments.get(year - 1)
            self.plan(organization, year, previous, rows)

    def plan(self, organization, year: int, previous: tuple[int, list[int]] | None, rows: PlanRows) -> None:
        """Add the plan of ``year`` (based on ``previous`` = (assessment id, indicator cents) of the year before, if
        any), approved on a day of October for 9 in 10, with its measures and both reports."""
        rng = self.rng
        plan_id = self._id("plan")
        ce = year - BE_OFFSET
        year_th = to_thai_digits(year)
        introduction = ""
        if previous:
            weak = sum(c < 8500 for c in previous[1])
            introduction = (f"จากผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {to_thai_digits(year - 1)} มีตัวชี้วัดที่ได้คะแนน"
                            f"ต่ำกว่าร้อยละ ๘๕ จำนวน {to_thai_digits(weak)} ตัวชี้วัด")
        approved = dt.datetime(ce - 1, 10, rng.randint(5, 31), 10, tzinfo=TZ) if rng.random() < 0.9 else None
        rows.plans.append((plan_id, organization.id, year, previous[0] if previous else None,
                           f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year_th}",
                           introduction, approved, _state(approved)))
        measures = self._measures(organization, year, plan_id, previous, rows)
        self._reports(organization, year, plan_id, measures, rows)

    def _catalogue(self, previous) -> list:
        """The catalogue in a random order, measures for last year's indicators below 85 first."""
        entries = self.rng.sample(names.MEASURES, len(names.MEASURES))
        if previous:
            entries.sort(key=lambda entry: previous[1][entry[1] - 1] >= 8500)
        return entries

    def _measures(self, organization, year: int, plan_id: int, previous, rows: PlanRows) -> list[tuple]:
        """The plan's measures: returns [(measure id, timeframe end or None)]."""
        rng, rules = self.rng, self.frameworks[year]
        count = rng.randint(self.spec.measures - 2, self.spec.measures + 2)
        made = []
        for number, (title, indicator, codes, steps) in enumerate(self._catalogue(previous)[:count], start=1):
            measure_id = self._id("measure")
            start, end, timeframe = self._timeframe(year)
            issue = ""
            if previous:
                score = to_thai_digits(SCORES[previous[1][indicator - 1]])
                issue = f"ตัวชี้วัดที่ {to_thai_digits(indicator)} {rules.indicator_names[indicator]} ได้คะแนน {score}"
            chosen = set(rng.sample(codes, rng.randint(1, min(3, len(codes)))))
            row = [
                measure_id, plan_id, number, title, issue, [code for code in codes if code in chosen],
                "ทุกส่วนราชการ" if rng.random() < 0.1 else "", start, end, timeframe, rng.choice(names.MONITORING),
            ]
            numbers = {indicator} | ({rng.randint(1, 10)} if rng.random() < 0.15 else set())
            rows.indicators += [(measure_id, rules.indicator_ids[n]) for n in sorted(numbers)]
            owners = rng.sample(organization.departments, min(len(organization.departments),
                                                              rng.choices((1, 2, 3), (6, 3, 1))[0]))
            rows.owners += [(measure_id, department) for department in owners]
            texts = [*([rng.choice(names.OPENING_STEPS)] if rng.random() < 0.6 else []), *steps[: rng.randint(1, 3)],
                     *([rng.choice(names.CLOSING_STEPS)] if rng.random() < 0.5 else [])]
            rows.steps += [(measure_id, order, text) for order, text in enumerate(texts, start=1)]
            rows.measures.append((*row, Measure.search_text_of(title=title, method="", steps=texts)))
            made.append((measure_id, end))
        return made

    def _timeframe(self, year: int) -> tuple[dt.date | None, dt.date | None, str]:
        """(start, end, as written): the whole fiscal year, one or more quarters, one month, or a phrase only."""
        rng, ce = self.rng, year - BE_OFFSET
        draw = rng.random()
        if draw < 0.35:
            start, end = dt.date(ce - 1, 10, 1), dt.date(ce, 9, 30)
        elif draw < 0.6:
            first = rng.randint(0, 3)
            last = rng.randint(first, 3)
            start, end = _month_start(ce, first * 3), _month_end(ce, last * 3 + 2)
        elif draw < 0.75:
            month = rng.randint(0, 11)
            start, end = _month_start(ce, month), _month_end(ce, month)
        else:
            phrase = rng.choice(names.TIMEFRAME_PHRASES)
            if phrase == "ตลอดปีงบประมาณ":
                phrase += f" พ.ศ. {to_thai_digits(year)}"
            return None, None, phrase
        return start, end, thai_date_range(start, end)

    def _reports(self, organization, year: int, plan_id: int, measures: list[tuple], rows: PlanRows) -> None:
        """The 6-month and the annual report of the plan, with an entry per measure."""
        rng, ce = self.rng, year - BE_OFFSET
        year_th = to_thai_digits(year)
        fy_start, half, fy_end = dt.date(ce - 1, 10, 1), dt.date(ce, 3, 31), dt.date(ce, 9, 30)
        earlier: dict[int, tuple[str, dt.date | None]] = {}
        for round_, label, end, approved_month, approve_share in (
                ("six_month", "รอบ ๖ เดือน ", half, (ce, 4), 0.85), ("annual", "", fy_end, (ce, 10), 0.8)):
            report_id = self._id("report")
            counts = defaultdict(int)
            for measure_id, measure_end in measures:
                status, done_on = self._status(organization, measure_end, end, earlier.get(measure_id), fy_start)
                earlier[measure_id] = (status, done_on)
                counts[status] += 1
                rows.entries.append((report_id, measure_id, *self._entry(organization, year, status, done_on)))
            summary = (f"ดำเนินการแล้วเสร็จ {to_thai_digits(counts['done'])} มาตรการ "
                       f"อยู่ระหว่างดำเนินการ {to_thai_digits(counts['in_progress'])} มาตรการ "
                       f"ยังไม่ดำเนินการ {to_thai_digits(counts['not_started'])} มาตรการ")
            approved = (dt.datetime(*approved_month, rng.randint(5, 28), 10, tzinfo=TZ)
                        if rng.random() < approve_share else None)
            rows.reports.append((
                report_id, plan_id, round_, fy_start, end,
                f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน {label}"
                f"ประจำปีงบประมาณ พ.ศ. {year_th}", summary, approved, _state(approved)))

    def _status(self, organization, measure_end, period_end, earlier, fy_start) -> tuple[str, dt.date | None]:
        """A measure's status at the end of a report's period, and the day it was done."""
        rng = self.rng
        if earlier and earlier[0] == "done":
            return earlier
        due_in_period = measure_end is not None and measure_end <= period_end
        chance = organization.diligence * (0.9 if due_in_period or earlier else 0.35)
        draw = rng.random()
        if draw < 0.005:
            return "", None  # reported, status not stated
        if draw < chance:
            span = (period_end - fy_start).days
            return "done", fy_start + dt.timedelta(days=rng.randint(span // 3, span))
        return ("in_progress" if rng.random() < 0.8 else "not_started"), None

    def _entry(self, organization, year: int, status: str, done_on: dt.date | None) -> tuple:
        """(status, result, date_done, date_text, evidence, evidence_url, recommendation) of one entry."""
        rng = self.rng
        result = rng.choice(names.RESULTS.get(status) or ("",)).format(
            n=to_thai_digits(rng.randint(15, 120)), q=to_thai_digits(rng.randint(2, 4)),
            p=to_thai_digits(rng.randrange(20, 90, 10)))
        date_text = thai_date(done_on, abbreviated=True) if done_on and rng.random() < 0.5 else ""
        evidence = rng.choice(names.EVIDENCE) if status in ("done", "in_progress") and rng.random() < 0.6 else ""
        url = (f"https://{organization.slug}.example/ita/{year}/{rng.randint(1, 99)}"
               if evidence and rng.random() < 0.5 else "")
        recommendation = rng.choice(names.RECOMMENDATIONS) if rng.random() < 0.35 else ""
        return status, result, done_on, date_text, evidence, url, recommendation


def _month_start(ce_year: int, offset: int) -> dt.date:
    """First day of month ``offset`` (0 = October) of the fiscal year ending in ``ce_year``."""
    month = (9 + offset) % 12 + 1
    return dt.date(ce_year - 1 if month >= 10 else ce_year, month, 1)


def _month_end(ce_year: int, offset: int) -> dt.date:
    """Last day of month ``offset`` (0 = October, 11 = September) of the fiscal year ending in ``ce_year``."""
    following = _month_start(ce_year, offset + 1) if offset < 11 else dt.date(ce_year, 10, 1)
    return following - dt.timedelta(days=1)


def _state(approved: dt.datetime | None) -> str:
    """The approval state of a generated plan or report: approved when it has an approval date. The generated
    approvals have no approver and no row in the approval log (``approvals.Transition``)."""
    return ApprovalState.APPROVED.value if approved else ApprovalState.DRAFT.value


PLAN_COLUMNS = ("id", "organization_id", "fiscal_year", "assessment_id", "title", "introduction", "approved_at",
                "state")
MEASURE_COLUMNS = ("id", "plan_id", "number", "title", "issue", "question_codes", "owner_note", "timeframe_start",
                   "timeframe_end", "timeframe_text", "monitoring", "search_text")
REPORT_COLUMNS = ("id", "plan_id", "round", "period_start", "period_end", "title", "summary", "approved_at",
                  "state")
ENTRY_COLUMNS = ("report_id", "measure_id", "status", "result", "date_done", "date_text", "evidence", "evidence_url",
                 "recommendation")


def write_plans(writer: RowWriter, rows: PlanRows) -> None:
    """Write one chunk of plans, parents before children."""
    writer.write(MeasurePlan, PLAN_COLUMNS, rows.plans)
    writer.write(Measure, MEASURE_COLUMNS, rows.measures)
    writer.write(Measure.indicators.through, ("measure_id", "indicator_id"), rows.indicators)
    writer.write(Measure.owners.through, ("measure_id", "department_id"), rows.owners)
    writer.write(Step, ("measure_id", "order", "text"), rows.steps)
    writer.write(ProgressReport, REPORT_COLUMNS, rows.reports)
    writer.write(ProgressEntry, ENTRY_COLUMNS, rows.entries)

