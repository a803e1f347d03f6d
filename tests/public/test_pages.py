"""The public pages (issue 21 §2): what a published year shows, and that nothing else is ever public."""
import io
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone

from public.services import year_withdraw
from tests.helpers.memos import committed
from tests.helpers.public import SECRETS, YEAR, YearData
from tests.helpers.thai import ENGLISH, english_words
from tests.helpers.urls import PUBLIC_URLS


def body(response) -> str:
    if response["Content-Type"] == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        return "\n".join(archive.read(name).decode(errors="replace") for name in archive.namelist())
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def get(client, url: str) -> str:
    """The text of the page at ``url`` (every file of a zip, the rows of a CSV)."""
    return body(client.get(url))


@pytest.fixture
def year(db) -> YearData:
    data = YearData("public-test")
    with committed():
        data.publish()
    return data


@pytest.mark.django_db
def test_nothing_is_public_until_the_year_is_published(client):
    data = YearData("not-yet")
    for name, url in data.urls().items():
        response = client.get(url)
        assert response.status_code == 404, name
        assert "ไม่พบหน้านี้" in response.content.decode(), name
    assert "not-yet" not in client.get(reverse("public:index")).content.decode()
    with committed():
        data.publish()
    for name, url in data.urls().items():
        assert client.get(url).status_code == 200, name


def test_the_year_page_shows_the_published_checklist_plan_reports_and_documents(client, year):
    page = get(client, year.urls()["year"])
    assert '<html lang="th">' in page
    assert "<title>ITA ของเทศบาลตำบลสาธารณะทดสอบ ปีงบประมาณ 2569 · " in page
    assert '<tr id="O1"><th scope="row"><a href="/p/public-test/2569/oit/O1/">O1</a></th>' in page
    assert "โครงสร้าง หน้าที่และอำนาจ" in page and "https://example.go.th/o1/structure.pdf" in page
    assert year.public_file.file.name.split("/")[-1] in page and "เมนูข้อมูลพื้นฐาน" in page
    assert f'href="/p/public-test/2569/documents/{year.document.pk}/"' in page  # O25's evidence: the issued plan
    assert "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างทุกเดือน" in page
    assert "<li>รวบรวมข้อมูลจัดซื้อจัดจ้าง</li><li>ขึ้นเว็บไซต์ภายในวันที่ 10</li>" in page
    assert "สำนักปลัด" in page and "ตุลาคม 2568 – กันยายน 2569" in page
    assert "คะแนน OIT ต่ำกว่าเป้า" in page and "ทบทวนรายการ OIT ทุกไตรมาส" in page  # the analysis (O25)
    assert "เผยแพร่แล้ว 6 เดือน" in page and "อยู่ระหว่างดำเนินการ" in page  # the approved report (O26)
    assert "มาตรการ-2569.pdf" in page and year.document.sha256 in page
    assert "ITA 91.40" in page


def test_never_public_drafts_comments_accounts_hidden_evidence(client, year):
    for name, url in year.urls().items():
        text = get(client, url)
        for secret in SECRETS:
            assert secret not in text, (name, secret)
        assert "/o26" not in text, name  # the entry not marked public


def test_the_item_has_one_stable_address_in_any_spelling(client, year):
    page = get(client, reverse("public:item", args=["public-test", YEAR, "o๒๕"]))
    assert "<h1>O25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร</h1>" in page
    assert "https://example.go.th/o25" in page and "มาตรการ-2569.pdf" in page
    assert client.get(reverse("public:item", args=["public-test", YEAR, "O26"])).status_code == 404  # not public
    assert client.get(reverse("public:item", args=["public-test", YEAR, "O99"])).status_code == 404


def test_the_document_serves_the_stored_bytes(client, year):
    response = client.get(year.urls()["document"])
    assert response.content == b"%PDF-1.7 the signed plan"
    assert response["X-Content-SHA256"] == year.document.sha256
    assert response["Content-Type"] == "application/pdf"


def test_the_public_evidence_file_downloads_and_the_hidden_one_does_not(client, year):
    response = client.get(year.urls()["evidence_file"])
    assert b"".join(response.streaming_content) == b"%PDF public structure"
    hidden = reverse("public:evidence_file", args=["public-test", YEAR, "O1", year.secret_file.pk])
    assert client.get(hidden).status_code == 404


def test_every_public_url_answers_404_for_withdrawn_unpublished_and_other_organizations(client, year):
    other = YearData("other-public", name="เทศบาลตำบลอื่นทดสอบ")  # never published
    slug = "public-test"
    foreign = [  # the published organization's addresses with another organization's rows
        reverse("public:document", args=[slug, YEAR, other.document.pk]),
        reverse("public:evidence_file", args=[slug, YEAR, "O1", other.public_file.pk]),
        reverse("public:year", args=[slug, 2568]),  # a year of it never published
        reverse("public:item", args=[slug, 2568, "O1"]),
    ]
    unpublished = list(other.urls().values())
    with committed():
        year_withdraw(organization=year.organization, fiscal_year=YEAR, user=year.user)
    withdrawn = list(year.urls().values())
    for url in foreign + unpublished + withdrawn:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "เทศบาลตำบล" not in response.content.decode(), url
    assert client.get(reverse("public:scores", args=[YEAR])).status_code == 404
    assert "public-test" not in client.get(reverse("public:sitemap")).content.decode()


def test_a_withdrawn_year_can_be_published_again(client, year):
    with committed():
        year_withdraw(organization=year.organization, fiscal_year=YEAR, user=year.user)
    assert client.get(year.urls()["year"]).status_code == 404
    with committed():
        year.publish()
    assert "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างทุกเดือน" in client.get(year.urls()["year"]).content.decode()


