"""Writes of organizations: an organization's own settings; its people (accounts and memberships); organizations
created by the score import."""
import contextlib
import hashlib
import secrets

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .choices import Role
from .models import Department, Membership, Official, Organization
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


# --- people: accounts and memberships (issue 13 §1) ---------------------------------------------------------------

def _actor(by):
    """Record ``by`` as the actor of the audit log entries written inside, unless a request (auditlog's
    middleware) already set one: auditlog's ``set_actor`` must not be nested (the outer one's receiver would
    never be disconnected)."""
    if by is None or auditlog_value.get(None) is not None:
        return contextlib.nullcontext()
    return set_actor(by)


def _lock_members(*, organization_id: int, membership_pk: int | None = None) -> Membership | None:
    """Take the locks of a member change, always in one order (issue 18 item 8): the organization's row first,
    then the membership ``membership_pk`` (returned, with its user; None without a pk). Every member change of
    an organization therefore waits for the one before it: two admins demoting each other at once no longer lock
    each other's rows in opposite orders (PostgreSQL answered "deadlock detected", a 500); the second sees the
    first's result and gets the "last admin" message. (SQLite: no row locks; its write lock serializes.)"""
    list(Organization.objects.select_for_update().filter(pk=organization_id).values_list("pk", flat=True))
    if membership_pk is None:
        return None
    return Membership.objects.select_for_update(of=("self",)).select_related("user").get(pk=membership_pk)


def _refuse_last_admin(membership: Membership) -> None:
    """Raise ``ValidationError`` when ``membership`` is the last active admin of its organization: an
    organization must keep someone who can manage its people. Called with the organization's row locked
    (``_lock_members``), so that two admins demoting each other at once cannot both pass; the admin rows are
    locked too, by id."""
    admins = list(Membership.objects.active().select_for_update()
                  .filter(organization_id=membership.organization_id, role=Role.ADMIN).order_by("pk")
                  .values_list("pk", flat=True))
    if admins == [membership.pk]:
        raise ValidationError(
            _("%(user)s is the last admin of this organization and cannot be removed or given another role. "
              "Make another member an admin first.") % {"user": membership.user.get_full_name()
                                                        or membership.user.username},
            code="last_admin")


def _check_department(*, organization: Organization, role: str, department: Department | None) -> None:
    if role == Role.STAFF and department is None:
        raise ValidationError({"department": _("Staff members must belong to a department.")})
    if department is not None and department.organization_id != organization.pk:
        raise ValidationError({"department": _("The department belongs to another organization.")})


def user_prepare(*, username: str, first_name: str = "", last_name: str = "", email: str = "",
                 password: str | None = None):
    """A new, validated, unsaved account with its password already hashed. Hashing takes about a second with the
    real hasher (PBKDF2): it is done here, before any transaction opens, so that no write lock is held meanwhile
    (issue 18 item 1: on SQLite, the worker's polls then made every added user fail with "database is locked").
    Without ``password`` the account gets a long random one nobody knows (usable, so that Django's password
    reset will send its link to ``email``). Raises ``ValidationError`` keyed by field with every error at once (a
    username taken or malformed, and every weak-password message under ``password``; issue 22 §7)."""
    users = get_user_model()
    user = users(username=username.strip(), first_name=first_name.strip(), last_name=last_name.strip(),
                 email=users.objects.normalize_email(email.strip()))
    errors: dict = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors.setdefault("password", []).extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    user.set_password(password or secrets.token_urlsafe(32))
    return user


def _user_insert(user):
    """Save the account of ``user_prepare``; a username taken meanwhile by another request (the check ran
    before the transaction) raises the same ``ValidationError`` as the check."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        if get_user_model().objects.filter(username=user.username).exists():
            raise ValidationError({"username": _("A user with that username already exists.")},
                                  code="unique") from None
        raise
    return user


def user_create(*, username: str, first_name: str = "", last_name: str = "", email: str = "",
                password: str | None = None):
    """Create a log-in account (``user_prepare``: validated and hashed outside any transaction, then one
    INSERT). Raises ``ValidationError`` (a username taken, a weak password) and creates nothing then."""
    return _user_insert(user_prepare(username=username, first_name=first_name, last_name=last_name, email=email,
                                     password=password))


@transaction.atomic
def membership_add(*, organization: Organization, user, role: str, department: Department | None = None,
                   by) -> Membership:
    """Give ``user`` the role ``role`` (and ``department``, required for staff) in ``organization``. A
    deactivated membership of the same user is activated again with the new role (the row is kept, so its history
    stays in one place). Raises ``ValidationError`` when the user is already an active member or the department
    is missing or of another organization. Recorded in the audit log with ``by`` as the actor."""
    _check_department(organization=organization, role=role, department=department)
    _lock_members(organization_id=organization.pk)
    membership = (Membership.objects.select_for_update().filter(user=user, organization=organization).first()
                  or Membership(user=user, organization=organization))
    if membership.pk and membership.is_active:
        raise ValidationError(_("%(user)s is already a member of this organization.") % {"user": user.username},
                              code="already_member")
    membership.role = role
    membership.department = department
    membership.is_active, membership.ended_at = True, None
    membership.full_clean(validate_unique=False)  # the one row per user and organization was looked up above
    with _actor(by):
        membership.save()
    return membership


@transaction.atomic
def membership_change(*, membership: Membership, role: str, department: Department | None = None,
                      by) -> Membership:
    """Change an active membership's role and department. Raises ``ValidationError`` when it would demote the
    organization's last active admin, or the department is missing (staff) or of another organization; nothing
    is saved then."""
    membership = _lock_members(organization_id=membership.organization_id, membership_pk=membership.pk)
    _check_department(organization=membership.organization, role=role, department=department)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _refuse_last_admin(membership)
    membership.role, membership.department = role, department
    membership.full_clean(validate_unique=False)
    with _actor(by):
        membership.save()
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, by) -> Membership:
    """End a membership: the row stays (``is_active`` False, ``ended_at`` now) and gives no right any more.
    Raises ``ValidationError`` for the organization's last active admin; nothing is saved then."""
    membership = _lock_members(organization_id=membership.organization_id, membership_pk=membership.pk)
    if not membership.is_active:
        return membership
    if membership.role == Role.ADMIN:
        _refuse_last_admin(membership)
    membership.is_active, membership.ended_at = False, timezone.now()
    with _actor(by):
        membership.save(update_fields=["is_active", "ended_at"])
    return membership


