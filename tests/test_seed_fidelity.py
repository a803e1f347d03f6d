"""The transcriptions in data/seeds/ say what the published documents say.

Compares the measure titles, steps, results and findings of each data file with the extracted text of its
document in ``../shared/seeds/`` (whitespace, markup and digit style ignored). Items that differ are the OCR
fixes listed in each file's ``transcription_notes``; they must stay a small minority.
"""
import re

import pytest
import yaml
from django.conf import settings

from core.thai import to_arabic_digits

SHARED_SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"
SEED_FILES = sorted(settings.SEED_DATA_DIR.glob("*.yaml"))


def _normalise(text: str) -> str:
    return "".join(to_arabic_digits(re.sub(r"<[^>]+>", "", str(text))).split())


def _items(seed: dict) -> list[str]:
    items = []
    for plan in seed.get("plans") or []:
        for measure in plan["measures"]:
            items += [measure["title"], *measure["steps"]]
        for report in plan.get("progress_reports") or []:
            items += [line for e in report["entries"] for line in (e["result"] or "").splitlines() if line.strip()]
    for finding in (seed.get("analysis") or {}).get("findings") or []:
        items += [line for line in finding["text"].splitlines() if line.strip()]
    return items


@pytest.mark.skipif(not SHARED_SEEDS.exists(), reason="../shared/seeds is not beside the project")
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem)
def test_the_transcription_matches_its_document(path):
    seed = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = _normalise((SHARED_SEEDS / seed["source"]).read_text(encoding="utf-8"))
    items = _items(seed)
    differing = [item for item in items if _normalise(item) not in source]
    assert len(items) > 20
    assert len(differing) <= 0.2 * len(items), differing
    assert seed["transcription_notes"], "every fix must be noted"
