"""OIT pages: checklists."""

urlpatterns: list = []
