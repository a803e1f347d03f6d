"""A Thai text layer that reads back exactly: our fix for WeasyPrint's ToUnicode bug (Kozea/WeasyPrint#2841).

The bug (WeasyPrint 70.0, ``weasyprint/draw/text.py``, ``draw_first_line``): a PDF font maps each *character
code* to its text once, in the font's ``/ToUnicode`` CMap, and WeasyPrint uses the glyph id as the code and takes
that text from the first cluster that drew the glyph. HarfBuzz draws "ำ" (SARA AM) as NIKHAHIT + SARA AA; once
one "ำ" is on the page, the SARA AA glyph reads "ำ" everywhere, so "การ" is copied as "กำร". Glyphs that are not
the last of their cluster get the text "". Measured on the 30 documents the seed data prints: 60 % of the Thai
phrases come back verbatim with pypdf, 55 % with pdftotext (thai-documents.md §5.4).

What this module does instead, in the same drawing path:

1. **Text per glyph.** The text of each cluster is split over its glyphs that have an advance (marks have none):
   with n such glyphs and m characters, the last n − 1 take one character each and the first takes the rest
   ("กำ" → ก "ก", SARA AA "ำ"; "น้ำ" → น "น้", SARA AA "ำ"; "ที่" → ท "ที่"). Glyphs without an advance get "".
2. **One character code per distinct (glyph, text) pair.** The first pair of a glyph keeps the glyph id as its code;
   another text for the same glyph gets an *alias* code, counted down from 0xFFFF, that the CIDFont maps back to
   the same glyph through a ``/CIDToGIDMap`` stream (instead of ``/Identity``), with the same width in ``/W``.
   The codes stay under ``/Identity-H``: routing the aliases through an ``/Encoding`` CMap makes pypdf extract
   nothing, so a font with glyphs missing from it (which WeasyPrint encodes with such a CMap) maps them to GID 0
   in the ``/CIDToGIDMap`` instead.
3. **``/ActualText`` on clusters drawn with several glyphs.** Each such cluster ("ที่", "กำ") is wrapped in a
   ``/Span <</ActualText (…)>> BDC … EMC`` marked-content sequence, so that extractors which honour it (poppler,
   PDF.js, Acrobat) get the cluster's text in its logical order whatever order the marks are drawn in.

Patch points (all in WeasyPrint 70.0, all reversible by ``uninstall``):

- ``weasyprint.draw.text.draw_first_line`` is wrapped: after the original has drawn a line, the ``TJ`` operators
  it appended to the content stream are rewritten (glyph ids → codes, spans inserted between them). Positions,
  kerning, rises and fonts are kept as emitted, so the pages look the same. If the emitted glyphs do not match the
  line's glyphs (an unexpected format), the line is left as WeasyPrint drew it and a warning is logged.
- ``weasyprint.pdf.fonts.Font.clean`` is wrapped: alias codes are not glyphs, so they are kept out of the subset.
- ``weasyprint.pdf.fonts._build_vector_font_dictionary`` is wrapped: a font with aliases gets its
  ``/CIDToGIDMap`` stream and ``/Identity-H``.

Limits: bitmap (Type 3) fonts are left alone; a font embedded whole (``full_fonts``, or used in forms — we use
neither) gets its ToUnicode from WeasyPrint's cmap code, where aliases have no text.

``install()`` runs once at start-up (``ReportsConfig.ready``) and refuses any WeasyPrint but ``SUPPORTED_VERSION``
(``UnsupportedWeasyPrint``): the code above depends on the internals of that version, and pyproject.toml pins it.
Drop this module when upstream fixes #2841 (issue open; fix PR #2869 was closed unmerged).
"""
import logging
import re
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pydyf
import weasyprint
from weasyprint.draw import text as draw_text_module
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.ffi import ffi, pango

