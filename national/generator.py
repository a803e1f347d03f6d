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
  the previous year first, each with 1–5 steps (2.8 on average), 1–3 owner departments, a timeframe (dates for
  3 of 4, a phrase only for the rest), monitoring; both progress reports (6-month: 1 Oct–31 Mar; annual) with an
  entry per measure (done / in progress / not started, more done in the annual report, an organization's diligence
  varying);
- for the last fiscal year an OIT checklist per organization: an entry per item of the year's list (26), each with
  an owner department, a URL and a status, and for six in ten a finished readiness check with a few problems
  (``checklists``).

Everything follows from ``Spec.seed`` (``random.Random``): the same seed gives the same country (ids aside, which
start above the rows already in the database). Generated organizations have slugs starting with
``GENERATED_SLUG_PREFIX``; nothing else in the database is touched. Rows are written through ``writer.RowWriter``
(COPY on PostgreSQL, ``bulk_create`` elsewhere): organizations, departments, officials and assessments first, then
plans and everything under them in chunks of organizations, one transaction per chunk. Stored values (computed
scores, ranks, latest statuses) are not written here: the command refreshes them afterwards.

Modules: ``spec`` (what to make, kinds per size), ``places`` (provinces, districts, organizations, departments,
officials), ``results`` (assessments), ``plans`` (plans, measures, progress), ``names`` (the words), ``checklists``
(OIT checklists), ``writer`` (COPY / ``bulk_create``, deleting generated rows), ``users`` (the benchmark's users).
"""
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from assessments.models import Assessment, IndicatorScore, ToolPartScore
from measures.models import Measure, MeasurePlan, ProgressReport
from organizations.models import Department, Official, Organization

from .checklists import checklist_rows, item_list_for_generation, write_checklists
from .places import organization_rows, people_rows
from .plans import PlanMaker, PlanRows, write_plans
from .results import ASSESSMENT_COLUMNS, assessment_rows, frameworks_for
from .spec import GeneratedOrganization, Spec
from .writer import RowWriter, ids_reserve, sequences_reset


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
    organizations = organization_rows(spec, rng, ids_reserve(Organization))
    departments, officials = people_rows(organizations, rng, ids_reserve(Department))
    assessments, indicator_scores, part_scores = assessment_rows(organizations, spec, rng, frameworks,
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
    maker = PlanMaker(spec, rng, frameworks, {"plan": ids_reserve(MeasurePlan), "measure": ids_reserve(Measure),
                                               "report": ids_reserve(ProgressReport)})
    for first in range(0, len(organizations), spec.chunk):
        rows = PlanRows()
        started = time.perf_counter()
        for organization in organizations[first: first + spec.chunk]:
            maker.organization(organization, rows)
        making += time.perf_counter() - started
        with writer.atomic():
            write_plans(writer, rows)
        progress(f"plans of {min(first + spec.chunk, len(organizations))}/{len(organizations)} organizations written")
    with writer.atomic():
        sequences_reset([MeasurePlan, Measure, ProgressReport])
    started = time.perf_counter()
    item_list, items = item_list_for_generation(spec.last_year)
    checklists = checklist_rows(organizations, rng, item_list, items)
    making += time.perf_counter() - started
    with writer.atomic():
        write_checklists(writer, checklists)
    progress(f"{len(checklists.checklists)} OIT checklists of {spec.last_year} written")
    return Generated(organizations, spec.fiscal_years, dict(writer.stats), making, writer.commit_seconds)

