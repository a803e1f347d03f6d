from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemosConfig(AppConfig):
    name = "memos"
    verbose_name = _("Memos")

    def ready(self) -> None:
        # reports prints the memo document kind without importing memos: it asks the builder registered here.
        from measures.services import reopen_handler_register
        from reports.contents import register_memo_builder

        from .documents import memo_document
        from .services import attachment_memos_reopen

        register_memo_builder(memo_document)
        # measures reopens a plan or report without importing memos: the memos that carry it go first.
        reopen_handler_register(attachment_memos_reopen)
