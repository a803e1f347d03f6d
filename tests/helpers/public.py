"""A fiscal year with something of every kind, public and not, for the public pages' tests (issue 21).

``YearData(slug)`` builds one organization's 2569: a result with scores; the OIT list O1, O25, O26 with a checklist
(O1 public with a public link, a public file and a file NOT marked public; O25 public with the issued plan as
evidence; O26 NOT public); an approved plan (a measure with steps, owner, indicator, timeframe; a deleted measure);
an approved 6-month report and an annual report still in draft; a memo carrying the plan, with a routing comment,
issued as a PDF. ``SECRETS`` are texts that must never reach a public page."""
import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import Analysis, Finding
from assessments.services import scores_refresh
from measures.choices import Round, Status
from memos.models import MemoComment
from oit.models import Evidence, Item
from public.services import year_publish
from tests.factories import (
    AssessmentFactory,
    ChecklistEntryFactory,
    ChecklistFactory,
    DepartmentFactory,
    ElementFactory,
    IssuedDocumentFactory,
    ItemListFactory,
    MeasureFactory,
    MeasurePlanFactory,
    MemoFactory,
    OrganizationFactory,
    ProgressEntryFactory,
    ProgressReportFactory,
    UserFactory,
)

YEAR = 2569
SECRETS = ("ไฟล์ลับไม่เผยแพร่", "ร่างรายงานฉบับยังไม่อนุมัติ", "ความเห็นระหว่างทางลับ", "มาตรการที่ลบแล้ว",
           "รายการ O26 ไม่เผยแพร่", "ผู้ใช้ลับ")


