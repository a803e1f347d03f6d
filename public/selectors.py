"""What the public pages read (issue 21 §2): only what an organization published, as plain data.

Every selector starts from a live ``Publication``: an organization with no year published, a withdrawn year, or
another organization's rows are never reached (the views answer 404). Within a published year only these are
read: the ITA result's stored scores and level; the OIT checklist entries marked public and their evidence
marked public; the measure plan of that year once approved, its measures (not deleted), steps, owners and
timeframes and the analysis it is based on; its progress reports once approved (status and result per measure);
and the issued PDFs of the memos that carried them. Drafts, memos' routes and comments, accounts and evidence
not marked public are never read.

The data are dicts and lists of plain values (dates, ``Decimal``s, text): the HTML page, its JSON twin
(``DjangoJSONEncoder``) and its CSV twin render the same data."""
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from assessments.models import Assessment, Framework
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport
from memos.models import IssuedDocument
from oit.codes import code_normalise
from oit.models import Checklist, ChecklistEntry, Evidence
from organizations.models import Organization

from .models import Publication

DEFAULT_TARGET = Decimal("85")  # NACC's pass line when a year has no framework row (assessments.Framework.target)
TOOLS = ("IIT", "EIT", "OIT")


# --- what is published ----------------------------------------------------------------------------------------

def published_organizations() -> QuerySet[Organization]:
    """Organizations with at least one year in force, by name."""
    return Organization.objects.filter(pk__in=Publication.objects.live().values("organization_id")).order_by("name")


def published_organization(*, slug: str) -> Organization:
    """The organization ``slug`` when it has a year in force; raises ``Http404`` otherwise."""
    organization = published_organizations().filter(slug=slug).first()
    if organization is None:
        raise Http404
    return organization


def published_years(*, organization: Organization) -> list[Publication]:
    """The organization's publications in force, latest fiscal year first."""
    return list(Publication.objects.live().filter(organization=organization).order_by("-fiscal_year"))


def publication_of(*, organization: Organization, fiscal_year: int) -> Publication:
    """The publication in force of ``organization``'s ``fiscal_year``; raises ``Http404`` otherwise."""
    publication = Publication.objects.live().filter(organization=organization, fiscal_year=fiscal_year).first()
    if publication is None:
        raise Http404
    return publication


def published_pairs() -> QuerySet:
    """(organization slug, fiscal year, published_at) of every publication in force (sitemap, catalogue)."""
    return (Publication.objects.live().order_by("organization__slug", "-fiscal_year")
            .values_list("organization__slug", "organization__name", "fiscal_year", "published_at"))


def published_score_years() -> list[int]:
    """Fiscal years with at least one publication in force, latest first (the national scores dataset)."""
    return list(Publication.objects.live().order_by("-fiscal_year").values_list("fiscal_year", flat=True)
                .distinct())


def last_published_at(*, fiscal_year: int | None = None) -> dt.datetime | None:
    """When the latest publication in force was made (of ``fiscal_year`` when given): Last-Modified of lists."""
    publications = Publication.objects.live()
    if fiscal_year is not None:
        publications = publications.filter(fiscal_year=fiscal_year)
    return publications.aggregate(at=Max("published_at"))["at"]


# --- plain data -----------------------------------------------------------------------------------------------

def organization_facts(organization: Organization) -> dict:
    return {"slug": organization.slug, "name": organization.name, "kind": organization.kind,
            "kind_label": str(organization.get_kind_display()), "province": organization.province,
            "amphoe": organization.amphoe, "website": organization.website,
            "url": reverse("public:organization", args=[organization.slug])}


def _tool(assessment: Assessment, code: str) -> Decimal | None:
    official = assessment.official_tool_score(code)
    return official if official is not None else getattr(assessment, f"computed_{code.lower()}")


