"""Fixtures of the backup and restore tests."""
import pytest

from tests import office_files
from tests.maintenance.archives import PDF


@pytest.fixture
def roots(tmp_path, settings):
    """Uploaded files of every kind, in the deployment's folders: evidence (Thai download names live in the
    rows; these are stored names), a Garuda, a signature, an organization's signing key (mode 0600)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_KEYS_DIR = tmp_path / "signing"
    files = {
        settings.MEDIA_ROOT / "evidence/2026/11/0123456789abcdef0123456789abcdef.pdf": PDF,
        settings.MEDIA_ROOT / "evidence/2026/11/fedcba9876543210fedcba9876543210.docx": office_files.docx(),
        settings.MEDIA_ROOT / "garuda/ครุฑ.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        settings.MEDIA_ROOT / "signatures/ลายมือชื่อ นายก.png": b"\x89PNG\r\n\x1a\n" + b"\x01" * 300,
        settings.SIGNING_KEYS_DIR / "organizations/khok-ma.p12": b"0\x82\x0b\x0c" + b"\x02" * 2000,
    }
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (settings.SIGNING_KEYS_DIR / "organizations/khok-ma.p12").chmod(0o600)
    return {"MEDIA_ROOT": settings.MEDIA_ROOT, "SIGNING_KEYS_DIR": settings.SIGNING_KEYS_DIR}
