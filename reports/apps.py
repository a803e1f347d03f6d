from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Documents")

    def ready(self):
        from . import pdf_text

        pdf_text.install()  # our Thai text layer for WeasyPrint (Kozea/WeasyPrint#2841); refuses other versions
