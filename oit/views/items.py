"""OIT pages: items."""

urlpatterns: list = []
