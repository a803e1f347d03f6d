"""Log-in lock-out (django-axes, issue 18 item 3): what stops guessing without locking a whole office out.

- A user name tried from one address is locked after ``AXES_FAILURE_LIMIT`` failures (10) within
  ``AXES_COOLOFF_TIME`` (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``): the other people behind the
  same address (a municipal office behind one NAT) still log in.
- One address is locked for every name after ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures (100) within the same time,
  across all the names it tried: spraying many names from one address is slowed down.
- The counts are rows of the database (axes' database handler), shared by every application server.

Unlocking: an organization admin unlocks their members on the people page (``organizations.services.
member_unlock``); a superuser unlocks addresses on ``/accounts/lockouts/`` (``address_unlock``).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from auditlog.models import LogEntry
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.utils import timezone

ADDRESS_UNLOCKED = "address_unlocked"


def lockout_since() -> datetime:
    """The start of the counting window: failures older than ``AXES_COOLOFF_TIME`` hours count no more."""
    return timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def address_failures(*, ip_address: str | None) -> int:
    """The failed log-ins from ``ip_address`` within the window, whatever the user names (0 without one)."""
    if not ip_address:
        return 0
    return (AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=lockout_since())
            .aggregate(total=Sum("failures_since_start"))["total"] or 0)


class PortalLockoutHandler(AxesDatabaseHandler):
    """axes' database handler (settings.AXES_HANDLER) with a second, higher limit per address.

    ``get_failures`` answers the failures of the user name and address pair (axes' own count for
    ``AXES_LOCKOUT_PARAMETERS``), or at least ``AXES_FAILURE_LIMIT`` once the address has reached
    ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures over all names: axes then refuses every log-in from it."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair = super().get_failures(request, credentials)
        ip_address = getattr(request, "axes_ip_address", None)
        if address_failures(ip_address=ip_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def locked_usernames(*, usernames) -> set[str]:
    """Which of ``usernames`` are locked from some address: a (name, address) pair with at least
    ``AXES_FAILURE_LIMIT`` failures within the window. One query."""
    rows = (AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=lockout_since())
            .values("username", "ip_address").annotate(total=Sum("failures_since_start"))
            .filter(total__gte=settings.AXES_FAILURE_LIMIT))
    return {row["username"] for row in rows}


@dataclass(frozen=True)
class LockedAddress:
    """An address locked for every name: its failures within the window and how many names it tried."""

    ip_address: str
    failures: int
    usernames: int


def locked_addresses() -> list[LockedAddress]:
    """The addresses at or over ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures within the window, most failures first."""
    rows = (AccessAttempt.objects.filter(attempt_time__gte=lockout_since()).exclude(ip_address=None)
            .values("ip_address").annotate(total=Sum("failures_since_start"))
            .filter(total__gte=settings.LOGIN_ADDRESS_FAILURE_LIMIT).order_by("-total", "ip_address"))
    return [LockedAddress(row["ip_address"], row["total"],
                          AccessAttempt.objects.filter(ip_address=row["ip_address"]).values("username")
                          .distinct().count()) for row in rows]


def address_unlock(*, ip_address: str, by) -> int:
    """Forget every failed log-in from ``ip_address`` (all names): the address and its pairs are unlocked.
    Recorded in the audit log (an ACCESS entry on ``by``'s record, event "address_unlocked", naming the
    address). Returns the number of attempt rows removed."""
    removed, _ = AccessAttempt.objects.filter(ip_address=ip_address).delete()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(get_user_model()), object_pk=str(by.pk), object_id=by.pk,
        object_repr=ip_address[:200], action=LogEntry.Action.ACCESS, changes={}, actor=by,
        additional_data={"event": ADDRESS_UNLOCKED, "ip_address": ip_address})
    return removed
