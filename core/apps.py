from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared library below every app: Thai dates and digits, form fields, tables, exports, uploads, imports,
    middleware, the lock-out handler and two-factor forms, the ``thai`` template filters. No models."""

    name = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_touched_at_login
        user_logged_in.connect(session_touched_at_login, dispatch_uid="core.session_touched_at_login")
