"""Fixtures of the assessment tests."""
import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(username="root", password="x")
