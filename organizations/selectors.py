"""Reads of organizations, always scoped to what the user may see, and the organization's Garuda image."""
import base64

import filetype
from django.db.models import Count, QuerySet

from .models import Organization
from .naming import name_key, province_key


def organizations_for_user(*, user) -> QuerySet[Organization]:
    """Organizations ``user`` is a member of (all of them for a superuser), with counts for lists.

    Every view that takes an organization slug looks it up in this queryset, so a user of another
    organization gets 404.
    """
    qs = Organization.objects.all()
    if not user.is_superuser:
        qs = qs.filter(memberships__user=user)
    return qs.annotate(
        assessment_count=Count("assessments", distinct=True), plan_count=Count("measure_plans", distinct=True)
    ).order_by("name")


GARUDA_TYPES = {"image/png", "image/jpeg"}  # what the settings form accepts


def garuda_data_uri(organization: Organization) -> str:
    """The organization's uploaded Garuda as ``"data:image/png;base64,…"`` (or ``image/jpeg``, the type read from
    the file's content, not its name), for ``<img class="garuda" src="…">`` in memos (thai-documents.md §1: the
    image is never shipped, each organization uploads its own, and a memo prints without it).

    Returns "" when none is uploaded, the file is missing or unreadable in storage, or it is not a PNG or JPEG.
    Reads the whole file (at most 1 MB, the form's limit) on each call.
    """
    if not organization.garuda:
        return ""
    try:
        with organization.garuda.open("rb") as image:
            content = image.read()
    except OSError:  # FileNotFoundError included: the row names a file that is gone
        return ""
    kind = filetype.guess(content)
    if kind is None or kind.mime not in GARUDA_TYPES:
        return ""
    return f"data:{kind.mime};base64,{base64.b64encode(content).decode('ascii')}"


def organizations_by_name_key() -> dict[tuple[str, str, str], list[Organization]]:
    """Every organization under its matching key ``(kind, naming.name_key(name), naming.province_key(province))``
    — how the score import finds an organization written "ทต.โคกม้า" / "บุรีรัมย์" (issue 9 §3). One query;
    only ``pk, slug, name, kind, province`` are loaded."""
    index: dict[tuple[str, str, str], list[Organization]] = {}
    for organization in Organization.objects.only("pk", "slug", "name", "kind", "province").order_by("pk"):
        key = (organization.kind, name_key(organization.name), province_key(organization.province))
        index.setdefault(key, []).append(organization)
    return index
