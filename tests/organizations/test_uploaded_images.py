"""Uploaded images are re-encoded and stored under generated names (issue 18, item 8): the Garuda and officials'
signature images are decoded by Pillow and written again, so nothing but the pixels is kept (no bytes after the
image data, no metadata), under 32 hex digits and the extension of the format — never the uploaded name."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from organizations.models import Official, Organization
from tests.helpers.images import image_bytes
from tests.helpers.organizations import drafter, post_settings, post_signature

HTML = b"<html><script>alert(document.cookie)</script></html>"
GENERATED = re.compile(r"[0-9a-f]{32}\.(png|jpg)")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def png_with_text_and_html() -> bytes:
    """A valid PNG with a text chunk (metadata) and an HTML page appended after its IEND chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<b>metadata</b>")
    buffer = io.BytesIO()
    Image.new("RGBA", (60, 30), (10, 20, 200, 128)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue() + HTML


def assert_re_encoded(stored: bytes, original: bytes) -> None:
    assert HTML not in stored and b"<script" not in stored and b"metadata" not in stored
    assert stored.endswith(b"IEND\xaeB`\x82")  # nothing after the image data
    with Image.open(io.BytesIO(stored)) as image, Image.open(io.BytesIO(original)) as uploaded:
        assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (60, 30))
        assert image.tobytes() == uploaded.convert("RGBA").tobytes()  # the same pixels
        assert "Comment" not in image.info


@pytest.mark.django_db
def test_a_garuda_with_html_appended_is_stored_re_encoded_under_a_generated_name(admin_client, media):
    upload = png_with_text_and_html()
    response = post_settings(admin_client, garuda=SimpleUploadedFile("ครุฑ<script>.png", upload))
    assert "บันทึกการตั้งค่าหน่วยงานแล้ว" in response.content.decode()
    name = Organization.objects.get(slug="khok-ma").garuda.name
    folder, base = name.split("/")
    assert folder == "garuda" and GENERATED.fullmatch(base) and base.endswith(".png"), name
    assert_re_encoded((media / name).read_bytes(), upload)


@pytest.mark.django_db
def test_a_signature_image_with_html_appended_is_stored_re_encoded_under_a_generated_name(demo_client, media):
    official = drafter()
    upload = png_with_text_and_html()
    response, _ = post_signature(demo_client, official, SimpleUploadedFile("ลายเซ็น.html.jpg", upload))
    assert "บันทึกส่วนราชการและผู้ลงนามแล้ว" in response.content.decode()
    name = Official.objects.get(pk=official.pk).signature.name
    folder, base = name.split("/")
    assert folder == "signatures" and GENERATED.fullmatch(base) and base.endswith(".png"), name  # by its content
    assert_re_encoded((media / name).read_bytes(), upload)


@pytest.mark.django_db
def test_a_jpeg_keeps_its_format_and_loses_its_exif(admin_client, media):
    exif = Image.Exif()
    exif[0x010E] = "<script>description</script>"  # ImageDescription
    buffer = io.BytesIO()
    Image.new("RGB", (40, 57), (200, 30, 30)).save(buffer, format="JPEG", exif=exif)
    post_settings(admin_client, garuda=SimpleUploadedFile("garuda.png", buffer.getvalue() + HTML))
    name = Organization.objects.get(slug="khok-ma").garuda.name
    assert GENERATED.fullmatch(name.split("/")[1]) and name.endswith(".jpg"), name
    stored = (media / name).read_bytes()
    assert b"<script>" not in stored and HTML not in stored and stored.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size, dict(image.getexif())) == ("JPEG", (40, 57), {})


@pytest.mark.django_db
def test_two_uploads_of_the_same_name_get_two_names(admin_client, media):
    post_settings(admin_client, garuda=SimpleUploadedFile("garuda.png", image_bytes("PNG")))
    first = Organization.objects.get(slug="khok-ma").garuda.name
    post_settings(admin_client, garuda=SimpleUploadedFile("garuda.png", image_bytes("PNG", (30, 30))))
    second = Organization.objects.get(slug="khok-ma").garuda.name
    assert first != second and "garuda.png" not in (first + second)
