"""Reads of memos, and the draft memo of a plan that has none."""
import datetime as dt
from collections import Counter

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from approvals.models import Transition
from core.thai import thai_date_range
from measures.choices import Round, Status
from measures.models import MeasurePlan, ProgressReport
from organizations.choices import OrganizationKind
from organizations.models import Organization

from .choices import IssueStatus, MemoState
from .models import IssuedDocument, Memo, MemoIssue, RoutingStep

_MAYOR_PREFIX = {  # the executive's title in front of the organization's name
    OrganizationKind.TAMBON_MUNICIPALITY: ("เทศบาลตำบล", "นายกเทศมนตรีตำบล"),
    OrganizationKind.TOWN_MUNICIPALITY: ("เทศบาลเมือง", "นายกเทศมนตรีเมือง"),
    OrganizationKind.CITY_MUNICIPALITY: ("เทศบาลนคร", "นายกเทศมนตรีนคร"),
}


def memos_for_plan(*, plan: MeasurePlan) -> QuerySet[Memo]:
    """Memos that carry ``plan`` or one of its progress reports, oldest first."""
    return (
        Memo.objects.filter(Q(plan=plan) | Q(progress_report__plan=plan))
        .select_related("drafter", "department", "organization", "plan", "progress_report")
        .prefetch_related("comments__official")
        .order_by("date", "pk")
    )


def executive_title(organization: Organization) -> str:
    """The addressee of a memo to the organization's executive: "นายกเทศมนตรีตำบลโคกม้า", "นายกองค์การ…"."""
    if organization.kind in _MAYOR_PREFIX:
        old, new = _MAYOR_PREFIX[organization.kind]
        return organization.name.replace(old, new, 1)
    return f"นายก{organization.name}"


def plan_cover_memo(*, plan: MeasurePlan, today: dt.date | None = None) -> Memo:
    """The cover memo of ``plan``: the stored memo that carries the plan itself, else an unsaved draft generated
    from the plan's data (score, level, years; seed 000 is the model). A memo of one of its progress reports is
    never taken for the plan's cover (issue 11)."""
    stored = memos_for_plan(plan=plan).filter(plan=plan).first()
    return stored if stored is not None else _draft_memo(plan, today or timezone.localdate())


def _draft_memo(plan: MeasurePlan, today: dt.date) -> Memo:
    organization = plan.organization
    department = organization.departments.first()
    drafter = organization.officials.first()
    subject = f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}"
    return Memo(
        organization=organization, department=department, department_line=department.name if department else "",
        document_number=f"{organization.document_number_prefix}/" if organization.document_number_prefix else "",
        date=today, subject=subject, addressee=executive_title(organization),
        body="\n\n".join(_draft_paragraphs(plan)), closing="จึงเรียนมาเพื่อโปรดพิจารณา", drafter=drafter, plan=plan,
    )


def _assessment_paragraphs(plan: MeasurePlan) -> list[str]:
    """The opening paragraph on the ITA result the plan answers (year, score, level); none without one."""
    organization, assessment = plan.organization, plan.assessment
    if assessment is None:
        return []
    score, level = assessment.score, assessment.level_text  # as stored (assessments.services), one home
    score_text = f" มีค่าคะแนนเท่ากับ {score} คะแนน" if score is not None else ""
    level_text = f" อยู่ในระดับ{level}" if level else ""
    return [
        f"ตามที่{organization.name}ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
        f"(Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. {assessment.fiscal_year} "
        f"ของสำนักงาน ป.ป.ช. โดยผลการประเมินของ{organization.name}{score_text}{level_text} นั้น"
    ]


