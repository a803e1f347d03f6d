"""The organization settings page (admins): document number prefix, telephone, the outgoing register's year and the
Garuda emblem, which the portal never ships (thai-documents.md §1); ``garuda_data_uri`` hands it to memos.

The images are drawn with Pillow in memory: no image of the Garuda is in the repository."""
import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import Organization
from organizations.selectors import garuda_data_uri
from tests.helpers.images import image_bytes
from tests.helpers.organizations import URL, post_settings

DETAIL = reverse("organizations:organization_detail", args=["khok-ma"])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def khok_ma() -> Organization:
    return Organization.objects.get(slug="khok-ma")


@pytest.mark.django_db
def test_admin_sets_prefix_phone_fiscal_basis_and_uploads_a_png(admin_client, media):
    png = image_bytes("PNG")
    response = post_settings(admin_client, document_number_prefix="นม 71601", phone="0 4400 0000",
                             register_year_basis="fiscal", garuda=SimpleUploadedFile("ครุฑ.png", png))
    page = response.content.decode()
    assert "บันทึกการตั้งค่าหน่วยงานแล้ว" in page
    assert "นม 71601" in page and "0 4400 0000" in page  # shown on the organization page
    organization = khok_ma()
    assert (organization.document_number_prefix, organization.phone, organization.register_year_basis) == (
        "นม 71601", "0 4400 0000", "fiscal")
    assert organization.garuda.name.startswith("garuda/")
    assert (media / organization.garuda.name).read_bytes() == png
    assert garuda_data_uri(organization) == "data:image/png;base64," + base64.b64encode(png).decode()
    settings_page = admin_client.get(URL).content.decode()
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in settings_page  # the preview
    assert 'href="/media/' not in settings_page  # uploads are not served from MEDIA_URL
    assert "ลบตราครุฑ" in settings_page  # the box that removes it


@pytest.mark.django_db
def test_the_data_uri_takes_the_type_from_the_content_not_the_name(admin_client, media):
    jpeg = image_bytes("JPEG")
    post_settings(admin_client, garuda=SimpleUploadedFile("garuda.png", jpeg))
    stored = (media / khok_ma().garuda.name).read_bytes()  # re-encoded (issue 18): a JPEG still, not the same bytes
    assert stored.startswith(b"\xff\xd8") and khok_ma().garuda.name.endswith(".jpg")
    assert garuda_data_uri(khok_ma()) == "data:image/jpeg;base64," + base64.b64encode(stored).decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garuda.gif", image_bytes("GIF"), "ตราครุฑต้องเป็นภาพ PNG หรือ JPEG"),
        ("garuda.png", "ไม่ใช่ภาพ".encode(), "ตราครุฑต้องเป็นภาพ PNG หรือ JPEG"),
        ("garuda.png", image_bytes("PNG", (700, 700), noise=True), "ภาพมีขนาด 1.4 MB ตราครุฑมีขนาดได้ไม่เกิน 1 MB"),
    ],
    ids=["gif", "text", "too-big"],
)
def test_a_garuda_that_is_not_a_small_png_or_jpeg_is_refused_and_nothing_saved(admin_client, media, name, content,
                                                                               message):
    response = post_settings(admin_client, phone="099", garuda=SimpleUploadedFile(name, content))
    page = response.content.decode()
    assert message in page
    assert "บันทึกการตั้งค่าหน่วยงานแล้ว" not in page
    assert 'value="099"' in page  # the input stays on the form
    organization = khok_ma()
    assert (organization.garuda.name, organization.phone) == ("", "")
    assert not any(media.rglob("*.*"))


@pytest.mark.django_db
def test_replacing_and_removing_the_garuda_deletes_the_old_file(admin_client, media,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_settings(admin_client, garuda=SimpleUploadedFile("a.png", image_bytes("PNG")))
    first = khok_ma().garuda.name
    with django_capture_on_commit_callbacks(execute=True):
        post_settings(admin_client, garuda=SimpleUploadedFile("b.jpg", image_bytes("JPEG")))
    second = khok_ma().garuda.name
    assert not (media / first).exists() and (media / second).exists()
    with django_capture_on_commit_callbacks(execute=True):
        page = post_settings(admin_client, **{"garuda-clear": "on"}).content.decode()
    assert "บันทึกการตั้งค่าหน่วยงานแล้ว" in page
    assert khok_ma().garuda.name == ""
    assert not (media / second).exists()
    assert garuda_data_uri(khok_ma()) == ""
    assert "ยังไม่ได้อัปโหลดตราครุฑ" in admin_client.get(URL).content.decode()


@pytest.mark.django_db
def test_no_garuda_or_a_missing_file_gives_an_empty_data_uri(khok_ma, media):
    assert garuda_data_uri(khok_ma) == ""
    khok_ma.garuda.name = "garuda/gone.png"  # the row names a file no longer in storage
    assert garuda_data_uri(khok_ma) == ""


@pytest.mark.django_db
def test_the_register_year_basis_is_calendar_by_default_and_offered_in_thai(admin_client):
    assert khok_ma().register_year_basis == "calendar"
    page = admin_client.get(URL).content.decode()
    assert '<option value="calendar" selected>ปีปฏิทิน</option>' in page
    assert '<option value="fiscal">ปีงบประมาณ</option>' in page


@pytest.mark.django_db
def test_only_admins_change_settings_and_see_the_link(client, admin_user, staff_user, executive, clerk, outsider,
                                                      media):
    client.force_login(admin_user)
    assert URL in client.get(DETAIL).content.decode()
    for user, status in ((staff_user, 403), (executive, 403), (clerk, 403), (outsider, 404)):
        client.force_login(user)
        upload = SimpleUploadedFile("g.png", image_bytes("PNG"))
        response = client.post(URL, {"document_number_prefix": "xx", "register_year_basis": "fiscal",
                                     "garuda": upload})
        assert response.status_code == status
        if status == 403:
            assert URL not in client.get(DETAIL).content.decode()
    organization = khok_ma()
    assert (organization.document_number_prefix, organization.register_year_basis, organization.garuda.name) == (
        "", "calendar", "")


@pytest.mark.django_db
def test_the_memo_prints_the_uploaded_garuda_and_prints_without_it_otherwise(admin_client, media):
    memo = reverse("reports:document_preview", args=["khok-ma", 2568, "memo"])
    assert '<img class="garuda"' not in admin_client.get(memo).content.decode()
    png = image_bytes("PNG")
    post_settings(admin_client, garuda=SimpleUploadedFile("garuda.png", png))
    page = admin_client.get(memo).content.decode()
    assert f'<img class="garuda" src="data:image/png;base64,{base64.b64encode(png).decode()}"' in page
