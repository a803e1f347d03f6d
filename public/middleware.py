"""The public pages carry no cookie either way (issue 21 §4).

Placed before ``SessionMiddleware`` (settings ``MIDDLEWARE``): a request to the public tree (``PUBLIC_PATHS``:
``/p/``, ``/robots.txt``, ``/sitemap.xml``) reaches the portal without its cookies, so no session, CSRF token,
message or language choice is ever read — a signed-in visitor sees exactly what an anonymous one sees, in Thai —
and the response leaves without ``Set-Cookie`` and without ``Vary: Cookie``, so shared caches may keep it.
"Not found" is the public tree's own page (without the portal's language form, whose CSRF token would set a cookie,
nor its log-in links), which shared caches may keep ``PUBLIC_SHARED_CACHE_SECONDS``."""
from django.conf import settings
from django.http import HttpRequest, HttpResponseNotFound
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

PUBLIC_PATHS = ("/p/", "/robots.txt", "/sitemap.xml")


def is_public_path(path: str) -> bool:
    return path.startswith(PUBLIC_PATHS)


class PublicPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not is_public_path(request.path_info):
            return self.get_response(request)
        request.COOKIES = {}
        request.META.pop("HTTP_COOKIE", None)
        response = self.get_response(request)
        if response.status_code == 404:  # the public page of "not found" (no log-in links, no language form)
            response = HttpResponseNotFound(render_to_string("public/404.html", {
                "licence": settings.ITA_OPEN_DATA_LICENCE, "licence_url": settings.ITA_OPEN_DATA_LICENCE_URL}))
            # Shared caches keep it as briefly as a page: so a withdrawn year's 404 replaces the page a proxy kept
            # (nginx answers with the kept page while it refreshes, and would keep it if the 404 could not be
            # stored); browsers ask again each time (max-age=0).
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PUBLIC_SHARED_CACHE_SECONDS)
        response.cookies.clear()
        if "Vary" in response.headers:
            vary = [v.strip() for v in response.headers["Vary"].split(",") if v.strip().lower() != "cookie"]
            if vary:
                response.headers["Vary"] = ", ".join(vary)
            else:
                del response.headers["Vary"]
        return response
