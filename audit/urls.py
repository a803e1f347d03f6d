from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("organizations/<slug:slug>/audit/", views.organization_audit_log, name="organization_audit_log"),
]
