"""Fixtures of the dashboard tests."""
import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def on_day(monkeypatch):
    """Make ``timezone.localdate()`` (today, as the dashboard view asks for it) return the given day."""
    real = timezone.localdate

    def set_day(day: dt.date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate",
                            lambda value=None, timezone=None: day if value is None else real(value, timezone))
    return set_day