def _draft_paragraphs(plan: MeasurePlan) -> list[str]:
    organization = plan.organization
    paragraphs = _assessment_paragraphs(plan)
    paragraphs.append(
        f"ทั้งนี้ {organization.name} ได้ดำเนินการวิเคราะห์ผลการประเมินและจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส"
        f"ภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year} จำนวน {plan.measures.count()} มาตรการ "
        "เพื่อกำหนดวิธีการนำผลการวิเคราะห์ไปสู่การปฏิบัติ รายละเอียดตามเอกสารที่แนบมาพร้อมนี้"
    )
    return paragraphs


def report_memo(*, report: ProgressReport, today: dt.date | None = None) -> Memo:
    """The memo that carries ``report``: the stored one, else an unsaved draft generated from the report's data
    (round, period, how many measures are done / in progress / not started; seed 004 is the model)."""
    stored = (Memo.objects.filter(progress_report=report).select_related("drafter", "department", "organization")
              .order_by("date", "pk").first())
    if stored is not None:
        return stored
    plan = report.plan
    organization = plan.organization
    department = organization.departments.first()
    subject = (f"รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
               f"ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year} ({_round_phrase(report)})")
    return Memo(
        organization=organization, department=department, department_line=department.name if department else "",
        document_number=f"{organization.document_number_prefix}/" if organization.document_number_prefix else "",
        date=today or timezone.localdate(), subject=subject, addressee=executive_title(organization),
        body="\n\n".join(_report_paragraphs(report)), closing="จึงเรียนมาเพื่อโปรดทราบ",
        drafter=organization.officials.first(), progress_report=report,
    )


def _round_phrase(report: ProgressReport) -> str:
    period = thai_date_range(report.period_start, report.period_end, thai_digits=False)
    label = "รอบ 6 เดือน" if report.round == Round.SIX_MONTH else "รอบ 12 เดือน"
    return f"{label} {period}"


def _report_paragraphs(report: ProgressReport) -> list[str]:
    plan = report.plan
    organization = plan.organization
    counts = Counter(report.entries.filter(measure__deleted_at__isnull=True).values_list("status", flat=True))
    total = plan.measures.count()
    paragraphs = _assessment_paragraphs(plan)
    paragraphs.append(
        f"{organization.name} ได้จัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        f"ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year} จำนวน {total} มาตรการ และได้ดำเนินการตามมาตรการดังกล่าว "
        f"{_round_phrase(report)} แล้ว ดำเนินการเสร็จเรียบร้อยแล้ว {counts[Status.DONE]} มาตรการ "
        f"อยู่ระหว่างดำเนินการ {counts[Status.IN_PROGRESS]} มาตรการ ยังไม่ดำเนินการ {counts[Status.NOT_STARTED]} มาตรการ "
        "รายละเอียดตามเอกสารที่แนบมาพร้อมนี้"
    )
    return paragraphs


# --- the route, the issued documents and the register (issue 11) ------------------------------------------------

def memo_for_organization(*, organization: Organization, pk: int) -> QuerySet[Memo]:
    """The memo ``pk`` if it belongs to ``organization`` (an empty queryset otherwise: the view's 404)."""
    return Memo.objects.filter(organization=organization, pk=pk).select_related(
        "organization", "department", "drafter", "plan", "progress_report__plan", "current_user", "sent_by")


def memo_trail(*, memo: Memo) -> QuerySet[Transition]:
    """Every transition of ``memo`` (the approval log), oldest first, with who made it."""
    return Transition.objects.of(memo)


def issued_versions(*, memo: Memo) -> QuerySet[IssuedDocument]:
    """The issued versions of ``memo``, newest first, without their bytes."""
    return memo.issued.defer("content").select_related("issued_by").order_by("-version")


def latest_issue(*, memo: Memo) -> MemoIssue | None:
    """The latest issue of ``memo`` (``memos.issuing``), without its frozen HTML; None when never approved since
    issue 18."""
    return memo.issues.defer("html").order_by("-version").first()


def _latest_issue_status():
    """The status of the memo's latest issue (None without one), for annotating memo querysets."""
    return Subquery(MemoIssue.objects.filter(memo=OuterRef("pk")).order_by("-version").values("status")[:1])


