"""Loading the transcribed seed documents (``data/seeds/*.yaml``) into the database.

The file shape is documented in ``data/seeds/SCHEMA.md``. Loading is idempotent: the organization,
its departments and officials are updated in place (memberships survive); its assessments, plans and
memos are replaced by what the file says.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from assessments.models import (
    Analysis,
    Assessment,
    Finding,
    Framework,
    IndicatorScore,
    QuestionScore,
    Tool,
    ToolPartScore,
)
from assessments.services import scores_refresh
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport, Step
from measures.services import measure_statuses_refresh
from memos.models import Memo, MemoComment
from organizations.models import Department, Official, Organization


class SeedError(ValueError):
    """A seed file refers to something it does not define (a department key, a fiscal year …)."""


@dataclass
class _Context:
    organization: Organization
    departments: dict[str, Department]
    officials: dict[str, Official]


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _framework(fiscal_year: int) -> Framework:
    framework = Framework.objects.filter(fiscal_year=fiscal_year).first()
    if framework is None:
        raise SeedError(f"No ITA framework for fiscal year {fiscal_year}: run load_frameworks first.")
    return framework


def seed_files(directory: Path) -> list[Path]:
    """The seed data files in ``directory``, in name order."""
    return sorted(directory.glob("*.yaml"))


def seed_document_load(*, path: Path) -> Organization:
    """Load one seed file; returns its organization. Raises SeedError on a dangling reference and
    saves nothing in that case (one transaction per file)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        context = _load_organization(document)
        assessments = {a["fiscal_year"]: _load_assessment(context, a) for a in document.get("assessments") or []}
        findings = _load_analysis(assessments, document.get("analysis"))
        plans = {p["fiscal_year"]: _load_plan(context, assessments, findings, p) for p in document.get("plans") or []}
        for memo in document.get("memos") or []:
            _load_memo(context, plans, memo)
        scores_refresh(fiscal_years=assessments)
        measure_statuses_refresh(measures=Measure.all_objects.filter(plan__organization=context.organization))
    return context.organization


def _load_organization(document: dict) -> _Context:
    spec = document["organization"]
    organization, _ = Organization.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"], "kind": spec["kind"], "amphoe": _text(spec.get("amphoe")),
            "province": _text(spec.get("province")),
            "document_number_prefix": _text(spec.get("document_number_prefix")), "phone": _text(spec.get("phone")),
        },
    )
    # Documents point at officials and departments: drop the old documents first.
    Memo.objects.filter(organization=organization).delete()
    MeasurePlan.objects.filter(organization=organization).delete()
    Assessment.objects.filter(organization=organization).delete()
    departments = {}
    for order, dep in enumerate(document.get("departments") or [], start=1):
        departments[dep["key"]], _ = Department.objects.update_or_create(
            organization=organization, name=dep["name"], defaults={"aliases": dep.get("aliases") or [], "order": order}
        )
    organization.departments.exclude(pk__in=[d.pk for d in departments.values()]).delete()
    officials = {}
    for order, off in enumerate(document.get("officials") or [], start=1):
        officials[off["key"]], _ = Official.objects.update_or_create(
            organization=organization, full_name=off["full_name"],
            defaults={
                "position_lines": off.get("position_lines") or [], "order": order,
                "department": _ref(departments, off.get("department"), "department"),
            },
        )
    organization.officials.exclude(pk__in=[o.pk for o in officials.values()]).delete()
    return _Context(organization, departments, officials)


def _ref(mapping: dict, key, what: str):
    if key is None:
        return None
    if key not in mapping:
        raise SeedError(f"Unknown {what} key {key!r}.")
    return mapping[key]


def _load_assessment(context: _Context, spec: dict) -> Assessment:
    framework = _framework(spec["fiscal_year"])
    assessment = Assessment(
        organization=context.organization, fiscal_year=spec["fiscal_year"],
        official_score=_dec(spec.get("official_score")), official_level=_text(spec.get("official_level")),
        official_iit=_dec(spec.get("official_iit")), official_eit=_dec(spec.get("official_eit")),
        official_oit=_dec(spec.get("official_oit")), rank=spec.get("rank"),
        rank_scope=_text(spec.get("rank_scope")), notes=_text(spec.get("notes")),
    )
    assessment.full_clean()
    assessment.save()
    indicators = {i.number: i for i in framework.indicators.all()}
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=assessment, indicator=_ref(indicators, int(n), "indicator"), score=_dec(score))
        for n, score in (spec.get("indicators") or {}).items()
    )
    eit = Tool.objects.get(framework=framework, code="EIT")
    ToolPartScore.objects.bulk_create(
        ToolPartScore(assessment=assessment, tool=eit, part=p["part"], score=_dec(p["score"]))
        for p in spec.get("eit_parts") or []
    )
    QuestionScore.objects.bulk_create(
        QuestionScore(assessment=assessment, code=q["code"].lower(), text=_text(q.get("text")),
                      score=_dec(q.get("score")), order=order)
        for order, q in enumerate(spec.get("question_scores") or [], start=1)
    )
    return assessment


