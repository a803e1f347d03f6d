"""Reads of the audit log."""
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from organizations.models import Membership, Organization


def organization_log(*, organization: Organization) -> QuerySet[LogEntry]:
    """The log entries of ``organization``, newest first: every change to its records (``additional_data``
    names it, see ``audit.registry``) and the log-ins, failed log-ins and log-outs of its members. Each entry has
    its ``actor`` and ``content_type`` joined."""
    members = Membership.objects.filter(organization=organization).values("user_id")
    users = ContentType.objects.get_for_model(get_user_model())
    return (LogEntry.objects.filter(Q(additional_data__organization_id=organization.pk)
                                    | Q(content_type=users, object_id__in=members))
            .select_related("actor", "content_type").order_by("-timestamp", "-pk"))
