"""Start-up never depends on the renderer (issue 18, item 5): the WeasyPrint guard of ``reports.pdf_text`` runs at
the first render and names the problem; ``manage.py`` commands run whatever WeasyPrint is installed; any failure of
our Thai text layer falls back to WeasyPrint's own, with a warning, and the PDF is still produced."""
import logging
import os
import subprocess
import sys

import pytest
import weasyprint
from django.conf import settings
from weasyprint.draw import text as draw_text_module

from reports import pdf_text
from reports.documents import render_html_to_pdf

from .thai_text_layer import text_pypdf

pytestmark = pytest.mark.database_independent  # a child process with its own SQLite file, or no database

SAMPLE = '<html lang="th"><body><p>การ น้ำ ที่ กำหนด</p></body></html>'
FIXED = "การ น้ำ ที่ กำหนด"
UNFIXED = "การ นา ที่ กาหนด"  # WeasyPrint 70.0's own text layer (Kozea/WeasyPrint#2841)
# Runs manage.py in a child process whose WeasyPrint says it is another version.
FAKE_VERSION = ("import runpy, sys, weasyprint; weasyprint.__version__ = '71.0'; "
                "sys.argv = ['manage.py', *sys.argv[1:]]; runpy.run_path('manage.py', run_name='__main__')")


def manage_py_with_another_weasyprint(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ITA_", "DATABASE_URL"))}
    env |= {"DJANGO_SETTINGS_MODULE": "ita_portal.settings.local",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    return subprocess.run([sys.executable, "-c", FAKE_VERSION, *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def fresh_guard(monkeypatch):
    """The text layer as before the first render of the process; put back afterwards (after the test's
    monkeypatching is undone)."""
    pdf_text.uninstall()
    yield
    monkeypatch.undo()
    pdf_text.uninstall()
    pdf_text.install()


def test_manage_py_runs_with_another_weasyprint(tmp_path):
    check = manage_py_with_another_weasyprint("check", tmp_path=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "System check identified no issues" in check.stdout
    migrate = manage_py_with_another_weasyprint("migrate", "--no-input", tmp_path=tmp_path)
    assert migrate.returncode == 0, migrate.stderr
    assert "Applying reports.0001_initial... OK" in migrate.stdout
    up_to_date = manage_py_with_another_weasyprint("migrate", "--check", tmp_path=tmp_path)
    assert up_to_date.returncode == 0, up_to_date.stderr


def test_the_first_render_on_another_weasyprint_names_the_problem(fresh_guard, monkeypatch):
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(pdf_text.UnsupportedWeasyPrint) as refused:
        render_html_to_pdf(SAMPLE)
    message = str(refused.value)
    assert "WeasyPrint 70.0, not 71.0" in message and "Kozea/WeasyPrint#2841" in message
    assert "pyproject.toml" in message  # what to do: pin it back, or port the patch
    assert not pdf_text.is_installed()


def test_the_first_render_installs_the_text_layer(fresh_guard):
    assert draw_text_module.draw_first_line is not pdf_text._draw_first_line
    assert text_pypdf(render_html_to_pdf(SAMPLE)).strip() == FIXED
    assert pdf_text.is_installed() and draw_text_module.draw_first_line is pdf_text._draw_first_line


def _raise(*args, **kwargs):
    raise AttributeError("'Font' object has no attribute 'widths'")  # e.g. an internal that moved


@pytest.mark.parametrize("internal", ["_line_glyphs", "_rewritten", "_clean_codes", "_add_cid_to_gid_map"])
def test_a_failure_while_applying_the_text_layer_falls_back_to_weasyprints_own(internal, monkeypatch, caplog):
    render_html_to_pdf(SAMPLE)  # installed
    monkeypatch.setattr(pdf_text, internal, _raise)
    with caplog.at_level(logging.WARNING, logger="reports.pdf_text"):
        pdf = render_html_to_pdf(SAMPLE)
    assert pdf.startswith(b"%PDF-")
    assert text_pypdf(pdf).strip() == UNFIXED  # the whole document in WeasyPrint's own text layer
    assert "WeasyPrint's own text layer" in caplog.text and "AttributeError" in caplog.text
    monkeypatch.undo()
    assert text_pypdf(render_html_to_pdf(SAMPLE)).strip() == FIXED  # the next document has the fix again


def test_a_failure_while_installing_falls_back_to_weasyprints_own(fresh_guard, monkeypatch, caplog):
    monkeypatch.setattr(pdf_text, "_patch", _raise)
    with caplog.at_level(logging.WARNING, logger="reports.pdf_text"):
        pdf = render_html_to_pdf(SAMPLE)
    assert text_pypdf(pdf).strip() == UNFIXED
    assert "could not be installed" in caplog.text and "AttributeError" in caplog.text
    assert not pdf_text.is_installed()
    assert draw_text_module.draw_first_line is not pdf_text._draw_first_line  # nothing left half-patched


def test_starting_django_does_not_import_weasyprint():
    """Start-up never loads the renderer: ``manage.py`` commands and web workers that never print skip its 0.4 s."""
    code = "import django, sys; django.setup(); import ita_portal.urls; print('weasyprint' in sys.modules)"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ITA_", "DATABASE_URL"))}
    started = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True,
                             timeout=120, env=env | {"DJANGO_SETTINGS_MODULE": "ita_portal.settings.local"})
    assert started.stdout.strip() == "False", started.stderr
