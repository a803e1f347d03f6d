"""A realistic synthetic country (issue 9, point 5): every organization NACC assesses, with years of ITA results,
measure plans and progress reports, to load-test the portal at national scale.

Shape (``Spec``; the default is the real size: 8,300 organizations × 8 fiscal years, 2562–2569):

- kinds in the real proportions of the 7,850 local governments (ita-framework.md §1: อบต. 5,312 · ทต. 2,242 ·
  ทม. 190 · ทน. 30 · อบจ. 76), scaled to ``organizations`` × 7,850 / 8,300; the rest are other agencies (kind
  ``other``, 450 of 8,300); one อบจ. per province, the เทศบาลนคร in the largest provinces;
- the 76 real provinces with their real number of districts (878; ``names.PROVINCE_AMPHOE``), organizations spread
  over them in proportion; names made up from common place-name parts;
- per organization 3–11 departments (by kind) and two officials; per fiscal year an assessment with the ten
  indicator scores (IIT and EIT mostly 80–100, OIT indicators in steps of one OIT item, low for some; scores rise
  a little every year), the two EIT parts from 2566, and the published figures (ITA, tools, level — by
  ``assessments.scoring.compute_scores``, sometimes 0.01 off as NACC's unrounded computation is — and the rank
  within the kind) for 93 % of them;
- per fiscal year a plan of 8–12 measures (10 on average) drawn from ``names.MEASURES``, the indicators below 85 of
  the previous year first, each with 2–4 steps, 1–3 owner departments, a timeframe (dates for 3 of 4, a phrase only
  for the rest), monitoring; both progress reports (6-month: 1 Oct–31 Mar; annual) with an entry per measure
  (done / in progress / not started, more done in the annual report, an organization's diligence varying).

Everything follows from ``Spec.seed`` (``random.Random``): the same seed gives the same country (ids aside, which
start above the rows already in the database). Generated organizations have slugs starting with
``GENERATED_SLUG_PREFIX``; nothing else in the database is touched. Rows are written through ``writer.RowWriter``
(COPY on PostgreSQL, ``bulk_create`` elsewhere): organizations, departments, officials and assessments first, then
plans and everything under them in chunks of organizations, one transaction per chunk. Stored values (computed
scores, ranks, latest statuses) are not written here: the command refreshes them afterwards.
"""
import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from assessments.models import Assessment, Framework, IndicatorScore, ToolPartScore
from assessments.scoring import compute_scores
from ita_portal.thai import BE_OFFSET, thai_date, thai_date_range, to_thai_digits
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport, Step
from organizations.models import Department, Official, Organization

from . import names
from .writer import RowWriter, ids_reserve, sequences_reset

GENERATED_SLUG_PREFIX = "gen-"
NATIONAL_AGENCIES = 8300  # agencies assessed every year (ita-framework.md §1)
LOCAL_GOVERNMENTS = 7850
LOCAL_KINDS = {"sao": 5312, "tambon_municipality": 2242, "town_municipality": 190, "city_municipality": 30, "pao": 76}
PUBLISHED_SHARE = 0.93  # assessments with published figures
EIT_PARTS_FROM = 2566  # EIT published in two parts from this fiscal year (ita-framework.md §2)
OIT_ITEMS = {9: 24, 10: 9}  # OIT items per indicator: each scores 100 or 0, the indicator is their mean
TZ = ZoneInfo("Asia/Bangkok")
_SCORES = [Decimal(cents).scaleb(-2) for cents in range(10001)]  # hundredths → Decimal("96.55")


