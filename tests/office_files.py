"""Bytes of small Office Open XML files and other zips, for the evidence-file tests (no real Office needed)."""
import io
import zipfile

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
EXCEL_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def zip_bytes(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def content_types(part: str, content_type: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>')


def docx(text: str = "รายงานผลการดำเนินงาน") -> bytes:
    return zip_bytes({"[Content_Types].xml": content_types("word/document.xml", WORD_MAIN),
                      "word/document.xml": f"<w:document><w:t>{text}</w:t></w:document>"})


def docm() -> bytes:
    return zip_bytes({"[Content_Types].xml": content_types("word/document.xml", WORD_MACRO_MAIN),
                      "word/document.xml": "<w:document/>", "word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def xlsm() -> bytes:
    return zip_bytes({"[Content_Types].xml": content_types("xl/workbook.xml", EXCEL_MACRO_MAIN),
                      "xl/workbook.xml": "<workbook/>", "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def docx_with_vba_project() -> bytes:
    """Declares itself a plain Word document but carries a VBA project."""
    return zip_bytes({"[Content_Types].xml": content_types("word/document.xml", WORD_MAIN),
                      "word/document.xml": "<w:document/>", "word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})


def jar() -> bytes:
    return zip_bytes({"META-INF/MANIFEST.MF": "Manifest-Version: 1.0\nMain-Class: Evil\n",
                      "Evil.class": b"\xca\xfe\xba\xbe\x00\x00\x00\x34"})


def xlsx() -> bytes:
    """A real workbook written by openpyxl."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "ผลการดำเนินงาน"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
