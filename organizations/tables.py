import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Organization


class OrganizationTable(tables.Table):
    name = tables.LinkColumn("organizations:organization_detail", args=[tables.A("slug")], verbose_name=_("Name"))
    assessment_count = tables.Column(verbose_name=_("Assessments"))
    plan_count = tables.Column(verbose_name=_("Measure plans"))

    class Meta:
        model = Organization
        fields = ["name", "kind", "amphoe", "province", "assessment_count", "plan_count"]
        attrs = {"class": "table"}