@dataclass(frozen=True)
class Spec:
    """What to generate: ``organizations`` agencies, the ``years`` fiscal years (BE) up to ``last_year``, about
    ``measures`` measures per plan, ``chunk`` organizations per transaction of plans, from ``seed``."""

    organizations: int = NATIONAL_AGENCIES
    years: int = 8
    seed: int = 1
    last_year: int = 2569
    measures: int = 10
    chunk: int = 200

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.last_year - self.years + 1, self.last_year + 1))


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """``total`` split into integers proportional to ``weights`` that sum to ``total`` (Hamilton's method: floors,
    then one more to the largest remainders; ties in ``weights`` order)."""
    scale = sum(weights.values())
    exact = {key: total * weight / scale for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(weights, key=lambda key: counts[key] - exact[key])
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def kind_counts(organizations: int) -> dict[str, int]:
    """Organizations per kind for ``organizations`` agencies: local governments are ``organizations`` × 7,850/8,300
    in the real proportions, at most one อบจ. per province; the rest are ``other``. 8,300 → อบต. 5,312, ทต. 2,242,
    ทม. 190, ทน. 30, อบจ. 76, other 450."""
    local = round(organizations * LOCAL_GOVERNMENTS / NATIONAL_AGENCIES)
    counts = largest_remainder(local, LOCAL_KINDS)
    provinces = len(names.PROVINCE_AMPHOE)
    if counts["pao"] > provinces:
        counts["sao"] += counts["pao"] - provinces
        counts["pao"] = provinces
    counts["other"] = organizations - local
    return counts


@dataclass
class GeneratedOrganization:
    """One organization being generated: its row, its department ids, its habits and its assessments."""

    id: int
    slug: str
    name: str
    kind: str
    province: str
    amphoe: str
    departments: list[int] = field(default_factory=list)
    diligence: float = 1.0  # how much of its plan it gets done
    assessments: dict[int, tuple[int, list[int]]] = field(default_factory=dict)  # year → (id, indicator cents)


# --- places and organizations ------------------------------------------------------------------------------

def geography(rng: random.Random) -> dict[str, list[str]]:
    """Province → its districts: "เมือง<province>" first, then made-up names (878 in all)."""
    places = [first + second for first in names.PLACE_FIRST for second in names.PLACE_SECOND]
    return {province: [f"เมือง{province}", *rng.sample(places, count - 1)]
            for province, count in names.PROVINCE_AMPHOE.items()}


class _PlaceNames:
    """Unique made-up place names within each province, drawn at random."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.places = [first + second for first in names.PLACE_FIRST for second in names.PLACE_SECOND]
        self.left: dict[str, list[str]] = {}

    def take(self, province: str) -> str:
        if not self.left.get(province):
            self.left[province] = self.rng.sample(self.places, len(self.places))
        return self.left[province].pop()


def _organization_rows(spec: Spec, rng: random.Random, first_id: int) -> list[GeneratedOrganization]:
    """The organizations, by province (largest first) and district; slugs gen-00001 …"""
    districts = geography(rng)
    counts = kind_counts(spec.organizations)
    provinces = sorted(names.PROVINCE_AMPHOE, key=lambda p: -names.PROVINCE_AMPHOE[p])
    weights = {p: float(names.PROVINCE_AMPHOE[p]) for p in provinces}
    place_names = _PlaceNames(rng)
    rows: list[tuple[str, str, str, str]] = []  # (province, amphoe, kind, name)
    for province in provinces[: counts["pao"]]:
        rows.append((province, districts[province][0], "pao", f"{names.KIND_WORDS['pao'][0]}{province}"))
    cities: dict[str, int] = defaultdict(int)
    for index in range(counts["city_municipality"]):
        province = provinces[index % len(provinces)]
        cities[province] += 1
        place = province if cities[province] == 1 else place_names.take(province)
        rows.append((province, districts[province][0], "city_municipality", f"เทศบาลนคร{place}"))
    for kind in ("town_municipality", "tambon_municipality", "sao"):
        for province, count in largest_remainder(counts[kind], weights).items():
            order = rng.sample(districts[province], len(districts[province]))
            for index in range(count):
                place = place_names.take(province)
                if kind == "town_municipality" and index == 0 and not cities[province]:
                    place = province
                amphoe = order[index % len(order)] if kind != "town_municipality" else districts[province][0]
                rows.append((province, amphoe, kind, f"{names.KIND_WORDS[kind][0]}{place}"))
    for index in range(counts["other"]):
        province = provinces[index % len(provinces)]
        agency = names.OTHER_AGENCIES[(index // len(provinces)) % len(names.OTHER_AGENCIES)]
        round_ = index // (len(provinces) * len(names.OTHER_AGENCIES))
        suffix = f" เขต {to_thai_digits(round_ + 1)}" if round_ else ""
        rows.append((province, districts[province][0], "other", f"{agency}{province}{suffix}"))
    rank = {p: i for i, p in enumerate(provinces)}
    rows.sort(key=lambda row: (rank[row[0]], row[1] != districts[row[0]][0], row[1], row[2], row[3]))
    return [
        GeneratedOrganization(id=first_id + i, slug=f"{GENERATED_SLUG_PREFIX}{i + 1:05d}", name=name, kind=kind,
                              province=province, amphoe=amphoe, diligence=rng.uniform(0.55, 1.0))
        for i, (province, amphoe, kind, name) in enumerate(rows)
    ]


def _people_rows(organizations: list[GeneratedOrganization], rng: random.Random, first_department: int):
    """Departments (3–11 by kind) and two officials (the executive and the chief administrator) per organization:
    (department rows, official rows); fills ``GeneratedOrganization.departments``."""
    departments, officials = [], []
    next_id = first_department
    for organization in organizations:
        always, sometimes = names.DEPARTMENTS[organization.kind]
        chosen = [*always, *(name for name in sometimes if rng.random() < 0.5)]
        for order, name in enumerate(chosen, start=1):
            departments.append((next_id, organization.id, name, order))
            organization.departments.append(next_id)
            next_id += 1
        head, chief = _positions(organization)
        for order, position in enumerate((head, chief), start=1):
            title, given = rng.choice(names.FIRST_NAMES)
            person = f"{title}{rng.choice(given)} {rng.choice(names.SURNAMES)}"
            department = organization.departments[0] if order == 2 else None
            officials.append((organization.id, person, [position], department, order))
    return departments, officials


def _positions(organization: GeneratedOrganization) -> tuple[str, str]:
    """Titles of the executive and of the chief administrator (ปลัด) of ``organization``."""
    if organization.kind == "other":
        return f"ผู้อำนวยการ{organization.name}", "หัวหน้าฝ่ายบริหารทั่วไป"
    executive = organization.name.replace("เทศบาล", "นายกเทศมนตรี", 1) if "municipality" in organization.kind \
        else f"นายก{organization.name}"
    return executive, f"ปลัด{organization.name}"


# --- assessments -------------------------------------------------------------------------------------------

def _clip(value: float) -> int:
    """A score in hundredths, between 0 and 100.00."""
    return min(10000, max(0, round(value * 100)))


def _indicator_cents(rng: random.Random, profile: tuple[float, float, float], step: int) -> list[int]:
    """The ten indicator scores (hundredths) of one year: IIT and EIT around the organization's level, OIT as a
    share of items passed; ``step`` = years since the first (scores rise a little every year)."""
    iit, eit, oit = profile
    iit_year = iit + 0.5 * step + rng.gauss(0, 1.5)
    eit_year = eit + 0.6 * step + rng.gauss(0, 2)
    oit_year = min(99.5, oit + 1.5 * step + rng.gauss(0, 6))
    cents = [_clip(min(100, iit_year + rng.gauss(0, 2.5))) for _ in range(5)]
    cents += [_clip(min(100, eit_year + rng.gauss(0, 2.5))) for _ in range(3)]
    for number in (9, 10):
        items = OIT_ITEMS[number]
        passed = sum(rng.random() * 100 < oit_year for _ in range(items))
        cents.append(_clip(100 * passed / items))
    return cents


def _profile(rng: random.Random) -> tuple[float, float, float]:
    """An organization's usual IIT, EIT and OIT level: most between 80 and 100, OIT low for about one in eight."""
    draw = rng.random()
    oit = rng.uniform(88, 100) if draw < 0.6 else rng.uniform(68, 90) if draw < 0.88 else rng.uniform(15, 68)
    return min(99, rng.gauss(91, 4)), min(98, rng.gauss(87, 5)), oit


@dataclass
class _Framework:
    """The rows of one year's framework the generator refers to."""

    framework: Framework
    indicator_ids: dict[int, int]
    indicator_names: dict[int, str]
    tool_ids: dict[str, int]


def frameworks_for(fiscal_years: list[int]) -> dict[int, _Framework]:
    """The frameworks of ``fiscal_years`` (tools, indicators, level rules prefetched); raises LookupError naming
    the years that have none (run ``load_frameworks``)."""
    found = {f.fiscal_year: f for f in Framework.objects.filter(fiscal_year__in=fiscal_years).prefetch_related(
        "tools", "indicators__tool", "level_rules")}
    missing = sorted(set(fiscal_years) - set(found))
    if missing:
        raise LookupError(f"No ITA framework for fiscal years {missing}: run load_frameworks first.")
    return {year: _Framework(framework, {i.number: i.pk for i in framework.indicators.all()},
                             {i.number: i.name for i in framework.indicators.all()},
                             {t.code: t.pk for t in framework.tools.all()})
            for year, framework in found.items()}


def _assessment_rows(organizations, spec: Spec, rng: random.Random, frameworks: dict[int, _Framework], first_id):
    """(assessment rows, indicator score rows, part score rows) for every organization and year; published
    figures for ``PUBLISHED_SHARE`` of them and their rank within the kind (standard competition ranking)."""
    assessments, indicator_rows, part_rows = [], [], []
    next_id = first_id
    for organization in organizations:
        profile = _profile(rng)
        for step, year in enumerate(spec.fiscal_years):
            rules = frameworks[year]
            cents = _indicator_cents(rng, profile, step)
            scores = {number: _SCORES[c] for number, c in enumerate(cents, start=1)}
            parts = []
            if year >= EIT_PARTS_FROM:
                eit = sum(cents[5:8]) / 300
                parts = [_SCORES[_clip(min(100, eit + rng.gauss(0, spread)))] for spread in (2, 3)]
                part_rows += [(next_id, rules.tool_ids["EIT"], part, score) for part, score in enumerate(parts, 1)]
            indicator_rows += [(next_id, rules.indicator_ids[n], score) for n, score in scores.items()]
            # [id, organization_id, fiscal_year, score, iit, eit, oit, rank, level, letter]; ranking appends the kind
            published = [None] * 5 + ["", ""]
            if rng.random() < PUBLISHED_SHARE:
                result = compute_scores(rules.framework, scores, {"EIT": parts})
                ita = result.ita + (Decimal("0.01") * rng.choice((-1, 1)) if rng.random() < 0.08 else 0)
                tools = result.tool_scores
                published = [min(Decimal(100), ita), tools["IIT"], tools["EIT"], tools["OIT"], None, result.level,
                             result.letter_level or ""]
            assessments.append([next_id, organization.id, year, *published])
            organization.assessments[year] = (next_id, cents)
            next_id += 1
    _published_ranks(assessments, {o.id: o.kind for o in organizations})
    rows = [(row[0], row[1], row[2], row[3], row[8], row[9], row[4], row[5], row[6], row[7],
             f"หน่วยงานประเภท{names.KIND_WORDS[row[10]][1]}" if row[7] else "") for row in assessments]
    return rows, indicator_rows, part_rows


def _published_ranks(assessments: list[list], kinds: dict[int, str]) -> None:
    """Set the published rank (index 7) of each published assessment among its kind and year, highest score first,
    ties sharing a rank (1, 2, 2, 4); append the kind (index 10)."""
    groups = defaultdict(list)
    for row in assessments:
        row.append(kinds[row[1]])
        if row[3] is not None:
            groups[row[2], row[10]].append(row)
    for rows in groups.values():
        rows.sort(key=lambda row: -row[3])
        for position, row in enumerate(rows, start=1):
            row[7] = position if position == 1 or row[3] != rows[position - 2][3] else rows[position - 2][7]


ASSESSMENT_COLUMNS = ("id", "organization_id", "fiscal_year", "official_score", "official_level",
                      "official_level_letter", "official_iit", "official_eit", "official_oit", "rank", "rank_scope")


# --- plans, measures, progress -----------------------------------------------------------------------------

@dataclass
class _Rows:
    """The rows of one chunk of plans, per table."""

    plans: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    owners: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    entries: list = field(default_factory=list)


class _PlanMaker:
    """Makes the plans of organizations, numbering plans, measures and reports from the given first ids."""

    def __init__(self, spec: Spec, rng: random.Random, frameworks: dict[int, _Framework], first_ids: dict[str, int]):
        self.spec, self.rng, self.frameworks = spec, rng, frameworks
        self.next = dict(first_ids)

    def _id(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table] - 1

    def organization(self, organization: GeneratedOrganization, rows: _Rows) -> None:
        for year in self.spec.fiscal_years:
            previous = organization.assessments.get(year - 1)
            self.plan(organization, year, previous, rows)

    def plan(self, organization, year: int, previous: tuple[int, list[int]] | None, rows: _Rows) -> None:
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
                           introduction, approved))
        measures = self._measures(organization, year, plan_id, previous, rows)
        self._reports(organization, year, plan_id, measures, rows)

    def _catalogue(self, previous) -> list:
        """The catalogue in a random order, measures for last year's indicators below 85 first."""
        entries = self.rng.sample(names.MEASURES, len(names.MEASURES))
        if previous:
            entries.sort(key=lambda entry: previous[1][entry[1] - 1] >= 8500)
        return entries

    def _measures(self, organization, year: int, plan_id: int, previous, rows: _Rows) -> list[tuple]:
        """The plan's measures: returns [(measure id, timeframe end or None)]."""
        rng, rules = self.rng, self.frameworks[year]
        count = rng.randint(self.spec.measures - 2, self.spec.measures + 2)
        made = []
        for number, (title, indicator, codes, steps) in enumerate(self._catalogue(previous)[:count], start=1):
            measure_id = self._id("measure")
            start, end, timeframe = self._timeframe(year)
            issue = ""
            if previous:
                score = to_thai_digits(_SCORES[previous[1][indicator - 1]])
                issue = f"ตัวชี้วัดที่ {to_thai_digits(indicator)} {rules.indicator_names[indicator]} ได้คะแนน {score}"
            chosen = set(rng.sample(codes, rng.randint(1, min(3, len(codes)))))
            rows.measures.append((
                measure_id, plan_id, number, title, issue, [code for code in codes if code in chosen],
                "ทุกส่วนราชการ" if rng.random() < 0.1 else "", start, end, timeframe, rng.choice(names.MONITORING),
            ))
            numbers = {indicator} | ({rng.randint(1, 10)} if rng.random() < 0.15 else set())
            rows.indicators += [(measure_id, rules.indicator_ids[n]) for n in sorted(numbers)]
            owners = rng.sample(organization.departments, min(len(organization.departments),
                                                              rng.choices((1, 2, 3), (6, 3, 1))[0]))
            rows.owners += [(measure_id, department) for department in owners]
            texts = [*([rng.choice(names.OPENING_STEPS)] if rng.random() < 0.6 else []), *steps[: rng.randint(1, 3)],
                     *([rng.choice(names.CLOSING_STEPS)] if rng.random() < 0.5 else [])]
            rows.steps += [(measure_id, order, text) for order, text in enumerate(texts, start=1)]
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

    def _reports(self, organization, year: int, plan_id: int, measures: list[tuple], rows: _Rows) -> None:
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
                f"ประจำปีงบประมาณ พ.ศ. {year_th}", summary, approved))

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


