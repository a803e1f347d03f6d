"""Digital signatures of the portal's PDFs: PAdES with pyHanko (issue 11 §4, thai-documents.md §6), and their
verification.

Which certificate signs: the organization's own (``Organization.signing_pkcs12``, its passphrase stored encrypted
with the keys of ``settings.SIGNING_PASSPHRASE_KEYS``, env ``ITA_SIGNING_KEYS``: docs/signing.md),
else the deployment's (``settings.SIGNING_PKCS12`` / ``SIGNING_PASSPHRASE``, env ``ITA_SIGNING_PKCS12`` /
``ITA_SIGNING_PASSPHRASE``). Neither: ``sign_pdf`` returns the bytes unchanged with ``signed=False`` and the portal
says the PDF is unsigned. The signature is PAdES B-B, and B-T (an RFC 3161 time stamp) when
``settings.SIGNING_TIMESTAMP_URL`` (``ITA_TIMESTAMP_URL``) is set; page 1 carries a visible stamp in Thai naming
the signer and the time, in the bundled Laksaman font (shaped by HarfBuzz through pyHanko's OpenType support).

What is trusted when verifying: the roots of ``settings.SIGNING_TRUST_ROOTS`` (a PEM file, ``ITA_SIGNING_TRUST_ROOTS``),
else the certificates inside the deployment's PKCS#12. Validation never fetches anything (no network).

A local installation (``make run``) signs with its demo certificate (``reports.demo_certificate``): the local settings
point ``SIGNING_PKCS12`` and ``SIGNING_TRUST_ROOTS`` at it, and the verify page says a file was signed with it.

Whether a file is one we issued is looked up in the register of issued documents (``memos.IssuedDocument``, whose
``sha256`` is the hex SHA-256 of the stored, signed bytes), found by name (``apps.get_model``): memos is above
reports in the app order, so this module does not import it.
"""
import base64
import datetime as dt
import hashlib
import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.thai import thai_datetime
from organizations.models import Organization

from .demo_certificate import is_demo_signer

STAMP_TEXT = "ลงลายมือชื่อดิจิทัลโดย %(signer)s\nเมื่อ %(when)s"
STAMP_FIELD = "ITASignature"
STAMP_WIDTH, STAMP_BOTTOM, STAMP_TOP = 300, 4, 40  # points: in the bottom margin of page 1 (2 cm portrait)


class SigningError(Exception):
    """A configured certificate cannot be used (file missing, wrong passphrase, not a PKCS#12 with a key) or the
    time-stamping service failed; ``str(error)`` is a Thai message. Never raised for "no certificate"."""


@dataclass(frozen=True)
class SignResult:
    """What ``sign_pdf`` did. ``content``: the signed PDF, or the input unchanged when ``signed`` is False (no
    certificate; ``reason`` says so in Thai). ``level``: "PAdES B-B" or "PAdES B-T". ``signed_at``: aware, the
    time printed on the stamp."""

    content: bytes
    signed: bool
    signer_name: str = ""
    signed_at: dt.datetime | None = None
    level: str = ""
    reason: str = ""

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of ``content``: what the register of issued documents stores."""
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    """What ``verify_pdf`` found in a PDF.

    - ``signed``: it has at least one signature (the last one is the one judged);
    - ``intact``: the signature is cryptographically valid, the hash of what it covers matches, and it covers the
      entire file (``covers_entire_file``: nothing appended after signing);
    - ``trusted``: the file is ``intact`` AND the signer's certificate chains to a trusted root (``trust_roots``)
      and was valid when signed — never for a file changed after signing (issue 18: an update appended to a signed
      PDF left the certificate's chain valid, and the verify page said "trusted");
    - ``signer_name`` (the certificate's common name), ``signing_time`` (the time stamp's time when there is one,
      else the time the signer claims; aware), ``timestamped`` (PAdES B-T);
    - ``issued``: whether ``sha256`` is in the register of issued documents;
    - ``demo_certificate``: the signer's certificate was issued by this installation's demo CA
      (``reports.demo_certificate.is_demo_signer``; never in production, which has no demo CA);
    - ``problem``: a Thai sentence when the file could not be read as a signed PDF, else "".
    """

    sha256: str
    signed: bool = False
    intact: bool = False
    covers_entire_file: bool = False
    trusted: bool = False
    signer_name: str = ""
    signing_time: dt.datetime | None = None
    timestamped: bool = False
    issued: bool = False
    demo_certificate: bool = False
    problem: str = ""

    @property
    def ok(self) -> bool:
        """Signed, intact and trusted: what ``manage.py verify_pdf`` exits 0 for."""
        return self.signed and self.intact and self.trusted


# --- credentials ------------------------------------------------------------------------------------------

KEYS_MISSING = ("ยังไม่ได้ตั้งกุญแจเข้ารหัสรหัสผ่านของใบรับรอง (ITA_SIGNING_KEYS) "
                "จึงใช้ใบรับรองของหน่วยงานไม่ได้: ดู docs/signing.md")


def _legacy_key(secret_key: str) -> Fernet:
    """The key passphrases were encrypted with before ``ITA_SIGNING_KEYS`` (HKDF-SHA256 of a SECRET_KEY): read
    only, so deployments that stored passphrases then keep working until ``manage.py rotate_signing_keys``."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"ita-portal signing passphrase").derive(
        secret_key.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(key))


