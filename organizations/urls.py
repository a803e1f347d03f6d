from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization_list"),
    path("<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("<slug:slug>/people/", views.organization_people, name="organization_people"),
    path("<slug:slug>/settings/", views.organization_settings, name="organization_settings"),
]
