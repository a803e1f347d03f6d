from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.forms import PortalPasswordChangeForm, PortalSetPasswordForm
from dashboards.views import home
from memos.views import inbox

from . import views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("inbox/", inbox, name="inbox"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/lockouts/", views.lockouts, name="lockouts"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password change (signed in) and reset (by e-mail), Django's own views with Thai templates (registration/).
    # Their forms show every password error at once (core.forms.AllPasswordErrors).
    path("accounts/password/", auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
         name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(form_class=PortalSetPasswordForm), name="password_reset_confirm"),
    path("accounts/password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("notifications.urls")),  # accounts/notifications/
    path("organizations/", include("organizations.urls")),
    path("", include("assessments.urls")),  # organizations/<slug>/assessments/… and scores/import/
    path("", include("reports.urls")),  # organizations/<slug>/plans/<year>/documents/… and documents/verify/
    path("", include("memos.urls")),  # organizations/<slug>/memos/…, routing/, register/, issued/
    path("", include("measures.urls")),
    path("", include("oit.urls")),  # oit/<year>/… (the items), organizations/<slug>/oit/<year>/… (checklists)
    path("", include("dashboards.urls")),
    path("", include("public.urls")),  # p/… (the public pages), sitemap.xml, robots.txt, organizations/<slug>/public/
    path("", include("audit.urls")),
]

if settings.ADMIN_ENABLED:  # off in production unless ITA_ADMIN_ENABLED=1 (settings/base.py)
    urlpatterns.insert(0, path("admin/", admin.site.urls))
