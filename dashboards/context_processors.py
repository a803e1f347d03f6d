"""Template context of every page: the links of the top bar (the user's dashboard, the score import)."""
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from organizations.selectors import only_organization_slug, oversight_of


def navigation(request: HttpRequest) -> dict:
    """``dashboard_slug``: the slug of the signed-in user's only organization ("" when they have none or several),
    for the top bar's link to that organization's dashboard. ``oversight``: the user's read-only oversight
    (``organizations.selectors.oversight_of``; superusers count as national), for the link to the score import.
    Lazy: each one query runs only when a template reads it (none for superusers' oversight; shared with the views
    through the user object)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"dashboard_slug": SimpleLazyObject(lambda: only_organization_slug(user=user) or ""),
            "oversight": SimpleLazyObject(lambda: oversight_of(user=user))}