def scores_of(assessment: Assessment | None) -> dict | None:
    """The stored scores of a result: the published tool scores where NACC published them, else the computed
    ones; ITA and level (every scale of its year: "ผ่าน (B)")
    as stored (``assessments.services.assessment_scores_refresh``)."""
    if assessment is None:
        return None
    return {**{code.lower(): _tool(assessment, code) for code in TOOLS},
            "ita": assessment.score, "level": assessment.level_text}


def _targets(years: list[int]) -> dict[int, Decimal]:
    return dict(Framework.objects.filter(fiscal_year__in=years).values_list("fiscal_year", "target"))


def organization_page(*, organization: Organization) -> dict:
    """The organization's public page: its facts; per published year (latest first) the scores, level and the
    year's target (85 unless the framework says otherwise) and the year page's address; the latest year with a
    score against its target."""
    years = [p.fiscal_year for p in published_years(organization=organization)]
    assessments = {a.fiscal_year: a for a in Assessment.objects.filter(organization=organization,
                                                                          fiscal_year__in=years)}
    targets = _targets(years)
    rows = [{"fiscal_year": year, "scores": scores_of(assessments.get(year)),
             "target": targets.get(year, DEFAULT_TARGET),
             "url": reverse("public:year", args=[organization.slug, year])} for year in years]
    scored = [row for row in rows if row["scores"] and row["scores"]["ita"] is not None]
    latest = None
    if scored:
        row = scored[0]
        latest = {"fiscal_year": row["fiscal_year"], "ita": row["scores"]["ita"], "level": row["scores"]["level"],
                  "target": row["target"], "meets_target": row["scores"]["ita"] >= row["target"]}
    return {"organization": organization_facts(organization), "years": rows, "latest": latest,
            "licence": settings.ITA_OPEN_DATA_LICENCE}


def _item_url(organization: Organization, fiscal_year: int, code: str) -> str:
    return reverse("public:item", args=[organization.slug, fiscal_year, code])


def _document_url(organization: Organization, fiscal_year: int, document_id: int) -> str:
    return reverse("public:document", args=[organization.slug, fiscal_year, document_id])


def _public_entries(*, organization: Organization, fiscal_year: int) -> QuerySet[ChecklistEntry]:
    evidence = Evidence.objects.filter(is_public=True).filter(
        Q(kind="url", url__gt="") | Q(kind="file", file__gt="")
        | Q(kind="document", document__organization=organization)
    ).select_related("element", "document").order_by("element__order", "pk")
    return (ChecklistEntry.objects.filter(checklist__organization=organization, checklist__fiscal_year=fiscal_year,
                                          is_public=True)
            .select_related("item").order_by("item__order", "item__code")
            .prefetch_related(Prefetch("evidence", queryset=evidence, to_attr="public_evidence")))


def _evidence_data(organization: Organization, fiscal_year: int, entry: ChecklistEntry, evidence: Evidence) -> dict:
    data = {"element": evidence.element.text, "kind": evidence.kind}
    if evidence.kind == "url":
        data.update(url=evidence.url, name=evidence.url)
    elif evidence.kind == "file":
        data.update(url=reverse("public:evidence_file", args=[organization.slug, fiscal_year, entry.item.code,
                                                               evidence.pk]),
                    name=evidence.file.name.rsplit("/", 1)[-1])
    else:
        data.update(url=_document_url(organization, fiscal_year, evidence.document_id),
                    name=evidence.document.filename)
    return data


def _entry_data(organization: Organization, fiscal_year: int, entry: ChecklistEntry) -> dict:
    return {"code": entry.item.code, "title": entry.item.title, "link": entry.url, "where": entry.where,
            "url": _item_url(organization, fiscal_year, entry.item.code),
            "evidence": [_evidence_data(organization, fiscal_year, entry, e) for e in entry.public_evidence]}


