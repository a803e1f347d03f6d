from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    """Operations on the whole deployment: backup and restore, clean-up of unreferenced uploads. No models."""

    name = "maintenance"
    verbose_name = _("Maintenance")
