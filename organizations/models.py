"""Organizations, their departments and officials, and users' memberships."""
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import OrganizationKind, RegisterYearBasis, Role


class SigningKeysStorage(FileSystemStorage):
    """Where organizations' own PKCS#12 files are kept: ``settings.SIGNING_KEYS_DIR`` (read on each use, so a
    changed setting applies), outside MEDIA_ROOT, no URL, files readable by the portal's user only (0600)."""

    def __init__(self):
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return settings.SIGNING_KEYS_DIR

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def signing_keys_storage() -> FileSystemStorage:
    """The storage of signing certificates (``SigningKeysStorage``); a callable, so no path enters a migration."""
    return SigningKeysStorage()


class Organization(models.Model):
    """A local government (เทศบาล, อบต., อบจ.) taking part in the ITA."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    amphoe = models.CharField(_("district (amphoe)"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    document_number_prefix = models.CharField(
        _("document number prefix"), max_length=50, blank=True,
        help_text=_("The letters and code before the running number, e.g. “กส 74601”."),
    )
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    # The main website (เว็บไซต์หลัก) NACC scores OIT from (../shared/domain/oit.md): an OIT link on another host
    # is flagged by the readiness check.
    website = models.URLField(_("main website"), max_length=300, blank=True,
                              help_text=_("The address of the organization's main website, e.g. https://www.example.go.th/."))
    register_year_basis = models.CharField(
        _("outgoing register numbered per"), max_length=16, choices=RegisterYearBasis.choices,
        default=RegisterYearBasis.CALENDAR,
        help_text=_("The running number of the outgoing register starts again at 1 every calendar year (the rule) "
                    "or every fiscal year (1 October)."),
    )
    # The Garuda emblem printed on memos (thai-documents.md §1): its use is regulated by law, so it is never
    # shipped with the portal; each organization uploads its own (PNG or JPEG) and memos print without it.
    garuda = models.ImageField(_("Garuda emblem"), upload_to="garuda/", blank=True)
    # The organization's own signing certificate (issue 11 §4), set with ``manage.py set_signing_certificate``;
    # without it the deployment's certificate signs (``reports.signing``). The passphrase is stored encrypted
    # (Fernet, the keys of ITA_SIGNING_KEYS, not SECRET_KEY: ``reports.signing.passphrase_encrypt``).
    signing_pkcs12 = models.FileField(_("signing certificate (PKCS#12)"), upload_to="organizations/",
                                      storage=signing_keys_storage, blank=True)
    signing_passphrase = models.TextField(_("signing certificate passphrase (encrypted)"), blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["province", "kind"], name="organization_province_kind"),
            # Lists sort by name: with this index PostgreSQL reads a country-wide list in name order and stops
            # after one page (nested loops + incremental sort) instead of sorting every row.
            models.Index(fields=["name"], name="organization_name"),
        ]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department (ส่วนราชการ / สำนัก / กอง) of an organization; owners of measures are departments."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="departments", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["organization", "order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="department_unique_name",
                violation_error_message=_("This organization already has a department of that name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Official(models.Model):
    """A named official who signs or comments on documents; position lines are printed under the name."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="officials", verbose_name=_("organization")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position_lines = models.JSONField(_("position lines"), default=list)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="officials",
        verbose_name=_("department"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Printed above the name in signature and comment blocks (PNG or JPEG, checked by content and size in
    # ``forms.SignatureImageField``); without it the block prints the typed name alone. Never served from MEDIA_URL.
    signature = models.ImageField(_("signature image"), upload_to="signatures/", blank=True)

    class Meta:
        ordering = ["organization", "order", "full_name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self) -> str:
        return self.full_name

    @property
    def position(self) -> str:
        """The position lines joined by spaces, for one-line display."""
        return " ".join(self.position_lines)


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        """The memberships in force: every right comes from these alone (a deactivated one is kept for the
        record, and gives nothing)."""
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's role in one organization; staff belong to a department. Deactivating a membership keeps the
    row (``is_active`` False, ``ended_at`` set) for the record; every check of rights reads active ones only
    (``Membership.objects.active()``, ``memberships__is_active=True`` in joins)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("department"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    ended_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_unique_user_organization",
                violation_error_message=_("This user is already a member of this organization."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization} ({self.get_role_display()})"

    def clean(self) -> None:
        # Staff edit their department's measures, so they must have one, in the same organization.
        if self.role == Role.STAFF and self.department_id is None:
            raise ValidationError({"department": _("Staff members must belong to a department.")})
        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError({"department": _("The department belongs to another organization.")})


class OversightScope(models.Model):
    """Read-only oversight of many organizations: one province, or the whole country when ``province`` is
    empty (provincial offices of local administration, the national department, NACC's regional staff).
    An overseer reads every organization in scope as a member would and never changes anything."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oversight_scopes", verbose_name=_("user")
    )
    province = models.CharField(
        _("province"), max_length=100, blank=True, help_text=_("Empty: the whole country.")
    )

    class Meta:
        ordering = ["user", "province"]
        verbose_name = _("oversight scope")
        verbose_name_plural = _("oversight scopes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "province"], name="oversight_scope_unique",
                violation_error_message=_("This user already oversees that province."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.province or _('whole country')}"
