"""Fixtures of the document tests: one memo PDF printed once per module for the signing tests."""
import pytest

from measures.models import MeasurePlan
from reports.contents import build_document
from reports.documents import render_document


@pytest.fixture(scope="module")
def memo_pdf(django_db_setup, django_db_blocker) -> bytes:
    """The cover memo of โคกม้า 2568 with its measures attached, printed once for the module."""
    with django_db_blocker.unblock():
        plan = MeasurePlan.objects.get(organization__slug="khok-ma", fiscal_year=2568)
        return render_document(build_document(plan, "memo", attach="measures")).content


def one_byte_changed(content: bytes, at: float = 0.5) -> bytes:
    changed = bytearray(content)
    changed[int(len(changed) * at)] ^= 0x01
    return bytes(changed)


