"""The signed-in person's notifications page: which e-mails they get, and at which address."""
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import PreferenceForm
from .services import preference_set, wants_digest


def preferences(request: HttpRequest) -> HttpResponse:
    """GET: the page (the address e-mails go to, what is always sent, the digest's box); POST ``digest``: store the
    choice (``services.preference_set``) and come back with a message. Only the person's own row is ever read or
    written."""
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            digest = form.cleaned_data["digest"]
            preference_set(user=request.user, digest=digest)
            messages.success(request, _("You will get the daily digest.") if digest
                             else _("You will no longer get the daily digest."))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(initial={"digest": wants_digest(user=request.user)})
    return render(request, "notifications/preferences.html", {"form": form})
