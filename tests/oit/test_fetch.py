"""The readiness check's HTTP client (oit/fetch.py) against a local website (tests/helpers/oit_site.py): what it
records, and each of its limits: schemes, refused addresses on every hop (and DNS rebinding), redirect loops and
counts, the time limit, the size cap and two requests at once per host."""
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest

from oit import fetch
from oit.fetch import address_allowed, url_fetch, years_in
from tests.helpers.oit_site import local_site

pytestmark = pytest.mark.database_independent  # an HTTP client against a local website: no database


@pytest.fixture
def site():
    with local_site() as running:
        yield running


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """Every URL the client sends a request to (the checked address is in it)."""
    urls = []
    original = httpx.Client.send

    def recording(self, request, **kwargs):
        urls.append(str(request.url))
        return original(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", recording)
    return urls


def test_years_in_reads_thai_and_arabic_digits_and_only_four_digit_buddhist_years():
    assert years_in("ปีงบประมาณ พ.ศ. ๒๕๖๙ และ 2568") == {2568, 2569}
    assert years_in("2499 2701 25690 12569 ค.ศ. 2026 ๒๗๐๐") == {2700}
    assert years_in("") == set()


def test_a_page_with_the_year_in_arabic_digits(site):
    result = url_fetch(site.url("/year/2569"))
    assert (result.status_code, result.final_url, result.content_type, result.error) == (
        200, site.url("/year/2569"), "text/html", "")
    assert result.size == len(result.text.encode()) or result.size > 0
    assert result.text_read and not result.dead
    assert years_in(result.text) == {2569}


def test_a_page_with_the_year_in_thai_digits(site):
    result = url_fetch(site.url("/thai-year/2568"))
    assert "๒๕๖๘" in result.text and years_in(result.text) == {2568}


def test_the_text_of_a_page_leaves_out_scripts_and_styles(site):
    """The page without a year holds "2569" only in a script and a style: no year is found."""
    result = url_fetch(site.url("/no-year"))
    assert result.text_read and "รายงานผลการดำเนินงาน" in result.text
    assert years_in(result.text) == set()


def test_the_text_of_a_pdf_is_read(site):
    result = url_fetch(site.url("/pdf/2568"))
    assert (result.status_code, result.content_type, result.text_read) == (200, "application/pdf", True)
    assert years_in(result.text) == {2568}


def test_another_type_is_fetched_but_its_text_not_read(site):
    result = url_fetch(site.url("/file.bin"))
    assert (result.status_code, result.size, result.text_read, result.dead) == (200, 200, False, False)


@pytest.mark.parametrize("status", [404, 500])
def test_an_error_status_is_a_dead_link(site, status):
    result = url_fetch(site.url(f"/status/{status}"))
    assert (result.status_code, result.error, result.dead) == (status, "http_status", True)
    assert result.message == f"เว็บไซต์ตอบกลับด้วยรหัสข้อผิดพลาด {status}"


def test_redirects_are_followed_and_the_final_url_recorded(site):
    result = url_fetch(site.url("/chain/5"))
    assert (result.status_code, result.final_url, result.error) == (200, site.url("/chain/0"), "")
    assert site.paths == [f"/chain/{n}" for n in (5, 4, 3, 2, 1, 0)]


def test_more_than_five_redirects_is_an_error(site):
    result = url_fetch(site.url("/chain/6"))
    assert (result.error, result.dead) == ("too_many_redirects", True)
    assert len(site.paths) == 6  # the first request and five redirects; the sixth is not followed
    assert result.message == "ที่อยู่นี้ส่งต่อไปยังที่อยู่อื่นเกิน 5 ครั้ง"


def test_a_redirect_loop_ends_as_an_error(site):
    result = url_fetch(site.url("/loop/a"))
    assert (result.error, result.dead) == ("redirect_loop", True)
    assert site.paths == ["/loop/a", "/loop/b"]


def test_a_slow_answer_times_out(site, settings):
    settings.OIT_FETCH_TIMEOUT_SECONDS = 0.5
    result = url_fetch(site.url("/slow/3"))
    assert (result.status_code, result.error, result.dead) == (None, "timeout", True)
    assert result.seconds < 1.5


def test_the_time_limit_covers_every_redirect_of_one_url(site, settings):
    """Three hops of 0.3 s each exceed a 0.7 s limit for the URL, though each hop alone is within it."""
    settings.OIT_FETCH_TIMEOUT_SECONDS = 0.7
    last = site.url("/slow/0.3")
    second = site.url(f"/to?wait=0.3&u={quote(last, safe='')}")
    first = site.url(f"/to?wait=0.3&u={quote(second, safe='')}")
    assert url_fetch(last).error == ""
    result = url_fetch(first)
    assert (result.error, result.final_url) == ("timeout", last)
    assert result.seconds < 1.2


def test_a_huge_file_is_read_only_up_to_the_cap(site, settings):
    settings.OIT_FETCH_MAX_BYTES = 1024 * 1024
    result = url_fetch(site.url("/huge/11"))
    assert (result.status_code, result.error, result.dead) == (200, "too_large", False)
    assert 1024 * 1024 < result.size <= 1024 * 1024 + 65536  # stopped at the first chunk past the cap
    assert result.text == "" and not result.text_read


def test_the_ten_megabyte_cap_by_default(site):
    result = url_fetch(site.url("/huge/11"))
    assert result.error == "too_large" and 10 * 1024 * 1024 < result.size <= 10 * 1024 * 1024 + 65536
    assert result.message == "ไฟล์มีขนาดเกิน 10 MB จึงอ่านเพียง 10 MB แรก"


def test_an_announced_size_over_the_cap_is_refused_without_reading(site):
    result = url_fetch(site.url("/announced/20"))
    assert (result.error, result.size) == ("too_large", 20 * 1024 * 1024)


@pytest.mark.parametrize("private", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                                     "http://[::1]/", "http://192.168.1.1:8080/admin"])
def test_a_redirect_to_a_private_address_is_refused_without_connecting(site, sent, private):
    result = url_fetch(site.url(f"/to?u={quote(private, safe='')}"))
    assert (result.status_code, result.final_url, result.error, result.dead) == (302, private, "address_refused",
                                                                                True)
    assert sent == [site.url(f"/to?u={quote(private, safe='')}")]  # only the first hop was requested


