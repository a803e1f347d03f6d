"""Uploaded files: what an evidence file is (read from its content), the name it is downloaded under, and the
removal of files no row names any more — after a commit (replaced, cleared, deleted) or a rollback (written by
a save that did not happen).

Every rule here is about bytes on disk, not about the domain: the services of the apps call these helpers.
"""
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import filetype
from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageOps

# The kinds staff attach to a progress report (issue 3; issue 12 §5), by the extension they are stored under.
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_HEAD_BYTES = 65536
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024  # [Content_Types].xml is a few kB; a bigger one is not a real document
# Office Open XML main parts (ECMA-376 part 2): the content type of the document's main part, and its folder.
_OFFICE_MAIN_PARTS = {
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}


class EvidenceTypeError(Exception):
    """The content is not an allowed evidence type. ``code``: ``"macro"`` (a macro-enabled Office file: DOCM,
    XLSM, or any zip with a ``vbaProject.bin``) or ``"file_type"`` (anything else: executables, HTML, SVG, jars,
    text, unknown bytes)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def evidence_type(file) -> str:
    """The extension (a key of ``EVIDENCE_TYPES``) of ``file`` — an open binary file or Django ``File`` —
    detected from its content, never from its name: PDF, JPEG and PNG by their magic bytes (``filetype``);
    DOCX and XLSX as zip containers whose ``[Content_Types].xml`` declares a Word or Excel main part stored
    under ``word/`` or ``xl/``. Raises ``EvidenceTypeError``. Leaves the file at position 0."""
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _office_type(file)
    kind = filetype.guess(head)
    if kind is not None and kind.extension in ("pdf", "jpg", "png") and EVIDENCE_TYPES[kind.extension] == kind.mime:
        return kind.extension
    raise EvidenceTypeError("file_type")


def _office_type(file) -> str:
    """``"docx"`` or ``"xlsx"`` for an Office Open XML zip without macros; raises ``EvidenceTypeError``."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = {info.filename for info in archive.infolist()}
            info = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if info is None or info.file_size > _CONTENT_TYPES_MAX_BYTES:
                raise EvidenceTypeError("file_type")
            content_types = archive.read(info).decode("utf-8", "replace").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, KeyError):
        raise EvidenceTypeError("file_type") from None
    finally:
        file.seek(0)
    if "macroenabled" in content_types or "vbaproject" in content_types or any(
            name.lower().endswith("vbaproject.bin") for name in names):
        raise EvidenceTypeError("macro")
    for extension, (folder, main_type) in _OFFICE_MAIN_PARTS.items():
        if main_type in content_types and any(name.startswith(folder) for name in names):
            return extension
    raise EvidenceTypeError("file_type")


# Characters that must not reach a download name: controls, zero-width characters and bidi controls (a
# right-to-left override shows "รายงาน\u202efdp.exe" as "รายงานexe.pdf").
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
DOWNLOAD_STEM_MAX = 150  # characters before the extension; the column holds 255


def evidence_download_name(name: str, extension: str) -> str:
    """The name an evidence file is downloaded under: the uploaded ``name`` (Thai kept; NFC; without folders,
    control, zero-width and bidi characters; at most ``DOWNLOAD_STEM_MAX`` characters before the dot) with its
    last extension replaced by the detected ``extension`` — "รายงาน.exe" holding a PDF → "รายงาน.pdf"."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = _INVISIBLE.sub("", name).strip()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .")[:DOWNLOAD_STEM_MAX].strip(" .") or "evidence"
    return f"{stem}.{extension}"


def random_file_name(extension: str) -> str:
    """A storage base name that says nothing and collides with nothing: 32 hex digits and ``.extension``."""
    return f"{uuid.uuid4().hex}.{extension}"


# Images printed on documents, re-encoded (``image_reencoded``): Pillow's format → (extension, MIME type, the modes
# kept as they are; any other is converted to the first).
_IMAGE_ENCODINGS = {
    "PNG": ("png", "image/png", ("RGBA", "RGB", "LA", "L", "P", "1", "I;16", "I")),
    "JPEG": ("jpg", "image/jpeg", ("RGB", "L", "CMYK")),
}
JPEG_QUALITY = 95  # re-encoding a JPEG loses a little: at 95 it is not visible on a 1.5 cm print


def image_reencoded(file) -> SimpleUploadedFile:
    """``file`` (an open binary file or Django ``File`` holding a PNG or JPEG — check that first, e.g. with
    ``core.forms.ImageUploadField``) decoded by Pillow and written again in the same format, as a new
    upload named ``random_file_name`` (32 hex digits and .png or .jpg, never the uploaded name): only the pixels
    are kept — bytes after the image data (an HTML page appended to a PNG), text chunks, EXIF (its orientation is
    applied to the pixels first), XMP and colour profiles are gone; a PNG keeps its transparency. The Pillow image
    is ``.image``. Raises ``KeyError`` for another format, and Pillow's errors for a file it cannot decode."""
    file.seek(0)
    with Image.open(file) as opened:
        image_format = opened.format
        extension, content_type, modes = _IMAGE_ENCODINGS[image_format]
        opened.load()
        image = ImageOps.exif_transpose(opened)
    transparency = image.info.get("transparency") if image_format == "PNG" else None
    if image.mode not in modes:
        image = image.convert(modes[0])
        transparency = None
    image.info = {}  # Pillow writes what info holds (ICC profile, EXIF, text): nothing but pixels is written
    options = {"transparency": transparency} if transparency is not None else {}
    if image_format == "JPEG":
        options["quality"] = JPEG_QUALITY
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    reencoded = SimpleUploadedFile(random_file_name(extension), buffer.getvalue(), content_type=content_type)
    reencoded.image = image
    return reencoded


def files_delete_on_commit(field, names: Iterable[str]) -> None:
    """Once the current transaction commits, delete from ``field``'s storage (``field``: a model's FileField,
    e.g. ``ProgressEntry._meta.get_field("evidence_file")``) each of ``names`` that no row of the model names
    any more (checked at that moment, so a file shared by two rows stays). Nothing happens on a rollback: the
    rows that name the files are back. Outside a transaction, at once."""
    names = {name for name in names if name}
    if not names:
        return
    model, storage, column = field.model, field.storage, field.attname

    def delete() -> None:
        kept = set(model._base_manager.filter(**{f"{column}__in": names}).values_list(column, flat=True))
        for name in sorted(names - kept):
            storage.delete(name)

    transaction.on_commit(delete)


@contextmanager
def files_removed_on_rollback() -> Iterator[list[tuple[Storage, str]]]:
    """Around a transaction that writes files: yields a list to which the code appends ``(storage, name)`` of
    each file it wrote; if the block raises (the transaction rolled back), those files are deleted and the
    error goes on. Put it OUTSIDE ``transaction.atomic()`` so a failed COMMIT is caught too. A file written
    inside an outer transaction that rolls back later is left to ``manage.py cleanup_media``."""
    written: list[tuple[Storage, str]] = []
    try:
        yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
