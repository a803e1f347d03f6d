"""The outgoing register (ทะเบียนหนังสือส่ง) as a django-tables2 table, with its export rows."""
from collections.abc import Iterator

import django_tables2 as tables
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.exports import export_date, export_rows
from core.thai import thai_date

from .choices import IssueStatus
from .models import Memo


def attachment_label(memo: Memo) -> str:
    """What the memo carries, in words: the plan's or the report's title, or "–"."""
    if memo.plan_id:
        return str(memo.plan)
    if memo.progress_report_id:
        return str(memo.progress_report)
    return "–"


def department_label(memo: Memo) -> str:
    return memo.department_line or (memo.department.name if memo.department_id else "")


def issue_flag(status: str | None) -> str:
    """The words flagging a memo whose latest document is not stored: "กำลังออกเอกสาร" while the worker issues it,
    "ออกเอกสารไม่สำเร็จ" when it failed; "" otherwise."""
    if status in (IssueStatus.QUEUED, IssueStatus.RUNNING):
        return str(_("Issuing the document"))
    if status == IssueStatus.FAILED:
        return str(_("Issuing the document failed"))
    return ""


class RegisterTable(tables.Table):
    """One row per memo that took a number of the outgoing register: number, date, subject, addressee, the
    department it comes from, the attached document and the stored PDF (the latest issued version)."""

    document_number = tables.Column(verbose_name=_("Number"), order_by=("register_year", "register_number"))
    date = tables.Column(verbose_name=_("Date"), order_by=("date", "register_number"))
    subject = tables.Column(verbose_name=_("Subject"), linkify=lambda record: reverse(
        "memos:memo_detail", args=[record.organization.slug, record.pk]))
    addressee = tables.Column(verbose_name=_("To"))
    department = tables.Column(empty_values=(), orderable=False, verbose_name=_("Department"))
    attachment = tables.Column(empty_values=(), orderable=False, verbose_name=_("Attached document"))
    pdf = tables.Column(accessor="issued_id", orderable=False, empty_values=(), verbose_name=_("Issued PDF"))

    class Meta:
        model = Memo
        fields = ["document_number", "date", "subject", "addressee"]
        sequence = ["document_number", "date", "subject", "addressee", "department", "attachment", "pdf"]
        empty_text = _("No letter has taken a number of the outgoing register yet.")
        attrs = {"class": "table", "id": "register"}

    def render_date(self, value):
        return thai_date(value, thai_digits=False)

    def render_department(self, record):
        return department_label(record) or "–"

    def render_attachment(self, record):
        return attachment_label(record)

    def render_pdf(self, value, record):
        """The latest stored PDF, and a flag when the latest issue is still being issued or failed (issue 18 §4:
        a number never stays without its document unnoticed)."""
        link = ""
        if value:
            url = reverse("memos:memo_issued_latest", args=[record.organization.slug, record.pk])
            link = format_html('<a href="{}" download>{}</a>', url, _("Download PDF"))
        flag = issue_flag(getattr(record, "issue_status", None))
        if not flag:
            return link or "–"
        memo_url = reverse("memos:memo_detail", args=[record.organization.slug, record.pk])
        badge = format_html('<a class="badge issue-{}" href="{}">{}</a>', record.issue_status, memo_url, flag)
        return format_html("{} {}", link, badge) if link else badge

    @staticmethod
    def export_headers() -> list[str]:
        return [str(h) for h in (_("Number"), _("Register year"), _("Running number"), _("Date"), _("Subject"),
                                 _("To"), _("Department"), _("Attached document"), _("Issued"))]

    @staticmethod
    def export_rows(records: QuerySet[Memo]) -> Iterator[list]:
        return export_rows(records, lambda m: [
            m.document_number, m.register_year, m.register_number, export_date(m.date), m.subject, m.addressee,
            department_label(m), attachment_label(m), str(_("Yes") if m.issued_id else _("No"))])
