"""A Thai text layer that reads back exactly: our fix for WeasyPrint's ToUnicode bug (Kozea/WeasyPrint#2841).

The bug (WeasyPrint 70.0, ``weasyprint/draw/text.py``, ``draw_first_line``): a PDF font maps each *character
code* to its text once, in the font's ``/ToUnicode`` CMap, and WeasyPrint uses the glyph id as the code and takes
that text from the first cluster that drew the glyph. HarfBuzz draws "ำ" (SARA AM) as NIKHAHIT + SARA AA; once
one "ำ" is on the page, the SARA AA glyph reads "ำ" everywhere, so "การ" is copied as "กำร". Glyphs that are not
the last of their cluster get the text "". Measured on the 30 documents the seed data prints: 60 % of the Thai
phrases come back verbatim with pypdf, 55 % with pdftotext (thai-documents.md §5.4).

What this module does instead, in the same drawing path:

1. **Text per glyph.** The text of each cluster (for Thai, Pango makes one of each character, and one of SARA
   AM's two glyphs) is split over its glyphs that have an advance: with n such glyphs and m characters, the last
   n − 1 take one character each and the first takes the rest ("ำ" → NIKHAHIT "", SARA AA "ำ"). Glyphs without
   an advance in a cluster of several get "".
2. **One character code per distinct (glyph, text) pair.** The first pair of a glyph keeps the glyph id as its code;
   another text for the same glyph gets an *alias* code, counted down from 0xFFFF, that the CIDFont maps back to
   the same glyph through a ``/CIDToGIDMap`` stream (instead of ``/Identity``), with the same width in ``/W``.
   The codes stay under ``/Identity-H``: routing the aliases through an ``/Encoding`` CMap makes pypdf extract
   nothing, so a font with glyphs missing from it (which WeasyPrint encodes with such a CMap) maps them to GID 0
   in the ``/CIDToGIDMap`` instead.
3. **``/ActualText`` on graphemes drawn with several glyphs.** A cluster whose first glyph has no advance (a mark,
   NIKHAHIT) joins the one before it; each such grapheme ("ที่", "กำ", "น้ำ") is wrapped in a
   ``/Span <</ActualText (…)>> BDC … EMC`` marked-content sequence, so that extractors which honour it (poppler,
   PDF.js, Acrobat) read it whole, in logical order, whatever order and place its marks are drawn in. poppler ends
   such a span where its last glyph ends: when that is a mark drawn shifted left (ป็, ปี), it would read a space
   before the next glyph ("เป็ น"), so that mark's code gets the shift as extra width (an alias of its own), taken
   back by the adjustment after it — the glyph is drawn where it was.

Patch points (all in WeasyPrint 70.0, all reversible by ``uninstall``):

- ``weasyprint.draw.text.draw_first_line`` is wrapped: after the original has drawn a line, the ``TJ`` operators
  it appended to the content stream are rewritten (glyph ids → codes, spans inserted between them). Positions,
  kerning, rises and fonts are kept as emitted, so the pages look the same (pixel-identical at 100 dpi on the seed
  documents). If the emitted glyphs do not match the line's glyphs (an unexpected format, e.g. a pydyf that writes
  ``TJ`` differently), the line is left as WeasyPrint drew it and a warning is logged.
- ``weasyprint.pdf.fonts.Font.clean`` is wrapped: alias codes are not glyphs, so they are kept out of the subset.
- ``weasyprint.pdf.fonts._build_vector_font_dictionary`` is wrapped: a font with aliases gets its
  ``/CIDToGIDMap`` stream and ``/Identity-H``.

Limits: bitmap (Type 3) fonts are left alone; a font embedded whole (``full_fonts``, or used in forms — we use
neither) gets its ToUnicode from WeasyPrint's cmap code, where aliases have no text.

When it is installed (issue 18, item 5): never at start-up — ``manage.py migrate``, ``backup`` and ``restore`` run
whatever WeasyPrint is installed — but at the first render: every PDF is written through ``write_pdf``, which calls
``ensure_installed``. That refuses any WeasyPrint but ``SUPPORTED_VERSION`` with ``UnsupportedWeasyPrint``, whose
message names the versions and what to do (the code above depends on the internals of that version; pyproject.toml
pins it and pydyf, which writes the ``TJ`` operators we rewrite).

What happens when the fix itself fails (any exception of ours, e.g. an internal of WeasyPrint that moved): while
installing, everything is put back and the document is printed with WeasyPrint's own text layer; while drawing or
writing a document, the wrappers raise ``TextLayerFailed`` and ``write_pdf`` prints the whole document again with
WeasyPrint's own text layer (``own_text_layer``, per thread/context). Either way a warning is logged and the PDF is
still produced: copied Thai text may then read wrongly (#2841), the pages look the same.
Drop this module when upstream fixes #2841 (issue open; fix PR #2869 was closed unmerged).
"""
import logging
import re
import struct
import sys
import threading
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import pydyf
import weasyprint
from weasyprint.draw import text as draw_text_module
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.ffi import ffi, pango

