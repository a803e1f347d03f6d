from django.urls import path

from . import views

app_name = "measures"
plan = "organizations/<slug:slug>/plans/<int:fiscal_year>/"
measure = plan + "measures/<int:number>/"
report = plan + "reports/<str:round>/"
urlpatterns = [
    path("measures/", views.MeasureListView.as_view(), name="measure_list"),
    path("my-work/", views.my_work, name="my_work"),
    path("organizations/<slug:slug>/plans/new/", views.plan_new, name="plan_create"),
    path(plan, views.plan_detail, name="plan_detail"),
    path(plan + "edit/", views.plan_edit, name="plan_edit"),
    path(plan + "approval/", views.plan_approval, name="plan_approval"),
    path(plan + "measures/new/", views.measure_edit, name="measure_create"),
    path(plan + "measures/deleted/", views.deleted_measures, name="deleted_measures"),
    path(measure, views.measure_detail, name="measure_detail"),
    path(measure + "edit/", views.measure_edit, name="measure_edit"),
    path(measure + "delete/", views.measure_delete_view, name="measure_delete"),
    path(plan + "reports/new/", views.report_edit, name="report_create"),
    path(report, views.report_detail, name="report_detail"),
    path(report + "edit/", views.report_edit, name="report_edit"),
    path(report + "approval/", views.report_approval, name="report_approval"),
    path(report + "evidence/<int:number>/", views.evidence_download, name="evidence_download"),
]
