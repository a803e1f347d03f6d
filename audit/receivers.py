"""Log-ins, failed log-ins and log-outs in the audit log: one ``LogEntry`` each, on the user's record (action
ACCESS, ``additional_data["event"]`` "login" / "login_failed" / "logout"), with the address it came from. A failed
log-in under a name nobody has is kept with the name tried (``object_repr``) and no user."""
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

LOGIN, LOGIN_FAILED, LOGOUT = "login", "login_failed", "logout"


def _address(request) -> str | None:
    if request is None:
        return None
    forwarded = request.headers.get("X-Forwarded-For", "")  # deploy/nginx.conf sets it to the client's address
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def record_access(*, event: str, username: str, user=None, request=None) -> LogEntry:
    """Write one ACCESS entry for ``event`` on ``user`` (None: an unknown name, kept as ``username``)."""
    model = get_user_model()
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(user.pk) if user else "",
        object_id=user.pk if user else None,
        object_repr=username[:200],
        action=LogEntry.Action.ACCESS,
        changes={},
        actor=user if event != LOGIN_FAILED else None,
        remote_addr=_address(request),
        additional_data={"event": event},
    )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record_access(event=LOGIN, username=user.get_username(), user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_access(event=LOGOUT, username=user.get_username(), user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    user = get_user_model().objects.filter(username=username).first() if username else None
    record_access(event=LOGIN_FAILED, username=username, user=user, request=request)
