"""Evidence types read from the content (issue 12 §5) and the names evidence is downloaded under."""
import io

import pytest

from core.uploads import EvidenceTypeError, evidence_download_name, evidence_type
from tests import office_files

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@pytest.mark.parametrize(("content", "extension"), [
    (PDF, "pdf"), (PNG, "png"), (JPEG, "jpg"), (office_files.docx(), "docx"), (office_files.xlsx(), "xlsx"),
])
def test_allowed_types_are_recognised_by_their_content(content, extension):
    file = io.BytesIO(content)
    assert evidence_type(file) == extension
    assert file.tell() == 0


@pytest.mark.parametrize(("content", "code"), [
    (office_files.docm(), "macro"),
    (office_files.xlsm(), "macro"),
    (office_files.docx_with_vba_project(), "macro"),
    (office_files.jar(), "file_type"),
    (office_files.zip_bytes({"readme.txt": "x"}), "file_type"),
    (b"PK\x03\x04" + b"\x00" * 60, "file_type"),  # a broken zip
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "file_type"),  # Windows executable
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "file_type"),
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "file_type"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "file_type"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "file_type"),
    (b"", "file_type"),
])
def test_other_types_are_refused_macros_with_their_own_code(content, code):
    with pytest.raises(EvidenceTypeError) as error:
        evidence_type(io.BytesIO(content))
    assert error.value.code == code


@pytest.mark.parametrize(("name", "extension", "expected"), [
    ("รายงานผลการดำเนินงาน.exe", "pdf", "รายงานผลการดำเนินงาน.pdf"),
    ("ภาพกิจกรรม.PNG", "png", "ภาพกิจกรรม.png"),
    ("สรุป.docm", "docx", "สรุป.docx"),
    ("ไม่มีนามสกุล", "pdf", "ไม่มีนามสกุล.pdf"),
    ("C:\\Users\\staff\\รายงาน.pdf", "pdf", "รายงาน.pdf"),
    ("../../etc/passwd", "pdf", "passwd.pdf"),
    ("รายงาน\u202efdp.exe", "pdf", "รายงานfdp.pdf"),  # a right-to-left override would show "รายงานexe.pdf"
    ("ราย\u200bงาน\x00.pdf", "pdf", "รายงาน.pdf"),
    (".pdf", "pdf", "evidence.pdf"),
    ("ก" * 300 + ".pdf", "pdf", "ก" * 150 + ".pdf"),
    ("cafe\u0301.pdf", "pdf", "caf\u00e9.pdf"),  # NFC
])
def test_the_download_name_keeps_thai_and_takes_the_detected_extension(name, extension, expected):
    assert evidence_download_name(name, extension) == expected
