from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Documents")
    # No WeasyPrint at start-up: our Thai text layer (reports/pdf_text.py) is installed, and its version guard run,
    # at the first render (reports.documents.render_html_to_pdf), so manage.py runs whatever WeasyPrint is installed.
