"""factory_boy factories for new test data (the seeds stay the real-data tests)."""
import datetime as dt
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Assessment
from measures.choices import Round
from measures.models import Measure, MeasurePlan, ProgressEntry, ProgressReport
from memos.models import IssuedDocument, Memo, RoutingStep
from oit.choices import Period
from oit.models import Checklist, ChecklistEntry, Element, Item, ItemList
from organizations.choices import OrganizationKind, Role
from organizations.models import Department, Membership, Official, Organization, OversightScope
from reports.choices import RenderStatus
from reports.models import RenderJob

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"เทศบาลตำบลทดสอบ {n}")
    kind = OrganizationKind.TAMBON_MUNICIPALITY
    amphoe = "เมือง"
    province = "บุรีรัมย์"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.EXECUTIVE


class OversightScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OversightScope

    user = factory.SubFactory(UserFactory)
    province = ""


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment with only published figures; call ``scores_refresh`` after creating some (as services do)."""

    class Meta:
        model = Assessment

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = 2569


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"กองทดสอบ {n}")


class MeasurePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasurePlan

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = 2569
    title = factory.LazyAttribute(lambda plan: f"มาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ {plan.fiscal_year}")


class MeasureFactory(factory.django.DjangoModelFactory):
    """A measure (phrase-only timeframe unless dates are given); call ``measure_statuses_refresh`` after creating
    some, as the services do, so that its stored ``due_date`` and ``latest_status`` are set."""

    class Meta:
        model = Measure
        skip_postgeneration_save = True

    plan = factory.SubFactory(MeasurePlanFactory)
    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"มาตรการทดสอบ {n}")
    timeframe_text = "ดำเนินการเป็นประจำทุกวัน"
    # What the services store (no steps here: a test that adds steps and searches them saves through measure_save).
    search_text = factory.LazyAttribute(
        lambda m: Measure.search_text_of(title=m.title, method=getattr(m, "method", ""), steps=[]))

    @factory.post_generation
    def owners(self, create, departments, **kwargs):
        if create and departments:
            self.owners.set(departments)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    """A 6-month report (1 ต.ค.–31 มี.ค. of the plan's fiscal year)."""

    class Meta:
        model = ProgressReport

    plan = factory.SubFactory(MeasurePlanFactory)
    round = Round.SIX_MONTH
    period_start = factory.LazyAttribute(lambda r: dt.date(r.plan.fiscal_year - 544, 10, 1))
    period_end = factory.LazyAttribute(lambda r: dt.date(r.plan.fiscal_year - 543, 3, 31))


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressEntry

    report = factory.SubFactory(ProgressReportFactory)
    measure = factory.SubFactory(MeasureFactory)
    status = ""


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    organization = factory.SubFactory(OrganizationFactory)
    full_name = factory.Sequence(lambda n: f"นายทดสอบ ลงนาม{n}")
    position_lines = factory.LazyFunction(lambda: ["ตำแหน่งทดสอบ"])


class RoutingStepFactory(factory.django.DjangoModelFactory):
    """A step of an organization's route; its user is made a member (executive) of the organization."""

    class Meta:
        model = RoutingStep

    organization = factory.SubFactory(OrganizationFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"ความเห็นขั้นที่ {n}")
    official = factory.SubFactory(OfficialFactory, organization=factory.SelfAttribute("..organization"))
    user = factory.LazyAttribute(
        lambda step: MembershipFactory(organization=step.organization, role=Role.EXECUTIVE).user)


class MemoFactory(factory.django.DjangoModelFactory):
    """A draft memo carrying ``plan`` (of its organization)."""

    class Meta:
        model = Memo

    organization = factory.SubFactory(OrganizationFactory)
    plan = factory.SubFactory(MeasurePlanFactory, organization=factory.SelfAttribute("..organization"))
    date = dt.date(2025, 3, 1)
    subject = factory.Sequence(lambda n: f"มาตรการส่งเสริมคุณธรรม เรื่องที่ {n}")
    department_line = "สำนักปลัด โทร. 0 4400 0000"
    addressee = "นายกเทศมนตรีตำบลทดสอบ"
    body = "ย่อหน้าแรก\n\nย่อหน้าที่สอง"
    closing = "จึงเรียนมาเพื่อโปรดพิจารณา"


class RenderJobFactory(factory.django.DjangoModelFactory):
    """A finished background render (``reports.RenderJob``) of the plan of 2568 of its organization, holding a
    one-page stand-in PDF."""

    class Meta:
        model = RenderJob

    plan = factory.SubFactory(MeasurePlanFactory, fiscal_year=2568)
    organization = factory.LazyAttribute(lambda job: job.plan.organization)
    kind = "measures"
    title = "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"
    characters = 40_000
    status = RenderStatus.DONE
    progress = 100
    filename = "measures-test.pdf"
    content = b"%PDF-1.7 stand-in"
    pages = 1


class ItemListFactory(factory.django.DjangoModelFactory):
    """A year's OIT item list; no items unless made with ``ItemFactory(item_list=…)``."""

    class Meta:
        model = ItemList
        django_get_or_create = ["fiscal_year"]

    fiscal_year = 2569
    source = "test"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    item_list = factory.SubFactory(ItemListFactory)
    code = factory.Sequence(lambda n: f"O{n + 101}")  # above the loaded lists' codes (data/oit: O1–O43)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"ข้อมูลทดสอบ {n + 1}")
    indicator_number = 9
    period = Period.FY_N


class ElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Element

    item = factory.SubFactory(ItemFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"แสดงข้อมูลส่วนที่ {n + 1}")


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist

    organization = factory.SubFactory(OrganizationFactory)
    fiscal_year = factory.SelfAttribute("item_list.fiscal_year")
    item_list = factory.SubFactory(ItemListFactory)
    list_version = factory.SelfAttribute("item_list.version")


class ChecklistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistEntry

    checklist = factory.SubFactory(ChecklistFactory)
    item = factory.SubFactory(ItemFactory, item_list=factory.SelfAttribute("..checklist.item_list"))


class IssuedDocumentFactory(factory.django.DjangoModelFactory):
    """An issued (approved, stored) memo PDF; ``memo`` carries a plan of the same organization by default."""

    class Meta:
        model = IssuedDocument

    memo = factory.SubFactory(MemoFactory)
    organization = factory.LazyAttribute(lambda d: d.memo.organization)
    version = 1
    document_number = factory.Sequence(lambda n: f"บร 71001/{n + 1}")
    register_year = 2569
    register_number = factory.Sequence(lambda n: n + 1)
    date = dt.date(2026, 3, 5)
    subject = factory.LazyAttribute(lambda d: d.memo.subject)
    addressee = "นายกเทศมนตรีตำบลทดสอบ"
    filename = factory.Sequence(lambda n: f"memo-{n + 1}.pdf")
    content = b"%PDF-1.7 issued stand-in"
    size = factory.LazyAttribute(lambda d: len(d.content))
    sha256 = factory.LazyAttribute(lambda d: hashlib.sha256(d.content).hexdigest())
    signed = True
    issued_at = factory.LazyFunction(timezone.now)
