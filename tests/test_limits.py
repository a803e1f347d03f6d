"""The limits that keep one member from slowing the portal for everybody (docs/operations/background-work.md):
images by pixels and bytes, texts by length, uploads capped before they reach the disk. The render caps (pages,
time) are tested with the background renders, tests/reports/test_render_jobs.py."""
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from PIL import ImageFile

from core.upload_limits import CappedUploadHandler, RefusedUpload
from organizations.forms import GarudaField
from organizations.models import Organization
from tests.helpers.forms import get_form
from tests.helpers.measures import measure_url, plan_state
from tests.helpers.organizations import post_settings


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels in its header, with a tiny (not decodable) image data
    chunk: what an attacker's 9000 × 9000 image looks like to the code that reads only the header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


# --- images ---------------------------------------------------------------------------------------------------------

def test_a_9000_by_9000_garuda_is_refused_from_its_header_without_decoding_it(monkeypatch):
    def decode(self):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decode)
    upload = SimpleUploadedFile("garuda.png", png_header_only(9000, 9000), "image/png")
    with pytest.raises(Exception) as refused:
        GarudaField().clean(upload)
    assert refused.value.messages == [
        "ภาพมีขนาด 9000 × 9000 พิกเซล ภาพครุฑมีได้ไม่เกิน 4,000,000 พิกเซล (กว้าง × สูง)"]


@pytest.mark.django_db
def test_the_settings_page_refuses_a_garuda_over_the_pixel_limit_and_stores_nothing(client, admin_user, settings,
                                                                                     tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    response = post_settings(client, garuda=SimpleUploadedFile("ครุฑ.png", png_header_only(2001, 2000)))
    assert "ภาพมีขนาด 2001 × 2000 พิกเซล ภาพครุฑมีได้ไม่เกิน 4,000,000 พิกเซล" in response.content.decode()
    assert not Organization.objects.get(slug="khok-ma").garuda
    assert not list(tmp_path.rglob("*.png"))


@pytest.mark.django_db
def test_a_huge_garuda_stored_before_the_limit_is_not_printed_on_memos(settings, tmp_path):
    from django.core.files.base import ContentFile

    from organizations.selectors import garuda_data_uri

    settings.MEDIA_ROOT = tmp_path
    organization = Organization.objects.get(slug="khok-ma")
    organization.garuda.save("garuda.png", ContentFile(png_header_only(9000, 9000)))
    assert garuda_data_uri(organization) == ""
    organization.garuda.save("garuda-small.png", ContentFile(png_header_only(400, 570)))
    assert garuda_data_uri(organization).startswith("data:image/png;base64,")


def test_a_garuda_at_the_pixel_limit_is_accepted():
    upload = GarudaField().clean(SimpleUploadedFile("garuda.png", png_header_only(2000, 2000)))
    assert upload.image.size == (2000, 2000)


# --- texts ----------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("field", ["method", "issue", "monitoring"])
def test_a_measure_text_over_10000_characters_is_refused_in_thai_and_nothing_is_saved(client, admin_user, field):
    client.force_login(admin_user)
    url = measure_url("measure_edit", 2)
    data = get_form(client, url)
    before = plan_state()
    data[field] = "ก" * 10_001
    page = client.post(url, data).content.decode()
    assert "ข้อความนี้มี 10001 ตัวอักษร เกินความยาวสูงสุด 10000 ตัวอักษร" in page
    assert plan_state() == before
    data[field] = "ก" * 10_000
    assert client.post(url, data).status_code == 302  # at the limit: saved


@pytest.mark.django_db
def test_text_areas_state_their_limit_without_letting_the_browser_cut_the_text(client, admin_user):
    """No ``maxlength`` (a browser cuts a pasted text there, silently: issue 22 §7); the limit in the help text, and
    for the live counter (static/js/portal.js) as data, with the words of its two messages."""
    client.force_login(admin_user)
    page = client.get(measure_url("measure_edit", 2)).content.decode()
    areas = re.findall(r"<textarea[^>]*>", page)
    assert areas and not [area for area in areas if "maxlength" in area]
    assert page.count('data-limit="10000"') >= 4  # issue, method, monitoring, steps
    assert page.count("ไม่เกิน 10,000 ตัวอักษร") >= 3  # the help texts of the fields rendered with inc/field.html
    assert 'data-counter="{count} จาก 10,000 ตัวอักษร"' in page and 'data-counter-from="8000"' in page


@pytest.mark.django_db
def test_a_step_and_a_memo_body_over_the_limit_are_refused(client, admin_user, settings):
    settings.TEXT_MAX_CHARS = 50
    client.force_login(admin_user)
    url = reverse("memos:plan_memo_edit", args=["khok-ma", 2568])
    data = get_form(client, url)
    data["body"] = "ข" * 51
    assert "ข้อความนี้มี 51 ตัวอักษร เกินความยาวสูงสุด 50 ตัวอักษร" in client.post(url, data).content.decode()


# --- uploads --------------------------------------------------------------------------------------------------------

@pytest.fixture
def written(monkeypatch) -> list[int]:
    """The bytes written to temporary upload files, one entry per write."""
    writes: list[int] = []

    def write(self, data):
        writes.append(len(data))
        return self.file.write(data)

    monkeypatch.setattr(TemporaryUploadedFile, "write", write, raising=False)
    return writes


@pytest.mark.django_db
def test_an_upload_over_the_cap_is_not_written_to_disk_and_the_form_says_so_in_thai(client, admin_user, settings,
                                                                                   written):
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # larger files would go to a temporary file
    client.force_login(admin_user)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024), "application/pdf")
    page = client.post(reverse("reports:verify_pdf"), {"pdf": big}).content.decode()
    assert "ระบบไม่รับไฟล์นี้ เพราะไฟล์มีขนาดเกิน 0.25 MB หรือไฟล์ที่ส่งพร้อมกันมีขนาดรวมเกิน" in page
    assert sum(written) <= 256 * 1024 + 65536  # at most the cap and the chunk that crossed it


@pytest.mark.django_db
def test_an_image_past_the_cap_is_refused_and_the_other_fields_keep_their_input(client, admin_user, settings):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    client.force_login(admin_user)
    response = post_settings(client, garuda=SimpleUploadedFile("ครุฑ.png", b"\x89PNG" + b"0" * 200_000),
                             document_number_prefix="บร 99999")
    page = response.content.decode()
    assert "ระบบไม่รับไฟล์นี้" in page
    assert 'value="บร 99999"' in page  # the fields after the file were read (no StopUpload)
    assert Organization.objects.get(slug="khok-ma").document_number_prefix != "บร 99999"


def _feed(handler: CappedUploadHandler, name: str, size: int, chunk: int = 65536):
    handler.new_file("file", name, "application/pdf", size)
    passed = sum(len(out) for start in range(0, size, chunk)
                 if (out := handler.receive_data_chunk(b"0" * min(chunk, size - start), start)) is not None)
    return passed, handler.file_complete(size)


def test_files_past_the_total_of_a_request_are_refused_each(settings):
    settings.UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_TOTAL_BYTES = 1_000_000, 1_500_000
    handler = CappedUploadHandler()
    passed, first = _feed(handler, "a.pdf", 900_000)
    assert first is None and passed == 900_000  # the next handler stores it
    passed, second = _feed(handler, "b.pdf", 900_000)
    assert isinstance(second, RefusedUpload) and second.size == 900_000 and second.read() == b""
    assert passed < 900_000  # stopped once the request passed 1.5 MB
    passed, third = _feed(handler, "c.pdf", 10)
    assert isinstance(third, RefusedUpload) and passed == 0
