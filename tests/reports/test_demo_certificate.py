"""The demo certificate of ``make run`` (issue 24): created once by ``manage.py demo_certificate`` under the local
settings and reused afterwards; the local settings sign with it and trust its CA; the verify page says a PDF was
signed with it; the production settings never create, use or trust it."""
import json
import os
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from reports.demo_certificate import DEMO_CA_NAME, DEMO_SIGNER_NAME, demo_certificate_ensure
from reports.signing import sign_pdf, verification_report, verify_pdf
from tests.helpers.deployment import run_production
from tests.helpers.signing import blank_pdf

DEMO_LINE = "ลงลายมือชื่อด้วยใบรับรองสาธิต (ไม่ได้รับความเชื่อถือนอกระบบที่ติดตั้งนี้)"


def _demo_settings(settings, directory):
    settings.SIGNING_DEMO_PKCS12 = str(directory / "demo-signer.p12")
    settings.SIGNING_DEMO_CA = str(directory / "demo-ca.pem")


def _snapshot(*paths):
    return [(path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode & 0o777) for path in paths]


@pytest.mark.database_independent
def test_the_first_run_creates_the_demo_certificate_and_the_second_reuses_it_unchanged(settings, tmp_path, capsys):
    directory = tmp_path / "private" / "demo-certificate"
    _demo_settings(settings, directory)
    p12, ca_pem = directory / "demo-signer.p12", directory / "demo-ca.pem"
    assert not directory.exists()

    call_command("demo_certificate")
    assert capsys.readouterr().out.startswith(f'Created the demo certificate "{DEMO_CA_NAME}": {p12}')
    ca = x509.load_pem_x509_certificate(ca_pem.read_bytes())
    key, signer, chain = pkcs12.load_key_and_certificates(p12.read_bytes(), None)
    assert ca.subject.rfc4514_string() == ca.issuer.rfc4514_string() == (
        "CN=ITA portal demo CA — not for real documents,O=ITA portal demo (this installation only),C=TH")
    assert signer.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value == DEMO_SIGNER_NAME
    assert key is not None and chain == [ca]
    signer.verify_directly_issued_by(ca)
    assert signer.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment  # pyHanko wants it
    before = _snapshot(p12, ca_pem)
    assert [mode for *_, mode in before] == [0o600, 0o600] and directory.stat().st_mode & 0o777 == 0o700

    call_command("demo_certificate")
    assert capsys.readouterr().out.startswith(f'Reusing the demo certificate "{DEMO_CA_NAME}": {p12}')
    assert _snapshot(p12, ca_pem) == before  # same bytes, same modification time: not regenerated
    assert sorted(path.name for path in directory.iterdir()) == ["demo-ca.pem", "demo-signer.p12"]


@pytest.mark.database_independent
def test_a_missing_half_is_created_again_as_a_new_pair(settings, tmp_path, capsys):
    _demo_settings(settings, tmp_path)
    call_command("demo_certificate")
    old_p12 = (tmp_path / "demo-signer.p12").read_bytes()
    (tmp_path / "demo-ca.pem").unlink()
    call_command("demo_certificate")
    assert "Created" in capsys.readouterr().out.splitlines()[-1]
    _key, signer, _chain = pkcs12.load_key_and_certificates((tmp_path / "demo-signer.p12").read_bytes(), None)
    signer.verify_directly_issued_by(x509.load_pem_x509_certificate((tmp_path / "demo-ca.pem").read_bytes()))
    assert (tmp_path / "demo-signer.p12").read_bytes() != old_p12


@pytest.mark.database_independent
def test_the_command_refuses_where_there_is_no_demo_certificate(settings, tmp_path):
    assert django_settings.SIGNING_DEMO_PKCS12 == ""  # the test settings, like production, have none
    with pytest.raises(CommandError, match="only created under the local settings"):
        call_command("demo_certificate")


