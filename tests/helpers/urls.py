"""Every organization-scoped URL of the portal, for Khok Ma."""
from django.urls import reverse

from organizations.models import Organization

KHOK_MA_URLS = {
    "organizations:organization_detail": ["khok-ma"],
    "organizations:organization_people": ["khok-ma"],
    "organizations:organization_settings": ["khok-ma"],
    "organizations:organization_members": ["khok-ma"],
    "organizations:member_create": ["khok-ma"],
    "organizations:member_invite": ["khok-ma"],
    "organizations:membership_edit": ["khok-ma", "MEMBERSHIP"],
    "organizations:membership_deactivate": ["khok-ma", "MEMBERSHIP"],
    "organizations:member_unlock": ["khok-ma", "MEMBERSHIP"],
    "organizations:member_password_reset": ["khok-ma", "MEMBERSHIP"],
    "organizations:member_second_factor_off": ["khok-ma", "MEMBERSHIP"],
    "audit:organization_audit_log": ["khok-ma"],
    "assessments:assessment_detail": ["khok-ma", 2567],
    "assessments:assessment_edit": ["khok-ma", 2567],
    "assessments:analysis_edit": ["khok-ma", 2567],
    "assessments:score_preview": ["khok-ma", 2567],
    "assessments:assessment_start": ["khok-ma"],
    "measures:plan_create": ["khok-ma"],
    "measures:plan_detail": ["khok-ma", 2568],
    "measures:plan_edit": ["khok-ma", 2568],
    "measures:plan_approval": ["khok-ma", 2568],
    "measures:measure_create": ["khok-ma", 2568],
    "measures:deleted_measures": ["khok-ma", 2568],
    "measures:measure_detail": ["khok-ma", 2568, 1],
    "measures:measure_edit": ["khok-ma", 2568, 1],
    "measures:measure_delete": ["khok-ma", 2568, 1],
    "measures:report_create": ["khok-ma", 2568],
    "measures:report_detail": ["khok-ma", 2568, "annual"],
    "measures:report_edit": ["khok-ma", 2568, "annual"],
    "measures:report_approval": ["khok-ma", 2568, "annual"],
    "measures:evidence_download": ["khok-ma", 2568, "annual", 1],
    "reports:document_list": ["khok-ma", 2568],
    "reports:document_pdf": ["khok-ma", 2568, "annual"],
    "reports:document_preview": ["khok-ma", 2568, "annual"],
    "memos:plan_memo_edit": ["khok-ma", 2568],
    "reports:render_job_create": ["khok-ma", 2568, "annual"],
    "reports:render_job_detail": ["khok-ma", "JOB"],
    "reports:render_job_pdf": ["khok-ma", "JOB"],
    "memos:routing_edit": ["khok-ma"],
    "memos:register": ["khok-ma"],
    "memos:issued_documents": ["khok-ma"],
    "memos:memo_detail": ["khok-ma", "MEMO"],
    "memos:memo_preview": ["khok-ma", "MEMO"],
    "memos:memo_pdf": ["khok-ma", "MEMO"],
    "memos:memo_send": ["khok-ma", "MEMO"],
    "memos:memo_decide": ["khok-ma", "MEMO"],
    "memos:memo_reopen": ["khok-ma", "MEMO"],
    "memos:memo_issue_retry": ["khok-ma", "MEMO"],
    "memos:memo_issued_latest": ["khok-ma", "MEMO"],
    "memos:memo_issued_pdf": ["khok-ma", "MEMO", 1],
    "dashboards:organization_dashboard": ["khok-ma"],
    "dashboards:organization_summary": ["khok-ma"],
    "dashboards:organization_summary_pdf": ["khok-ma"],
    "oit:readiness": ["khok-ma", "OIT_YEAR"],
    "oit:readiness_run": ["khok-ma", "OIT_YEAR"],
    "oit:readiness_pdf": ["khok-ma", "OIT_YEAR"],
    "oit:checklist_index": ["khok-ma"],
    "oit:checklist_detail": ["khok-ma", "OIT_YEAR"],
    "oit:checklist_ready": ["khok-ma", "OIT_YEAR"],
    "oit:entry_edit": ["khok-ma", "OIT_YEAR", "O25"],
    "oit:evidence_download": ["khok-ma", "OIT_YEAR", "O25", "OIT_ELEMENT"],
    "oit:results": ["khok-ma", 2569],
    "public:manage": ["khok-ma"],
}