class YearData:
    """One organization's fiscal year 2569 (see the module's docstring); ``publish()`` makes it public."""

    def __init__(self, slug: str, name: str = "เทศบาลตำบลสาธารณะทดสอบ"):
        self.organization = OrganizationFactory(slug=slug, name=name, website="https://example.go.th")
        self.user = UserFactory(username=f"ผู้ใช้ลับ-{slug}", first_name="ผู้ใช้ลับ")
        self.assessment = AssessmentFactory(organization=self.organization, fiscal_year=2568,
                                            official_score=Decimal("80.50"), official_iit=Decimal("90.00"),
                                            official_eit=Decimal("85.25"), official_oit=Decimal("70.00"))
        self.result = AssessmentFactory(organization=self.organization, fiscal_year=YEAR,
                                        official_score=Decimal("91.40"), official_iit=Decimal("95.00"),
                                        official_eit=Decimal("92.10"), official_oit=Decimal("88.00"))
        scores_refresh(fiscal_years=[2568, YEAR])
        analysis = Analysis.objects.create(assessment=self.assessment, introduction="บทวิเคราะห์ผลปี 2568")
        Finding.objects.create(analysis=analysis, number=1, title="การเปิดเผยข้อมูล", text="คะแนน OIT ต่ำกว่าเป้า",
                               recommendation="ทบทวนรายการ OIT ทุกไตรมาส")
        self._checklist()
        self._plan()

    def _checklist(self) -> None:
        item_list = ItemListFactory(fiscal_year=YEAR)
        self.items = {code: Item.objects.get_or_create(item_list=item_list, code=code,
                                                       defaults={"order": order, "title": title})[0]
                      for order, (code, title) in enumerate([("O1", "โครงสร้าง หน้าที่และอำนาจ"),
                                                             ("O25", "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"),
                                                             ("O26", "รายงานผลการดำเนินการ")], start=1)}
        self.elements = {code: ElementFactory(item=item, text=f"องค์ประกอบของ {code}")
                         for code, item in self.items.items()}
        self.secret_element = ElementFactory(item=self.items["O1"], text="องค์ประกอบที่สอง")
        checklist = ChecklistFactory(organization=self.organization, item_list=item_list)
        self.entries = {
            "O1": ChecklistEntryFactory(checklist=checklist, item=self.items["O1"], url="https://example.go.th/o1",
                                        where="เมนูข้อมูลพื้นฐาน"),
            "O25": ChecklistEntryFactory(checklist=checklist, item=self.items["O25"],
                                         url="https://example.go.th/o25"),
            "O26": ChecklistEntryFactory(checklist=checklist, item=self.items["O26"], is_public=False,
                                         url="https://example.go.th/o26", where="รายการ O26 ไม่เผยแพร่"),
        }
        self.public_link = Evidence.objects.create(entry=self.entries["O1"], element=self.elements["O1"], done=True,
                                                   kind="url", url="https://example.go.th/o1/structure.pdf")
        self.secret_file = Evidence(entry=self.entries["O1"], element=self.secret_element, done=True, kind="file",
                                    is_public=False)
        self.secret_file.file.save("ไฟล์ลับไม่เผยแพร่.pdf", ContentFile(b"%PDF secret"), save=True)
        self.public_file = Evidence(entry=self.entries["O1"], element=ElementFactory(item=self.items["O1"]), done=True,
                                    kind="file")
        self.public_file.file.save("แผนผังโครงสร้าง.pdf", ContentFile(b"%PDF public structure"), save=True)
        self.checklist = checklist

    def _plan(self) -> None:
        department = DepartmentFactory(organization=self.organization, name="สำนักปลัด")
        self.plan = MeasurePlanFactory(organization=self.organization, fiscal_year=YEAR, assessment=self.assessment,
                                       introduction="มาตรการตามผลการประเมินปี 2568")
        self.measure = MeasureFactory(plan=self.plan, number=1, title="เผยแพร่ข้อมูลการจัดซื้อจัดจ้างทุกเดือน",
                                      timeframe_text="ตุลาคม 2568 – กันยายน 2569", owners=[department])
        self.measure.steps.create(order=1, text="รวบรวมข้อมูลจัดซื้อจัดจ้าง")
        self.measure.steps.create(order=2, text="ขึ้นเว็บไซต์ภายในวันที่ 10")
        deleted = MeasureFactory(plan=self.plan, number=2, title="มาตรการที่ลบแล้ว")
        deleted.deleted_at = timezone.now()
        deleted.save()
        self.report = ProgressReportFactory(plan=self.plan, round=Round.SIX_MONTH)
        ProgressEntryFactory(report=self.report, measure=self.measure, status=Status.IN_PROGRESS,
                             result="เผยแพร่แล้ว 6 เดือน")
        self.draft_report = ProgressReportFactory(plan=self.plan, round=Round.ANNUAL,
                                                  period_start=dt.date(2025, 10, 1), period_end=dt.date(2026, 9, 30))
        ProgressEntryFactory(report=self.draft_report, measure=self.measure, status=Status.DONE,
                             result="ร่างรายงานฉบับยังไม่อนุมัติ")
        now = timezone.now()
        for approved in (self.plan, self.report):
            approved.approved_at = now
            approved.approved_by = self.user
            approved.save()
        self.memo = MemoFactory(organization=self.organization, plan=self.plan, subject="ขออนุมัติมาตรการ 2569")
        MemoComment.objects.create(memo=self.memo, order=1, title="ความเห็นปลัด", text="ความเห็นระหว่างทางลับ")
        self.document = IssuedDocumentFactory(memo=self.memo, filename="มาตรการ-2569.pdf",
                                              content=b"%PDF-1.7 the signed plan")
        Evidence.objects.create(entry=self.entries["O25"], element=self.elements["O25"], done=True, kind="document",
                                document=self.document)

    def publish(self, user=None):
        return year_publish(organization=self.organization, fiscal_year=YEAR, user=user or self.user)

    def urls(self) -> dict[str, str]:
        """Every public URL of this organization's year, by name (formats included)."""
        slug = self.organization.slug
        pages = {"organization": reverse("public:organization", args=[slug]),
                 "year": reverse("public:year", args=[slug, YEAR]),
                 "item": reverse("public:item", args=[slug, YEAR, "O1"])}
        urls = {name: url for name, url in pages.items()}
        urls |= {f"{name}.json": f"{url}?format=json" for name, url in pages.items()}
        urls |= {f"{name}.csv": f"{url}?format=csv" for name, url in pages.items()}
        urls |= {"embed": reverse("public:embed", args=[slug, YEAR]),
                 "export": reverse("public:export", args=[slug, YEAR]),
                 "document": reverse("public:document", args=[slug, YEAR, self.document.pk]),
                 "item_o25": reverse("public:item", args=[slug, YEAR, "O25"]),
                 "evidence_file": reverse("public:evidence_file", args=[slug, YEAR, "O1", self.public_file.pk])}
        return urls
