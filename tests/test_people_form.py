"""Departments and officials of an organization, entered by its admins."""
from django.urls import reverse

from organizations.models import Department, Official
from tests.helpers.forms import form_data

URL = reverse("organizations:organization_people", args=["khok-ma"])


def _extra_index(data: dict, prefix: str) -> int:
    return int(data[f"{prefix}-INITIAL_FORMS"])


def test_admin_adds_a_department_and_an_official_with_two_position_lines(client, admin_user):
    client.force_login(admin_user)
    data = form_data(client.get(URL).content.decode())
    d, o = _extra_index(data, "departments"), _extra_index(data, "officials")
    data[f"departments-{d}-name"] = "หน่วยตรวจสอบภายใน"
    data[f"officials-{o}-full_name"] = "นางสาวทดสอบ ระบบดี"
    data[f"officials-{o}-position_lines"] = "ปลัดเทศบาล\r\nปฏิบัติหน้าที่นายกเทศมนตรี"
    page = client.post(URL, data, follow=True).content.decode()
    assert "บันทึกส่วนราชการและผู้ลงนามแล้ว" in page
    assert "หน่วยตรวจสอบภายใน" in page
    names = list(Department.objects.filter(organization__slug="khok-ma").values_list("name", flat=True))
    assert names[-1] == "หน่วยตรวจสอบภายใน"  # a new department is listed after the existing ones
    official = Official.objects.get(organization__slug="khok-ma", full_name="นางสาวทดสอบ ระบบดี")
    assert official.position_lines == ["ปลัดเทศบาล", "ปฏิบัติหน้าที่นายกเทศมนตรี"]


def test_two_departments_with_one_name_are_refused_and_nothing_saved(client, admin_user):
    client.force_login(admin_user)
    before = list(Department.objects.filter(organization__slug="khok-ma").values_list("name", flat=True))
    data = form_data(client.get(URL).content.decode())
    d = _extra_index(data, "departments")
    data[f"departments-{d}-name"] = data["departments-0-name"]
    data[f"departments-{d + 1}-name"] = "กองใหม่"
    page = client.post(URL, data).content.decode()
    assert "หน่วยงานนี้มีส่วนราชการชื่อนี้แล้ว" in page
    assert list(Department.objects.filter(organization__slug="khok-ma").values_list("name", flat=True)) == before


def test_only_admins_edit_people(client, staff_user, executive, clerk, outsider):
    for user, status in ((staff_user, 403), (executive, 403), (clerk, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(URL, {"departments-TOTAL_FORMS": "0"}).status_code == status
    assert Department.objects.filter(organization__slug="khok-ma").count() == 7
