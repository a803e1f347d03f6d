"""Rendering Thai documents to PDF with WeasyPrint (thai-documents.md §1, §4, §5).

Fonts and the shared CSS are parsed once per process (``_stylesheets``). A renderer returns a
``RenderedDocument``; views and commands only hand its bytes out.
"""
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .models import Memo

FONT_FAMILY = "ITA Laksaman"  # a unique name: asking for "TH Sarabun New" gets a broken fontconfig alias (§5.1)
NOMINAL_SCALE = 0.6648  # Laksaman = TH Sarabun New × 150.42 %: set nominal sizes × 0.6648 (§4)


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
def _stylesheets() -> tuple[FontConfiguration, tuple[CSS, ...]]:
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
    documents = CSS(
        string=render_to_string("reports/documents.css", {"font_family": FONT_FAMILY, "pt": _sizes()}),
        font_config=font_config,
    )
    return font_config, (fonts, documents)


def _sizes() -> dict[str, str]:
    return {str(n): pt(n) for n in (16, 20, 29)} | {"line": pt(20.8)}


def render_html_to_pdf(html: str) -> bytes:
    """Render an HTML document with the bundled Thai font and the shared document CSS."""
    font_config, stylesheets = _stylesheets()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=list(stylesheets), font_config=font_config
    )


def memo_html(memo: Memo) -> str:
    """The memo as an HTML document (Thai digits, Buddhist-era date, official layout)."""
    with translation.override("th"):
        return render_to_string("reports/memo.html", {"memo": memo, "comments": _comments(memo)})


def _comments(memo: Memo) -> list:
    return list(memo.comments.select_related("official")) if memo.pk else []


def render_memo(memo: Memo) -> RenderedDocument:
    """Print ``memo`` as a PDF: ``memo-<org slug>-<date>.pdf``."""
    filename = f"memo-{memo.organization.slug}-{memo.date.isoformat()}.pdf"
    return RenderedDocument(filename, "application/pdf", render_html_to_pdf(memo_html(memo)))
