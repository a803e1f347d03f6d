from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/documents/", views.document_list, name="document_list"),
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/documents/<str:kind>.pdf", views.document_pdf,
         name="document_pdf"),
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/documents/<str:kind>/", views.document_preview,
         name="document_preview"),
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/documents/<str:kind>/render/", views.render_job_create,
         name="render_job_create"),
    path("organizations/<slug:slug>/renders/<int:pk>/", views.render_job_detail, name="render_job_detail"),
    path("organizations/<slug:slug>/renders/<int:pk>/document.pdf", views.render_job_pdf, name="render_job_pdf"),
    path("documents/verify/", views.verify_pdf, name="verify_pdf"),
]
