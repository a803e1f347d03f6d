"""The public tree ``/p/…`` (with ``/sitemap.xml`` and ``/robots.txt``; no cookies: ``public.middleware``) and the
admin's page that publishes a year."""
from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("p/", views.index, name="index"),
    path("p/catalog.json", views.catalog_json, name="catalog"),
    path("p/scores/<int:fiscal_year>.csv", views.scores, name="scores"),
    path("p/sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("p/verify/", views.verify, name="verify"),  # before p/<slug>/: no organization may be called "verify"
    path("p/<slug:slug>/", views.organization, name="organization"),
    path("p/<slug:slug>/<int:fiscal_year>/", views.year, name="year"),
    path("p/<slug:slug>/<int:fiscal_year>/embed/", views.embed, name="embed"),
    path("p/<slug:slug>/<int:fiscal_year>/export.zip", views.export, name="export"),
    path("p/<slug:slug>/<int:fiscal_year>/oit/<str:code>/", views.item, name="item"),
    path("p/<slug:slug>/<int:fiscal_year>/oit/<str:code>/files/<int:evidence_id>/", views.evidence_file,
         name="evidence_file"),
    path("p/<slug:slug>/<int:fiscal_year>/documents/<int:document_id>/", views.document, name="document"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("organizations/<slug:slug>/public/", views.manage, name="manage"),
]
