"""The public pages carry no cookie either way (issue 21 §4).

Placed before ``SessionMiddleware`` (settings ``MIDDLEWARE``): a request to the public tree (``PUBLIC_PATHS``:
``/p/``, ``/robots.txt``, ``/sitemap.xml``) reaches the portal without its cookies, so no session, CSRF token,
message or language choice is ever read — a signed-in visitor sees exactly what an anonymous one sees, in Thai —
and the response leaves without ``Set-Cookie`` and without ``Vary: Cookie``, so shared caches may keep it."""
from django.http import HttpRequest

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
        response.cookies.clear()
        if "Vary" in response.headers:
            vary = [v.strip() for v in response.headers["Vary"].split(",") if v.strip().lower() != "cookie"]
            if vary:
                response.headers["Vary"] = ", ".join(vary)
            else:
                del response.headers["Vary"]
        return response
