from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("overview/", views.overview_page, name="overview"),
    path("organizations/<slug:slug>/dashboard/", views.organization_dashboard, name="organization_dashboard"),
]