SUPPORTED_VERSION = "70.0"
TOP_CODE = 0xFFFF  # alias codes count down from here; real glyph ids count up from 0
STATE = "ita_codes"  # the Font attribute holding a _Codes

logger = logging.getLogger(__name__)

_GLYPH_INFO = struct.Struct("=IiiiI")  # PangoGlyphInfo, 20 bytes
_TJ_SPLIT = re.compile(r"<([0-9a-fA-F]*)>")  # a TJ array: adjustments and <hex> strings
_originals: dict = {}
_install_lock = threading.Lock()  # two threads' first renders must not both patch (the 2nd would wrap the 1st)
_own_layer: ContextVar[bool] = ContextVar("ita_own_text_layer", default=False)  # True: the wrappers step aside


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint is not the version this fix was written for."""


class TextLayerFailed(Exception):
    """Our text layer failed while a document was drawn or written (the cause is ``__cause__``): ``write_pdf``
    prints the document again with WeasyPrint's own text layer."""


class _Codes:
    """What the fix adds to a WeasyPrint ``Font`` (attribute ``ita_codes``): the code of each (glyph id, text),
    the glyph of each alias code, and the glyph ids whose own code already carries one of our texts."""

    def __init__(self):
        self.codes: dict[tuple[int, str, int], tuple[str, str]] = {}  # (glyph, text, extra width) → hex
        self.aliases: dict[int, int] = {}
        self.owned: set[int] = set()


def check_version() -> None:
    """Raise ``UnsupportedWeasyPrint`` (naming both versions and what to do) unless the installed WeasyPrint is
    ``SUPPORTED_VERSION``."""
    if weasyprint.__version__ != SUPPORTED_VERSION:
        raise UnsupportedWeasyPrint(
            f"reports.pdf_text (our Thai text layer) was written for WeasyPrint {SUPPORTED_VERSION}, not "
            f"{weasyprint.__version__}: install the versions pinned in pyproject.toml (weasyprint, pydyf), or check "
            "whether Kozea/WeasyPrint#2841 is fixed (then delete reports/pdf_text.py) or port the patch."
        )


def install() -> None:
    """Patch WeasyPrint (see the module docstring); idempotent. Raises ``UnsupportedWeasyPrint`` on any
    WeasyPrint version but ``SUPPORTED_VERSION``; on any other failure, puts back what it patched and raises."""
    check_version()
    with _install_lock:
        if _originals:
            return
        try:
            _patch()
        except BaseException:
            uninstall()
            raise


def _patch() -> None:
    _originals.update(
        draw_first_line=draw_text_module.draw_first_line,
        clean=pdf_fonts.Font.clean,
        build_vector=pdf_fonts._build_vector_font_dictionary,
    )
    draw_text_module.draw_first_line = _draw_first_line
    pdf_fonts.Font.clean = _clean
    pdf_fonts._build_vector_font_dictionary = _build_vector_font_dictionary