def _fernet() -> MultiFernet:
    """The passphrase keys: those of ``settings.SIGNING_PASSPHRASE_KEYS`` (the first encrypts, every one
    decrypts), then, for decrypting only, the legacy keys of SECRET_KEY and SECRET_KEY_FALLBACKS. Raises
    SigningError (Thai, naming ITA_SIGNING_KEYS) when no key is set."""
    keys = settings.SIGNING_PASSPHRASE_KEYS
    if not keys:
        raise SigningError(KEYS_MISSING)
    secret_keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([*(Fernet(key) for key in keys), *(_legacy_key(secret) for secret in secret_keys)])


def passphrase_encrypt(passphrase: str) -> str:
    """``passphrase`` encrypted (Fernet) with the first key of ``settings.SIGNING_PASSPHRASE_KEYS`` (env
    ``ITA_SIGNING_KEYS``): an organization's PKCS#12 passphrase as stored in the database. SECRET_KEY plays no
    part. Raises SigningError when no key is set."""
    return _fernet().encrypt(passphrase.encode("utf-8")).decode("ascii")


def passphrase_decrypt(token: str) -> str:
    """The passphrase ``passphrase_encrypt`` gave ``token`` for, with any key of
    ``settings.SIGNING_PASSPHRASE_KEYS`` (or the legacy SECRET_KEY-derived one); raises SigningError (Thai, naming
    ITA_SIGNING_KEYS) when no key is set or none of them made the token."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise SigningError("ถอดรหัสผ่านของใบรับรองของหน่วยงานไม่ได้: กุญแจที่เข้ารหัสไว้ไม่อยู่ใน ITA_SIGNING_KEYS "
                           "แล้ว โปรดใส่กุญแจเดิมกลับใน ITA_SIGNING_KEYS หรือตั้งใบรับรองใหม่") from error


@transaction.atomic
def signing_keys_rotate() -> tuple[int, list[str]]:
    """Re-encrypt every organization's stored passphrase with the first key of ``SIGNING_PASSPHRASE_KEYS``
    (``MultiFernet.rotate``: decrypted with whichever key made it, legacy SECRET_KEY-derived included), under a row
    lock. Returns ``(re-encrypted count, slugs whose token no key decrypts)``; those rows are left as they were.
    Raises SigningError when no key is set. After it, keys other than the first can be removed."""
    fernet = _fernet()
    rotated, unreadable = 0, []
    for organization in Organization.objects.select_for_update().exclude(signing_passphrase="").order_by("pk"):
        try:
            token = fernet.rotate(organization.signing_passphrase.encode("ascii")).decode("ascii")
        except InvalidToken:
            unreadable.append(organization.slug)
            continue
        organization.signing_passphrase = token
        organization.save(update_fields=["signing_passphrase"])
        rotated += 1
    return rotated, unreadable


def _load_pkcs12(data: bytes, passphrase: str, what: str):
    """(key, certificate, other certificates) of a PKCS#12; SigningError (Thai) when it cannot be opened."""
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8") or None)
    except ValueError as error:
        raise SigningError(f"เปิด{what}ไม่ได้: รหัสผ่านไม่ถูกต้องหรือไม่ใช่ไฟล์ PKCS#12") from error
    if key is None or certificate is None:
        raise SigningError(f"{what}ไม่มีกุญแจส่วนตัวหรือใบรับรองของผู้ลงนาม")
    return key, certificate, others


