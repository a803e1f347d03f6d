from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    """Kinds of local administrative organization (ita-framework.md §1)."""

    PAO = "pao", _("Provincial Administrative Organization (อบจ.)")
    CITY_MUNICIPALITY = "city_municipality", _("City municipality (เทศบาลนคร)")
    TOWN_MUNICIPALITY = "town_municipality", _("Town municipality (เทศบาลเมือง)")
    TAMBON_MUNICIPALITY = "tambon_municipality", _("Subdistrict municipality (เทศบาลตำบล)")
    SAO = "sao", _("Subdistrict Administrative Organization (อบต.)")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    """What a member may do in an organization."""

    STAFF = "staff", _("Staff of a department")
    EXECUTIVE = "executive", _("Executive")
    CLERK = "clerk", _("Clerk")
    ADMIN = "admin", _("Organization admin")


class RegisterYearBasis(models.TextChoices):
    """The year over which the outgoing register (ทะเบียนหนังสือส่ง) numbers its letters: the calendar year by
    rule (thai-documents.md §1, document number), the fiscal year (1 Oct – 30 Sep) in some agencies."""

    CALENDAR = "calendar", _("Calendar year")
    FISCAL = "fiscal", _("Fiscal year")
