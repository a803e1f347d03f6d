"""Rendering Thai documents to PDF with WeasyPrint (thai-documents.md §1, §4, §5).

Fonts and the shared CSS are parsed once per process (``_stylesheets``). A renderer returns a
``RenderedDocument``; views and commands only hand its bytes out. The PDF's Thai text layer is made exact by
``reports.pdf_text``, imported and installed at the first render (never at start-up: it reaches into WeasyPrint's
internals); documents handed out are archival: tagged PDF/A-3a
(``ARCHIVAL_VARIANT``), language ``th`` from ``<html lang>``, title and author from the HTML's head.

WeasyPrint itself is imported at the first render too (``_stylesheets``, ``render_html_to_pdf``): it is 0.4 s of
the 1 s that ``django.setup()`` took, paid by every ``manage.py`` command and web worker that never prints.
"""
import atexit
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation

from .contents import Document

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

FONT_FAMILY = "ITA Laksaman"  # a unique name: asking for "TH Sarabun New" gets a broken fontconfig alias (§5.1)
NOMINAL_SCALE = 0.6648  # Laksaman = TH Sarabun New × 150.42 %: set nominal sizes × 0.6648 (§4)
# ISO 19005-3 level A: PDF/A-3 (embedded fonts, sRGB output intent, XMP metadata) + tagged structure and language;
# level 3 allows attachments (ETDA ขมธอ. 11-2560 names PDF/A-3 for signed documents, thai-documents.md §6).
ARCHIVAL_VARIANT = "pdf/a-3a"


@dataclass(frozen=True)
class RenderedDocument:
    """A printed document: file name, MIME type and content."""

    filename: str
    content_type: str
    content: bytes


def pt(nominal: float) -> str:
    """A nominal TH Sarabun size in points, as the CSS size for Laksaman ("16" → "10.64pt")."""
    return f"{nominal * NOMINAL_SCALE:.2f}pt"


@lru_cache(maxsize=1)
def _stylesheets() -> tuple["FontConfiguration", tuple["CSS", ...]]:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    font_dir = settings.DOCUMENT_FONT_DIR
    fonts = CSS(
        string=f"""
        @font-face {{ font-family: "{FONT_FAMILY}"; font-weight: normal;
                      src: url("{(font_dir / "Laksaman.ttf").as_uri()}"); }}
        @font-face {{ font-family: "{FONT_FAMILY}"; font-weight: bold;
                      src: url("{(font_dir / "Laksaman-Bold.ttf").as_uri()}"); }}
        """,
        font_config=font_config,
    )
    documents = CSS(string=document_css(), font_config=font_config)
    # Let go of the fonts before the interpreter tears WeasyPrint's modules down (imported here, late, they go
    # first, and FontConfiguration.__del__ then fails noisily at exit).
    atexit.register(_stylesheets.cache_clear)
    return font_config, (fonts, documents)


def _sizes() -> dict[str, str]:
    return {str(n): pt(n) for n in (14, 16, 18, 20, 29)} | {"line": pt(20.8), "line14": pt(18.2)}


def document_css(*, font_urls: tuple[str, str] | None = None) -> str:
    """The shared document CSS (page sizes, fonts at their nominal scale); with ``font_urls`` (regular, bold)
    it starts with the @font-face rules, for the HTML preview."""
    faces = ""
    if font_urls:
        faces = "".join(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; src: url("{url}"); }}\n'
            for weight, url in zip(("normal", "bold"), font_urls, strict=True)
        )
    return faces + render_to_string("reports/documents.css", {"font_family": FONT_FAMILY, "pt": _sizes()})


@lru_cache(maxsize=1)
def _preview_css() -> str:
    """The document CSS with the fonts served from static files, built once per process like ``_stylesheets``."""
    return document_css(font_urls=(static("fonts/Laksaman.ttf"), static("fonts/Laksaman-Bold.ttf")))


def render_html_to_pdf(html: str, *, archival: bool = False) -> bytes:
    """Render an HTML document with the bundled Thai font and the shared document CSS. ``archival`` makes it a
    tagged PDF/A-3a (``ARCHIVAL_VARIANT``): XMP metadata (pdfaid part 3, conformance A, dc:title from
    ``<title>``), the sRGB output intent, a structure tree and ``/Lang`` from ``<html lang>``; it costs about
    5 % more CPU time and 18 % more bytes (docs/thai-documents.md). Raises ``pdf_text.UnsupportedWeasyPrint``
    on a WeasyPrint other than the pinned one (the guard of our Thai text layer, checked here, not at start-up)."""
    from weasyprint import HTML

    from . import pdf_text  # here, not at import: a WeasyPrint whose internals moved must not stop start-up

    font_config, stylesheets = _stylesheets()
    options = {"pdf_variant": ARCHIVAL_VARIANT} if archival else {}
    return pdf_text.write_pdf(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=list(stylesheets), font_config=font_config, **options
    ))


def document_html(document: Document, *, preview: bool = False, pdf_url: str = "", back_url: str = "",
                  csp_nonce: str = "") -> str:
    """``document`` as one HTML page (Thai digits, BE dates). ``preview`` adds the screen styles, the fonts and a
    toolbar (PDF download, back). ``csp_nonce``: the request's Content-Security-Policy nonce, which the preview's
    inline style element carries."""
    context = {"document": document, "preview": preview, "pdf_url": pdf_url, "back_url": back_url,
               "csp_nonce": csp_nonce}
    if preview:
        context["css"] = _preview_css()
    with translation.override("th"):
        return render_to_string("reports/document.html", context)


def render_document(document: Document, *, archival: bool = True) -> RenderedDocument:
    """Print ``document`` as a PDF named ``<kind>-<org slug>-<fiscal year>[+<attached kind>].pdf``: archival
    (tagged PDF/A-3a, see ``render_html_to_pdf``) unless ``archival=False``."""
    content = render_html_to_pdf(document_html(document), archival=archival)
    return RenderedDocument(f"{document.stem}.pdf", "application/pdf", content)
