"""Project-level views that belong to no app."""
from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_otp import login as otp_login

from core.lockout import address_unlock, locked_addresses
from core.two_factor import LoginForm, TokenForm, confirmed_device, pending_device, qr_svg


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """"ok" as text/plain, with no database query and no template: a load balancer's liveness probe, and the
    ceiling of ``bench/national.py`` (the fastest a request can be on the same stack)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer to a locked-out log-in (settings.AXES_LOCKOUT_CALLABLE): a Thai page saying for how
    long (``AXES_COOLOFF_TIME``, hours, shown in whole minutes) and who can unlock it, by role: the organization's
    admins (a name and address pair), the system administrator (an address locked for every name); status 429 Too
    Many Requests. The page is the same whatever name was tried: anyone may type one, so it never tells whether the
    name exists nor who administers its organization."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    context = {"cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def lockouts(request: HttpRequest) -> HttpResponse:
    """Superusers: the addresses locked for every name (``lockout.locked_addresses``), each with a button that
    unlocks it (POST ``ip_address``; ``lockout.address_unlock``, recorded in the audit log). Others: 403."""
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        address = request.POST.get("ip_address", "").strip()
        if address:
            address_unlock(ip_address=address, by=request.user)
            messages.success(request, _("The address %(address)s was unlocked.") % {"address": address})
        return redirect("lockouts")
    return render(request, "registration/lockouts.html", {"addresses": locked_addresses(),
                                                           "limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale security token (settings.CSRF_FAILURE_VIEW): a Thai page saying what
    to do (reload the form, or log in again), status 403. ``reason`` (English, technical) is not shown."""
    return render(request, "403_csrf.html", status=403)


class PortalLoginView(LoginView):
    """Django's log-in view with the optional second factor (``two_factor.LoginForm``); a log-in with a code
    marks the session as verified by that device (django-otp)."""

    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        device = getattr(form.get_user(), "otp_device", None)
        if device is not None:
            otp_login(self.request, device)
        return response


def two_factor(request: HttpRequest) -> HttpResponse:
    """The signed-in user's second factor: turn it on (scan the QR code, confirm with a code) or off (confirm
    with a current code). POST ``action`` = "confirm" or "disable"."""
    device = confirmed_device(request.user)
    if device is None:
        device = pending_device(request.user)
        form = TokenForm(request.POST if request.method == "POST" else None, device=device)
        if request.method == "POST" and request.POST.get("action") == "confirm" and form.is_valid():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("The second factor is on: from now on, log-in also asks for a code."))
            return redirect("two_factor")
        return render(request, "registration/two_factor.html", {
            "enabled": False, "form": form, "qr": qr_svg(device), "key": b32encode(device.bin_key).decode()})
    form = TokenForm(request.POST if request.method == "POST" else None, device=device)
    if request.method == "POST" and request.POST.get("action") == "disable" and form.is_valid():
        device.delete()
        messages.success(request, _("The second factor is off: log-in asks for the password only."))
        return redirect("two_factor")
    return render(request, "registration/two_factor.html", {"enabled": True, "form": form})
