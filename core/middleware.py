"""Middleware of the portal.

Thai by default: the language is the one the user chose (cookie set by ``set_language``), else
``LANGUAGE_CODE``. The browser's Accept-Language is ignored on purpose: staff on English-language
phones and browsers must still get the Thai portal unless they switch."""
import logging
import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.defaults import page_not_found

from .db import statement_cancelled

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: ``Permissions-Policy`` (settings.PERMISSIONS_POLICY: no camera,
    microphone, location…) on every response, and ``Cache-Control: no-store`` (never kept by a browser or a proxy)
    on every response to a signed-in user — pages, exports, documents and evidence files all carry one
    organization's data. Static files never reach this (WhiteNoise answers them first, cacheable)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SessionIdleTimeoutMiddleware:
    """A session ends ``SESSION_IDLE_MINUTES`` after its last request: Django stores it with an expiry of
    ``SESSION_COOKIE_AGE`` (the same minutes) from its last save, and this middleware saves an existing session
    again once a minute or more has passed since it was last saved (``session_touch``), so activity keeps it alive
    without a database write per request. Log-in saves it (``session_touched_at_login``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.session_key:
            session_touch(request.session)
        return self.get_response(request)


SESSION_SAVED_AT = "_saved_at"  # seconds since the epoch of the last save made for activity


def session_touch(session, *, now: float | None = None) -> bool:
    """Mark ``session`` to be saved (so its expiry moves on) when 60 s or more have passed since the last time;
    True when it did."""
    now = time.time() if now is None else now
    saved = session.get(SESSION_SAVED_AT)
    if saved is not None and now - saved < 60:
        return False
    session[SESSION_SAVED_AT] = int(now)
    return True


def session_touched_at_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver (core.apps): the log-in saves the session, so note it as saved."""
    if getattr(request, "session", None) is not None:
        session_touch(request.session)


class ThaiNotFoundMiddleware:
    """Under DEBUG, the portal's own Thai 404 page (templates/404.html, ``django.views.defaults.page_not_found``)
    instead of Django's English technical page, for an address no URL pattern matches and for a 404 a view raises
    — so people trying the portal with ``make run`` see what production shows. Django answers those with its
    technical page whenever ``settings.DEBUG`` (``django.core.handlers.exception.response_for_exception``), before
    ``handler404``; this middleware answers first. Not used without DEBUG (``MiddlewareNotUsed``): Django's own
    handling then renders the same template. Sits after the authentication middleware, so the page's header knows
    the user."""

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as error:
            return page_not_found(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


class StatementTimeoutMiddleware:
    """A request whose SQL statement PostgreSQL cut off (``statement_timeout``, settings.STATEMENT_TIMEOUT_SECONDS;
    ``core.db``) gets a Thai page saying the request took too long, status 503 with ``Retry-After``, never a 500;
    the cut is logged as a warning with the path. The page is rendered without the request's context processors:
    it must not query the database that just refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not statement_cancelled(exception):
            return None
        logger.warning("Statement timeout (%s s) on %s %s", settings.STATEMENT_TIMEOUT_SECONDS, request.method,
                       request.path)
        response = HttpResponse(render_to_string("503_timeout.html"), status=503)
        response["Retry-After"] = "60"
        return response
