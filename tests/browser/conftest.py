"""Fixtures of every browser test module."""
import os
from pathlib import Path

import pytest
from django.conf import settings

from .helpers import ensure_seed_data


@pytest.fixture(scope="module", autouse=True)
def _seed_data_after_the_module(django_db_setup, django_db_blocker):
    """Put the session's seed data back after the last flush of this module (``live_server`` tests flush it)."""
    yield
    with django_db_blocker.unblock():
        ensure_seed_data()


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where screenshots go: ``docs/screenshots/`` with ``UPDATE_SCREENSHOTS=1``, else a temporary directory."""
    if os.environ.get("UPDATE_SCREENSHOTS"):
        return settings.BASE_DIR / "docs" / "screenshots"
    return tmp_path