@pytest.mark.django_db
def test_a_pdf_signed_with_the_demo_certificate_is_trusted_here_and_named_as_the_demo(
        client, staff_user, demo_signing):
    signed = sign_pdf(blank_pdf(), signer_name="นายทดสอบ สาธิต")
    assert signed.signed
    result = verify_pdf(signed.content)
    assert result.ok and result.demo_certificate and result.signer_name == DEMO_SIGNER_NAME
    with translation.override("th"):
        assert ("ใบรับรอง", DEMO_LINE) in verification_report(result)

    client.force_login(staff_user)
    url = reverse("reports:verify_pdf")
    page = client.get(url).content.decode()
    assert ("ระบบที่ติดตั้งนี้ลงลายมือชื่อไฟล์ PDF ด้วยใบรับรองสาธิต ลายมือชื่อจึงเชื่อถือได้เฉพาะในระบบนี้ "
            "ห้ามใช้กับเอกสารจริง") in page
    page = client.post(url, {"pdf": SimpleUploadedFile("demo.pdf", signed.content)}).content.decode()
    assert f"ลงลายมือชื่อดิจิทัล ไฟล์ครบถ้วน และใบรับรองเชื่อถือได้ {DEMO_LINE}" in page
    assert f'<th scope="row">ใบรับรอง</th><td>{DEMO_LINE}</td>' in page
    assert f'<th scope="row">ผู้ลงนาม</th><td>{DEMO_SIGNER_NAME}</td>' in page


@pytest.mark.django_db
def test_a_pdf_signed_with_another_certificate_is_not_called_the_demo(client, staff_user, settings, signing,
                                                                      tmp_path):
    _demo_settings(settings, tmp_path)
    demo_certificate_ensure(pkcs12_path=settings.SIGNING_DEMO_PKCS12, ca_path=settings.SIGNING_DEMO_CA)
    result = verify_pdf(sign_pdf(blank_pdf()).content)
    assert result.ok and not result.demo_certificate
    with translation.override("th"):
        assert DEMO_LINE not in dict(verification_report(result)).values()


