"""The outgoing register page (ทะเบียนหนังสือส่ง), the clerk's page of approved memos and the route's settings
page (issue 11)."""
import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from memos.models import IssuedDocument, RoutingStep
from memos.services import memo_take_number
from organizations.choices import Role
from tests.factories import MembershipFactory, MemoFactory, OfficialFactory, OversightScopeFactory
from tests.helpers.memos import Route, approve_all


@pytest.fixture
def route(db) -> Route:
    return Route()


def register_url(route: Route) -> str:
    return reverse("memos:register", args=[route.organization.slug])


def test_the_register_lists_numbered_letters_with_their_issued_pdf_and_filters_them(client, route):
    approve_all(route)  # number 1, issued
    numbered = MemoFactory(organization=route.organization, plan=None, subject="หนังสือขอความอนุเคราะห์",
                           addressee="นายอำเภอเมือง", date=dt.date(2025, 3, 9))
    memo_take_number(memo=numbered)  # number 2, never issued
    MemoFactory(organization=route.organization, plan=None, subject="ร่างที่ไม่มีเลข")  # not in the register
    client.force_login(route.clerk)
    response = client.get(register_url(route))
    page = response.content.decode()
    assert "ทะเบียนหนังสือส่ง" in page
    rows = [(row.record.document_number, row.record.subject) for row in response.context["table"].rows]
    assert rows == [("บร 71001/2", "หนังสือขอความอนุเคราะห์"), ("บร 71001/1", route.memo.subject)]
    latest = reverse("memos:memo_issued_latest", args=[route.organization.slug, route.memo.pk])
    assert f'href="{latest}"' in page and "ร่างที่ไม่มีเลข" not in page
    assert "9 มีนาคม 2568" in page and "นายอำเภอเมือง" in page and "สำนักปลัด" in page

    for query, expected in (({"q": "อนุเคราะห์"}, ["บร 71001/2"]), ({"issued": "yes"}, ["บร 71001/1"]),
                            ({"attached": "plan"}, ["บร 71001/1"]), ({"attached": "none"}, ["บร 71001/2"]),
                            ({"register_year": "2568"}, ["บร 71001/2", "บร 71001/1"]), ({"register_year": "2567"}, [])):
        table = client.get(register_url(route), query).context["table"]
        assert [row.record.document_number for row in table.rows] == expected, query


def test_the_register_exports_csv_and_xlsx(client, route):
    approve_all(route)
    client.force_login(route.clerk)
    response = client.get(register_url(route), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["ที่", "ปีทะเบียน", "เลขลำดับ", "วันที่", "เรื่อง", "เรียน", "ส่วนราชการ", "เอกสารที่แนบ",
                       "ออกแล้ว"]
    assert rows[1][:3] == ["บร 71001/1", "2568", "1"] and rows[1][4] == route.memo.subject and rows[1][-1] == "ใช่"
    assert rows[1][3] == "1 มีนาคม 2568"  # 2025-03-01 as a Buddhist-era date, beside the register year 2568
    xlsx = client.get(register_url(route), {"_export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_the_clerks_page_lists_approved_memos_with_every_issued_version(client, route):
    memo = approve_all(route)
    client.force_login(route.clerk)
    page = client.get(reverse("memos:issued_documents", args=[route.organization.slug])).content.decode()
    assert "บันทึกข้อความที่อนุมัติแล้ว" in page and memo.subject in page
    assert f'href="{reverse("memos:memo_issued_pdf", args=[route.organization.slug, memo.pk, 1])}"' in page
    assert f'href="{register_url(route)}"' in page
    download = client.get(reverse("memos:memo_issued_pdf", args=[route.organization.slug, memo.pk, 1]))
    assert download.content == bytes(IssuedDocument.objects.get(memo=memo).content)


def test_an_admin_sets_the_route_and_nobody_else_may(client, route):
    admin = MembershipFactory(organization=route.organization, role=Role.ADMIN).user
    url = reverse("memos:routing_edit", args=[route.organization.slug])
    for user in (route.clerk, route.mayor, OversightScopeFactory().user):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(admin)
    official = OfficialFactory(organization=route.organization, full_name="นายรองนายก ทดสอบ")
    data = {"steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0",
            "steps-0-title": "ความเห็นรองนายกเทศมนตรี", "steps-0-official": official.pk, "steps-0-user": route.palad.pk,
            "steps-0-ORDER": "2",
            "steps-1-title": "ความเห็นหัวหน้าสำนักปลัด", "steps-1-official": route.steps[0].official_id,
            "steps-1-user": route.head.pk, "steps-1-ORDER": "1"}
    response = client.post(url, data, follow=True)
    assert "บันทึกเส้นทางเสนอหนังสือแล้ว" in response.content.decode()
    steps = list(RoutingStep.objects.filter(organization=route.organization).values_list("order", "title", "user"))
    assert steps == [(1, "ความเห็นหัวหน้าสำนักปลัด", route.head.pk), (2, "ความเห็นรองนายกเทศมนตรี", route.palad.pk)]
    outsider = MembershipFactory(role=Role.EXECUTIVE).user  # a member of another organization is not offered
    page = client.post(url, data | {"steps-0-user": outsider.pk}).content.decode()
    assert "เลือกตัวเลือกที่ถูกต้อง" in page
    assert RoutingStep.objects.filter(organization=route.organization).count() == 2


def test_the_register_the_clerks_page_and_the_inbox_read_a_fixed_number_of_queries(
        client, route, monkeypatch, django_assert_num_queries):
    from memos import issuing

    monkeypatch.setattr(issuing, "render_issue", lambda html: b"%PDF-1.7 test")
    client.force_login(route.clerk)
    pages = [register_url(route), reverse("memos:issued_documents", args=[route.organization.slug])]

    def counts() -> list[int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        result = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    approve_all(route)
    one = counts()
    for year in (2570, 2571):
        route.memo = MemoFactory(organization=route.organization, plan__fiscal_year=year)
        approve_all(route)
    assert counts() == one  # three approved, numbered, issued memos: the same queries as one