SUPPORTED_VERSION = "70.0"
TOP_CODE = 0xFFFF  # alias codes count down from here; real glyph ids count up from 0
ALIASES = "ita_aliases"  # Font attribute: {alias code: glyph id}
CODES = "ita_codes"  # Font attribute: {(glyph id, text): code}
OWNED = "ita_owned"  # Font attribute: glyph ids whose own code carries our text

logger = logging.getLogger(__name__)

_TJ = re.compile(rb"<([0-9a-fA-F]*)>|[^<>]+")
_originals: dict = {}


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint is not the version this fix was written for."""


@dataclass(frozen=True)
class _Glyph:
    """One glyph as ``draw_first_line`` emits it: its id, the number of hex digits, the code to emit instead,
    and the ActualText of the span it opens (``opens``) or whether it closes one."""

    glyph_id: int
    digits: int
    code: int
    opens: str | None = None
    closes: bool = False


def install() -> None:
    """Patch WeasyPrint (see the module docstring); idempotent. Raises ``UnsupportedWeasyPrint`` on any
    WeasyPrint version but ``SUPPORTED_VERSION``."""
    if weasyprint.__version__ != SUPPORTED_VERSION:
        raise UnsupportedWeasyPrint(
            f"reports.pdf_text was written for WeasyPrint {SUPPORTED_VERSION}, not {weasyprint.__version__}: "
            "check whether Kozea/WeasyPrint#2841 is fixed (then delete reports/pdf_text.py) or port the patch."
        )
    if _originals:
        return
    _originals.update(
        draw_first_line=draw_text_module.draw_first_line,
        clean=pdf_fonts.Font.clean,
        build_vector=pdf_fonts._build_vector_font_dictionary,
    )
    draw_text_module.draw_first_line = _draw_first_line
    pdf_fonts.Font.clean = _clean
    pdf_fonts._build_vector_font_dictionary = _build_vector_font_dictionary


def uninstall() -> None:
    """Put WeasyPrint's own functions back (no-op when not installed)."""
    if not _originals:
        return
    draw_text_module.draw_first_line = _originals.pop("draw_first_line")
    pdf_fonts.Font.clean = _originals.pop("clean")
    pdf_fonts._build_vector_font_dictionary = _originals.pop("build_vector")


def is_installed() -> bool:
    return bool(_originals)


@contextmanager
def uninstalled() -> Iterator[None]:
    """Render with WeasyPrint's own text layer inside the block (for tests and benchmarks; not thread-safe)."""
    was_installed = is_installed()
    uninstall()
    try:
        yield
    finally:
        if was_installed:
            install()


# --- drawing: codes per (glyph, text), spans ---------------------------------------------------------------

def _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    start = len(stream.stream)
    emojis = _originals["draw_first_line"](stream, textbox, text_overflow, block_ellipsis, matrix)
    if len(stream.stream) > start:
        glyphs = list(_line_glyphs(stream, textbox))
        try:
            stream.stream[start:] = _rewritten(stream.stream[start:], glyphs)
        except _Mismatch:
            logger.warning("Thai text layer: a line was drawn in an unexpected form; its text is left as is")
    return emojis


def _line_glyphs(stream, textbox) -> Iterator[_Glyph]:
    """The glyphs of the textbox's first line in the order ``draw_first_line`` emits them, with their codes."""
    line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    run = line.runs[0]
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        font, _ = stream.add_font(glyph_item.item.analysis.font)
        rtl = bool(glyph_item.item.analysis.level % 2)
        for grapheme in _graphemes(_clusters(glyph_item, utf8)):
            yield from _grapheme_glyphs(font, grapheme, rtl=rtl)


