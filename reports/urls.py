from django.urls import path

from . import routing_views, views

app_name = "reports"
memo = "organizations/<slug:slug>/memos/<int:pk>/"
urlpatterns = [
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/documents/", views.document_list, name="document_list"),
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/documents/<str:kind>.pdf", views.document_pdf,
         name="document_pdf"),
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/documents/<str:kind>/", views.document_preview,
         name="document_preview"),
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/documents/<str:kind>/render/", views.render_job_create,
         name="render_job_create"),
    path("organizations/<slug:slug>/renders/<int:pk>/", views.render_job_detail, name="render_job_detail"),
    path("organizations/<slug:slug>/renders/<int:pk>/document.pdf", views.render_job_pdf, name="render_job_pdf"),
    path("organizations/<slug:slug>/plans/<int:fiscal_year>/memo/edit/", views.plan_memo_edit,
         name="plan_memo_edit"),
    path("documents/verify/", views.verify_pdf, name="verify_pdf"),
    path("organizations/<slug:slug>/routing/", routing_views.routing_edit, name="routing_edit"),
    path("organizations/<slug:slug>/register/", routing_views.RegisterView.as_view(), name="register"),
    path("organizations/<slug:slug>/issued/", routing_views.issued_documents, name="issued_documents"),
    path(memo, routing_views.memo_detail, name="memo_detail"),
    path(memo + "send/", routing_views.memo_send_view, name="memo_send"),
    path(memo + "decide/", routing_views.memo_decide_view, name="memo_decide"),
    path(memo + "reopen/", routing_views.memo_reopen_view, name="memo_reopen"),
    path(memo + "issue/retry/", routing_views.memo_issue_retry_view, name="memo_issue_retry"),
    path(memo + "issued/latest.pdf", routing_views.memo_issued_latest, name="memo_issued_latest"),
    path(memo + "issued/<int:version>.pdf", routing_views.memo_issued_pdf, name="memo_issued_pdf"),
]
