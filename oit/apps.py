from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OitConfig(AppConfig):
    name = "oit"
    verbose_name = _("OIT disclosure")

    def ready(self) -> None:
        # measures proposes next year's measures without importing oit: the failed OIT items come from here.
        from measures.services import proposal_source_register

        from .results import failed_item_proposals

        proposal_source_register(failed_item_proposals)