def member_create(*, organization: Organization, username: str, first_name: str = "", last_name: str = "",
                  email: str = "", password: str | None = None, role: str, department: Department | None = None,
                  by) -> Membership:
    """A new account and its membership (``membership_add``) in one transaction: both or neither. The password
    is hashed before the transaction opens (``user_prepare``). Raises ``ValidationError`` as those do."""
    user = user_prepare(username=username, first_name=first_name, last_name=last_name, email=email,
                        password=password)
    _check_department(organization=organization, role=role, department=department)
    with transaction.atomic():
        _user_insert(user)
        return membership_add(organization=organization, user=user, role=role, department=department, by=by)


def password_reset_send(*, user, domain: str, use_https: bool) -> None:
    """Send ``user`` Django's password-reset e-mail (the portal's Thai templates, the link valid
    ``PASSWORD_RESET_TIMEOUT``) so that they choose their own password. Nothing is sent without an e-mail
    address or for an inactive account."""
    from django.contrib.auth.forms import PasswordResetForm

    class OneUser(PasswordResetForm):
        def get_users(self, email):
            return [user] if user.is_active and user.email and user.has_usable_password() else []

    form = OneUser({"email": user.email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)


# --- account help by organization admins (issue 18 item 3) ----------------------------------------------------

LOGIN_UNLOCKED, PASSWORD_RESET_SENT, SECOND_FACTOR_OFF = "login_unlocked", "password_reset_sent", "second_factor_off"


def _record_help(*, event: str, membership: Membership, by) -> None:
    """An ACCESS entry of the audit log on the member's account (``additional_data``: the event and the
    organization, so that the organization's log lists it), with ``by`` as the actor."""
    user = membership.user
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(get_user_model()), object_pk=str(user.pk),
        object_id=user.pk, object_repr=user.get_username()[:200], action=LogEntry.Action.ACCESS, changes={},
        actor=by, additional_data={"event": event, "organization_id": membership.organization_id})


@transaction.atomic
def member_unlock(*, membership: Membership, by) -> int:
    """Forget the failed log-ins of the member's user name from every address (django-axes' attempt rows), so
    that they log in again at once. Recorded in the audit log (event "login_unlocked"). Returns the number of
    rows removed. An address locked for spraying stays locked (a superuser unlocks addresses)."""
    removed, _ = AccessAttempt.objects.filter(username=membership.user.get_username()).delete()
    _record_help(event=LOGIN_UNLOCKED, membership=membership, by=by)
    return removed


def member_password_reset(*, membership: Membership, by, domain: str, use_https: bool) -> None:
    """Send the member Django's password-reset e-mail (``password_reset_send``) and record it in the audit log
    (event "password_reset_sent"). Raises ``ValidationError`` (code "no_email") when the account has no e-mail
    address; nothing is sent or recorded then."""
    user = membership.user
    if not user.email:
        raise ValidationError(_("%(user)s has no e-mail address, so no password-reset e-mail can be sent.")
                              % {"user": user.get_username()}, code="no_email")
    password_reset_send(user=user, domain=domain, use_https=use_https)
    _record_help(event=PASSWORD_RESET_SENT, membership=membership, by=by)


@transaction.atomic
def member_second_factor_off(*, membership: Membership, by) -> int:
    """Turn off the member's second factor (a lost phone): delete their TOTP devices (django-otp), so that they
    log in with their password and can turn it on again. Recorded in the audit log (event "second_factor_off").
    Returns the number of devices removed; raises ``ValidationError`` (code "no_device") when there is none."""
    removed, _ = TOTPDevice.objects.filter(user=membership.user).delete()
    if not removed:
        raise ValidationError(_("%(user)s has no second factor.") % {"user": membership.user.get_username()},
                              code="no_device")
    _record_help(event=SECOND_FACTOR_OFF, membership=membership, by=by)
    return removed
