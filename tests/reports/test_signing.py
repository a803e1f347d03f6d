"""Digital signatures (issue 11 §4): PAdES signing with the deployment's or an organization's certificate, checked
with pyHanko's own validator against a test CA built in the fixture (``tests.pki``, no network); verification of a
changed byte, of an unsigned file, of an untrusted signer; the verify command and ``render_document --sign``."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from organizations.models import Organization
from reports.signing import (
    SigningError,
    is_issued,
    issued_document_for_sha256,
    organization_certificate_set,
    sign_pdf,
    verification_report,
    verify_pdf,
)
from tests.helpers.signing import with_text_added_after_signing
from tests.pki import build_test_pki
from tests.reports.conftest import one_byte_changed


def pyhanko_status(content: bytes, roots_pem):
    signature = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures[-1]
    roots = list(load_certs_from_pemder([str(roots_pem)]))
    return validate_pdf_signature(signature, ValidationContext(trust_roots=roots, allow_fetching=False))


@pytest.mark.django_db
def test_without_a_certificate_the_pdf_is_returned_unsigned_with_a_thai_reason(settings, memo_pdf):
    settings.SIGNING_PKCS12 = ""
    result = sign_pdf(memo_pdf)
    assert (result.signed, result.content, result.level) == (False, memo_pdf, "")
    assert "ไม่มีลายมือชื่อดิจิทัล" in result.reason
    assert verify_pdf(memo_pdf).signed is False


@pytest.mark.django_db
def test_the_signed_memo_is_intact_trusted_and_covers_the_entire_file_for_pyhankos_validator(signing, memo_pdf):
    result = sign_pdf(memo_pdf, reason="อนุมัติ")
    assert (result.signed, result.level, result.signer_name) == (True, "PAdES B-B", "นายทดสอบ ลงนามดี")
    assert result.content.startswith(memo_pdf)  # an incremental revision: the printed bytes are kept as they were
    status = pyhanko_status(result.content, signing.roots_pem)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == "นายทดสอบ ลงนามดี"


@pytest.mark.django_db
def test_the_visible_stamp_is_on_page_one_in_the_bottom_margin(signing, memo_pdf):
    content = sign_pdf(memo_pdf).content
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    widget = reader.root["/AcroForm"]["/Fields"][0].get_object()
    assert widget["/T"] == "ITASignature"
    assert widget["/P"].get_object() == reader.root["/Pages"]["/Kids"][0].get_object()  # page 1
    assert [float(v) for v in widget["/Rect"]] == [85, 4, 385, 40]  # 3 cm from the left, in the 2 cm margin
    assert "/N" in widget["/AP"]  # it has an appearance: the Thai text of the stamp
    assert widget["/V"].get_object()["/Name"] == "นายทดสอบ ลงนามดี"


@pytest.mark.django_db
def test_verify_pdf_reports_signer_time_intact_trusted_and_not_issued(signing, memo_pdf):
    signed = sign_pdf(memo_pdf)
    result = verify_pdf(signed.content)
    assert (result.signed, result.intact, result.covers_entire_file, result.trusted, result.ok) == (
        True, True, True, True, True)
    assert result.signer_name == "นายทดสอบ ลงนามดี"
    assert abs((result.signing_time - signed.signed_at).total_seconds()) < 60
    assert result.sha256 == signed.sha256
    assert result.issued is False  # signed here, never issued: not in the register
    assert is_issued(signed.sha256) is False and issued_document_for_sha256(signed.sha256) is None


@pytest.mark.django_db
@pytest.mark.parametrize("at", [0.1, 0.5, 0.999])
def test_a_copy_with_one_byte_changed_is_rejected(signing, memo_pdf, at):
    signed = sign_pdf(memo_pdf).content
    changed = one_byte_changed(signed, at)
    result = verify_pdf(changed)
    assert not result.intact and not result.ok
    with pytest.raises(Exception):  # noqa: B017 - pyHanko's own validator refuses it too, whichever way it fails
        status = pyhanko_status(changed, signing.roots_pem)
        assert status.intact and status.valid


@pytest.mark.django_db
def test_bytes_appended_after_signing_are_not_covered(signing, memo_pdf):
    result = verify_pdf(sign_pdf(memo_pdf).content + b"\n% appended\n")
    assert (result.covers_entire_file, result.intact, result.ok) == (False, False, False)


@pytest.mark.django_db
@pytest.mark.parametrize("alter", ["incremental update", "one byte changed"])
def test_a_pdf_altered_after_signing_is_never_trusted(signing, memo_pdf, alter):
    signed = sign_pdf(memo_pdf).content
    altered = with_text_added_after_signing(signed) if alter == "incremental update" else one_byte_changed(signed)
    assert altered != signed
    result = verify_pdf(altered)
    assert (result.signed, result.intact, result.trusted, result.ok) == (True, False, False, False)
    with translation.override("en"):
        report = dict(verification_report(result))
    assert report["Trusted"].startswith("No:") and report["Intact"].startswith("No:")


@pytest.mark.django_db
def test_a_signer_of_another_ca_is_intact_but_not_trusted(settings, signing, memo_pdf, tmp_path):
    other = build_test_pki(tmp_path, signer_name="ผู้ลงนามภายนอก", stem="other")
    settings.SIGNING_PKCS12, settings.SIGNING_PASSPHRASE = str(other.pkcs12), other.passphrase
    content = sign_pdf(memo_pdf).content
    settings.SIGNING_TRUST_ROOTS = str(signing.roots_pem)  # the portal trusts only the first CA
    result = verify_pdf(content)
    assert (result.intact, result.trusted, result.ok, result.signer_name) == (True, False, False, "ผู้ลงนามภายนอก")


@pytest.mark.django_db
def test_a_wrong_passphrase_is_a_thai_error_never_an_unsigned_file(settings, signing, memo_pdf):
    settings.SIGNING_PASSPHRASE = "wrong"
    with pytest.raises(SigningError, match="รหัสผ่านไม่ถูกต้อง"):
        sign_pdf(memo_pdf)


@pytest.mark.django_db
def test_an_organization_signs_with_its_own_certificate_stored_outside_media(settings, signing, memo_pdf, tmp_path):
    own = build_test_pki(tmp_path, signer_name="นายกเทศมนตรีโคกม้า", passphrase="ของโคกม้า", stem="khok-ma")
    khok_ma = Organization.objects.get(slug="khok-ma")
    organization_certificate_set(organization=khok_ma, pkcs12_data=own.pkcs12.read_bytes(), passphrase="ของโคกม้า")
    khok_ma.refresh_from_db()
    stored = settings.SIGNING_KEYS_DIR / khok_ma.signing_pkcs12.name
    assert stored.read_bytes() == own.pkcs12.read_bytes() and stored.stat().st_mode & 0o777 == 0o600
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    assert "ของโคกม้า" not in khok_ma.signing_passphrase  # stored encrypted
    assert sign_pdf(memo_pdf, organization=khok_ma).signer_name == "นายกเทศมนตรีโคกม้า"
    other_organization = Organization.objects.get(slug="ban-phran")
    assert sign_pdf(memo_pdf, organization=other_organization).signer_name == "นายทดสอบ ลงนามดี"  # deployment's


@pytest.mark.django_db
def test_a_certificate_that_does_not_open_is_refused_and_nothing_stored(signing):
    khok_ma = Organization.objects.get(slug="khok-ma")
    with pytest.raises(SigningError, match="รหัสผ่านไม่ถูกต้อง"):
        organization_certificate_set(organization=khok_ma, pkcs12_data=signing.pkcs12.read_bytes(), passphrase="x")
    khok_ma.refresh_from_db()
    assert (khok_ma.signing_pkcs12.name, khok_ma.signing_passphrase) == ("", "")


@pytest.mark.django_db
def test_the_command_exits_0_for_a_signed_file_and_fails_for_a_changed_byte(signing, memo_pdf, tmp_path, capsys):
    good, bad, unsigned = tmp_path / "good.pdf", tmp_path / "bad.pdf", tmp_path / "unsigned.pdf"
    content = sign_pdf(memo_pdf).content
    good.write_bytes(content)
    bad.write_bytes(one_byte_changed(content))
    unsigned.write_bytes(memo_pdf)
    call_command("verify_pdf", str(good))
    out = capsys.readouterr().out
    assert "ผู้ลงนาม: นายทดสอบ ลงนามดี" in out and "ผ่านการตรวจสอบ" in out
    assert "ออกโดยระบบนี้: ไม่ใช่" in out
    for path in (bad, unsigned):
        with pytest.raises(CommandError, match="ไม่ผ่านการตรวจสอบ"):
            call_command("verify_pdf", str(path))


@pytest.mark.django_db
def test_render_document_sign_writes_a_signed_pdf_and_refuses_without_a_certificate(settings, signing, tmp_path):
    output = tmp_path / "memo.pdf"
    call_command("render_document", "memo", "--org", "khok-ma", "--year", "2568", "--sign", "--output", str(output),
                 stdout=io.StringIO())
    assert verify_pdf(output.read_bytes()).ok
    settings.SIGNING_PKCS12 = ""
    with pytest.raises(CommandError, match="ITA_SIGNING_PKCS12"):
        call_command("render_document", "memo", "--org", "khok-ma", "--year", "2568", "--sign",
                     "--output", str(tmp_path / "x.pdf"), stdout=io.StringIO())


@pytest.mark.django_db
def test_with_a_time_stamp_url_the_signature_is_pades_b_t(settings, signing, memo_pdf, monkeypatch):
    """``ITA_TIMESTAMP_URL`` set: pyHanko's HTTP time stamper is replaced by its dummy TSA (the test CA's TSA
    certificate) — the same RFC 3161 token, without the network."""
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko.sign import timestamps

    requested = []

    def local_tsa(url):
        requested.append(url)
        return timestamps.DummyTimeStamper(tsa_cert=load_cert_from_pemder(str(signing.tsa_cert_pem)),
                                           tsa_key=load_private_key_from_pemder(str(signing.tsa_key_pem), None))

    monkeypatch.setattr(timestamps, "HTTPTimeStamper", local_tsa)
    settings.SIGNING_TIMESTAMP_URL = "http://tsa.invalid/"
    signed = sign_pdf(memo_pdf)
    assert (signed.level, requested) == ("PAdES B-T", ["http://tsa.invalid/"])
    status = pyhanko_status(signed.content, signing.roots_pem)
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    result = verify_pdf(signed.content)
    assert (result.ok, result.timestamped) == (True, True)