PLAN_COLUMNS = ("id", "organization_id", "fiscal_year", "assessment_id", "title", "introduction", "approved_at")
MEASURE_COLUMNS = ("id", "plan_id", "number", "title", "issue", "question_codes", "owner_note", "timeframe_start",
                   "timeframe_end", "timeframe_text", "monitoring")
REPORT_COLUMNS = ("id", "plan_id", "round", "period_start", "period_end", "title", "summary", "approved_at")
ENTRY_COLUMNS = ("report_id", "measure_id", "status", "result", "date_done", "date_text", "evidence", "evidence_url",
                 "recommendation")


def _write_plans(writer: RowWriter, rows: _Rows) -> None:
    writer.write(MeasurePlan, PLAN_COLUMNS, rows.plans)
    writer.write(Measure, MEASURE_COLUMNS, rows.measures)
    writer.write(Measure.indicators.through, ("measure_id", "indicator_id"), rows.indicators)
    writer.write(Measure.owners.through, ("measure_id", "department_id"), rows.owners)
    writer.write(Step, ("measure_id", "order", "text"), rows.steps)
    writer.write(ProgressReport, REPORT_COLUMNS, rows.reports)
    writer.write(ProgressEntry, ENTRY_COLUMNS, rows.entries)


# --- the whole country -------------------------------------------------------------------------------------

