from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization_list"),
    path("<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("<slug:slug>/people/", views.organization_people, name="organization_people"),
    path("<slug:slug>/members/", views.organization_members, name="organization_members"),
    path("<slug:slug>/members/new/", views.member_new, name="member_create"),
    path("<slug:slug>/members/invite/", views.member_invite, name="member_invite"),
    path("<slug:slug>/members/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("<slug:slug>/members/<int:pk>/deactivate/", views.membership_deactivate_view, name="membership_deactivate"),
    path("<slug:slug>/members/<int:pk>/unlock/", views.member_unlock_view, name="member_unlock"),
    path("<slug:slug>/members/<int:pk>/password-reset/", views.member_password_reset_view,
         name="member_password_reset"),
    path("<slug:slug>/members/<int:pk>/second-factor-off/", views.member_second_factor_off_view,
         name="member_second_factor_off"),
    path("<slug:slug>/settings/", views.organization_settings, name="organization_settings"),
]
