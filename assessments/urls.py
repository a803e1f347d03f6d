from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("<slug:slug>/assessments/<int:fiscal_year>/", views.assessment_detail, name="assessment_detail"),
]
