from django.urls import path

from . import views

app_name = "memos"
memo = "organizations/<slug:slug>/memos/<int:pk>/"
urlpatterns = [
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/memo/edit/", views.plan_memo_edit,
         name="plan_memo_edit"),
    path("organizations/<slug:slug>/routing/", views.routing_edit, name="routing_edit"),
    path("organizations/<slug:slug>/register/", views.RegisterView.as_view(), name="register"),
    path("organizations/<slug:slug>/issued/", views.issued_documents, name="issued_documents"),
    path(memo, views.memo_detail, name="memo_detail"),
    path(memo + "preview/", views.memo_preview, name="memo_preview"),
    path(memo + "memo.pdf", views.memo_pdf, name="memo_pdf"),
    path(memo + "send/", views.memo_send_view, name="memo_send"),
    path(memo + "decide/", views.memo_decide_view, name="memo_decide"),
    path(memo + "reopen/", views.memo_reopen_view, name="memo_reopen"),
    path(memo + "issue/retry/", views.memo_issue_retry_view, name="memo_issue_retry"),
    path(memo + "issued/latest.pdf", views.memo_issued_latest, name="memo_issued_latest"),
    path(memo + "issued/<int:version>.pdf", views.memo_issued_pdf, name="memo_issued_pdf"),
]
