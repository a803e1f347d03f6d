from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemosConfig(AppConfig):
    name = "memos"
    verbose_name = _("Memos")

    def ready(self) -> None:
        # reports prints the memo document kind without importing memos: it asks the builder registered here.
        from reports.contents import register_memo_builder

        from .documents import memo_document

        register_memo_builder(memo_document)
