"""The cover memo of a plan: HTML preview text, PDF download, the management command."""
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import strip_tags
from pypdf import PdfReader
from weasyprint import HTML

from measures.models import MeasurePlan
from memos.selectors import plan_cover_memo
from reports.contents import build_document
from reports.documents import _stylesheets, document_html


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def _cover_memo_text(slug: str, fiscal_year: int, round: str | None = None) -> str:
    """The printed text of a plan's cover memo, or of its report of ``round`` (HTML, tags and line breaks
    removed)."""
    plan = MeasurePlan.objects.get(organization__slug=slug, fiscal_year=fiscal_year)
    return _text(document_html(build_document(plan, "memo", round=round)))


@pytest.mark.django_db
def test_the_seed_000_memo_prints_its_header_in_thai_digits_and_its_signers():
    text = _cover_memo_text("pong-nam-ron", 2567)
    assert "บันทึกข้อความ ส่วนราชการ สำนักปลัด ที่ จป.๕๓๐๐๑ วันที่ ๒๘ ธันวาคม ๒๕๖๖" in text
    assert "เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in text
    assert "เรียน นายกเทศมนตรีตำบลโป่งน้ำร้อน" in text
    assert "มีค่าคะแนนเท่ากับ ๙๖.๕๕ คะแนน อยู่ในระดับผ่านดี" in text
    assert "จึงเรียนมาเพื่อโปรดพิจารณา (นางนราพร มิตรวิเชียร) หัวหน้าสำนักปลัด" in text
    assert "(นายเศกสรรค์ แก้วเชื้อ) ปลัดเทศบาลโป่งน้ำร้อน" in text
    assert "ททพ. (นายพิบิจ เพชรนำชม) นายกเทศมนตรีตำบลโป่งน้ำร้อน" in text
    assert not any(c in text for c in "0123456789"), "documents print Thai digits only"


@pytest.mark.django_db
def test_the_seed_004_memo_has_the_telephone_line_and_three_comment_blocks():
    text = _cover_memo_text("dong-sombun", 2564, "six_month")  # seed 004's memo carries the 6-month report
    assert "ส่วนราชการ สำนักปลัดเทศบาลตำบลดงสมบูรณ์ โทร. ๐ - ๔๓๐๑-๙๙๑๕" in text
    assert "ที่ กส ๗๔๖๐๑/ วันที่ ๓๑ มีนาคม ๒๕๖๔" in text
    assert text.index("ความเห็นหัวหน้าสำนักปลัด") < text.index("ความเห็นปลัดเทศบาล") < text.index(
        "ความเห็นนายกเทศมนตรีตำบลดงสมบูรณ์"
    )
    assert text.count("(นายกิตติธร รัตนวรรณ)") == 2


@pytest.mark.django_db
def test_a_plan_whose_only_memo_carries_a_report_gets_a_draft_cover_not_the_reports_memo():
    """Issue 11: dong-sombun's only memo carries its 6-month report; the plan's cover memo is a draft."""
    plan = MeasurePlan.objects.get(organization__slug="dong-sombun", fiscal_year=2564)
    memo = plan_cover_memo(plan=plan)
    assert memo.pk is None and memo.plan == plan and memo.progress_report is None
    assert memo.subject.startswith("มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2564")
    text = _cover_memo_text("dong-sombun", 2564)
    assert "ความเห็นหัวหน้าสำนักปลัด" not in text and "วันที่ ๓๑ มีนาคม ๒๕๖๔" not in text


@pytest.mark.django_db
def test_a_plan_without_a_memo_gets_a_draft_from_its_data():
    plan = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568)
    memo = plan_cover_memo(plan=plan)
    assert memo.pk is None
    text = _text(document_html(build_document(plan, "memo")))
    assert "เรียน นายกเทศมนตรีตำบลโคกม้า" in text
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗" in text and "มีค่าคะแนนเท่ากับ ๙๓.๙๙ คะแนน อยู่ในระดับผ่านดี" in text
    assert "จำนวน ๘ มาตรการ" in text


@pytest.mark.django_db
def test_the_memo_pdf_downloads_from_the_plan_page(demo_client):
    page = demo_client.get(reverse("measures:plan_detail", args=["pong-nam-ron", 2567])).content.decode()
    documents = reverse("reports:document_list", args=["pong-nam-ron", 2567])
    assert f'href="{documents}"' in page
    url = reverse("reports:document_pdf", args=["pong-nam-ron", 2567, "memo"])
    assert f'href="{url}"' in demo_client.get(documents).content.decode()
    response = demo_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="memo-pong-nam-ron-2567.pdf"'
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    assert round(float(pdf.pages[0].mediabox.width)) == 595  # A4 portrait, in points
    fonts = {str(f["/BaseFont"]) for f in pdf.pages[0]["/Resources"]["/Font"].values()}
    assert all("Laksaman" in name for name in fonts), fonts


@pytest.mark.django_db
def test_the_preview_is_the_searchable_html_of_the_same_memo(demo_client):
    response = demo_client.get(reverse("reports:document_preview", args=["dong-sombun", 2564, "memo"])
                               + "?round=six_month")
    assert "๓๑ มีนาคม ๒๕๖๔" in response.content.decode()


@pytest.mark.django_db
def test_render_document_writes_the_memo(tmp_path):
    output = tmp_path / "memo.pdf"
    stdout = io.StringIO()
    call_command("render_document", "memo", "--org", "dong-sombun", "--year", "2564", "--round", "six_month",
                 "--output", str(output), stdout=stdout)
    pdf = PdfReader(output)
    assert len(pdf.pages) == 2  # the mayor's comment block moves whole to page 2
    assert output.read_bytes()[:5] == b"%PDF-"
    assert "Wrote" in stdout.getvalue()


def test_thai_without_spaces_wraps_onto_several_lines():
    """Pango with libthai breaks Thai at word boundaries (thai-documents.md §5.2)."""
    font_config, stylesheets = _stylesheets()
    text = "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ" * 3
    document = HTML(string=f'<p style="width: 5cm">{text}</p>').render(
        stylesheets=list(stylesheets), font_config=font_config
    )
    html_box = document.pages[0]._page_box.children[0]
    paragraph = html_box.children[0].children[0]
    assert len(paragraph.children) >= 3
