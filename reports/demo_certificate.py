"""The demo certificate of a local installation (``make run``): a self-signed CA named "ITA portal demo CA — not
for real documents" and a signing certificate it issues, built once with ``cryptography`` and reused on later runs,
so that a newcomer's approved memos come out signed (docs/operations/signing.md).

Where: ``settings.SIGNING_DEMO_PKCS12`` (the signer's key and certificate and the CA, PKCS#12, no passphrase) and
``settings.SIGNING_DEMO_CA`` (the CA alone, PEM), both under ``private/demo-certificate/`` (git-ignored, outside
MEDIA_ROOT, never served; env ``ITA_SIGNING_DEMO_DIR``). Only the local settings set them; the production and test
settings leave them "" and so never create nor trust a demo certificate.
"""
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

DEMO_CA_NAME = "ITA portal demo CA — not for real documents"
DEMO_SIGNER_NAME = "ITA portal demo signer — not for real documents"
DEMO_ORGANIZATION = "ITA portal demo (this installation only)"
DEMO_VALID_DAYS = 10 * 365  # a demo installation should not stop signing after a year


@dataclass(frozen=True)
class DemoCertificate:
    """The demo certificate's files and whether this call wrote them (``created``) or found them (False)."""

    pkcs12: Path
    ca_pem: Path
    created: bool


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANIZATION),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _certificate(*, subject: x509.Name, issuer: x509.Name, public_key, issuer_key, ca: bool,
                 now: dt.datetime) -> x509.Certificate:
    """A certificate in the shape pyHanko's validator accepts: a CA (keyCertSign, cRLSign) or a signer (digital
    signature + non-repudiation, which pyHanko requires of a signer by default)."""
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=DEMO_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=not ca, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only (0600), through a temporary file renamed into place,
    so that an interrupted run never leaves half a file behind."""
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.replace(partial, path)


def demo_certificate_ensure(*, pkcs12_path: Path, ca_path: Path) -> DemoCertificate:
    """Make sure the demo certificate exists: when both files are there they are left untouched (not even
    rewritten) and returned with ``created`` False; otherwise a new CA (P-256, valid 10 years) and a signer it
    issues are generated and both files (re)written, mode 0600, in a directory made mode 0700.

    The PKCS#12 holds the signer's key, its certificate and the CA, without a passphrase (a demo, on the
    developer's own machine). Raises OSError when the directory cannot be written."""
    pkcs12_path, ca_path = Path(pkcs12_path), Path(ca_path)
    if pkcs12_path.is_file() and ca_path.is_file():
        return DemoCertificate(pkcs12_path, ca_path, created=False)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(DEMO_CA_NAME)
    ca = _certificate(subject=ca_name, issuer=ca_name, public_key=ca_key.public_key(), issuer_key=ca_key, ca=True,
                      now=now)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = _certificate(subject=_name(DEMO_SIGNER_NAME), issuer=ca_name, public_key=signer_key.public_key(),
                          issuer_key=ca_key, ca=False, now=now)
    for directory in {pkcs12_path.parent, ca_path.parent}:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    _write_private(ca_path, ca.public_bytes(serialization.Encoding.PEM))
    _write_private(pkcs12_path, pkcs12.serialize_key_and_certificates(
        b"ITA portal demo signer", signer_key, signer, [ca], serialization.NoEncryption()))
    return DemoCertificate(pkcs12_path, ca_path, created=True)


def is_demo_signer(certificate_der: bytes) -> bool:
    """Whether the certificate (DER) was issued by this installation's demo CA (``settings.SIGNING_DEMO_CA``):
    same issuer name and a signature the CA's key verifies. False when there is no demo CA (production) or its
    file cannot be read."""
    path = getattr(settings, "SIGNING_DEMO_CA", "")
    if not path:
        return False
    try:
        ca = x509.load_pem_x509_certificate(Path(path).read_bytes())
        x509.load_der_x509_certificate(certificate_der).verify_directly_issued_by(ca)
    except (OSError, ValueError, TypeError, InvalidSignature):
        return False
    return True
