"""The generated assessments: ten indicator scores per organization and year, EIT parts, published figures."""
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from assessments.models import Framework
from assessments.scoring import compute_scores

from . import names
from .spec import SCORES, Spec

PUBLISHED_SHARE = 0.93  # assessments with published figures
EIT_PARTS_FROM = 2566  # EIT published in two parts from this fiscal year (ita-framework.md §2)
OIT_ITEMS = {9: 24, 10: 9}  # OIT items per indicator: each scores 100 or 0, the indicator is their mean


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
class YearRules:
    """The rows of one year's framework the generator refers to."""

    framework: Framework
    indicator_ids: dict[int, int]
    indicator_names: dict[int, str]
    tool_ids: dict[str, int]


def frameworks_for(fiscal_years: list[int]) -> dict[int, YearRules]:
    """The frameworks of ``fiscal_years`` (tools, indicators, level rules prefetched); raises LookupError naming
    the years that have none (run ``load_frameworks``)."""
    found = {f.fiscal_year: f for f in Framework.objects.filter(fiscal_year__in=fiscal_years).prefetch_related(
        "tools", "indicators__tool", "level_rules")}
    missing = sorted(set(fiscal_years) - set(found))
    if missing:
        raise LookupError(f"No ITA framework for fiscal years {missing}: run load_frameworks first.")
    return {year: YearRules(framework, {i.number: i.pk for i in framework.indicators.all()},
                             {i.number: i.name for i in framework.indicators.all()},
                             {t.code: t.pk for t in framework.tools.all()})
            for year, framework in found.items()}


def assessment_rows(organizations, spec: Spec, rng: random.Random, frameworks: dict[int, YearRules], first_id):
    """(assessment rows, indicator score rows, part score rows) for every organization and year; published
    figures for ``PUBLISHED_SHARE`` of them and their rank within the kind (standard competition ranking)."""
    assessments, indicator_rows, part_rows = [], [], []
    next_id = first_id
    for organization in organizations:
        profile = _profile(rng)
        for step, year in enumerate(spec.fiscal_years):
            rules = frameworks[year]
            cents = _indicator_cents(rng, profile, step)
            scores = {number: SCORES[c] for number, c in enumerate(cents, start=1)}
            parts = []
            if year >= EIT_PARTS_FROM:
                eit = sum(cents[5:8]) / 300
                parts = [SCORES[_clip(min(100, eit + rng.gauss(0, spread)))] for spread in (2, 3)]
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

