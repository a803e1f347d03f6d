"""The verify page (issue 11 §4): any logged-in user uploads a PDF and reads, in Thai, whether we issued it, whether
it is signed, intact and trusted, who signed it and when. Nothing is stored."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.signing import sign_pdf
from tests.helpers.signing import with_text_added_after_signing
from tests.reports.conftest import one_byte_changed

URL = reverse("reports:verify_pdf")


def verify(client, name: str, content: bytes) -> str:
    response = client.post(URL, {"pdf": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_any_member_reads_a_signed_pdf_as_signed_intact_and_trusted_in_thai(client, staff_user, signing, memo_pdf):
    client.force_login(staff_user)
    page = client.get(URL).content.decode()
    assert "<h1>ตรวจสอบไฟล์ PDF</h1>" in page and 'enctype="multipart/form-data"' in page
    signed = sign_pdf(memo_pdf)
    page = verify(client, "บันทึก.pdf", signed.content)
    assert "<h2>ผลการตรวจสอบ: บันทึก.pdf</h2>" in page
    assert "ลงลายมือชื่อดิจิทัล ไฟล์ครบถ้วน และใบรับรองเชื่อถือได้" in page
    assert "ครบถ้วน ไฟล์ไม่ถูกแก้ไขหลังลงลายมือชื่อ (ลายมือชื่อครอบคลุมทั้งไฟล์)" in page
    assert "เชื่อถือได้ ใบรับรองออกโดยผู้ออกใบรับรองที่ระบบเชื่อถือ" in page
    assert "<th scope=\"row\">ผู้ลงนาม</th><td>นายทดสอบ ลงนามดี</td>" in page
    assert "ไม่ใช่ ไม่พบไฟล์นี้ในทะเบียนเอกสารที่ออกโดยระบบนี้" in page
    assert signed.sha256 in page


@pytest.mark.django_db
def test_a_changed_byte_and_an_unsigned_pdf_are_reported_as_such(client, staff_user, signing, memo_pdf):
    client.force_login(staff_user)
    page = verify(client, "changed.pdf", one_byte_changed(sign_pdf(memo_pdf).content))
    assert "อย่าใช้ไฟล์นี้อ้างอิง" in page and "ไม่ครบถ้วน" in page
    page = verify(client, "unsigned.pdf", memo_pdf)
    assert "ไม่มี ไฟล์ PDF นี้ไม่ได้ลงลายมือชื่อดิจิทัล" in page


@pytest.mark.django_db
def test_a_pdf_with_an_update_appended_after_signing_is_not_trusted_on_the_page(client, staff_user, signing,
                                                                                memo_pdf):
    client.force_login(staff_user)
    page = verify(client, "altered.pdf", with_text_added_after_signing(sign_pdf(memo_pdf).content))
    assert "อย่าใช้ไฟล์นี้อ้างอิง" in page and "ไม่ครบถ้วน" in page
    assert "เชื่อถือได้ ใบรับรองออกโดยผู้ออกใบรับรองที่ระบบเชื่อถือ" not in page
    assert "เชื่อถือไม่ได้" in page


@pytest.mark.django_db
def test_a_file_that_is_not_a_pdf_is_refused_by_its_content(client, staff_user):
    client.force_login(staff_user)
    page = verify(client, "memo.pdf", "ไม่ใช่ PDF".encode())
    assert "ไฟล์นี้ไม่ใช่ PDF (ระบบตรวจชนิดไฟล์จากเนื้อไฟล์ ไม่ใช่จากชื่อไฟล์)" in page
    assert 'id="verify-result"' not in page


@pytest.mark.django_db
def test_without_a_certificate_the_pages_say_pdfs_are_unsigned(client, settings, admin_user):
    settings.SIGNING_PKCS12 = ""
    client.force_login(admin_user)
    assert "ไฟล์ PDF ที่พิมพ์จากระบบจึงไม่มีลายมือชื่อดิจิทัล" in client.get(URL).content.decode()
    documents = client.get(reverse("reports:document_list", args=["khok-ma", 2568])).content.decode()
    assert "ไฟล์ PDF ไม่ได้ลงลายมือชื่อดิจิทัล เพราะระบบนี้ยังไม่ได้ตั้งค่าใบรับรองสำหรับลงลายมือชื่อ" in documents


@pytest.mark.django_db
def test_an_altered_copy_of_an_unsigned_issued_pdf_is_headlined_as_not_what_the_portal_issued(client, staff_user,
                                                                                               memo_pdf):
    import hashlib
    import re

    from tests.factories import IssuedDocumentFactory

    IssuedDocumentFactory(content=memo_pdf, size=len(memo_pdf), sha256=hashlib.sha256(memo_pdf).hexdigest())
    client.force_login(staff_user)

    def headline(content: bytes) -> str:
        page = verify(client, "memo.pdf", content)
        return re.search(r'id="verify-result".*?role="status"[^>]*>(.*?)</p>', page, re.S).group(1).strip()

    assert headline(memo_pdf) == ("ไฟล์นี้คือไฟล์ที่ระบบออก: พบในทะเบียนเอกสารที่ออกโดยระบบนี้ "
                                  "ไฟล์ PDF นี้ไม่มีลายมือชื่อดิจิทัล")
    assert headline(one_byte_changed(memo_pdf)) == ("ไฟล์นี้ไม่ใช่ไฟล์ที่ระบบออก: ไม่พบในทะเบียนเอกสารที่ออกโดยระบบนี้ "
                                                    "ไฟล์ PDF นี้ไม่มีลายมือชื่อดิจิทัล")
