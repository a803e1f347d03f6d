from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("organizations/<slug:slug>/assessments/<int:fiscal_year>/", views.assessment_detail,
         name="assessment_detail"),
    path("organizations/<slug:slug>/assessments/<int:fiscal_year>/edit/", views.assessment_edit,
         name="assessment_edit"),
    path("organizations/<slug:slug>/assessments/<int:fiscal_year>/preview/", views.score_preview,
         name="score_preview"),
    path("organizations/<slug:slug>/assessments/<int:fiscal_year>/analysis/", views.analysis_edit,
         name="analysis_edit"),
    path("organizations/<slug:slug>/assessments/new/", views.assessment_start, name="assessment_start"),
    path("scores/import/", views.score_import, name="score_import"),
    path("scores/import/sample.csv", views.score_import_sample, name="score_import_sample"),
]
