"""Project-level views that belong to no app."""
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """"ok" as text/plain, with no database query and no template: a load balancer's liveness probe, and the
    ceiling of ``bench/national.py`` (the fastest a request can be on the same stack)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