@dataclass
class Generated:
    """What ``generate`` did: the organizations (slug, kind, province), the fiscal years, and per table the rows
    written and the seconds spent writing them; ``python_seconds`` is the time spent making rows,
    ``commit_seconds`` the time spent committing (PostgreSQL checks the deferred foreign keys then)."""

    organizations: list[GeneratedOrganization]
    fiscal_years: list[int]
    stats: dict[str, list[float]]
    python_seconds: float
    commit_seconds: float


def generate(spec: Spec, *, progress: Callable[[str], None] = lambda message: None) -> Generated:
    """Generate and write the country described by ``spec`` (see the module docstring). Raises LookupError when a
    fiscal year has no framework. Existing generated organizations are not checked here (the command does)."""
    rng = random.Random(spec.seed)
    frameworks = frameworks_for(spec.fiscal_years)
    writer = RowWriter()
    started = time.perf_counter()
    organizations = _organization_rows(spec, rng, ids_reserve(Organization))
    departments, officials = _people_rows(organizations, rng, ids_reserve(Department))
    assessments, indicator_scores, part_scores = _assessment_rows(organizations, spec, rng, frameworks,
                                                                  ids_reserve(Assessment))
    making = time.perf_counter() - started
    with writer.atomic():
        writer.write(Organization, ("id", "slug", "name", "kind", "amphoe", "province"),
                     [(o.id, o.slug, o.name, o.kind, o.amphoe, o.province) for o in organizations])
        writer.write(Department, ("id", "organization_id", "name", "order"), departments)
        writer.write(Official, ("organization_id", "full_name", "position_lines", "department_id", "order"), officials)
        writer.write(Assessment, ASSESSMENT_COLUMNS, assessments)
        writer.write(IndicatorScore, ("assessment_id", "indicator_id", "score"), indicator_scores)
        writer.write(ToolPartScore, ("assessment_id", "tool_id", "part", "score"), part_scores)
        sequences_reset([Organization, Department, Assessment])
    progress(f"{len(organizations)} organizations, {len(assessments)} assessments written")
    del departments, officials, assessments, indicator_scores, part_scores
    maker = _PlanMaker(spec, rng, frameworks, {"plan": ids_reserve(MeasurePlan), "measure": ids_reserve(Measure),
                                               "report": ids_reserve(ProgressReport)})
    for first in range(0, len(organizations), spec.chunk):
        rows = _Rows()
        started = time.perf_counter()
        for organization in organizations[first: first + spec.chunk]:
            maker.organization(organization, rows)
        making += time.perf_counter() - started
        with writer.atomic():
            _write_plans(writer, rows)
        progress(f"plans of {min(first + spec.chunk, len(organizations))}/{len(organizations)} organizations written")
    with writer.atomic():
        sequences_reset([MeasurePlan, Measure, ProgressReport])
    return Generated(organizations, spec.fiscal_years, dict(writer.stats), making, writer.commit_seconds)