def _load_analysis(assessments: dict[int, Assessment], spec: dict | None) -> dict[int, Finding]:
    if not spec:
        return {}
    assessment = _ref(assessments, spec["assessment_year"], "assessment year")
    analysis = Analysis.objects.create(
        assessment=assessment, introduction=_text(spec.get("introduction")), limitations=_text(spec.get("limitations"))
    )
    indicators = {i.number: i for i in assessment.framework.indicators.all()}
    findings = {}
    for f in spec.get("findings") or []:
        finding = Finding.objects.create(
            analysis=analysis, number=f["number"], title=_text(f.get("title")),
            question_codes=[c.lower() for c in f.get("question_codes") or []],
            text=_text(f.get("text")), recommendation=_text(f.get("recommendation")),
        )
        finding.indicators.set([_ref(indicators, n, "indicator") for n in f.get("indicators") or []])
        findings[f["number"]] = finding
    return findings


def _load_plan(context, assessments, findings, spec: dict) -> MeasurePlan:
    based_on = spec.get("based_on_assessment")
    plan = MeasurePlan.objects.create(
        organization=context.organization, fiscal_year=spec["fiscal_year"],
        assessment=assessments.get(based_on) if based_on else None,
        title=_text(spec.get("title")), introduction=_text(spec.get("introduction")),
    )
    indicators = {i.number: i for i in _framework(spec["fiscal_year"]).indicators.all()}
    measures = {}
    for m in spec.get("measures") or []:
        measure = Measure(
            plan=plan, number=m["number"], title=_text(m["title"]), issue=_text(m.get("issue")),
            method=_text(m.get("method")), question_codes=[c.lower() for c in m.get("question_codes") or []],
            owner_note=_text(m.get("owner_note")), timeframe_start=_date(m.get("timeframe_start")),
            timeframe_end=_date(m.get("timeframe_end")), timeframe_text=_text(m.get("timeframe_text")),
            monitoring=_text(m.get("monitoring")),
        )
        texts = [_text(t) for t in m.get("steps") or []]
        measure.search_text = Measure.search_text_of(title=measure.title, method=measure.method, steps=texts)
        measure.full_clean()
        measure.save()
        measure.indicators.set([_ref(indicators, n, "indicator") for n in m.get("indicators") or []])
        measure.findings.set([_ref(findings, n, "finding") for n in m.get("findings") or []])
        measure.owners.set([_ref(context.departments, k, "department") for k in m.get("owners") or []])
        # With history rows, so that the first change of a step shows what it was (measures.history).
        steps = [Step(measure=measure, order=order, text=text) for order, text in enumerate(texts, 1)]
        bulk_create_with_history(steps, Step)
        measures[m["number"]] = measure
    for r in spec.get("progress_reports") or []:
        _load_report(plan, measures, r)
    return plan


def _load_report(plan: MeasurePlan, measures: dict[int, Measure], spec: dict) -> ProgressReport:
    report = ProgressReport.objects.create(
        plan=plan, round=spec["round"], period_start=_date(spec["period_start"]),
        period_end=_date(spec["period_end"]), title=_text(spec.get("title")), summary=_text(spec.get("summary")),
    )
    bulk_create_with_history([
        ProgressEntry(
            report=report, measure=_ref(measures, e["measure"], "measure"), status=e.get("status") or "",
            result=_text(e.get("result")), date_done=_date(e.get("date_done")), date_text=_text(e.get("date_text")),
            evidence=_text(e.get("evidence")), recommendation=_text(e.get("recommendation")),
        )
        for e in spec.get("entries") or []
    ], ProgressEntry)
    return report


def _load_memo(context: _Context, plans: dict[int, MeasurePlan], spec: dict) -> Memo:
    attaches = spec.get("attaches") or {}
    plan = report = None
    if "plan" in attaches:
        plan = _ref(plans, attaches["plan"], "plan")
    elif "progress_report" in attaches:
        target = attaches["progress_report"]
        report = _ref(plans, target["plan"], "plan").progress_reports.get(round=target["round"])
    memo = Memo.objects.create(
        organization=context.organization,
        department=_ref(context.departments, spec.get("department"), "department"),
        department_line=_text(spec.get("department_line")), document_number=_text(spec.get("document_number")),
        date=_date(spec["date"]), subject=_text(spec["subject"]), addressee=_text(spec["addressee"]),
        body="\n\n".join(_text(p) for p in spec.get("body") or []), closing=_text(spec.get("closing")),
        drafter=_ref(context.officials, spec.get("drafter"), "official"), plan=plan, progress_report=report,
    )
    for order, c in enumerate(spec.get("comments") or [], start=1):
        MemoComment.objects.create(
            memo=memo, order=order, title=_text(c["title"]),
            official=_ref(context.officials, c.get("official"), "official"), text=_text(c.get("text")),
            date=_date(c.get("date")),
        )
    return memo
