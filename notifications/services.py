"""Writes of notification preferences."""
from django.db import transaction

from .models import Preference


@transaction.atomic
def preference_set(*, user, digest: bool) -> Preference:
    """Store whether ``user`` gets the daily digest (``Preference.digest``), creating their row when needed.
    Returns the row."""
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"digest": digest})
    return preference


def wants_digest(*, user) -> bool:
    """Whether ``user`` gets the daily digest: True unless they turned it off."""
    return not Preference.objects.filter(user=user, digest=False).exists()
