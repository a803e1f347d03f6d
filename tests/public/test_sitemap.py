"""The sitemap at national scale (issue 21 §4; docs/public-pages.md): the sitemaps protocol allows 50,000 URLs a
file, and 8,300 organizations have about 232,000 public pages. ``/sitemap.xml`` is one file while every public page
fits in one (``PUBLIC_SITEMAP_LIMIT``), else a sitemap index over the sections' files ``/p/sitemap-<section>.xml``
(``?p=2`` …), each within the limit; every public page is in exactly one of them. The section files are public
pages like the others: no cookie, cacheable, in nginx's micro-cache."""
import math
import re

import pytest
from django.urls import reverse

from assessments.models import Assessment
from oit.models import ChecklistEntry
from public.models import Publication
from public.services import year_publish
from tests.helpers.memos import committed
from tests.helpers.public import YearData

LOC = re.compile(r"<loc>(.*?)</loc>")
BASE = "http://testserver"


@pytest.fixture
def published(db) -> YearData:
    """Two public years of their own (O1 and O25 public, O26 not) and every seed organization's assessed years."""
    data, more = YearData("sitemap-test"), YearData("sitemap-more", name="เทศบาลตำบลทดสอบอีกแห่ง")
    with committed():
        data.publish()
        more.publish()
        for organization, fiscal_year in {(a.organization, a.fiscal_year) for a in Assessment.objects.exclude(
                organization__in=[data.organization, more.organization]).select_related("organization")}:
            year_publish(organization=organization, fiscal_year=fiscal_year, user=data.user)
    return data


def expected_pages() -> set[str]:
    """Every public page, read from the database here, as the sitemap before sections listed them."""
    live = list(Publication.objects.live().values_list("organization__slug", "fiscal_year"))
    pages = {f"{BASE}/p/"} | {f"{BASE}/p/{slug}/" for slug, _year in live}
    pages |= {f"{BASE}/p/{slug}/{year}/" for slug, year in live}
    entries = ChecklistEntry.objects.filter(is_public=True).values_list(
        "checklist__organization__slug", "checklist__fiscal_year", "item__code")
    pages |= {f"{BASE}/p/{slug}/{year}/oit/{code}/" for slug, year, code in entries if (slug, year) in live}
    return pages


def xml(client, url: str, root: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    body = response.content.decode()
    assert f"<{root} xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"" in body, body[:300]
    assert response.cookies == {} and "public" in response["Cache-Control"], url
    return body


def test_a_small_site_keeps_one_sitemap_file_with_every_public_page(client, published):
    urls = LOC.findall(xml(client, "/sitemap.xml", "urlset"))
    assert len(urls) == len(set(urls)) and set(urls) == expected_pages()
    assert {f"{BASE}/p/sitemap-test/2569/oit/O1/", f"{BASE}/p/sitemap-test/2569/oit/O25/"} <= set(urls)
    assert f"{BASE}/p/sitemap-test/2569/oit/O26/" not in urls  # not public


def test_past_the_limit_the_sitemap_is_an_index_of_sections_each_within_the_limit(client, published, settings):
    settings.PUBLIC_SITEMAP_LIMIT = 3
    expected = expected_pages()
    assert len(expected) > 9  # several files in at least one section
    index = xml(client, "/sitemap.xml", "sitemapindex")
    files = LOC.findall(index)
    assert all(re.fullmatch(rf"{BASE}/p/sitemap-[a-z]+\.xml(\?p=[0-9]+)?", f) for f in files), files
    assert len(files) == len(set(files))
    seen: list[str] = []
    for address in files:
        urls = LOC.findall(xml(client, address.removeprefix(BASE), "urlset"))
        assert 1 <= len(urls) <= 3, (address, urls)
        seen += urls
    assert len(seen) == len(set(seen))  # each page in exactly one file
    assert set(seen) == expected  # and none lost
    assert len(files) == sum(math.ceil(n / 3) for n in _section_sizes(expected))


def _section_sizes(pages: set[str]) -> list[int]:
    """The sections' sizes: the index and organizations, the years, the OIT items."""
    paths = [page.removeprefix(BASE) for page in pages]
    items = [p for p in paths if "/oit/" in p]
    years = [p for p in paths if re.fullmatch(r"/p/[-\w]+/\d{4}/", p)]
    return [len(paths) - len(items) - len(years), len(years), len(items)]


def test_a_page_past_a_sections_last_or_an_unknown_section_is_not_found(client, published, settings):
    settings.PUBLIC_SITEMAP_LIMIT = 3
    for url in ("/p/sitemap-oit.xml?p=999", "/p/sitemap-oit.xml?p=x", "/p/sitemap-nothing.xml", "/sitemap.xml?p=2"):
        response = client.get(url)
        page = response.content.decode()
        # The visitor reads the Thai "not found" page, not an empty or partial sitemap.
        assert response.status_code == 404 and "ไม่พบหน้านี้" in page, url
        assert "<urlset" not in page and "<sitemapindex" not in page and "<loc>" not in page, url


def test_robots_names_the_sitemap(client, published, settings):
    settings.PUBLIC_SITEMAP_LIMIT = 3
    robots = client.get(reverse("public:robots")).content.decode()
    assert "Sitemap: http://testserver/sitemap.xml\n" in robots


def test_the_section_files_are_public_paths_that_nginx_caches():
    from django.conf import settings

    from public.middleware import is_public_path

    site = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    cached = re.search(r"\n    location ~ (\S+) \{\n(?:(?!\n    \}).)*proxy_cache ita_public;", site, re.S)
    assert cached, "deploy/nginx.conf has no cached location"
    for path in ["/sitemap.xml", "/p/sitemap-oit.xml", "/p/sitemap-years.xml", "/p/sitemap-organizations.xml"]:
        assert re.search(cached.group(1), path), path
        assert is_public_path(path), path
