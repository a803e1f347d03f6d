"""Writes of an organization's own settings."""
from django.db import transaction

from .models import Organization


@transaction.atomic
def organization_settings_save(*, form) -> Organization:
    """Save a valid ``OrganizationSettingsForm``. A replaced or removed Garuda file is deleted from storage once
    the transaction commits (never before: a rolled-back save keeps the file its row still names)."""
    organization = form.instance
    old_name = Organization.objects.filter(pk=organization.pk).values_list("garuda", flat=True).first() or ""
    organization = form.save()
    if old_name and old_name != organization.garuda.name:
        storage = organization.garuda.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return organization
