"""A throwaway certificate authority for the signing tests, built with ``cryptography`` (no network, no openssl):
root CA → signer certificate → PKCS#12 (signer key + certificate + the root), and the root as a PEM file."""
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class TestPki:
    """Files of one test CA: ``pkcs12`` (passphrase ``passphrase``) holds the signer's key and certificate and the
    root; ``roots_pem`` is the root alone; ``signer_name`` is the signer certificate's common name;
    ``tsa_cert_pem``/``tsa_key_pem`` a time-stamping authority the same root issues (for PAdES B-T tests)."""

    pkcs12: Path
    passphrase: str
    roots_pem: Path
    signer_name: str
    tsa_cert_pem: Path
    tsa_key_pem: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ITA portal test CA"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _certificate(*, subject: x509.Name, issuer: x509.Name, public_key, signing_key, ca: bool,
                 time_stamping: bool = False) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=not ca, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if time_stamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(signing_key, hashes.SHA256())


def build_test_pki(directory: Path, *, signer_name: str = "นายทดสอบ ลงนามดี", passphrase: str = "test-pass",
                   stem: str = "signer") -> TestPki:
    """Write ``<stem>.p12`` and ``<stem>-roots.pem`` into ``directory``: a self-signed root "ITA Test Root" and a
    signer certificate it issues (digital signature + non-repudiation, valid from yesterday for a year; P-256)."""
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(f"ITA Test Root {stem}")
    root = _certificate(subject=root_name, issuer=root_name, public_key=root_key.public_key(), signing_key=root_key,
                        ca=True)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = _certificate(subject=_name(signer_name), issuer=root_name, public_key=signer_key.public_key(),
                          signing_key=root_key, ca=False)
    p12 = directory / f"{stem}.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"signer", signer_key, signer, [root], serialization.BestAvailableEncryption(passphrase.encode())))
    roots = directory / f"{stem}-roots.pem"
    roots.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA is RSA-only
    tsa = _certificate(subject=_name(f"ITA Test TSA {stem}"), issuer=root_name, public_key=tsa_key.public_key(),
                       signing_key=root_key, ca=False, time_stamping=True)
    tsa_cert_pem, tsa_key_pem = directory / f"{stem}-tsa.pem", directory / f"{stem}-tsa.key"
    tsa_cert_pem.write_bytes(tsa.public_bytes(serialization.Encoding.PEM))
    tsa_key_pem.write_bytes(tsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return TestPki(p12, passphrase, roots, signer_name, tsa_cert_pem, tsa_key_pem)