def uninstall() -> None:
    """Put WeasyPrint's own functions back (no-op when not installed, or for what was not patched)."""
    if "draw_first_line" in _originals:
        draw_text_module.draw_first_line = _originals.pop("draw_first_line")
    if "clean" in _originals:
        pdf_fonts.Font.clean = _originals.pop("clean")
    if "build_vector" in _originals:
        pdf_fonts._build_vector_font_dictionary = _originals.pop("build_vector")


def is_installed() -> bool:
    return bool(_originals)


def ensure_installed() -> bool:
    """The guard of the first render (and a cheap check at every other): True when our text layer is installed.
    Raises ``UnsupportedWeasyPrint`` on another WeasyPrint. Any other failure while installing is logged as a
    warning and gives False (nothing stays patched: documents get WeasyPrint's own text layer)."""
    if _originals:
        return True
    check_version()
    try:
        install()
    except Exception as error:
        logger.warning("Thai text layer (reports.pdf_text) could not be installed (%s: %s); documents are printed "
                       "with WeasyPrint's own text layer", type(error).__name__, error, exc_info=True)
        return False
    return True


def write_pdf(write: Callable[[], bytes]) -> bytes:
    """``write()`` (a function that renders and writes one PDF with WeasyPrint) with our text layer, installed
    here at the first call (``ensure_installed``: raises ``UnsupportedWeasyPrint`` on another WeasyPrint). When the
    text layer fails (``TextLayerFailed``), the document is written again with WeasyPrint's own text layer and a
    warning is logged: the PDF is still produced. Errors of WeasyPrint itself go on as they are."""
    if not ensure_installed():
        return write()
    try:
        return write()
    except TextLayerFailed as failure:
        cause = failure.__cause__ or failure
        logger.warning("Thai text layer (reports.pdf_text) failed (%s: %s); the document is printed again with "
                       "WeasyPrint's own text layer", type(cause).__name__, cause, exc_info=True)
        with own_text_layer():
            return write()


@contextmanager
def own_text_layer() -> Iterator[None]:
    """Render with WeasyPrint's own text layer inside the block (this thread or context only): the patched
    functions step aside and call WeasyPrint's."""
    token = _own_layer.set(True)
    try:
        yield
    finally:
        _own_layer.reset(token)


uninstalled = own_text_layer  # the name the tests and bench/pdf_text.py use


# --- drawing: codes per (glyph, text), spans ---------------------------------------------------------------

def _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    original = _originals["draw_first_line"]
    if _own_layer.get():
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    start = len(stream.stream)
    emojis = original(stream, textbox, text_overflow, block_ellipsis, matrix)
    if len(stream.stream) > start:
        try:
            stream.stream[start:] = _rewritten(stream.stream[start:], _line_glyphs(stream, textbox))
        except _Mismatch:
            logger.warning("Thai text layer: a line was drawn in an unexpected form; its text is left as is")
        except Exception as error:
            raise TextLayerFailed(error) from error
    return emojis


def _line_glyphs(stream, textbox) -> list[tuple]:
    """The glyphs of the textbox's first line in the order ``draw_first_line`` emits them, each as (glyph id as
    emitted, code to emit — both hex —, the ActualText of the span it opens or None, whether it closes one, the
    width added to its code in thousandths of an em)."""
    line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    glyphs: list[tuple] = []
    run = line.runs[0]
    while run != ffi.NULL:
        glyph_item, run = run.data, run.next
        font, font_size = stream.add_font(glyph_item.item.analysis.font)
        if pango.pango_version() < 14802 or font.png:  # as draw_first_line does (Pango issue 530, #2800)
            font_size = textbox.style["font_size"]
        rtl = bool(glyph_item.item.analysis.level % 2)
        codes = _state(font).codes
        for grapheme in _graphemes(_clusters(glyph_item, utf8)):
            if len(grapheme) == 1 and len(grapheme[0][0]) == 1 and not font.bitmap:  # one glyph: most of them
                (glyph, _, _), text = grapheme[0][0][0], grapheme[0][1]
                pair = codes.get((glyph, text, 0)) or _code(font, _glyph_id(font, glyph), text)
                glyphs.append((*pair, None, False, 0))
            else:
                _add_grapheme(glyphs, font, font_size, grapheme, rtl=rtl)
    return glyphs


