"""Altering a signed PDF after signing."""
import io


def with_text_added_after_signing(signed: bytes) -> bytes:
    """``signed`` with an incremental update that writes "PAID" on page 1: the signature still validates the
    revision it covers, but not the file."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (PAID) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf() -> bytes:
    """A one-page blank A4 PDF written by pyHanko's own writer (about 500 bytes, no layout): something to sign in
    the fast lane, where WeasyPrint does not run."""
    from pyhanko.pdf_utils import generic, writer

    pdf = writer.PdfFileWriter()
    contents = pdf.add_object(generic.StreamObject(stream_data=b""))
    media_box = generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)])
    pdf.insert_page(writer.PageObject(contents=contents, media_box=media_box))
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()
