"""The measure list's search (issue 23 §1): one stored text per measure (title, method, steps) searched through a
trigram index on PostgreSQL; a search too short for that index gets a Thai message instead of a scan."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.filtersets import MeasureFilterSet
from measures.migrations import __name__ as migrations_package
from measures.models import Measure, Step
from measures.selectors import measures_for_user
from measures.services import measure_save
from tests.factories import MeasureFactory, MeasurePlanFactory

NO_GIFT = "มาตรการงดรับของขวัญทดสอบ"
STEP = "จัดทำประกาศเจตนารมณ์ No Gift Policy ของผู้บริหาร"
METHOD = "ติดประกาศที่ศาลากลางหมู่บ้านทดสอบ"


@pytest.fixture
def gift_measure(khok_ma):
    plan = MeasurePlanFactory(organization=khok_ma, fiscal_year=2571)
    return measure_save(plan=plan, measure=None, data={"number": 1, "title": NO_GIFT, "method": METHOD},
                        steps=[STEP, "รายงานผลต่อนายกทดสอบ"], version=None, rights=None)


def listed(client, q: str) -> str:
    return client.get(reverse("measures:measure_list"), {"q": q}).content.decode()


def test_the_stored_search_text_is_title_method_and_steps_in_lower_case(gift_measure):
    gift_measure.refresh_from_db()
    assert gift_measure.search_text == f"{NO_GIFT}\n{METHOD}\n{STEP.lower()}\nรายงานผลต่อนายกทดสอบ"


def test_a_search_finds_a_measure_by_its_title_method_or_a_step(demo_client, gift_measure):
    for words in ("งดรับของขวัญ", "ศาลากลางหมู่บ้าน", "no gift POLICY", "ต่อนายกทดสอบ"):
        assert NO_GIFT in listed(demo_client, words), words
    assert NO_GIFT not in listed(demo_client, "ไม่มีคำนี้ในมาตรการใด")


def test_saving_a_measure_again_searches_its_new_steps_not_the_old(demo_client, gift_measure):
    measure_save(plan=gift_measure.plan, measure=gift_measure, data={"title": NO_GIFT, "method": ""},
                 steps=["ประชุมคณะทำงานทดสอบ"], version=gift_measure.version, rights=None)
    assert NO_GIFT in listed(demo_client, "ประชุมคณะทำงาน")
    assert NO_GIFT not in listed(demo_client, "No Gift Policy")
    assert NO_GIFT not in listed(demo_client, "ศาลากลาง")


@pytest.mark.parametrize("q", ["ab", "ก ข ค", "ข้"])
def test_a_search_too_short_for_the_index_gets_a_thai_message_and_reads_no_measure(demo_client, gift_measure, q):
    with CaptureQueriesContext(connection) as queries:
        page = listed(demo_client, q)
    assert "พิมพ์คำค้นอย่างน้อย 3 ตัวอักษรติดกัน" in page
    assert NO_GIFT not in page
    assert not [query["sql"] for query in queries if "measures_measure" in query["sql"]]  # no scan, no page


def test_three_thai_characters_are_enough(demo_client, gift_measure):
    page = listed(demo_client, "ข้อ")  # ข, the tone mark, อ: three characters
    assert "พิมพ์คำค้นอย่างน้อย" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only "
                    "(migration measures 0009); SQLite has no GIN index and scans its small tables")
def test_postgresql_answers_a_search_from_the_trigram_index(khok_ma, django_user_model):
    """As for a national overseer (every organization, issue 23): 20,000 measures, analysed."""
    superuser = django_user_model.objects.create_superuser("national-search", password="x")  # noqa: S106
    plan = MeasurePlanFactory(organization=khok_ma, fiscal_year=2572)
    Measure.objects.bulk_create(
        Measure(plan=plan, number=n, title=f"มาตรการที่ {n} เรื่อง {n * 7919 % 10007}",
                search_text=f"มาตรการที่ {n} เรื่อง {n * 7919 % 10007} ขั้นตอนที่ {n}")
        for n in range(1, 20001))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE measures_measure")
    for q in ("ไม่มีคำนี้แน่นอน", "เรื่อง 4242 ขั้น"):  # no hit; a rare hit
        plan_text = MeasureFilterSet({"q": q}, queryset=measures_for_user(user=superuser)).qs.explain()
        assert "measure_search_trgm" in plan_text, plan_text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the migration fills the column in SQL on "
                    "PostgreSQL only (in Python on SQLite)")
def test_the_migrations_sql_fills_the_same_text_as_the_services(gift_measure):
    import importlib

    migration = importlib.import_module(f"{migrations_package}.0009_search_text")
    bare = MeasureFactory(plan=gift_measure.plan, title="Title Only")
    Step.objects.create(measure=bare, order=1, text="")
    Measure.objects.filter(pk__in=[gift_measure.pk, bare.pk]).update(search_text="")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL_SQL)
    texts = dict(Measure.objects.filter(pk__in=[gift_measure.pk, bare.pk]).values_list("pk", "search_text"))
    assert texts == {gift_measure.pk: Measure.search_text_of(title=NO_GIFT, method=METHOD,
                                                             steps=[STEP, "รายงานผลต่อนายกทดสอบ"]),
                     bare.pk: "title only"}


@pytest.mark.django_db
def test_a_measure_edited_in_the_django_admin_is_searched_by_its_new_step(client, gift_measure, django_user_model):
    superuser = django_user_model.objects.create_superuser("admin-search", password="x")  # noqa: S106
    client.force_login(superuser)
    steps = list(gift_measure.steps.order_by("order"))
    data = {"plan": gift_measure.plan_id, "number": 1, "title": NO_GIFT, "method": "", "question_codes": "[]",
            "version": gift_measure.version, "steps-TOTAL_FORMS": 2, "steps-INITIAL_FORMS": 2,
            "steps-MIN_NUM_FORMS": 0, "steps-MAX_NUM_FORMS": 1000}
    for i, step in enumerate(steps):
        data |= {f"steps-{i}-id": step.pk, f"steps-{i}-measure": gift_measure.pk, f"steps-{i}-order": step.order,
                 f"steps-{i}-text": "ขั้นตอนแก้ไขในหน้าผู้ดูแลระบบ" if i == 0 else step.text}
    response = client.post(reverse("admin:measures_measure_change", args=[gift_measure.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    gift_measure.refresh_from_db()
    assert "ขั้นตอนแก้ไขในหน้าผู้ดูแลระบบ" in gift_measure.search_text and "no gift policy" not in gift_measure.search_text


def test_the_filter_form_built_once_per_process_keeps_each_requests_own_values_and_errors(demo_client, gift_measure):
    """MeasureFilterSet builds its form class once (``get_form_class``); each request still binds its own form."""
    from measures.filtersets import MeasureFilterSet

    assert MeasureFilterSet().get_form_class() is MeasureFilterSet().get_form_class()
    short = listed(demo_client, "ab")
    assert "พิมพ์คำค้นอย่างน้อย 3 ตัวอักษรติดกัน" in short and 'value="ab"' in short
    found = listed(demo_client, "งดรับของขวัญ")
    assert "พิมพ์คำค้นอย่างน้อย" not in found and 'value="ab"' not in found
    assert 'value="งดรับของขวัญ"' in found and NO_GIFT in found