def checklist_items(*, organization: Organization, fiscal_year: int) -> list[dict]:
    """The OIT checklist as published: per entry marked public (in the list's order) its code, title, the link
    on the main website and where on it, its stable public address, and the evidence marked public."""
    return [_entry_data(organization, fiscal_year, entry)
            for entry in _public_entries(organization=organization, fiscal_year=fiscal_year)]


def checklist_item(*, organization: Organization, fiscal_year: int, code: str) -> dict:
    """One published item by code (any spelling ``code_normalise`` reads: "o25", "O๒๕"); ``Http404`` when the
    code is unknown or the entry is not public."""
    normalised = code_normalise(code)
    entry = (_public_entries(organization=organization, fiscal_year=fiscal_year)
             .filter(item__code=normalised).first()) if normalised else None
    if entry is None:
        raise Http404
    data = _entry_data(organization, fiscal_year, entry)
    data["elements"] = list(entry.item.elements.order_by("order").values_list("text", flat=True))
    return data


def approved_plan(*, organization: Organization, fiscal_year: int) -> MeasurePlan | None:
    return (MeasurePlan.objects.filter(organization=organization, fiscal_year=fiscal_year,
                                       approved_at__isnull=False)
            .select_related("assessment__analysis").first())


def _timeframe(measure: Measure) -> str:
    from core.thai import thai_date_range

    return measure.timeframe_text or thai_date_range(measure.timeframe_start, measure.timeframe_end,
                                                     thai_digits=False)


def _analysis(plan: MeasurePlan) -> dict | None:
    analysis = getattr(plan.assessment, "analysis", None) if plan.assessment_id else None
    if analysis is None:
        return None
    return {"fiscal_year": plan.assessment.fiscal_year, "introduction": analysis.introduction,
            "findings": [{"number": f.number, "title": f.title, "text": f.text, "recommendation": f.recommendation}
                         for f in analysis.findings.order_by("number")]}


def _plan_data(plan: MeasurePlan) -> dict:
    measures = (plan.measures.order_by("number")
                .prefetch_related("steps", "owners", "indicators"))
    return {"title": plan.title, "introduction": plan.introduction, "approved_at": plan.approved_at,
            "analysis": _analysis(plan),
            "measures": [{"number": m.number, "title": m.title, "issue": m.issue,
                          "indicators": [str(i) for i in m.indicators.all()],
                          "steps": [s.text for s in m.steps.all()],
                          "owners": [d.name for d in m.owners.all()] + ([m.owner_note] if m.owner_note else []),
                          "timeframe": _timeframe(m), "monitoring": m.monitoring}
                         for m in measures]}


def approved_reports(*, plan: MeasurePlan | None) -> list[ProgressReport]:
    if plan is None:
        return []
    return list(plan.progress_reports.filter(approved_at__isnull=False).order_by("period_end"))


def _report_data(report: ProgressReport) -> dict:
    entries = (ProgressEntry.objects.filter(report=report, measure__deleted_at__isnull=True)
               .select_related("measure").order_by("measure__number"))
    return {"round": report.round, "round_label": str(report.get_round_display()), "title": report.title,
            "period_start": report.period_start, "period_end": report.period_end, "approved_at": report.approved_at,
            "entries": [{"number": e.measure.number, "measure": e.measure.title, "status": e.status,
                         "status_label": str(e.get_status_display()), "result": e.result} for e in entries]}


def issued_documents(*, organization: Organization, plan: MeasurePlan | None,
                     reports: list[ProgressReport]) -> list[IssuedDocument]:
    """The latest issued version of each memo that carried the approved ``plan`` or one of the approved
    ``reports`` (the signed PDFs; never a draft: a memo is issued only once approved)."""
    if plan is None:
        return []
    carried = Q(memo__plan=plan) | Q(memo__progress_report__in=reports)
    documents = (IssuedDocument.objects.filter(carried, organization=organization).defer("content")
                 .order_by("memo_id", "-version"))
    latest: dict[int, IssuedDocument] = {}
    for document in documents:
        latest.setdefault(document.memo_id, document)
    return sorted(latest.values(), key=lambda d: (d.date, d.pk))