# The public pages (issue 21) carry an organization's slug but need no log-in: they answer only for a published year
# and 404 for everything else, which tests/public/test_pages.py proves on every one of them (YearData.urls).
PUBLIC_URLS = {"public:organization", "public:year", "public:embed", "public:export", "public:item",
               "public:evidence_file", "public:document"}


def OIT_ITEM_URLS() -> list[str]:  # noqa: N802 (a constant's name; a function because reverse needs the URLconf)
    """The OIT item pages (not organization-scoped: every signed-in user reads them; the edit page is for national
    administrators only)."""
    return [reverse("oit:item_lists"), reverse("oit:item_list", args=[2569]),
            reverse("oit:item_detail", args=[2569, "O25"]), reverse("oit:item_edit", args=[2569, "O25"])]


def khok_ma_memo() -> int:
    """A memo of Khok Ma (the seed has none): the pk that stands for "MEMO" in ``KHOK_MA_URLS``."""
    import datetime as dt

    from memos.models import Memo

    memo = Memo.objects.filter(organization__slug="khok-ma").first() or Memo.objects.create(
        organization=Organization.objects.get(slug="khok-ma"), date=dt.date(2025, 3, 1), subject="บันทึกทดสอบ",
        addressee="นายกเทศมนตรีตำบลโคกม้า", body="ข้อความ")
    return memo.pk


def khok_ma_membership() -> int:
    """A membership of Khok Ma (an executive, created if none): the pk that stands for "MEMBERSHIP"."""
    from django.contrib.auth import get_user_model

    from organizations.choices import Role
    from organizations.models import Membership

    membership = Membership.objects.filter(organization__slug="khok-ma").first()
    if membership is None:
        user = get_user_model().objects.create_user(username="member-khok-ma", password="x")
        membership = Membership.objects.create(user=user, organization=Organization.objects.get(slug="khok-ma"),
                                               role=Role.EXECUTIVE)
    return membership.pk


def khok_ma_render_job() -> int:
    """A finished background render of Khok Ma: the pk that stands for "JOB" in ``KHOK_MA_URLS``."""
    from measures.models import MeasurePlan
    from tests.factories import RenderJobFactory

    return RenderJobFactory(plan=MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568)).pk


def khok_ma_oit() -> dict:
    """Khok Ma's OIT checklist (made if none, ``tests.helpers.oit``) with a finished readiness check that found
    problems, so that the readiness page shows a report and its PDF downloads: its year stands for "OIT_YEAR", the
    first element of its O25 for "OIT_ELEMENT"."""
    from django.utils import timezone

    from oit.choices import ProblemKind, RunStatus
    from oit.models import Problem, ReadinessRun, UrlCheck
    from tests.helpers.oit import khok_ma_checklist

    checklist = khok_ma_checklist()
    entry = checklist.entries.get(item__code="O25")
    if not checklist.runs.exists():
        now = timezone.now()
        run = ReadinessRun.objects.create(checklist=checklist, status=RunStatus.DONE, requested_at=now,
                                          started_at=now, finished_at=now, items_total=1, problem_count=2,
                                          urls_total=1)
        UrlCheck.objects.create(run=run, url="https://www.example.go.th/ita/2569", status_code=404,
                                error="http_status", checked_at=now)
        Problem.objects.create(run=run, entry=entry, kind=ProblemKind.NO_URL)
        Problem.objects.create(run=run, entry=entry, kind=ProblemKind.ELEMENT_MISSING,
                               detail="แสดงมาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    evidence = entry.evidence.order_by("element__order").first()
    return {"OIT_YEAR": checklist.fiscal_year, "OIT_ELEMENT": evidence.element_id}


def khok_ma_named_urls() -> dict[str, str]:
    """Every organization-scoped URL of the portal by name, for Khok Ma (needs the database: a memo's, a
    membership's, a background render's and the OIT checklist's URLs)."""
    placeholders = {"MEMO": khok_ma_memo(), "MEMBERSHIP": khok_ma_membership(), "JOB": khok_ma_render_job(),
                    **khok_ma_oit()}
    return {name: reverse(name, args=[placeholders.get(arg, arg) for arg in args])
            for name, args in KHOK_MA_URLS.items()}


def khok_ma_urls() -> list[str]:
    """Every organization-scoped URL of the portal, for Khok Ma."""
    return list(khok_ma_named_urls().values())
