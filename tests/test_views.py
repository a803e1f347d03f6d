"""What each page shows, on the real seed data, and who may see it."""
from html import unescape

import pytest
import yaml
from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils.html import strip_tags

from organizations.models import Organization
from tests.helpers.urls import KHOK_MA_URLS, OIT_ITEM_URLS, PUBLIC_URLS, khok_ma_urls

SEED_FILES = sorted(settings.SEED_DATA_DIR.glob("*.yaml"))


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_every_organization_scoped_url_is_in_the_scoping_test():
    """A new URL with an organization slug must be added to KHOK_MA_URLS (and so to the 404 test), or, for a public
    page, to PUBLIC_URLS (and to ``YearData.urls`` of tests/helpers/public.py, the public pages' 404 test)."""
    def names(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from names(pattern.url_patterns, pattern.namespace or namespace)
            elif "slug" in pattern.pattern.converters:
                yield f"{namespace}:{pattern.name}"

    assert set(names(get_resolver().url_patterns)) == set(KHOK_MA_URLS) | PUBLIC_URLS


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in [reverse("organizations:organization_list"), reverse("measures:measure_list"),
                reverse("reports:verify_pdf"), *OIT_ITEM_URLS(), *khok_ma_urls()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_user_of_another_organization_gets_404_on_every_url(client, outsider):
    client.force_login(outsider)
    for url in khok_ma_urls():
        for response in (client.get(url), client.post(url, {"title": "x", "action": "approve"})):
            assert response.status_code == 404, url
            assert "<h1>ไม่พบหน้านี้</h1>" in response.content.decode(), url
            assert "โคกม้า" not in response.content.decode(), url  # nothing of the organization is shown


@pytest.mark.django_db
@pytest.mark.parametrize("list_name", ["organizations:organization_list", "measures:measure_list"])
def test_lists_show_only_the_users_organization(client, outsider, list_name):
    client.force_login(outsider)
    page = html(client.get(reverse(list_name)))
    assert "องค์การบริหารส่วนตำบลบ้านพราน" in page
    assert "เทศบาลตำบลโคกม้า" not in page


@pytest.mark.django_db
def test_the_demo_user_sees_the_five_municipalities_in_thai(demo_client):
    page = html(demo_client.get(reverse("organizations:organization_list")))
    for organization in Organization.objects.all():
        assert organization.name in page
    assert "หน่วยงานของคุณ" in page


@pytest.mark.django_db
def test_english_is_available(demo_client):
    demo_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = html(demo_client.get(reverse("organizations:organization_list")))
    assert "Your organizations" in page
    assert "หน่วยงานของคุณ" not in page


@pytest.mark.django_db
def test_the_assessment_page_shows_computed_and_published_figures(demo_client):
    page = html(demo_client.get(reverse("assessments:assessment_detail", args=["pong-nam-ron", 2566])))
    assert "96.55" in page and "ผ่านดี" in page and "429" in page
    assert "95.42" in page and "95.65" in page and "-0.23" in page  # IIT as published vs computed
    assert "90.97" in page and "94.72" in page  # EIT parts
    assert page.count('class="badge ok"') == 10  # every indicator of 2566 meets 85


@pytest.mark.django_db
def test_the_assessment_page_marks_indicators_below_85(demo_client):
    page = html(demo_client.get(reverse("assessments:assessment_detail", args=["khok-ma", 2567])))
    assert page.count('class="badge below"') == 1
    assert "76.79" in page and "ต่ำกว่าเป้าหมาย (-8.21)" in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_every_fact_of_each_seed_is_on_its_pages(demo_client, path):
    """Every name, score, finding, measure, step, owner, timeframe, result and memo field of the seed file
    appears on the organization, assessment and plan pages."""
    seed = yaml.safe_load(path.read_text(encoding="utf-8"))
    slug = seed["organization"]["slug"]
    pages = html(demo_client.get(reverse("organizations:organization_detail", args=[slug])))
    for a in seed.get("assessments") or []:
        pages += html(demo_client.get(reverse("assessments:assessment_detail", args=[slug, a["fiscal_year"]])))
    for p in seed.get("plans") or []:
        pages += html(demo_client.get(reverse("measures:plan_detail", args=[slug, p["fiscal_year"]])))
    text = _normalise(strip_tags(pages))
    for fact in _facts(seed):
        for line in str(fact).splitlines():
            assert _normalise(line) in text, line


def _normalise(text: str) -> str:
    return "".join(unescape(str(text)).split())


def _facts(seed: dict):
    yield seed["organization"]["name"]
    yield from (d["name"] for d in seed.get("departments") or [])
    for o in seed.get("officials") or []:
        yield o["full_name"]
        yield from o["position_lines"]
    for a in seed.get("assessments") or []:
        yield from (f"{float(v):.2f}" for v in (a["indicators"] or {}).values())
        yield from (f"{float(a[k]):.2f}" for k in ("official_score", "official_iit", "official_oit") if a.get(k))
        yield from (q["code"] for q in a.get("question_scores") or [])
        yield from (q["text"] for q in a.get("question_scores") or [])
        yield from (a.get("notes") or "", a.get("rank_scope") or "", a.get("official_level") or "")
    analysis = seed.get("analysis") or {}
    yield analysis.get("introduction") or ""
    yield from (f["title"] for f in analysis.get("findings") or [])
    for f in analysis.get("findings") or []:
        yield from (line for line in (f["text"] + "\n" + f["recommendation"]).splitlines() if line.strip())
    if analysis.get("limitations"):
        yield from (line for line in analysis["limitations"].splitlines() if line.strip())
    for p in seed.get("plans") or []:
        yield from (p["title"], p.get("introduction") or "")
        for m in p["measures"]:
            yield from (m["title"], *m["steps"], m["owner_note"], m["timeframe_text"])
            yield from (m["issue"], m["method"], m["monitoring"])
        for r in p.get("progress_reports") or []:
            yield from (r.get("title") or "", r.get("summary") or "")
            for e in r["entries"]:
                yield from (line for line in (e["result"] or "").splitlines() if line.strip())
                yield from (e["evidence"], e["recommendation"], e["date_text"])
    for memo in seed.get("memos") or []:
        yield from (memo["subject"], memo["addressee"], memo["document_number"], *memo["body"], memo["closing"])
        yield from (memo["department_line"], *(c["text"] for c in memo["comments"]))
        yield from (c["title"] for c in memo["comments"])


@pytest.mark.django_db
def test_the_plan_page_shows_measures_with_latest_status(demo_client):
    page = html(demo_client.get(reverse("measures:plan_detail", args=["mueang-phalai", 2566])))
    counts, cards = page.split('<p class="status-counts"', 1)[1].split("</p>", 1)
    assert '<span class="status status-done">ดำเนินการแล้วเสร็จ 14</span>' in counts
    assert '<span class="status status-in_progress">อยู่ระหว่างดำเนินการ 11</span>' in counts
    # Fiscal year 2566 ended on 30 Sep 2566 (2023): the 11 measures still in progress, whose timeframe is a
    # phrase only, are overdue; the 14 done are not.
    assert '<span class="badge overdue">เลยกำหนด 11</span>' in counts
    assert cards.count('class="status status-done"') == 14
    assert cards.count('class="status status-in_progress"') == 11
    assert cards.count('<span class="badge overdue">เลยกำหนด</span>') == 11
    assert "มาตรการ (25)" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [({}, 65), ({"fiscal_year": "2568"}, 8), ({"indicator": "9"}, None), ({"department": "กองคลัง"}, None),
     ({"status": "in_progress"}, 11), ({"q": "เว็บไซต์"}, None)],
)
def test_measure_list_filters_narrow_the_rows(demo_client, query, expected):
    from measures.models import Measure

    response = demo_client.get(reverse("measures:measure_list"), {**query, "per_page": 100})
    rows = len(response.context["table"].page.object_list)  # one page holds them all; the list never counts
    if expected is None:
        assert 0 < rows < Measure.objects.count()
    else:
        assert rows == expected


@pytest.mark.django_db
def test_the_plan_page_is_titled_as_a_plan_in_thai(demo_client):
    page = html(demo_client.get(reverse("measures:plan_detail", args=["dong-sombun", 2564])))
    assert "<h1>แผนมาตรการ ปีงบประมาณ 2564</h1>" in page
    assert "มาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานให้ดีขึ้น" in page
