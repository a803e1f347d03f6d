"""OIT pages: readiness."""

urlpatterns: list = []
