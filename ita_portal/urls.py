from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboards.views import home
from reports.routing_views import inbox

from . import views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("inbox/", inbox, name="inbox"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("organizations/", include("organizations.urls")),
    path("", include("assessments.urls")),  # organizations/<slug>/assessments/… and scores/import/
    path("organizations/", include("reports.urls")),
    path("", include("measures.urls")),
    path("", include("dashboards.urls")),
]