def inbox_for(*, user, today: dt.date | None = None) -> QuerySet[Memo]:
    """The memos waiting for ``user`` (หนังสือรอพิจารณา): those on their route at a step of ``user``, those at a step
    for which ``user`` is the substitute on ``today`` (default: today in Asia/Bangkok; the rule of
    ``RoutingStep.objects.acting_for``, as ``memos.workflow.turn_of`` applies it to one memo), and those ``user``
    sent that came back for changes. Each carries ``acting_capacity``: the capacity in which ``user`` decides it
    (None in their own right). Oldest first."""
    acting = RoutingStep.objects.acting_for(user=user, on=today or timezone.localdate(),
                                            organization=OuterRef("organization"), order=OuterRef("current_step") + 1,
                                            holder=OuterRef("current_user"))
    memos = Memo.objects.annotate(acting_capacity=Subquery(acting.values("capacity")[:1]))
    waiting = Q(state=MemoState.PENDING) & (Q(current_user=user) | Q(acting_capacity__isnull=False))
    returned = Q(state=MemoState.RETURNED, sent_by=user)
    return (memos.filter(waiting | returned).select_related("organization", "plan", "progress_report__plan")
            .order_by("date", "pk"))


def register_for(*, organization: Organization) -> QuerySet[Memo]:
    """The outgoing register (ทะเบียนหนังสือส่ง) of ``organization``: every memo that took a number, by year and
    number, with its latest issued version's id (``issued_id``, None when it was numbered but never issued) and the
    status of its latest issue (``issue_status``: queued, running, issued, failed; None when never issued by the
    worker), so that a number whose document is still being issued or failed is flagged."""
    return (_numbered().filter(organization=organization)
            .select_related("organization", "department", "plan", "progress_report__plan")
            .order_by("-register_year", "-register_number"))


def _numbered() -> QuerySet[Memo]:
    latest = IssuedDocument.objects.filter(memo=OuterRef("pk")).order_by("-version").values("pk")[:1]
    return (Memo.objects.filter(register_number__isnull=False)
            .annotate(issued_id=Subquery(latest), issue_status=_latest_issue_status()))


def numbers_without_document(*, organization: Organization | None = None) -> QuerySet[Memo]:
    """Numbered memos (of ``organization``, else of every organization) whose latest document is not stored: the
    latest issue is queued, running or failed, or no document was ever issued (numbered by hand on the memo form,
    or approved before the worker issued documents and left without one). Annotated like ``register_for``; each row
    also carries ``issue_id`` and ``issue_error`` of the latest issue. Oldest number first."""
    latest = MemoIssue.objects.filter(memo=OuterRef("pk")).order_by("-version")
    memos = _numbered().annotate(issue_id=Subquery(latest.values("pk")[:1]),
                                 issue_error=Subquery(latest.values("error")[:1]))
    if organization is not None:
        memos = memos.filter(organization=organization)
    pending = [IssueStatus.QUEUED, IssueStatus.RUNNING, IssueStatus.FAILED]
    return (memos.filter(Q(issue_status__in=pending) | Q(issued_id__isnull=True))
            .select_related("organization").order_by("organization__slug", "register_year", "register_number"))


def approved_memos_for(*, organization: Organization) -> QuerySet[Memo]:
    """The approved memos of ``organization`` with their issued versions (bytes deferred) and the status of their
    latest issue (``issue_status``, as ``register_for``), newest first: the clerk's page."""
    versions = Prefetch("issued", queryset=IssuedDocument.objects.defer("content").order_by("-version"))
    return (Memo.objects.filter(organization=organization, state=MemoState.APPROVED)
            .annotate(issue_status=_latest_issue_status())
            .select_related("plan", "progress_report__plan").prefetch_related(versions)
            .order_by("-register_year", "-register_number", "-pk"))
