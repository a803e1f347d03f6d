"""Template context of every page: the link to the user's dashboard in the top bar."""
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import single_organization_slug


def navigation(request: HttpRequest) -> dict:
    """``dashboard_slug``: the slug of the signed-in user's only organization ("" when they have none or several),
    for the top bar's link to that organization's dashboard. Lazy: its one query runs only when a template reads
    it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"dashboard_slug": SimpleLazyObject(lambda: single_organization_slug(user=user) or "")}
