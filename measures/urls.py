from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("measures/", views.MeasureListView.as_view(), name="measure_list"),
    path("my-work/", views.my_work, name="my_work"),
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/", views.plan_detail, name="plan_detail"),
]