def _clusters(glyph_item, utf8: bytes):
    """(glyph infos of a cluster without empty glyphs, the cluster's text) for each cluster of a run, in visual
    order; a cluster is a run of glyphs with the same ``log_clusters`` value (as Pango defines it: for Thai, one
    character, except SARA AM's two glyphs)."""
    glyphs, item = glyph_item.glyphs, glyph_item.item
    count, clusters = glyphs.num_glyphs, glyphs.log_clusters
    i = 0
    while i < count:
        j = i
        while j + 1 < count and clusters[j + 1] == clusters[i]:
            j += 1
        if item.analysis.level % 2:  # rtl: the cluster ends where the one drawn before it starts
            end = item.length if i == 0 else clusters[i - 1]
        else:
            end = item.length if j == count - 1 else clusters[j + 1]
        text = utf8[item.offset + clusters[i]:item.offset + end].decode()
        infos = [glyphs.glyphs[k] for k in range(i, j + 1) if glyphs.glyphs[k].glyph != pango.PANGO_GLYPH_EMPTY]
        if infos:
            yield infos, text
        i = j + 1


def _graphemes(clusters) -> Iterator[list]:
    """Clusters grouped as drawn graphemes: a cluster whose first glyph has no advance (a mark, or SARA AM's
    NIKHAHIT) joins the cluster before it ("ท" "ี" "่" → "ที่")."""
    group: list = []
    for infos, text in clusters:
        if group and infos[0].geometry.width == 0:
            group.append((infos, text))
            continue
        if group:
            yield group
        group = [(infos, text)]
    if group:
        yield group


def _split(text: str, advancing: int) -> list[str]:
    """``text`` over ``advancing`` glyphs: the last ones one character each, the first the rest, "" when short."""
    if advancing <= 1:
        return [text]
    chars = list(text)
    if len(chars) < advancing:
        return chars + [""] * (advancing - len(chars))
    cut = len(chars) - advancing + 1
    return ["".join(chars[:cut]), *chars[cut:]]


def _cluster_texts(infos, text: str, *, rtl: bool) -> list[str]:
    """The text of each glyph of a cluster: split over its glyphs with an advance, "" for the others."""
    advancing = [k for k, info in enumerate(infos) if info.geometry.width > 0] or [0]
    texts = [""] * len(infos)
    for k, part in zip(advancing[::-1] if rtl else advancing, _split(text, len(advancing)), strict=True):
        texts[k] = part
    return texts


def _grapheme_glyphs(font, grapheme: list, *, rtl: bool) -> Iterator[_Glyph]:
    digits = 2 if font.bitmap else 4
    pairs = [(_glyph_id(font, info.glyph), part) for infos, text in grapheme
             for info, part in zip(infos, _cluster_texts(infos, text, rtl=rtl), strict=True)]
    span = len(pairs) > 1 and not font.bitmap
    actual_text = "".join(text for _, text in (grapheme[::-1] if rtl else grapheme))
    for k, (glyph_id, part) in enumerate(pairs):
        code = glyph_id if font.bitmap else _code(font, glyph_id, part)
        yield _Glyph(glyph_id, digits, code, opens=actual_text if span and k == 0 else None,
                     closes=span and k == len(pairs) - 1)


def _glyph_id(font, glyph: int) -> int:
    """The glyph id ``draw_first_line`` emits for Pango's ``glyph`` (a missing glyph gets an unused id)."""
    if glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
        return font.get_unused_glyph_id(glyph - pango.PANGO_GLYPH_UNKNOWN_FLAG)
    return glyph


def _code(font, glyph_id: int, text: str) -> int:
    """The character code of (glyph, text) in ``font``; registers its text in ``font.to_unicode`` and, for an
    alias, its glyph and width. Falls back to the glyph id (its first text) when the code space is full."""
    codes, aliases, owned = (font.__dict__.setdefault(name, kind()) for name, kind in
                             ((CODES, dict), (ALIASES, dict), (OWNED, set)))
    key = (glyph_id, text)
    if key in codes:
        return codes[key]
    if glyph_id not in owned:
        owned.add(glyph_id)
        code = glyph_id
    else:
        code = TOP_CODE - len(aliases)
        if code < font.glyph_count + len(font.missing) + 256:  # keep clear of ids WeasyPrint may still assign
            return glyph_id
        aliases[code] = glyph_id
        font.widths[code] = font.widths[glyph_id]
    codes[key] = code
    font.to_unicode[code] = text
    return code