def _clusters(glyph_item, utf8: bytes) -> list[tuple[list[tuple[int, int, int]], str]]:
    """Each cluster of a run in visual order: its glyphs as (Pango glyph, advance, x offset; Pango units) without
    empty glyphs, and its text. A cluster is a run of glyphs with the same ``log_clusters`` value (as Pango
    defines it: for Thai one character, except SARA AM's two glyphs)."""
    glyph_string, item = glyph_item.glyphs, glyph_item.item
    count = glyph_string.num_glyphs
    # PangoGlyphInfo: glyph (guint32), geometry (width, x_offset, y_offset: gint32), attr (guint32) — read at once
    infos = _GLYPH_INFO.iter_unpack(ffi.buffer(glyph_string.glyphs, count * _GLYPH_INFO.size))
    glyphs = [(glyph, width, x_offset) for glyph, width, x_offset, _, _ in infos]
    starts = ffi.unpack(glyph_string.log_clusters, count)
    rtl = item.analysis.level % 2
    base, length = item.offset, item.length
    result = []
    i = 0
    while i < count:
        j = i
        while j + 1 < count and starts[j + 1] == starts[i]:
            j += 1
        if rtl:  # the cluster ends where the one drawn before it starts
            end = length if i == 0 else starts[i - 1]
        else:
            end = length if j == count - 1 else starts[j + 1]
        text = utf8[base + starts[i]:base + end].decode()
        if i == j:
            if glyphs[i][0] != pango.PANGO_GLYPH_EMPTY:
                result.append(([glyphs[i]], text))
        else:
            drawn = [glyph for glyph in glyphs[i:j + 1] if glyph[0] != pango.PANGO_GLYPH_EMPTY]
            if drawn:
                result.append((drawn, text))
        i = j + 1
    return result


def _graphemes(clusters: list) -> list[list]:
    """Clusters grouped as drawn graphemes: a cluster whose first glyph has no advance (a mark, or SARA AM's
    NIKHAHIT) joins the cluster before it ("ท" "ี" "่" → "ที่")."""
    groups: list[list] = []
    for cluster in clusters:
        if groups and cluster[0][0][1] == 0:
            groups[-1].append(cluster)
        else:
            groups.append([cluster])
    return groups


def _split(text: str, advancing: int) -> list[str]:
    """``text`` over ``advancing`` glyphs: the last ones one character each, the first the rest, "" when short."""
    if advancing <= 1:
        return [text]
    chars = list(text)
    if len(chars) < advancing:
        return chars + [""] * (advancing - len(chars))
    cut = len(chars) - advancing + 1
    return ["".join(chars[:cut]), *chars[cut:]]


def _cluster_texts(glyphs: list[tuple[int, int, int]], text: str, *, rtl: bool) -> list[str]:
    """The text of each glyph of a cluster: split over its glyphs with an advance, "" for the others."""
    if len(glyphs) == 1:
        return [text]
    advancing = [k for k, (_, width, _) in enumerate(glyphs) if width > 0] or [0]
    texts = [""] * len(glyphs)
    for k, part in zip(advancing[::-1] if rtl else advancing, _split(text, len(advancing)), strict=True):
        texts[k] = part
    return texts


