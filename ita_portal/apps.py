from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project's own glue (middleware, template tags, exports); no models."""

    name = "ita_portal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_touched_at_login
        user_logged_in.connect(session_touched_at_login, dispatch_uid="ita_portal.session_touched_at_login")
