"""Services and selectors of organizations' OIT checklists.

Only ``url_on_main_website`` is here on this branch (the readiness check needs it); the checklist pages' services
are written beside it in another branch, which keeps its own version of this function at the merge.
"""
from urllib.parse import urlsplit


def _host(address: str) -> str:
    """The host of ``address`` lower-cased, without a leading "www." and a trailing dot ("" when none); an address
    without a scheme ("www.example.go.th/a") is read as http."""
    address = (address or "").strip()
    if address and "://" not in address:
        address = "http://" + address
    try:
        host = urlsplit(address).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") else host


def url_on_main_website(*, url: str, website: str) -> bool:
    """Whether ``url`` is on the main website ``website`` (``Organization.website``): True when both name the same
    host, where the scheme, the port, a leading "www.", letter case and a trailing dot make no difference
    ("http://khokma.go.th/a" is on "https://www.khokma.go.th/"); a sub-domain is another host. False when either
    is empty or has no host. Raises nothing."""
    url_host, site_host = _host(url), _host(website)
    return bool(url_host) and url_host == site_host