def test_the_organization_page_shows_scores_over_the_published_years_and_the_latest_against_85(client, year):
    page = get(client, year.urls()["organization"])
    assert "ปีงบประมาณ 2569: ITA 91.40 เทียบกับค่าเป้าหมาย 85.00" in page
    assert "ผ่านค่าเป้าหมาย" in page
    assert '<a href="/p/public-test/2569/">2569</a>' in page
    assert "80.50" not in page  # 2568 is not published


def test_the_index_lists_published_organizations(client, year):
    page = get(client, reverse("public:index"))
    assert '<a href="/p/public-test/">เทศบาลตำบลสาธารณะทดสอบ</a>' in page
    assert f'href="/p/scores/{YEAR}.csv"' in page


def test_the_embed_fragment_is_plain_html_with_stable_anchors(client, year):
    page = get(client, year.urls()["embed"])
    assert page.startswith('<section class="ita-public" lang="th">')
    assert "<script" not in page and "<html" not in page
    assert '<li id="O1"><a href="http://testserver/p/public-test/2569/oit/O1/">O1 โครงสร้าง หน้าที่และอำนาจ</a>' in page


def test_the_export_is_a_static_folder_with_the_pdfs(client, year):
    response = client.get(year.urls()["export"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert names == ["ita-public-test-2569/documents/01-มาตรการ-2569.pdf",
                     f"ita-public-test-2569/files/{year.public_file.pk}-{year.public_file.file.name.split('/')[-1]}",
                     "ita-public-test-2569/index.html"]
    assert archive.read(names[0]) == b"%PDF-1.7 the signed plan"
    index = archive.read("ita-public-test-2569/index.html").decode()
    assert '<tr id="O1"><th scope="row"><a href="http://testserver/p/public-test/2569/oit/O1/">O1</a>' in index
    assert 'href="documents/01-มาตรการ-2569.pdf"' in index
    assert "<script" not in index


def test_the_404_walk_covers_every_public_url_with_an_organization(year):
    """``YearData.urls`` (walked by the 404 tests above) names every public page of an organization."""
    walked = {resolve(urlsplit(url).path).view_name for url in year.urls().values()}
    assert walked == PUBLIC_URLS


def test_the_public_pages_are_thai(client, year):
    licence_and_formats = {"Open", "Government", "Licence", "Thailand", "JSON", "DCAT", "ZIP", "example",
                           "structure", "pdf", "o1", "o25"}
    pages = [reverse("public:index"), year.urls()["organization"], year.urls()["year"], year.urls()["item"],
             year.urls()["item_o25"], year.urls()["embed"]]
    for url in pages:  # works without JavaScript: there is none
        assert "<script" not in client.get(url).content.decode(), url
    found = {url: sorted(words) for url in pages
             if (words := english_words(client.get(url).content.decode(),
                                        licence_and_formats | set(ENGLISH.findall(year.public_file.file.name))))}
    assert not found


def test_anyone_verifies_a_downloaded_pdf_without_cookies(client, year):
    pdf = client.get(year.urls()["document"]).content
    response = client.post(reverse("public:verify"), {"pdf": SimpleUploadedFile("plan.pdf", pdf)})
    page = response.content.decode()
    assert "ใช่ อยู่ในทะเบียนเอกสารที่ออกโดยระบบนี้" in page  # its SHA-256 is in the register
    assert "ไฟล์ PDF นี้ไม่มีลายมือชื่อดิจิทัล" in page  # the factory's stand-in is unsigned (signed: tests/browser)
    assert response.cookies == {}


def test_an_altered_copy_is_headlined_as_not_what_the_portal_issued(client, year):
    pdf = client.get(year.urls()["document"]).content
    for content, words in ((pdf, "ไฟล์นี้คือไฟล์ที่ระบบออก"), (pdf + b"%", "ไฟล์นี้ไม่ใช่ไฟล์ที่ระบบออก")):
        page = client.post(reverse("public:verify"), {"pdf": SimpleUploadedFile("plan.pdf", content)}).content.decode()
        headline = re.search(r'role="status"[^>]*>(.*?)</p>', page, re.S).group(1).strip()
        assert headline.startswith(words) and headline.endswith("ไฟล์ PDF นี้ไม่มีลายมือชื่อดิจิทัล"), headline


def test_a_published_year_without_a_result_shows_dashes(client, year):
    from public.services import year_publish

    with committed():
        year_publish(organization=year.organization, fiscal_year=2570, user=year.user)
    page = client.get(year.urls()["organization"]).content.decode()
    assert '<a href="/p/public-test/2570/">2570</a></th>\n    <td class="num">–</td>' in page
    assert "ปีงบประมาณ 2569: ITA 91.40" in page  # the latest year with a score
    assert "ยังไม่มีคะแนนที่เผยแพร่ของปีงบประมาณนี้" in client.get("/p/public-test/2570/").content.decode()


def test_dates_on_the_public_pages_are_buddhist_era(client, year):
    """A Thai reader sees "อนุมัติแล้ว 6 ธ.ค. 2569", never a Christian-era "2026-12-06"."""
    from core.thai import thai_date

    year.plan.refresh_from_db()
    approved = timezone.localtime(year.plan.approved_at).date()
    page = get(client, year.urls()["year"])
    assert f"อนุมัติแล้ว {thai_date(approved, abbreviated=True, thai_digits=False)}" in page
    assert f"{approved:%Y-%m-%d}" not in page
