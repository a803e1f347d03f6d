"""Reads of organizations, always scoped to what the user may see, and the images printed on documents (the
Garuda, officials' signatures).

Who may read an organization: its members, the overseers of its province, national overseers and superusers
(``scope_filter``). Overseers only read (``permissions.rights_of`` gives them no right to change anything).
"""
import base64
import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.fields.files import FieldFile
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image as PILImage

from .models import Membership, Official, Organization, OversightScope
from .naming import name_key, province_key


@dataclass(frozen=True)
class Oversight:
    """What ``user`` oversees read-only: the whole country (``national``; superusers too) or ``provinces``."""

    national: bool
    provinces: frozenset[str]

    @property
    def any(self) -> bool:
        return self.national or bool(self.provinces)


def oversight_of(*, user) -> Oversight:
    """The user's oversight scopes (one query, remembered on the user object for the request)."""
    if not user.is_authenticated:
        return Oversight(False, frozenset())
    cached = getattr(user, "_ita_oversight", None)
    if cached is None:
        if user.is_superuser:
            cached = Oversight(True, frozenset())
        else:
            provinces = set(OversightScope.objects.filter(user=user).values_list("province", flat=True))
            cached = Oversight("" in provinces, frozenset(p for p in provinces if p))
        user._ita_oversight = cached
    return cached


def active_memberships(*, user) -> list[Membership]:
    """The user's active memberships with their organization and department (one query, remembered on the user
    object for the request, as ``oversight_of``): what ``permissions.membership_of`` reads; the top bar's link to
    the user's only organization (``only_organization_slug``) takes them from there when a page has read them.
    [] for anonymous users."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_ita_memberships", None)
    if cached is None:
        cached = list(Membership.objects.active().filter(user=user).select_related("organization", "department")
                      .order_by("pk"))
        user._ita_memberships = cached
    return cached


def only_organization_slug(*, user) -> str | None:
    """The slug of the organization of ``user``'s one active membership; None when they have none or several (or
    are anonymous). From ``active_memberships`` when this request has read them already, else by a query of the
    slugs alone (at most two rows): the top bar asks this on every page, and building the memberships with their
    organization and department cost twice the query (0.66 against 0.31 ms, issue 23 §6)."""
    if not user.is_authenticated:
        return None
    memberships = getattr(user, "_ita_memberships", None)
    if memberships is not None:
        return memberships[0].organization.slug if len(memberships) == 1 else None
    slugs = list(Membership.objects.active().filter(user=user).values_list("organization__slug", flat=True)[:2])
    return slugs[0] if len(slugs) == 1 else None


def scope_filter(*, user, organization_field: str = "organization") -> Q:
    """A ``Q`` keeping the rows whose organization ``user`` may read, by membership or oversight alone:
    ``<organization_field>_id IN (SELECT organization_id FROM membership WHERE user_id = …)``, OR'd with the
    organizations of overseen provinces; ``Q()`` (no condition) for national overseers and superusers.
    ``organization_field=""`` filters ``Organization`` itself. Joins nothing and annotates nothing, so that
    counts and filters over country-wide lists stay cheap (issue 9)."""
    oversight = oversight_of(user=user)
    if oversight.national:
        return Q()
    lookup = f"{organization_field}__in" if organization_field else "pk__in"
    member_of = (Membership.objects.active().filter(user=user if user.is_authenticated else None)
                 .values("organization_id"))
    scope = Q(**{lookup: member_of})
    if oversight.provinces:
        scope |= Q(**{lookup: Organization.objects.filter(province__in=sorted(oversight.provinces)).values("pk")})
    return scope


def organizations_for_user(*, user) -> QuerySet[Organization]:
    """Organizations ``user`` may read (``scope_filter``), by name.

    Every view that takes an organization slug looks it up in this queryset, so a user outside gets 404.
    """
    return Organization.objects.filter(scope_filter(user=user, organization_field="")).order_by("name")


def second_factor_user_ids(*, users) -> set[int]:
    """The ids of those of ``users`` who have a confirmed second factor (django-otp TOTP device). One query."""
    return set(TOTPDevice.objects.filter(user__in=list(users), confirmed=True).values_list("user_id", flat=True))


def memberships_of_organization(*, organization: Organization) -> QuerySet[Membership]:
    """Every membership of ``organization``, active and deactivated (active first), by username, with user and
    department."""
    return (Membership.objects.filter(organization=organization).select_related("user", "department")
            .order_by("-is_active", "user__username"))


IMAGE_TYPES = {"image/png", "image/jpeg"}  # what the image upload fields accept (``ImageUploadField``)


def image_data_uri(image: FieldFile, *, max_pixels: int | None = None) -> str:
    """A stored PNG or JPEG as ``"data:image/png;base64,…"`` (or ``image/jpeg``, the type read from the file's
    content, not its name), to embed in a document or a page without serving MEDIA_URL.

    Returns "" when no file is set, the file is missing or unreadable in storage, it is not a PNG or JPEG, or it
    has more than ``max_pixels`` pixels (width × height, read from its header without decoding it; an image stored
    before the limit must not make every document slow). Reads the whole file (at most the upload field's byte
    limit) on each call.
    """
    if not image:
        return ""
    try:
        with image.open("rb") as file:
            content = file.read()
    except OSError:  # FileNotFoundError included: the row names a file that is gone
        return ""
    kind = filetype.guess(content)
    if kind is None or kind.mime not in IMAGE_TYPES:
        return ""
    if max_pixels is not None and _pixels(content) > max_pixels:
        return ""
    return f"data:{kind.mime};base64,{base64.b64encode(content).decode('ascii')}"


def _pixels(content: bytes) -> int:
    """Width × height from an image's header (Pillow reads the pixels lazily); 0 when Pillow cannot read it."""
    try:
        width, height = PILImage.open(io.BytesIO(content)).size
    except PILImage.DecompressionBombError:  # over Pillow's own limit (about 179 million pixels)
        return PILImage.MAX_IMAGE_PIXELS * 2 + 1
    except (OSError, ValueError):
        return 0
    return width * height


def garuda_data_uri(organization: Organization) -> str:
    """The organization's uploaded Garuda (``image_data_uri``) for ``<img class="garuda" src="…">`` in memos
    (thai-documents.md §1: the image is never shipped, each organization uploads its own, and a memo prints
    without it); "" when there is none or it has more than ``settings.GARUDA_MAX_PIXELS`` pixels."""
    return image_data_uri(organization.garuda, max_pixels=settings.GARUDA_MAX_PIXELS)


def signature_data_uri(official: Official) -> str:
    """The official's signature image (``image_data_uri``), printed above the name in signature and comment
    blocks; "" when there is none (the block then prints the typed name alone)."""
    return image_data_uri(official.signature)


def organizations_by_name_key() -> dict[tuple[str, str, str], list[Organization]]:
    """Every organization under its matching key ``(kind, naming.name_key(name), naming.province_key(province))``
    — how the score import finds an organization written "ทต.โคกม้า" / "บุรีรัมย์" (issue 9 §3). One query;
    only ``pk, slug, name, kind, province`` are loaded."""
    index: dict[tuple[str, str, str], list[Organization]] = {}
    for organization in Organization.objects.only("pk", "slug", "name", "kind", "province").order_by("pk"):
        key = (organization.kind, name_key(organization.name), province_key(organization.province))
        index.setdefault(key, []).append(organization)
    return index
