"""Logging glue: every record says which request it belongs to (settings.LOGGING)."""
import logging


class RequestContextFilter(logging.Filter):
    """Adds ``method``, ``path`` and ``user`` (the user name, "anonymous", or "-" outside a request) to each
    record, from ``record.request`` where Django attached it (``django.request`` does for every 4xx/5xx)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        user = getattr(request, "user", None) if request is not None else None
        record.method = getattr(request, "method", "-") or "-"
        record.path = getattr(request, "path", "-") or "-"
        if user is None:
            record.user = "-"
        else:
            record.user = user.get_username() if getattr(user, "is_authenticated", False) else "anonymous"
        return True
