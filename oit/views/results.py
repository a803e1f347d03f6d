"""OIT pages: results."""

urlpatterns: list = []
