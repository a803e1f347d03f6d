import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import LeanTable

from .models import Organization


class OrganizationTable(LeanTable):
    """The organizations a user may read, by name (no per-row counts: the list may hold the whole country)."""

    name = tables.LinkColumn("organizations:organization_detail", args=[tables.A("slug")], verbose_name=_("Name"))

    class Meta:
        model = Organization
        fields = ["name", "kind", "amphoe", "province"]
        attrs = {"class": "table"}
