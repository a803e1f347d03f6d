from auditlog.models import LogEntry
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What an entry records, as the log page names it: a change (by auditlog's action) or an access event."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed log-in")
    LOGOUT = "logout", _("Logged out")
    DOWNLOAD = "download", _("Downloaded an issued document")
    # account help (issue 18 item 3): organizations.services.member_*, core.lockout.address_unlock
    LOGIN_UNLOCKED = "login_unlocked", _("Unlocked the log-in")
    PASSWORD_RESET_SENT = "password_reset_sent", _("Sent a password-reset e-mail")
    SECOND_FACTOR_OFF = "second_factor_off", _("Turned off the second factor")
    ADDRESS_UNLOCKED = "address_unlocked", _("Unlocked an address")


ACTION_EVENTS = {LogEntry.Action.CREATE: Event.CREATE, LogEntry.Action.UPDATE: Event.UPDATE,
                 LogEntry.Action.DELETE: Event.DELETE}


def event_of(entry: LogEntry) -> Event | None:
    """The ``Event`` of ``entry``: its action, or for ACCESS entries the ``additional_data["event"]``."""
    if entry.action in ACTION_EVENTS:
        return ACTION_EVENTS[entry.action]
    name = (entry.additional_data or {}).get("event")
    return Event(name) if name in Event.values else None
