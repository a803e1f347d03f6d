"""Project-level views that belong to no app."""
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """"ok" as text/plain, with no database query and no template: a load balancer's liveness probe, and the
    ceiling of ``bench/national.py`` (the fastest a request can be on the same stack)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer to a locked-out log-in (settings.AXES_LOCKOUT_CALLABLE): a Thai page saying for how
    long (``AXES_COOLOFF_TIME``, hours, shown in whole minutes), status 429 Too Many Requests."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale security token (settings.CSRF_FAILURE_VIEW): a Thai page saying what
    to do (reload the form, or log in again), status 403. ``reason`` (English, technical) is not shown."""
    return render(request, "403_csrf.html", status=403)
