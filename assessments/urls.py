from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("<slug:slug>/assessments/<int:fiscal_year>/", views.assessment_detail, name="assessment_detail"),
    path("<slug:slug>/assessments/<int:fiscal_year>/edit/", views.assessment_edit, name="assessment_edit"),
    path("<slug:slug>/assessments/<int:fiscal_year>/analysis/", views.analysis_edit, name="analysis_edit"),
    path("<slug:slug>/assessments/new/", views.assessment_start, name="assessment_start"),
]