def _add_grapheme(glyphs: list, font, font_size: float, grapheme: list, *, rtl: bool) -> None:
    if font.bitmap:  # Type 3 fonts are left as WeasyPrint writes them
        glyphs += [(f"{glyph:02x}", f"{glyph:02x}", None, False, 0) for drawn, _ in grapheme for glyph, *_ in drawn]
        return
    drawn = [(glyph, x_offset, part) for cluster, text in grapheme
             for (glyph, _, x_offset), part in zip(cluster, _cluster_texts(cluster, text, rtl=rtl), strict=True)]
    actual_text = "".join(text for _, text in (grapheme[::-1] if rtl else grapheme))
    for k, (glyph, x_offset, part) in enumerate(drawn):
        last = k == len(drawn) - 1
        # A mark drawn shifted left (ป็, ปี) ends the span before the grapheme does, and poppler then reads a space
        # before the next glyph ("เป็ น"): its code gets that shift as extra width, taken back after it.
        extra = round(-x_offset / font_size) if last and x_offset < 0 else 0
        glyphs.append((*_code(font, _glyph_id(font, glyph), part, extra), actual_text if k == 0 else None,
                       last, extra))


def _glyph_id(font, glyph: int) -> int:
    """The glyph id ``draw_first_line`` emits for Pango's ``glyph`` (a missing glyph gets an unused id)."""
    if glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
        return font.get_unused_glyph_id(glyph - pango.PANGO_GLYPH_UNKNOWN_FLAG)
    return glyph


def _state(font) -> _Codes:
    return font.__dict__.get(STATE) or font.__dict__.setdefault(STATE, _Codes())


def _code(font, glyph_id: int, text: str, extra: int = 0) -> tuple[str, str]:
    """(glyph id, character code) of (glyph, text, extra width) in ``font``, as 4-digit hex; registers the text of
    the code in ``font.to_unicode`` and, for an alias, its glyph and width (the glyph's + ``extra``). Falls back to
    the glyph id (its first text) when the code space is full."""
    state = _state(font)
    pair = state.codes.get((glyph_id, text, extra))
    if pair is not None:
        return pair
    if glyph_id not in state.owned and not extra:
        state.owned.add(glyph_id)
        code = glyph_id
    else:
        code = TOP_CODE - len(state.aliases)
        if code < font.glyph_count + len(font.missing) + 256:  # keep clear of ids WeasyPrint may still assign
            return f"{glyph_id:04x}", f"{glyph_id:04x}"
        state.aliases[code] = glyph_id
        font.widths[code] = font.widths[glyph_id] + extra
    font.to_unicode[code] = text
    pair = state.codes[glyph_id, text, extra] = f"{glyph_id:04x}", f"{code:04x}"
    return pair


class _Mismatch(Exception):
    """The emitted operators do not carry the glyphs of the line in order."""


def _rewritten(chunks: list, glyphs: list[tuple]) -> list:
    """``chunks`` (content-stream operators) with every ``TJ``'s glyph ids replaced by their codes and the spans
    of multi-glyph graphemes inserted; raises ``_Mismatch`` when the glyphs emitted are not ``glyphs``."""
    output: list = []
    position = 0
    for chunk in chunks:
        if isinstance(chunk, bytes) and chunk.startswith(b"[") and chunk.endswith(b"] TJ"):
            operators: list[bytes] = []
            position = _rewrite_tj(chunk[1:-4].decode(), glyphs, position, operators)
            output.append(b"\n".join(operators))  # one chunk, as before: pydyf serialises chunk by chunk
        else:
            output.append(chunk)
    if position != len(glyphs):
        raise _Mismatch
    return output


