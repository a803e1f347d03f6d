"""Template context shared by every page."""
from django.utils.functional import SimpleLazyObject

from organizations.selectors import oversight_of


def oversight(request) -> dict:
    """``oversight``: the user's read-only oversight (``organizations.selectors.oversight_of``), for the links only
    overseers and superusers see. Lazy: read when a template asks (no query for superusers, at most one per
    request otherwise, shared with the views through the user object)."""
    return {"oversight": SimpleLazyObject(lambda: oversight_of(user=request.user))}