def test_loopback_is_refused_unless_a_setting_allows_it(site, settings, sent):
    settings.OIT_FETCH_ALLOWED_NETWORKS = []
    result = url_fetch(site.url("/year/2569"))
    assert (result.error, sent) == ("address_refused", [])
    assert result.message.startswith("ที่อยู่นี้ชี้ไปยังเครือข่ายภายใน")


def test_the_addresses_refused_by_default(settings):
    settings.OIT_FETCH_ALLOWED_NETWORKS = []
    for address in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1",
                    "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "240.0.0.1"]:
        assert not address_allowed(address), address
    for address in ["203.150.1.1", "8.8.8.8", "2606:4700:4700::1111"]:
        assert address_allowed(address), address


def test_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected_to(site, monkeypatch, sent):
    """DNS rebinding: the name resolves to the allowed 127.0.0.1 when checked and to 10.0.0.1 afterwards; the
    request goes to the checked address with the name in the Host header, and the name is not looked up again."""
    lookups = []
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example":
            lookups.append(host)
            address = "127.0.0.1" if len(lookups) == 1 else "10.0.0.1"
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    result = url_fetch(site.url("/year/2569", host="rebind.example"))
    assert (result.status_code, result.final_url) == (200, site.url("/year/2569", host="rebind.example"))
    assert lookups == ["rebind.example"]
    assert sent == [site.url("/year/2569")]  # the checked address, not the name