def _deployment_pkcs12() -> tuple[bytes, str] | None:
    path = settings.SIGNING_PKCS12
    if not path:
        return None
    try:
        return Path(path).read_bytes(), settings.SIGNING_PASSPHRASE
    except OSError as error:
        raise SigningError(f"อ่านไฟล์ใบรับรอง ITA_SIGNING_PKCS12 ไม่ได้: {path}") from error


def _organization_pkcs12(organization: Organization | None) -> tuple[bytes, str] | None:
    if organization is None or not organization.signing_pkcs12:
        return None
    try:
        with organization.signing_pkcs12.open("rb") as file:
            data = file.read()
    except OSError as error:
        raise SigningError(f"อ่านไฟล์ใบรับรองของ{organization.name}ไม่ได้") from error
    return data, passphrase_decrypt(organization.signing_passphrase)


def signing_available(*, organization: Organization | None = None) -> bool:
    """Whether PDFs of ``organization`` (or of the deployment) would be signed: a certificate is configured.
    Reads no file."""
    return bool(settings.SIGNING_PKCS12 or (organization is not None and organization.signing_pkcs12))


def signing_with_demo_certificate() -> bool:
    """Whether the deployment's certificate is the local demo certificate (``settings.SIGNING_DEMO_PKCS12``, set by
    the local settings only). Reads no file."""
    return bool(settings.SIGNING_PKCS12) and settings.SIGNING_PKCS12 == settings.SIGNING_DEMO_PKCS12


@transaction.atomic
def organization_certificate_set(*, organization: Organization, pkcs12_data: bytes, passphrase: str) -> None:
    """Give ``organization`` its own signing certificate: ``pkcs12_data`` (a PKCS#12 with the signer's key and
    certificate, and preferably its chain) is checked to open with ``passphrase``, then stored in
    ``settings.SIGNING_KEYS_DIR`` (outside MEDIA_ROOT, mode 0600) and the passphrase stored encrypted
    (``passphrase_encrypt``). Raises SigningError (Thai) and stores nothing when it does not open. The previous
    file is deleted once the transaction commits."""
    _load_pkcs12(pkcs12_data, passphrase, "ไฟล์ใบรับรอง")
    old = organization.signing_pkcs12.name if organization.signing_pkcs12 else ""
    organization.signing_pkcs12.save(f"{organization.slug}.p12", ContentFile(pkcs12_data), save=False)
    organization.signing_passphrase = passphrase_encrypt(passphrase)
    organization.save(update_fields=["signing_pkcs12", "signing_passphrase"])
    if old and old != organization.signing_pkcs12.name:
        storage = organization.signing_pkcs12.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def organization_certificate_remove(*, organization: Organization) -> None:
    """Take the organization's own certificate away (its PDFs are then signed with the deployment's, if any); the
    file is deleted once the transaction commits."""
    old = organization.signing_pkcs12.name if organization.signing_pkcs12 else ""
    organization.signing_pkcs12 = ""
    organization.signing_passphrase = ""
    organization.save(update_fields=["signing_pkcs12", "signing_passphrase"])
    if old:
        storage = organization.signing_pkcs12.storage
        transaction.on_commit(lambda: storage.delete(old))


def _common_name(subject) -> str:
    """The common name of an asn1crypto ``Name`` (else its readable form)."""
    return subject.native.get("common_name") or subject.human_friendly


# --- signing ------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _stamp_font_factory():
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    # fontTools warns on every subset that Laksaman's FFTM table (FontForge's time stamps) is dropped: harmless.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    return GlyphAccumulatorFactory(str(settings.SIGNING_FONT))


def _stamp_style():
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(stamp_text=STAMP_TEXT, border_width=1, background=None,
                          text_box_style=TextBoxStyle(font=_stamp_font_factory(), font_size=9, leading=13))


