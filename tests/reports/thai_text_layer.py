"""How much of a PDF's Thai text can be copied out of it exactly: the metric of
``../shared/tools/thai-text-layer-check``, reimplemented for the tests.

A *phrase* is a whitespace-delimited token of the printed HTML's body text that holds a Thai letter (U+0E00–
U+0E7F); it is *found* when it occurs verbatim in the text extracted from the PDF, whitespace removed on both
sides (extractors insert layout spaces). One difference from the tool: the labels of an SVG chart (``<text>``)
are separate phrases, as they are drawn apart (the tool glues the axis labels "๐", "๒๐", … into one phrase that
no extractor can find). Phrases cut by a page break cannot be found either, so 100 % is not always reachable.
"""
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO

from pypdf import PdfReader

THAI = re.compile(r"[\u0e00-\u0e7f]")
WHITESPACE = re.compile(r"\s+")
BLOCK = {"br", "p", "div", "td", "th", "tr", "li", "h1", "h2", "h3", "h4", "section", "table", "text", "tspan"}
HIDDEN = {"style", "script", "title", "head"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.body = False

    def handle_starttag(self, tag, attrs):
        self.body = self.body or tag == "body"
        self.hidden += tag in HIDDEN
        if tag in BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.hidden -= tag in HIDDEN
        if tag in BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if self.body and not self.hidden:
            self.parts.append(data)


def thai_phrases(html: str) -> list[str]:
    """The Thai phrases of an HTML document's body, in order (repeats kept)."""
    parser = _Text()
    parser.feed(html)
    return [token for token in "".join(parser.parts).split() if THAI.search(token)]


def text_pypdf(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)


def text_pdftotext(pdf: bytes) -> str:
    """poppler's ``pdftotext`` (default reading-order mode), UTF-8."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


EXTRACTORS = {"pypdf": text_pypdf, "pdftotext": text_pdftotext}


@dataclass
class Score:
    """Phrases found / phrases, and the phrases not found."""

    found: int = 0
    total: int = 0
    missing: list[str] | None = None

    @property
    def share(self) -> float:
        return self.found / self.total

    def add(self, html: str, extracted: str) -> "Score":
        flat = WHITESPACE.sub("", extracted)
        phrases = thai_phrases(html)
        missing = [phrase for phrase in phrases if phrase not in flat]
        self.found += len(phrases) - len(missing)
        self.total += len(phrases)
        self.missing = (self.missing or []) + missing
        return self

    def __str__(self) -> str:
        return f"{self.share:.2%} ({self.found}/{self.total})"
