"""The keys of organizations' certificate passphrases (issue 18, item 6): their own setting
(``SIGNING_PASSPHRASE_KEYS``, env ``ITA_SIGNING_KEYS``: Fernet keys, the first encrypts, all decrypt), untouched by
``SECRET_KEY`` rotation; tokens of the old SECRET_KEY-derived key still read; ``manage.py rotate_signing_keys``
re-encrypts every stored passphrase with the first key."""
import base64
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from organizations.models import Organization
from reports.signing import SigningError, organization_certificate_set, passphrase_decrypt, passphrase_encrypt, sign_pdf
from tests.helpers.deployment import run_production
from tests.pki import build_test_pki

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def legacy_token(secret_key: str, passphrase: str) -> str:
    """A passphrase as the portal stored it before ITA_SIGNING_KEYS: Fernet, key HKDF-SHA256 of SECRET_KEY."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"ita-portal signing passphrase").derive(
        secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key)).encrypt(passphrase.encode()).decode()


@pytest.fixture
def khok_ma_certificate(settings, signing, tmp_path):
    """โคกม้า has its own certificate, its passphrase encrypted with ``OLD``."""
    settings.SIGNING_PASSPHRASE_KEYS = [OLD]
    own = build_test_pki(tmp_path, signer_name="นายกเทศมนตรีโคกม้า", passphrase="ของโคกม้า", stem="khok-ma")
    khok_ma = Organization.objects.get(slug="khok-ma")
    organization_certificate_set(organization=khok_ma, pkcs12_data=own.pkcs12.read_bytes(), passphrase="ของโคกม้า")
    khok_ma.refresh_from_db()
    return khok_ma


@pytest.mark.django_db
def test_rotating_the_secret_key_no_longer_breaks_a_certificate(settings, khok_ma_certificate, memo_pdf):
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    settings.SECRET_KEY_FALLBACKS = []
    assert sign_pdf(memo_pdf, organization=khok_ma_certificate).signer_name == "นายกเทศมนตรีโคกม้า"


def test_the_first_key_encrypts_and_every_key_decrypts(settings):
    settings.SIGNING_PASSPHRASE_KEYS = [OLD]
    old_token = passphrase_encrypt("รหัสเดิม")
    settings.SIGNING_PASSPHRASE_KEYS = [NEW, OLD]  # NEW added in front: it encrypts, OLD still decrypts
    new_token = passphrase_encrypt("รหัสใหม่")
    assert (passphrase_decrypt(old_token), passphrase_decrypt(new_token)) == ("รหัสเดิม", "รหัสใหม่")
    settings.SIGNING_PASSPHRASE_KEYS = [NEW]
    assert passphrase_decrypt(new_token) == "รหัสใหม่"
    with pytest.raises(SigningError, match="ITA_SIGNING_KEYS"):
        passphrase_decrypt(old_token)  # OLD removed: its tokens no longer read


def test_tokens_of_the_secret_key_derived_key_still_read(settings):
    settings.SIGNING_PASSPHRASE_KEYS = [NEW]
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated", ["the-secret-key-of-2025"]
    assert passphrase_decrypt(legacy_token("rotated", "ก่อนหน้า")) == "ก่อนหน้า"
    assert passphrase_decrypt(legacy_token("the-secret-key-of-2025", "เก่ากว่า")) == "เก่ากว่า"
    assert Fernet(NEW.encode()).decrypt(passphrase_encrypt("ใหม่").encode()) == "ใหม่".encode()  # never legacy


def test_without_keys_a_certificate_is_a_clear_error(settings):
    settings.SIGNING_PASSPHRASE_KEYS = []
    with pytest.raises(SigningError, match="ITA_SIGNING_KEYS"):
        passphrase_encrypt("x")
    with pytest.raises(SigningError, match="ITA_SIGNING_KEYS"):
        passphrase_decrypt(legacy_token(settings.SECRET_KEY, "x"))


@pytest.mark.django_db
def test_the_command_re_encrypts_every_passphrase_with_the_first_key(settings, khok_ma_certificate, memo_pdf):
    ban_phran = Organization.objects.get(slug="ban-phran")
    Organization.objects.filter(pk=ban_phran.pk).update(
        signing_pkcs12=khok_ma_certificate.signing_pkcs12.name,
        signing_passphrase=legacy_token(settings.SECRET_KEY, "ของโคกม้า"))  # stored before ITA_SIGNING_KEYS
    before = dict(Organization.objects.exclude(signing_passphrase="").values_list("slug", "signing_passphrase"))
    settings.SIGNING_PASSPHRASE_KEYS = [NEW, OLD]
    out = StringIO()
    call_command("rotate_signing_keys", stdout=out)
    after = dict(Organization.objects.exclude(signing_passphrase="").values_list("slug", "signing_passphrase"))
    assert set(after) == set(before) == {"khok-ma", "ban-phran"}
    assert all(after[slug] != before[slug] for slug in after)
    assert "2" in out.getvalue()
    settings.SIGNING_PASSPHRASE_KEYS, settings.SECRET_KEY = [NEW], "another-secret-key"  # only the new key left
    assert {slug: Fernet(NEW.encode()).decrypt(token.encode()).decode() for slug, token in after.items()} == {
        "khok-ma": "ของโคกม้า", "ban-phran": "ของโคกม้า"}
    khok_ma_certificate.refresh_from_db()
    assert sign_pdf(memo_pdf, organization=khok_ma_certificate).signer_name == "นายกเทศมนตรีโคกม้า"


def test_malformed_keys_fail_loudly(monkeypatch):
    from ita_portal.settings.env import env_fernet_keys

    monkeypatch.setenv("ITA_SIGNING_KEYS", f"{NEW}, not-a-fernet-key")
    with pytest.raises(ImproperlyConfigured, match="ITA_SIGNING_KEYS: item 2 is not a Fernet key"):
        env_fernet_keys("ITA_SIGNING_KEYS")
    monkeypatch.setenv("ITA_SIGNING_KEYS", f"{NEW},{OLD}")
    assert env_fernet_keys("ITA_SIGNING_KEYS") == [NEW, OLD]


def test_production_reads_the_keys_from_the_environment():
    code = ("import django; django.setup(); from django.conf import settings; "
            f"print(settings.SIGNING_PASSPHRASE_KEYS == [{NEW!r}])")
    assert run_production(code, ITA_SIGNING_KEYS=NEW).stdout.strip() == "True"
    broken = run_production(code, ITA_SIGNING_KEYS="abc")
    assert broken.returncode != 0 and "ITA_SIGNING_KEYS: item 1 is not a Fernet key" in broken.stderr
