"""The committed Thai catalogue (``locale/th/LC_MESSAGES/django.mo``) is the one compiled from ``django.po``.

A merge once took a branch's ``.mo`` after the ``.po`` had been merged; ``compilemessages`` then skipped the newer
``.mo``, and a heading added on the other side showed in English (``Result of the check``). This compiles the
``.po`` the way ``compilemessages`` does and compares the bytes."""
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
def test_the_committed_mo_is_compiled_from_the_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True)
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes(), (
        "run: python manage.py compilemessages --ignore=.venv (touch the .po first if the .mo is newer)")
