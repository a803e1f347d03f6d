from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/plans/<int:fiscal_year>/memo.pdf", views.plan_memo_pdf, name="plan_memo_pdf"),
    path("<slug:slug>/plans/<int:fiscal_year>/memo/", views.plan_memo_preview, name="plan_memo_preview"),
    path("<slug:slug>/plans/<int:fiscal_year>/memo/edit/", views.plan_memo_edit, name="plan_memo_edit"),
]
