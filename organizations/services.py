"""Writes of organizations: an organization's own settings; organizations created by the score import."""
import hashlib

from django.db import transaction

from .models import Official, Organization
from .naming import clean_province, full_name, name_key, province_key


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


def official_signature_names(*, organization: Organization) -> set[str]:
    """The storage names of the signature images of the organization's officials (one query)."""
    return set(Official.objects.filter(organization=organization).exclude(signature="")
               .values_list("signature", flat=True))


def official_signatures_drop_unused(*, organization: Organization, before: set[str]) -> None:
    """After the officials were saved: delete from storage, once the transaction commits, the signature images
    of ``before`` that no official names any more (replaced, removed, or their official deleted)."""
    unused = before - official_signature_names(organization=organization)
    if unused:
        storage = Official._meta.get_field("signature").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in sorted(unused)])


def organization_slug(*, kind: str, province: str, name: str) -> str:
    """An ASCII slug for an organization known only by Thai words: "org-" and 12 hex digits of the SHA-256 of
    its matching key (kind, name and province as ``naming`` compares them), so the same organization gets the same
    slug in every import and on every machine."""
    key = "|".join((kind, name_key(name), province_key(province)))
    return "org-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def organization_create(*, name: str, kind: str, province: str, amphoe: str = "") -> Organization:
    """Create an organization met for the first time (score import): the full name with its kind prefix
    (``naming.full_name``), the province without "จังหวัด", and a stable ASCII slug (``organization_slug``; a
    numbered suffix in the unlikely case that slug is taken). Raises ``ValidationError`` (e.g. a name over 200
    characters, an unknown kind) and saves nothing. One INSERT, so no transaction of its own: the import creates
    the organization and its assessment in one."""
    slug = base = organization_slug(kind=kind, province=province, name=name)
    number = 1
    while Organization.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    organization = Organization(slug=slug, name=full_name(kind=kind, name=name), kind=kind,
                                province=clean_province(province), amphoe=" ".join(amphoe.split()))
    organization.full_clean(exclude=["slug"])  # the slug was found free just above
    organization.save()
    return organization