def document_data(organization: Organization, fiscal_year: int, document: IssuedDocument) -> dict:
    return {"subject": document.subject, "document_number": document.document_number, "date": document.date,
            "filename": document.filename, "size": document.size, "sha256": document.sha256,
            "signed": document.signed, "url": _document_url(organization, fiscal_year, document.pk)}


def year_page(*, organization: Organization, publication: Publication) -> dict:
    """Everything public of one published year (see the module's docstring)."""
    fiscal_year = publication.fiscal_year
    plan = approved_plan(organization=organization, fiscal_year=fiscal_year)
    reports = approved_reports(plan=plan)
    assessment = Assessment.objects.filter(organization=organization, fiscal_year=fiscal_year).first()
    return {
        "organization": organization_facts(organization), "fiscal_year": fiscal_year,
        "published_at": publication.published_at, "scores": scores_of(assessment),
        "target": _targets([fiscal_year]).get(fiscal_year, DEFAULT_TARGET),
        "oit": checklist_items(organization=organization, fiscal_year=fiscal_year),
        "plan": _plan_data(plan) if plan else None,
        "reports": [_report_data(report) for report in reports],
        "documents": [document_data(organization, fiscal_year, d)
                      for d in issued_documents(organization=organization, plan=plan, reports=reports)],
        "licence": settings.ITA_OPEN_DATA_LICENCE,
    }


def public_document(*, organization: Organization, fiscal_year: int, document_id: int) -> IssuedDocument:
    """An issued PDF reachable from the published year: one of its plan's or reports' issued documents, or one
    that public evidence of the year points to; ``Http404`` otherwise."""
    plan = approved_plan(organization=organization, fiscal_year=fiscal_year)
    allowed = {d.pk for d in issued_documents(organization=organization, plan=plan,
                                              reports=approved_reports(plan=plan))}
    allowed |= set(Evidence.objects.filter(
        is_public=True, kind="document", entry__is_public=True, entry__checklist__organization=organization,
        entry__checklist__fiscal_year=fiscal_year, document__organization=organization,
    ).values_list("document_id", flat=True))
    if document_id not in allowed:
        raise Http404
    return IssuedDocument.objects.get(pk=document_id)


def public_evidence_file(*, organization: Organization, fiscal_year: int, code: str, evidence_id: int) -> Evidence:
    """An uploaded evidence file marked public, of an entry marked public of the published year; ``Http404``
    otherwise."""
    evidence = Evidence.objects.filter(
        pk=evidence_id, kind="file", is_public=True, entry__is_public=True, entry__item__code=code_normalise(code),
        entry__checklist__organization=organization, entry__checklist__fiscal_year=fiscal_year,
    ).exclude(file="").first()
    if evidence is None:
        raise Http404
    return evidence


def checklist_exists(*, organization: Organization, fiscal_year: int) -> bool:
    return Checklist.objects.filter(organization=organization, fiscal_year=fiscal_year).exists()


def national_scores(*, fiscal_year: int) -> QuerySet[Assessment]:
    """The published scores of ``fiscal_year``: the result of every organization whose year is in force, by
    province, kind and name (the national dataset, ``/p/scores/<year>.csv``)."""
    live = Publication.objects.live().filter(fiscal_year=fiscal_year).values("organization_id")
    return (Assessment.objects.filter(fiscal_year=fiscal_year, organization_id__in=live)
            .select_related("organization")
            .order_by("organization__province", "organization__kind", "organization__name", "pk"))


def national_score_row(assessment: Assessment) -> list:
    """One row of the national dataset: organization, kind, province, IIT, EIT, OIT, ITA, level."""
    scores = scores_of(assessment)
    organization = assessment.organization
    return [organization.name, str(organization.get_kind_display()), organization.province,
            *(scores[code.lower()] for code in TOOLS), scores["ita"], scores["level"]]
