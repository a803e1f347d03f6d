"""OIT helpers: a small, realistic item list of a year (with O25 of period N and O26 of period N−1, as in the
2569 list), an issued document of the portal, and Khok Ma's checklist for the persona/scope tests."""
import datetime as dt

from django.utils import timezone

from memos.models import IssuedDocument, Memo
from oit.choices import Period
from oit.models import Checklist, ItemList
from organizations.models import Organization
from tests.factories import ElementFactory, ItemFactory, ItemListFactory, MeasurePlanFactory, ProgressReportFactory

# (code, title, period, previous code, element texts) — titles of the 2569 list (../shared/domain/oit.md)
ITEMS = [
    ("O1", "โครงสร้าง หน้าที่และอำนาจ", Period.NONE, "O1", ["แผนผังโครงสร้างการแบ่งส่วนราชการ", "หน้าที่และอำนาจตามกฎหมาย"]),
    ("O3", "ข้อมูลการติดต่อและช่องทางการสอบถาม", Period.NONE, "O3", ["ที่อยู่ หมายเลขโทรศัพท์ อีเมล"]),
    ("O25", "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", Period.FY_N, "O25",
     ["ผลการวิเคราะห์ผลการประเมินปีที่ผ่านมา", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส", "เป็นการดำเนินการในปีงบประมาณ"]),
    ("O26", "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", Period.FY_N_MINUS_1, "O26",
     ["ผลการดำเนินการตามมาตรการ", "เป็นการดำเนินการในปีงบประมาณที่ผ่านมา"]),
]
YEAR = 2571  # a year no data file loads, so that the tests own its list
# Which of the portal's own documents shows an item, as data/oit/2569.yaml states it (``Item.portal_document``)
PORTAL_DOCUMENTS = {"O25": "plan", "O26": "annual_report"}


def oit_item_list(*, fiscal_year: int = YEAR, items=ITEMS, entry_opens: dt.date | None = dt.date(2028, 3, 1),
                  entry_closes: dt.date | None = dt.date(2028, 4, 30)) -> ItemList:
    """The item list of ``fiscal_year`` with ``items`` — (code, title, period, previous code, element texts; O25 and
    O26 the portal's documents, ``PORTAL_DOCUMENTS``) — and an OIT calendar (entry 1 Mar–30 Apr 2028 by default)."""
    item_list = ItemListFactory(fiscal_year=fiscal_year, entry_opens=entry_opens, entry_closes=entry_closes)
    for order, (code, title, period, previous, elements) in enumerate(items, start=1):
        item = ItemFactory(item_list=item_list, code=code, order=order, title=title, period=period,
                           previous_code=previous, portal_document=PORTAL_DOCUMENTS.get(code, ""))
        for number, text in enumerate(elements, start=1):
            ElementFactory(item=item, order=number, text=text)
    return item_list


def issued_document(*, organization: Organization, plan=None, report=None, subject: str = "") -> IssuedDocument:
    """An issued PDF of ``organization`` whose memo carries ``plan`` or ``report``."""
    memo = Memo.objects.create(organization=organization, date=dt.date(2027, 11, 1), plan=plan,
                               progress_report=report, subject=subject or "มาตรการส่งเสริมคุณธรรม",
                               addressee="นายกเทศมนตรี", body="ข้อความ")
    number = IssuedDocument.objects.count() + 1
    return IssuedDocument.objects.create(
        memo=memo, version=1, organization=organization, document_number=f"บร 7100{number}/{number}",
        register_year=2571, register_number=number, date=dt.date(2027, 11, 2), subject=memo.subject,
        addressee=memo.addressee, filename=f"memo-{number}.pdf", content=b"%PDF-1.7", size=8, sha256="0" * 64,
        issued_at=timezone.now())


def plan_and_annual_report(*, organization: Organization, fiscal_year: int):
    """A measure plan of ``fiscal_year`` and the annual progress report of the plan of the year before."""
    from measures.choices import Round

    plan = MeasurePlanFactory(organization=organization, fiscal_year=fiscal_year)
    last = MeasurePlanFactory(organization=organization, fiscal_year=fiscal_year - 1)
    report = ProgressReportFactory(plan=last, round=Round.ANNUAL, period_start=dt.date(2026, 10, 1),
                                   period_end=dt.date(2027, 9, 30))
    return plan, report


def khok_ma_checklist() -> Checklist:
    """Khok Ma's OIT checklist of ``YEAR`` (made if none), for the URLs of ``tests.helpers.urls``."""
    from oit.checklists import checklist_create

    organization = Organization.objects.get(slug="khok-ma")
    existing = Checklist.objects.filter(organization=organization, fiscal_year=YEAR).first()
    if existing:
        return existing
    if not ItemList.objects.filter(fiscal_year=YEAR).exists():
        oit_item_list()
    return checklist_create(organization=organization, fiscal_year=YEAR, user=None)
