"""Officials' signature images (issue 11 §3): uploaded on the departments-and-officials page, checked by content
(Pillow reads the format; the name does not count) and by size (``SIGNATURE_MAX_BYTES``, ``SIGNATURE_MAX_PIXELS``),
refused with a Thai message next to the field; printed above the typed name in the memo's signature and comment
blocks, and the typed name alone where there is none."""
import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import Official
from tests.helpers.images import image_bytes
from tests.helpers.organizations import cover_memo, drafter, post_signature

MEMO = reverse("reports:document_preview", args=["pong-nam-ron", 2567, "memo"])  # seed 000's memo


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin_client(demo_client):
    """An organization admin of โป่งน้ำร้อน (among others)."""
    return demo_client


@pytest.mark.django_db
def test_a_png_named_jpg_is_accepted_by_its_content_and_printed_above_the_name(admin_client, media):
    official = drafter()
    png = image_bytes("PNG", (300, 100))
    response, _index = post_signature(admin_client, official, SimpleUploadedFile("ลายเซ็น.jpg", png))
    assert "บันทึกส่วนราชการและผู้ลงนามแล้ว" in response.content.decode()
    official.refresh_from_db()
    assert official.signature.name.startswith("signatures/")
    assert (media / official.signature.name).read_bytes() == png
    page = admin_client.get(MEMO).content.decode()
    uri = f"data:image/png;base64,{base64.b64encode(png).decode()}"
    assert f'<img class="signature-image" src="{uri}" alt="ลายมือชื่อ">' in page
    assert f"({official.full_name})" in page  # the typed name stays under the image


@pytest.mark.django_db
def test_without_an_image_the_memo_prints_the_typed_name_alone(admin_client, media):
    page = admin_client.get(MEMO).content.decode()
    assert 'class="signature-image"' not in page
    assert f"({drafter().full_name})" in page


@pytest.mark.django_db
def test_a_comment_block_prints_its_officials_image_and_its_date(admin_client, media):
    memo = cover_memo()
    comment = memo.comments.exclude(official=None).exclude(official=memo.drafter).first()
    assert comment is not None, "the seed memo has a comment block signed by another official"
    jpeg = image_bytes("JPEG", (240, 80))
    post_signature(admin_client, comment.official, SimpleUploadedFile("sig.jpeg", jpeg))
    stored = (media / Official.objects.get(pk=comment.official.pk).signature.name).read_bytes()  # re-encoded
    page = admin_client.get(MEMO).content.decode()
    assert f'src="data:image/jpeg;base64,{base64.b64encode(stored).decode()}"' in page
    if comment.date:
        from core.thai import thai_date
        assert thai_date(comment.date) in page


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), [
    ("sig.png", "นี่ไม่ใช่ภาพ".encode(), "ภาพลายมือชื่อต้องเป็นภาพ PNG หรือ JPEG ไฟล์นี้ไม่ใช่ภาพชนิดดังกล่าว"),
    ("sig.png", image_bytes("GIF"), "ภาพลายมือชื่อต้องเป็นภาพ PNG หรือ JPEG ไฟล์นี้ไม่ใช่ภาพชนิดดังกล่าว"),
    ("sig.png", image_bytes("PNG", (400, 300), noise=True),
     "ภาพมีขนาด 0.3 MB ภาพลายมือชื่อมีขนาดได้ไม่เกิน 0.25 MB"),
    ("sig.png", image_bytes("PNG", (2001, 1000)),
     "ภาพมีขนาด 2001 × 1000 พิกเซล ภาพลายมือชื่อมีได้ไม่เกิน 2,000,000 พิกเซล (กว้าง × สูง)"),
])
def test_an_image_refused_by_content_or_size_shows_a_thai_message_and_saves_nothing(
        admin_client, media, settings, name, content, message):
    settings.SIGNATURE_MAX_BYTES = 256 * 1024
    settings.SIGNATURE_MAX_PIXELS = 2_000_000
    official = drafter()
    response, index = post_signature(admin_client, official, SimpleUploadedFile(name, content),
                                     full_name="ชื่อที่ไม่ควรถูกบันทึก")
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert page.index(message) > page.index(f'name="officials-{index}-signature"') - 2000  # next to the field
    official.refresh_from_db()
    assert (official.signature.name, official.full_name) == ("", drafter().full_name)
    assert official.full_name != "ชื่อที่ไม่ควรถูกบันทึก"
    assert list(media.rglob("*.*")) == []


@pytest.mark.django_db
def test_replacing_and_removing_an_image_deletes_the_old_file(admin_client, media, django_capture_on_commit_callbacks):
    official = drafter()
    with django_capture_on_commit_callbacks(execute=True):
        post_signature(admin_client, official, SimpleUploadedFile("a.png", image_bytes("PNG")))
    first = Official.objects.get(pk=official.pk).signature.name
    with django_capture_on_commit_callbacks(execute=True):
        post_signature(admin_client, official, SimpleUploadedFile("b.jpg", image_bytes("JPEG")))
    second = Official.objects.get(pk=official.pk).signature.name
    assert first != second and not (media / first).exists() and (media / second).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response, index = post_signature(admin_client, official, **{"signature-clear": "on"})
    assert Official.objects.get(pk=official.pk).signature.name == ""
    assert not (media / second).exists()