def _stamp_box(writer) -> tuple[int, int, int, int]:
    """The visible stamp's box on page 1, in points: at the left margin (3 cm portrait, 2 cm landscape), inside the
    bottom margin (thai-documents.md §1–2), so it never covers the text."""
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    box = page.get("/MediaBox") or writer.root["/Pages"].get("/MediaBox")
    width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    left = 57 if width > height else 85
    return left, STAMP_BOTTOM, left + STAMP_WIDTH, STAMP_TOP


def sign_pdf(pdf_bytes: bytes, *, organization: Organization | None = None, signer_name: str = "",
             reason: str = "", location: str = "") -> SignResult:
    """Sign ``pdf_bytes`` (a complete PDF) as PAdES B-B, or B-T when ``settings.SIGNING_TIMESTAMP_URL`` is set,
    with the organization's own certificate, else the deployment's; one incremental revision, so the signature
    covers the entire file. Page 1 gets a visible stamp: "ลงลายมือชื่อดิจิทัลโดย <signer_name or the certificate's
    common name> / เมื่อ <Thai date and time, Asia/Bangkok>". ``reason``/``location`` go into the signature
    dictionary.

    Returns ``SignResult(signed=False, content=pdf_bytes)`` when no certificate is configured. Raises SigningError
    (Thai) when a configured certificate cannot be used or the time stamp cannot be had — never an unsigned file
    where a signed one was configured."""
    credentials = _organization_pkcs12(organization) or _deployment_pkcs12()
    if credentials is None:
        return SignResult(pdf_bytes, signed=False, reason="ยังไม่ได้ตั้งค่าใบรับรองสำหรับลงลายมือชื่อดิจิทัล: ไฟล์ PDF ไม่มีลายมือชื่อดิจิทัล")
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    data, passphrase = credentials
    _load_pkcs12(data, passphrase, "ไฟล์ใบรับรอง")  # a Thai message for a wrong passphrase
    signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase.encode() or None)
    name = signer_name or _common_name(signer.signing_cert.subject)
    now = timezone.localtime()
    when = thai_datetime(now)
    url = settings.SIGNING_TIMESTAMP_URL
    metadata = signers.PdfSignatureMetadata(
        field_name=STAMP_FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=name, reason=reason or None, location=location or None, use_pades_lta=False,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, stamp_style=_stamp_style(),
        timestamper=timestamps.HTTPTimeStamper(url) if url else None,
        new_field_spec=fields.SigFieldSpec(STAMP_FIELD, on_page=0, box=_stamp_box(writer)),
    )
    try:
        signed = pdf_signer.sign_pdf(writer, appearance_text_params={"signer": name, "when": when}).getvalue()
    except (OSError, timestamps.TimestampRequestError) as error:
        raise SigningError(f"ขอตราเวลาจาก {url} ไม่ได้: {error}") from error
    return SignResult(signed, signed=True, signer_name=name, signed_at=now, level="PAdES B-T" if url else "PAdES B-B")


# --- verification -------------------------------------------------------------------------------------------

def trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates verification trusts: those of ``settings.SIGNING_TRUST_ROOTS`` (PEM/DER file), else every
    certificate inside the deployment's PKCS#12 (signer and chain); [] when neither is configured (then nothing is
    trusted). Raises SigningError when the configured file cannot be read."""
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1

    if settings.SIGNING_TRUST_ROOTS:
        try:
            return list(load_certs_from_pemder([settings.SIGNING_TRUST_ROOTS]))
        except (OSError, ValueError) as error:
            raise SigningError(f"อ่านไฟล์ ITA_SIGNING_TRUST_ROOTS ไม่ได้: {settings.SIGNING_TRUST_ROOTS}") from error
    credentials = _deployment_pkcs12()
    if credentials is None:
        return []
    _key, certificate, others = _load_pkcs12(*credentials, "ไฟล์ใบรับรอง")
    return [translate_pyca_cryptography_cert_to_asn1(c) for c in (certificate, *others)]


def verify_pdf(pdf_bytes: bytes) -> VerifyResult:
    """Check the last signature of ``pdf_bytes`` with pyHanko's validator against ``trust_roots()``, offline
    (no fetching of revocation data or certificates), and look the file's SHA-256 up in the register of issued
    documents (``is_issued``). Never raises for a bad or unsigned file: the result says what is wrong."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    issued = is_issued(sha256)
    # The file is anybody's upload: whatever a malformed file makes the parser or the validator raise is a
    # verdict on the file ("not readable", "not intact"), never a server error.
    try:
        signatures = PdfFileReader(io.BytesIO(pdf_bytes), strict=False).embedded_signatures
    except Exception as error:
        return VerifyResult(sha256, issued=issued, problem=f"อ่านไฟล์นี้เป็น PDF ไม่ได้ ({type(error).__name__})")
    if not signatures:
        return VerifyResult(sha256, issued=issued, problem="ไฟล์นี้ไม่มีลายมือชื่อดิจิทัล")
    signature = signatures[-1]
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as error:
        return VerifyResult(sha256, signed=True, issued=issued,
                            problem=f"ตรวจลายมือชื่อไม่ได้: ไฟล์ถูกแก้ไขหรือเสียหาย ({type(error).__name__})")
    entire = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    intact = bool(status.intact and status.valid and entire)
    timestamp = status.timestamp_validity
    return VerifyResult(
        sha256, signed=True, intact=intact, covers_entire_file=entire,
        trusted=intact and bool(status.trusted), signer_name=_common_name(status.signing_cert.subject),
        signing_time=timestamp.timestamp if timestamp is not None else status.signer_reported_dt,
        timestamped=timestamp is not None, issued=issued, demo_certificate=is_demo_signer(status.signing_cert.dump()),
    )


