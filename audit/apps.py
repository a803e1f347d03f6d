from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit log (issue 12 point 3): who did what, from where and when, kept by django-auditlog."""

    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from . import receivers, registry  # noqa: F401  (signal receivers)
        registry.register_models()