class _Mismatch(Exception):
    """The emitted operators do not carry the glyphs of the line in order."""


def _rewritten(chunks: list, glyphs: list[_Glyph]) -> list:
    """``chunks`` (content-stream operators) with every ``TJ``'s glyph ids replaced by their codes and the spans
    of multi-glyph clusters inserted; raises ``_Mismatch`` when the glyphs emitted are not ``glyphs``."""
    pending = iter(glyphs)
    output: list = []
    for chunk in chunks:
        if isinstance(chunk, bytes) and chunk.startswith(b"[") and chunk.endswith(b"] TJ"):
            output += _rewritten_tj(chunk[1:-4], pending)
        else:
            output.append(chunk)
    if next(pending, None) is not None:
        raise _Mismatch
    return output


def _rewritten_tj(body: bytes, pending: Iterator[_Glyph]) -> list:
    output: list = []
    array_parts: list[bytes] = []  # the TJ array being built
    hex_run: list[str] = []  # codes of consecutive glyphs, one <…> string

    def close_hex():
        if hex_run:
            array_parts.append(b"<" + "".join(hex_run).encode() + b">")
            hex_run.clear()

    def close_array():
        close_hex()
        if array_parts:
            output.append(b"[" + b"".join(array_parts) + b"] TJ")
            array_parts.clear()

    for match in _TJ.finditer(body):
        if match.group(1) is None:  # a position adjustment
            close_hex()
            array_parts.append(match.group(0))
            continue
        digits = match.group(1).decode()
        position = 0
        while position < len(digits):
            glyph = next(pending, None)
            if glyph is None or int(digits[position:position + glyph.digits], 16) != glyph.glyph_id:
                raise _Mismatch
            position += glyph.digits
            if glyph.opens is not None:
                close_array()
                output.append(b"/Span <</ActualText " + pydyf.String(glyph.opens).data + b">> BDC")
            hex_run.append(f"{glyph.code:0{glyph.digits}x}")
            if glyph.closes:
                close_array()
                output.append(b"EMC")
    close_array()
    return output


# --- fonts: aliases out of the subset, CIDToGIDMap ----------------------------------------------------------

def _clean(self, to_unicode, hinting):
    real = {code: text for code, text in to_unicode.items() if code < self.glyph_count + len(self.missing)}
    return _originals["clean"](self, real, hinting)


def _build_vector_font_dictionary(font_dictionary, pdf, font, widths, compress, reference, pdf_version):
    aliases = font.__dict__.get(ALIASES)
    if not aliases:
        return _originals["build_vector"](font_dictionary, pdf, font, widths, compress, reference, pdf_version)
    for code, glyph_id in aliases.items():  # widths of a font embedded whole do not come from font.widths
        widths.setdefault(code, widths.get(glyph_id, 0))
    missing, font.missing = font.missing, {}  # keep /Identity-H: missing glyphs go to GID 0 in the map below
    try:
        _originals["build_vector"](font_dictionary, pdf, font, widths, compress, reference, pdf_version)
    finally:
        font.missing = missing
    # CID → GID, two bytes big-endian per CID: real glyphs to themselves, unused and missing codes to 0.
    cid_to_gid = array("H", range(font.glyph_count)) + array("H", [0]) * (TOP_CODE + 1 - font.glyph_count)
    for code, glyph_id in aliases.items():
        cid_to_gid[code] = glyph_id
    if sys.byteorder == "little":
        cid_to_gid.byteswap()
    stream = pydyf.Stream([cid_to_gid.tobytes()], compress=compress)
    pdf.add_object(stream)
    subfont = pdf.objects[int(font_dictionary["DescendantFonts"][0].split()[0])]
    subfont["CIDToGIDMap"] = stream.reference