def _issued_documents():
    return apps.get_model("memos", "IssuedDocument").objects


def issued_document_for_sha256(sha256: str):
    """The issued document (``memos.IssuedDocument``, the outgoing register's stored PDFs) whose stored bytes
    have this hex SHA-256, or None."""
    return _issued_documents().filter(sha256=sha256.lower()).select_related("memo").first()


def is_issued(sha256: str) -> bool:
    """Whether a file with this hex SHA-256 is one the portal issued (it is in the register)."""
    return _issued_documents().filter(sha256=sha256.lower()).exists()


def _signing_time_text(result: VerifyResult) -> str:
    text = thai_datetime(result.signing_time, thai_digits=False) or "–"
    stamp = _("time stamp")
    return f"{text} ({stamp})" if result.timestamped else text


def verification_headline(result: VerifyResult) -> str:
    """The verify pages' headline about ``result``, in the active language: first, plainly, whether the file is what
    this portal issued (its SHA-256 in the register), then what its signature says. An altered copy of an unsigned
    issued PDF is not in the register, so it never reads like the genuine one."""
    if result.ok:
        signature = _("Signed, intact and trusted.")
    elif not result.signed:
        signature = _("This PDF has no digital signature.")
    else:
        signature = _("Do not rely on this file: its signature did not pass the checks below.")
    if result.issued:
        return f"{_('This is the file the portal issued: it is in the register of issued documents.')} {signature}"
    return f"{_('This file is not what the portal issued: it is not in the register of issued documents.')} {signature}"


def verification_report(result: VerifyResult) -> list[tuple[str, str]]:
    """What the verify page and ``manage.py verify_pdf`` say about ``result``, as (label, value) lines in the
    active language (Thai in the interface): whether we issued the file, whether it is signed, intact and
    trusted, the signer, the signing time and the SHA-256."""
    issued = (_("Yes: it is in the register of issued documents") if result.issued
              else _("No: this file is not in the register of issued documents"))
    if not result.signed:
        lines = [(_("Digital signature"), _("None: this PDF is unsigned"))]
    else:
        lines = [
            (_("Digital signature"), _("Present")),
            (_("Intact"), _("Yes: the file has not changed since it was signed (the signature covers the whole file)")
             if result.intact else _("No: the file was changed after signing, or is damaged")),
            (_("Trusted"), _("Yes: the certificate chains to a trusted root") if result.trusted
             else _("No: the certificate does not chain to a trusted root, or the signature is not intact")),
            *([(_("Certificate"), _("Signed with the demo certificate (not trusted outside this installation)"))]
              if result.demo_certificate else []),
            (_("Signed by"), result.signer_name or "–"),
            (_("Signed at"), _signing_time_text(result)),
        ]
    if result.problem:
        lines.append((_("Problem"), result.problem))
    return [(_("Issued by this portal"), issued), *lines, ("SHA-256", result.sha256)]
