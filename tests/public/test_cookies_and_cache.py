"""Public pages without cookies, cacheable, with a server-side cache emptied on publish and withdrawal (issue 21 §4)."""
import pytest
from django.conf import settings
from django.urls import reverse

from oit.models import Item
from public.services import year_withdraw
from tests.helpers.memos import committed
from tests.helpers.public import YEAR, YearData

OTHER_PUBLIC = ["/p/", "/p/catalog.json", "/p/verify/", f"/p/scores/{YEAR}.csv", "/sitemap.xml", "/robots.txt",
                "/p/sitemap-oit.xml", "/p/sitemap-years.xml", "/p/sitemap-organizations.xml",
                "/p/no-such-organization/", f"/p/public-cookies/{YEAR}/oit/O99/"]


@pytest.fixture
def year(db) -> YearData:
    data = YearData("public-cookies")
    with committed():
        data.publish()
    return data


def _signed_in_client(client, user):
    """A browser of a signed-in user: session, CSRF and language cookies, a message waiting."""
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_no_cookie_is_read_or_set_on_any_public_page(client, year, admin_user):
    anonymous = {url: client.get(url) for url in [*year.urls().values(), *OTHER_PUBLIC]}
    signed_in = _signed_in_client(client, admin_user)
    for url, expected in anonymous.items():
        response = signed_in.get(url)
        assert response.cookies == {}, url  # no Set-Cookie: session, CSRF, messages, language
        assert "Cookie" not in response.get("Vary", ""), url
        assert response.status_code == expected.status_code, url
        if not response.streaming and response.status_code == 200:
            assert response.content == expected.content, url  # the same page, in Thai, for everyone
    # the portal's own pages still keep their session: the list is shown to the signed-in user, by name
    response = signed_in.get(reverse("organizations:organization_list"))
    assert response.status_code == 200 and response.wsgi_request.user == admin_user
    assert admin_user.username in response.content.decode()


def test_without_the_middleware_a_signed_in_visitor_would_get_cookies(client, year, admin_user, settings):
    """The check above can fail: the 404 page of the portal sets a CSRF cookie (its language form)."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "public.middleware.PublicPagesMiddleware"]
    signed_in = _signed_in_client(client, admin_user)
    response = signed_in.get("/p/no-such-organization/")
    assert settings.CSRF_COOKIE_NAME in response.cookies or "Cookie" in response.get("Vary", "")


def test_pages_are_cacheable_with_etag_and_last_modified(client, year):
    url = year.urls()["year"]
    response = client.get(url)
    assert response["Cache-Control"] == (f"public, max-age={settings.PUBLIC_CACHE_SECONDS}, "
                                         f"s-maxage={settings.PUBLIC_SHARED_CACHE_SECONDS}")
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": response["Last-Modified"]}).status_code == 304
    assert client.get(f"{url}?format=json")["ETag"] != response["ETag"]


def test_the_server_side_cache_is_emptied_on_publish_and_withdrawal(client, year):
    url = year.urls()["year"]
    assert "โครงสร้าง หน้าที่และอำนาจ" in client.get(url).content.decode()
    Item.objects.filter(code="O1", item_list__fiscal_year=YEAR).update(title="ชื่อใหม่ของ O1")
    assert "ชื่อใหม่ของ O1" not in client.get(url).content.decode()  # served from the cache
    with committed():
        year_withdraw(organization=year.organization, fiscal_year=YEAR, user=year.user)
    assert client.get(url).status_code == 404
    with committed():
        year.publish()
    assert "ชื่อใหม่ของ O1" in client.get(url).content.decode()


def test_the_year_page_reads_in_a_constant_number_of_queries(client, year, django_assert_num_queries):
    from tests.factories import MeasureFactory

    url = year.urls()["year"]
    with django_assert_num_queries(FIRST_RENDER_QUERIES):
        client.get(url)
    with django_assert_num_queries(2):  # the organization and the year still public; the body from the cache
        client.get(url)
    for number in range(3, 13):
        MeasureFactory(plan=year.plan, number=number).steps.create(order=1, text="ขั้นตอน")
    with committed():
        year_withdraw(organization=year.organization, fiscal_year=YEAR, user=year.user)
        year.publish()
    with django_assert_num_queries(FIRST_RENDER_QUERIES):
        assert "มาตรการทดสอบ" in client.get(url).content.decode()


# organization, publication; assessment, framework target; checklist entries, their evidence; the plan (with its
# assessment and analysis), findings, measures, steps, owners, indicators; approved reports, the one report's
# entries; issued documents. One more per approved report.
FIRST_RENDER_QUERIES = 15
