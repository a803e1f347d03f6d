"""The OIT pages, one module a subject: the year's items (items), an organization's checklist (checklists), the
readiness check (readiness), NACC's results per item (results). Each module holds its own ``urlpatterns``."""
