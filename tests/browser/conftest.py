"""Fixtures of every browser test module."""
import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers.database import seed_data_after_the_module  # noqa: F401 (autouse: the seeds back after the module)


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where screenshots go: ``docs/screenshots/`` with ``UPDATE_SCREENSHOTS=1``, else a temporary directory."""
    if os.environ.get("UPDATE_SCREENSHOTS"):
        return settings.BASE_DIR / "docs" / "screenshots"
    return tmp_path
