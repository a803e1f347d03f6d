from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/plans/<int:fiscal_year>/documents/", views.document_list, name="document_list"),
    path("<slug:slug>/plans/<int:fiscal_year>/documents/<str:kind>.pdf", views.document_pdf, name="document_pdf"),
    path("<slug:slug>/plans/<int:fiscal_year>/documents/<str:kind>/", views.document_preview,
         name="document_preview"),
    path("<slug:slug>/plans/<int:fiscal_year>/memo/edit/", views.plan_memo_edit, name="plan_memo_edit"),
]