def _rewrite_tj(body: str, glyphs: list[tuple], position: int, output: list) -> int:
    """Append the operators of one ``[…] TJ`` to ``output``, its glyphs being ``glyphs[position:]``; returns the
    position after them. A span cuts the array: ``[…] TJ /Span <<…>> BDC […] TJ EMC […] TJ``; the extra width
    of a glyph's code is taken back by the adjustment after it, so every glyph is drawn where it was."""
    array: list[str] = []  # the TJ array being built
    extra = 0  # the extra width of the glyph just written
    for k, token in enumerate(_TJ_SPLIT.split(body)):
        if not k % 2:  # a position adjustment (or nothing) between strings
            array.append(_adjusted(token, extra) if extra else token)
            extra = 0
            continue
        codes: list[str] = []
        offset = 0
        while offset < len(token):
            if position >= len(glyphs):
                raise _Mismatch
            source, code, opens, closes, glyph_extra = glyphs[position]
            if not token.startswith(source, offset):
                raise _Mismatch
            offset += len(source)
            position += 1
            if extra:  # the glyph before took extra width and was closed with its span: codes is empty
                array.append(str(extra))
            if opens is not None:
                _flush(array, codes, output)
                output.append(_span(opens))
            codes.append(code)
            if closes:
                _flush(array, codes, output)
                output.append(b"EMC")
            extra = glyph_extra
        if codes or not token:  # "<>" too: it separates two adjustments
            array.append(f"<{''.join(codes)}>")
    if extra:
        array.append(str(extra))
    _flush(array, [], output)
    return position


@lru_cache(maxsize=4096)
def _span(actual_text: str) -> bytes:
    """The operator that opens a span read as ``actual_text``."""
    return b"/Span <</ActualText " + pydyf.String(actual_text).data + b">> BDC"


def _adjusted(token: str, extra: int) -> str:
    """The TJ adjustment ``token`` (thousandths of an em, positive moves left) plus ``extra``."""
    try:
        return f"{(float(token) if token else 0) + extra:g}"
    except ValueError:
        raise _Mismatch from None


def _flush(array: list[str], codes: list[str], output: list) -> None:
    """Close the glyph string ``codes`` into ``array`` and ``array`` into a TJ operator (none when empty)."""
    if codes:
        array.append(f"<{''.join(codes)}>")
        codes.clear()
    body = "".join(array)
    if body:
        output.append(f"[{body}] TJ".encode())
    array.clear()


# --- fonts: aliases out of the subset, CIDToGIDMap ----------------------------------------------------------

def _clean(self, to_unicode, hinting):
    original = _originals["clean"]
    if _own_layer.get():
        return original(self, to_unicode, hinting)
    try:
        real = _clean_codes(self, to_unicode)
    except Exception as error:
        raise TextLayerFailed(error) from error
    return original(self, real, hinting)


def _clean_codes(font, to_unicode: dict) -> dict:
    """``to_unicode`` without our alias codes (they are not glyphs, so they stay out of the subset)."""
    return {code: text for code, text in to_unicode.items() if code < font.glyph_count + len(font.missing)}


def _build_vector_font_dictionary(font_dictionary, pdf, font, widths, compress, reference, pdf_version):
    state = font.__dict__.get(STATE)
    aliases = state.aliases if state else None
    if _own_layer.get() or not aliases:
        return _originals["build_vector"](font_dictionary, pdf, font, widths, compress, reference, pdf_version)
    try:
        for code, glyph_id in aliases.items():  # widths of a font embedded whole do not come from font.widths
            widths.setdefault(code, widths.get(glyph_id, 0))
        missing, font.missing = font.missing, {}  # keep /Identity-H: missing glyphs go to GID 0 in the map below
        try:
            _originals["build_vector"](font_dictionary, pdf, font, widths, compress, reference, pdf_version)
        finally:
            font.missing = missing
        _add_cid_to_gid_map(font_dictionary, pdf, font, aliases, compress)
    except Exception as error:
        raise TextLayerFailed(error) from error


def _add_cid_to_gid_map(font_dictionary, pdf, font, aliases: dict[int, int], compress: bool) -> None:
    """Give the font's CIDFont a ``/CIDToGIDMap`` stream mapping each alias code to its glyph."""
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