def test_a_name_with_one_private_address_among_public_ones_is_refused(monkeypatch, sent):
    def mixed(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.150.1.1", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)
    assert url_fetch("https://mixed.example/").error == "address_refused"
    assert sent == []


def test_an_unknown_name_is_a_dns_error():
    result = url_fetch("http://no-such-host.invalid/")
    assert (result.error, result.dead) == ("dns", True)
    assert result.message == "ไม่พบชื่อเว็บไซต์นี้ในระบบชื่อโดเมน ตรวจสอบว่าพิมพ์ที่อยู่ถูกต้อง"


@pytest.mark.parametrize("url", ["ftp://example.go.th/file.pdf", "file:///etc/passwd", "javascript:alert(1)",
                                 "gopher://127.0.0.1:70/"])
def test_a_scheme_other_than_http_is_refused(sent, url):
    result = url_fetch(url)
    assert (result.error, result.dead, sent) == ("scheme", True, [])
    assert result.message == "ตรวจได้เฉพาะที่อยู่ที่ขึ้นต้นด้วย http:// หรือ https:// ให้ระบุที่อยู่ของหน้าเว็บ"


def test_a_redirect_to_another_scheme_is_refused(site, sent):
    result = url_fetch(site.url(f"/to?u={quote('file:///etc/passwd', safe='')}"))
    assert (result.error, len(sent)) == ("scheme", 1)


def test_at_most_two_requests_at_once_go_to_one_host(site):
    """Ten URLs of one host fetched by eight threads: the server never answers more than two at once; another
    host name (localhost) has its own two."""
    with fetch.fetch_client() as client, ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: url_fetch(site.url(f"/counted/{n}"), client=client), range(10)))
    assert [r.status_code for r in results] == [200] * 10
    assert site.max_at_once == 2


def test_the_per_host_limit_is_a_setting(site, settings):
    settings.OIT_FETCH_PER_HOST = 3
    fetch._slots.clear()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda n: url_fetch(site.url(f"/counted/{n}")), range(9)))
    finally:
        fetch._slots.clear()
    assert site.max_at_once == 3


def test_a_thread_waiting_for_a_host_slot_does_not_lose_its_time(site, settings):
    """Waiting for one of the host's two slots does not count in the URL's time limit."""
    settings.OIT_FETCH_TIMEOUT_SECONDS = 0.5
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda n: url_fetch(site.url(f"/counted/{n}")), range(6)))
    assert [r.error for r in results] == [""] * 6


def test_the_proxy_settings_of_the_environment_are_ignored(site, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.9.9.9:3128")
    assert url_fetch(site.url("/year/2569")).status_code == 200


def test_a_thread_safe_client_serves_many_threads(site):
    errors = []

    def fetch_one(client, n):
        if url_fetch(site.url(f"/year/{2500 + n}"), client=client).error:
            errors.append(n)

    with fetch.fetch_client() as client:
        threads = [threading.Thread(target=fetch_one, args=(client, n)) for n in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []


def test_a_thai_domain_name_is_looked_up_and_sent_in_its_ascii_form(site, monkeypatch):
    ascii_name = "ทดสอบ.ไทย".encode("idna").decode("ascii")
    lookups = []
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        lookups.append(host)
        return real("127.0.0.1" if host == ascii_name else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    result = url_fetch(f"http://ทดสอบ.ไทย:{site.port}/year/2569")
    names = [host for host in lookups if host != "127.0.0.1"]  # the connection to the checked address
    assert (result.status_code, result.error, names) == (200, "", [ascii_name])


@pytest.mark.parametrize("url", ["http://[::1/", "http://127.0.0.1:99999/", "http:///nohost", "http://exa mple.go.th/"])
def test_a_malformed_address_is_an_error_not_an_exception(sent, url):
    result = url_fetch(url)
    assert result.error in ("invalid_url", "dns") and result.dead and sent == []