def _local_settings(code: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ITA_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "ita_portal.settings.local"} | extra
    result = subprocess.run([sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


SETTINGS_CODE = """
import json
from django.conf import settings
print(json.dumps({name: str(getattr(settings, name)) for name in
      ("SIGNING_PKCS12", "SIGNING_PASSPHRASE", "SIGNING_TRUST_ROOTS", "SIGNING_DEMO_PKCS12", "SIGNING_DEMO_CA")}))
"""


@pytest.mark.database_independent
def test_the_local_settings_sign_with_the_demo_certificate_once_it_exists(tmp_path):
    directory = tmp_path / "demo"
    before = _local_settings(SETTINGS_CODE, ITA_SIGNING_DEMO_DIR=str(directory))
    assert before["SIGNING_PKCS12"] == before["SIGNING_TRUST_ROOTS"] == ""  # not created yet: unsigned, as before
    demo_certificate_ensure(pkcs12_path=directory / "demo-signer.p12", ca_path=directory / "demo-ca.pem")
    after = _local_settings(SETTINGS_CODE, ITA_SIGNING_DEMO_DIR=str(directory))
    assert after == {"SIGNING_PKCS12": str(directory / "demo-signer.p12"), "SIGNING_PASSPHRASE": "",
                     "SIGNING_TRUST_ROOTS": str(directory / "demo-ca.pem"),
                     "SIGNING_DEMO_PKCS12": str(directory / "demo-signer.p12"),
                     "SIGNING_DEMO_CA": str(directory / "demo-ca.pem")}
    own = _local_settings(SETTINGS_CODE, ITA_SIGNING_DEMO_DIR=str(directory), ITA_SIGNING_PKCS12="/srv/own.p12")
    assert own["SIGNING_PKCS12"] == "/srv/own.p12" and own["SIGNING_TRUST_ROOTS"] == ""  # the real one wins


PRODUCTION_CODE = """
import hashlib, json, re
from unittest import mock
import django
django.setup()
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.utils import translation
from memos.issuing import seal_pdf
from organizations.models import Organization
from reports import views
from reports.signing import VerifyResult, signing_available, trust_roots, verification_report
pdf = open(%r, "rb").read()
result = seal_pdf(pdf, organization=Organization(slug="prod"))  # what issuing a memo does, without a certificate
try:
    call_command("demo_certificate")
    refused = ""
except CommandError as error:
    refused = str(error)
with translation.override("th"):
    report = dict(verification_report(VerifyResult(hashlib.sha256(pdf).hexdigest())))
# The verify page as the production settings render it, before and after uploading the issued file. No database
# here: the register is asked nothing (is_issued: no), the top bar is an anonymous one's, the CSS plain files.
pages = []
static = settings.STORAGES | {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with translation.override("th"), override_settings(STORAGES=static), \\
        mock.patch("reports.signing.is_issued", return_value=False):
    for data in (None, {"pdf": SimpleUploadedFile("memo.pdf", result.content)}):
        factory = RequestFactory(headers={"host": "ita.example.go.th"})
        request = factory.post("/documents/verify/", data) if data else factory.get("/documents/verify/")
        request.user = AnonymousUser()
        pages.append(re.sub(r"\\s+", " ", views.verify_pdf(request).content.decode()))
print(json.dumps({"signed": result.signed, "unchanged": result.content == pdf, "reason": result.reason,
                  "available": signing_available(), "roots": len(trust_roots()), "refused": refused,
                  "report": report, "pages": pages,
                  "demo": [settings.SIGNING_DEMO_PKCS12, settings.SIGNING_DEMO_CA,
                           settings.SIGNING_PKCS12, settings.SIGNING_TRUST_ROOTS]}))
"""


@pytest.mark.database_independent
def test_production_settings_without_a_certificate_issue_unsigned_pdfs_and_say_so(tmp_path):
    """Even with a demo certificate lying in the directory the local settings would use."""
    directory = tmp_path / "demo"
    demo_certificate_ensure(pkcs12_path=directory / "demo-signer.p12", ca_path=directory / "demo-ca.pem")
    pdf = tmp_path / "memo.pdf"
    pdf.write_bytes(blank_pdf())
    result = run_production(PRODUCTION_CODE % str(pdf), ITA_SIGNING_DEMO_DIR=str(directory))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["signed"] is False and seen["unchanged"] is True
    assert seen["reason"] == "ยังไม่ได้ตั้งค่าใบรับรองสำหรับลงลายมือชื่อดิจิทัล: ไฟล์ PDF ไม่มีลายมือชื่อดิจิทัล"
    assert seen["available"] is False and seen["roots"] == 0 and seen["demo"] == ["", "", "", ""]
    assert seen["report"]["ลายมือชื่อดิจิทัล"] == "ไม่มี ไฟล์ PDF นี้ไม่ได้ลงลายมือชื่อดิจิทัล"
    assert "only created under the local settings" in seen["refused"]
    form, verified = seen["pages"]
    for page in (form, verified):  # the page says PDFs are unsigned here, and never mentions a demo certificate
        assert ('<p class="notice">ระบบนี้ยังไม่ได้ตั้งค่าใบรับรองสำหรับลงลายมือชื่อดิจิทัล ไฟล์ PDF '
                "ที่พิมพ์จากระบบจึงไม่มีลายมือชื่อดิจิทัล</p>") in page
        assert "ใบรับรองสาธิต" not in page and "signing-demo" not in page
    assert 'id="verify-result"' not in form
    assert ('id="verify-headline">ไฟล์นี้ไม่ใช่ไฟล์ที่ระบบออก: ไม่พบในทะเบียนเอกสารที่ออกโดยระบบนี้ '
            "ไฟล์ PDF นี้ไม่มีลายมือชื่อดิจิทัล</p>") in verified
    assert '<th scope="row">ลายมือชื่อดิจิทัล</th><td>ไม่มี ไฟล์ PDF นี้ไม่ได้ลงลายมือชื่อดิจิทัล</td>' in verified
    assert sorted(path.name for path in directory.iterdir()) == ["demo-ca.pem", "demo-signer.p12"]
