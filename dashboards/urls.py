from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("overview/", views.overview_page, name="overview"),
    path("organizations/<slug:slug>/dashboard/", views.organization_dashboard, name="organization_dashboard"),
    path("organizations/<slug:slug>/dashboard/summary/", views.organization_summary, name="organization_summary"),
    path("organizations/<slug:slug>/dashboard/summary.pdf", views.organization_summary_pdf,
         name="organization_summary_pdf"),
]
