"""The readiness check's one outbound HTTP client (issue 20 §3; docs/operations/oit-readiness.md).

``url_fetch(url)`` GETs one address the way an assessor's browser would, within limits that each come from a setting
(``ITA_OIT_FETCH_*``, ita_portal/settings/base.py):

- only ``http`` and ``https``;
- never an address that is not globally routable (private, loopback, link-local, shared, reserved, multicast,
  unspecified) unless it lies in ``OIT_FETCH_ALLOWED_NETWORKS`` (the tests allow ``127.0.0.1/32``). The host of
  **every hop** is resolved here, each of its addresses checked, and the connection made to the checked address
  (the URL's host kept in the ``Host`` header and as the TLS server name, so certificates are still verified against
  it): a name that resolves to a public address when checked and to a private one when connecting (DNS rebinding)
  cannot reach the private one, since no second lookup happens;
- ``OIT_FETCH_TIMEOUT_SECONDS`` (10) in all for one URL, redirects and reading included (the wait for a free slot
  of the host does not count);
- ``OIT_FETCH_MAX_BYTES`` (10 MB) of body, streamed: reading stops past it (a ``Content-Length`` above it is refused
  before reading);
- ``OIT_FETCH_MAX_REDIRECTS`` (5) redirects; a redirect back to an address already visited is a loop;
- ``OIT_FETCH_PER_HOST`` (2) requests at once to one host name, in this process (``host_slot``).

The text of an HTML page (tags, scripts and styles dropped) or a PDF (pypdf, at most ``OIT_FETCH_PDF_MAX_PAGES``
pages, while time is left) comes back in ``FetchResult.text`` for the caller to search and drop; ``years_in`` finds
the Buddhist-era years in it. Errors are short English codes (``FetchResult.error``, stored) with a Thai message
(``FetchResult.message``). DNS lookups use the system resolver, whose own timeout applies (it cannot be
interrupted).
"""
import io
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.thai import to_arabic_digits

USER_AGENT = "ITA-portal-OIT-readiness-check/1.0"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}

# Each error code (stored in UrlCheck.error) and its Thai message (what happened and what to do).
ERRORS = {
    "scheme": _("Only http:// and https:// addresses can be checked; give the page's web address."),
    "invalid_url": _("The address is not a valid web address."),
    "address_refused": _("The address leads to a private or internal network address that the public cannot "
                         "reach; give the page's address on the public main website."),
    "dns": _("The website's name could not be found (DNS); check the address for typing errors."),
    "timeout": _("The website did not answer within %(seconds)s seconds."),
    "connection": _("The website could not be reached (the connection failed)."),
    "tls": _("The website's security certificate (https) could not be verified."),
    "too_many_redirects": _("The address redirects more than %(redirects)s times."),
    "redirect_loop": _("The address redirects in a loop and never reaches a page."),
    "http_status": _("The website answered with error %(status)s."),
    "too_large": _("The file is larger than %(megabytes)s MB; only its first %(megabytes)s MB were read."),
    "unreadable": _("The text of the file could not be read."),
}
# Errors after which the page was reached: the link works, only its text could not be searched.
NOT_DEAD = {"too_large", "unreadable"}


@dataclass(frozen=True)
class FetchResult:
    """What fetching ``url`` gave: the last hop's HTTP status (None: no answer), the address finally reached, its
    content type (without parameters), the body's size in bytes (as read, or as announced when refused unread),
    the text of an HTML page or PDF ("" otherwise), an error code of ``ERRORS`` ("" when none), the seconds it
    took, and whether the body was HTML or PDF and its text was read (``text_read``: the year can be searched)."""

    url: str
    status_code: int | None = None
    final_url: str = ""
    content_type: str = ""
    size: int | None = None
    text: str = ""
    error: str = ""
    seconds: float = 0.0
    text_read: bool = False

    @property
    def dead(self) -> bool:
        """Whether the link does not lead to a page: no answer, a refused address, a 4xx/5xx status, a loop."""
        return bool(self.error and self.error not in NOT_DEAD) or (self.status_code or 0) >= 400

    @property
    def message(self) -> str:
        """The Thai (active language) message of ``error`` ("" when none)."""
        return fetch_error_message(self.error, status_code=self.status_code)


def fetch_error_message(error: str, *, status_code: int | None = None) -> str:
    """The message of an error code of ``ERRORS`` with the limits filled in ("" for "", the code for unknown)."""
    if not error:
        return ""
    if error not in ERRORS:
        return error
    return str(ERRORS[error]) % {
        "seconds": settings.OIT_FETCH_TIMEOUT_SECONDS, "redirects": settings.OIT_FETCH_MAX_REDIRECTS,
        "status": status_code or "", "megabytes": settings.OIT_FETCH_MAX_BYTES // (1024 * 1024),
    }


class FetchRefused(Exception):
    """A hop that must not be requested; ``code`` is a key of ``ERRORS``."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- addresses ---------------------------------------------------------------------------------------------------

def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net, strict=False) for net in settings.OIT_FETCH_ALLOWED_NETWORKS]


def address_allowed(address: str) -> bool:
    """Whether the check may connect to the IP ``address``: a globally routable unicast address, or one inside
    ``settings.OIT_FETCH_ALLOWED_NETWORKS``. IPv4-mapped IPv6 addresses are judged as their IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in _allowed_networks()):
        return True
    return ip.is_global and not ip.is_multicast


def resolve_checked(host: str, port: int) -> str:
    """One address of ``host`` to connect to, after checking every address it resolves to (``address_allowed``).
    Raises ``FetchRefused("dns")`` when it does not resolve and ``FetchRefused("address_refused")`` when any of
    its addresses is refused (a name with one private address among public ones is refused as a whole)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchRefused("dns") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchRefused("dns")
    if not all(address_allowed(address) for address in addresses):
        raise FetchRefused("address_refused")
    return addresses[0]


# --- one request at a time per host, twice ----------------------------------------------------------------------

_slots: dict[str, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


@contextmanager
def host_slot(host: str, *, timeout: float | None = None) -> Iterator[bool]:
    """Hold one of the ``settings.OIT_FETCH_PER_HOST`` slots of ``host`` (this process) while the block runs; yields
    False when none was free within ``timeout`` seconds (the block then runs without one: the caller gives up)."""
    with _slots_lock:
        slot = _slots.get(host)
        if slot is None:
            slot = _slots[host] = threading.BoundedSemaphore(settings.OIT_FETCH_PER_HOST)
    acquired = slot.acquire(timeout=timeout) if timeout is not None else slot.acquire()
    try:
        yield acquired
    finally:
        if acquired:
            slot.release()


# --- the client --------------------------------------------------------------------------------------------------

def fetch_client() -> httpx.Client:
    """An HTTP client for ``url_fetch``: no redirects followed by itself, no proxies or netrc from the environment
    (a proxy would connect to addresses this module has not checked), certificates verified. Thread-safe: one
    client serves a whole check. Close it (``with fetch_client() as client``)."""
    limits = httpx.Limits(max_connections=max(8, settings.OIT_FETCH_WORKERS * 2),
                          max_keepalive_connections=settings.OIT_FETCH_WORKERS)
    return httpx.Client(follow_redirects=False, trust_env=False, limits=limits,
                        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf;q=0.9,*/*;q=0.5"})


def _pinned(url: str) -> tuple[str, str, str, int]:
    """``url`` split for a pinned request: (the URL with the host replaced by its checked address, the Host header,
    the host name, the port). Raises ``FetchRefused`` for a bad scheme or address."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchRefused("invalid_url") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchRefused("scheme")
    try:
        host, port = parts.hostname, parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchRefused("invalid_url") from None
    if not host:
        raise FetchRefused("invalid_url")
    try:  # a Thai domain name (".ไทย") travels in its ASCII form, in the lookup, the Host header and the TLS name
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchRefused("invalid_url") from None
    address = resolve_checked(host, port)
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    header = host if not parts.port else f"{host}:{parts.port}"
    if ":" in host:  # an IPv6 literal in the URL
        header = f"[{host}]" if not parts.port else f"[{host}]:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, "")), header, host, port


def _content_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def url_fetch(url: str, *, client: httpx.Client | None = None, timeout: float | None = None,
              max_bytes: int | None = None, max_redirects: int | None = None) -> FetchResult:
    """GET ``url`` within the limits (module docstring; the keyword arguments override the settings) and return
    what came back. Never raises for anything the website does: errors are in ``FetchResult.error``."""
    timeout = settings.OIT_FETCH_TIMEOUT_SECONDS if timeout is None else timeout
    max_bytes = settings.OIT_FETCH_MAX_BYTES if max_bytes is None else max_bytes
    max_redirects = settings.OIT_FETCH_MAX_REDIRECTS if max_redirects is None else max_redirects
    own = client is None
    client = fetch_client() if own else client
    started = time.monotonic()
    deadline = None
    current, seen = url.strip(), set()
    status = None
    try:
        for hop in range(max_redirects + 1):
            key = urldefrag_key(current)
            if key in seen:
                return FetchResult(url, status, current, error="redirect_loop", seconds=time.monotonic() - started)
            seen.add(key)
            try:
                target, host_header, host, _port = _pinned(current)
            except FetchRefused as refused:
                return FetchResult(url, status, current, error=refused.code, seconds=time.monotonic() - started)
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            with host_slot(host.lower(), timeout=wait) as acquired:
                if not acquired:
                    return FetchResult(url, status, current, error="timeout", seconds=time.monotonic() - started)
                if deadline is None:
                    deadline = time.monotonic() + timeout
                outcome = _request(client, current, target, host_header, host, deadline, max_bytes)
            if isinstance(outcome, Redirect):
                status = outcome.status_code
                if hop == max_redirects:
                    return FetchResult(url, status, current, error="too_many_redirects",
                                       seconds=time.monotonic() - started)
                current = outcome.url
                continue
            return FetchResult(url, seconds=time.monotonic() - started, **outcome)
        return FetchResult(url, status, current, error="too_many_redirects", seconds=time.monotonic() - started)
    finally:
        if own:
            client.close()


@dataclass(frozen=True)
class Redirect:
    """A hop that redirects: the next absolute URL and the status that sent there."""

    url: str
    status_code: int


def urldefrag_key(url: str) -> str:
    """``url`` without its fragment, scheme and host lower-cased: the key of the redirect-loop check (``url``
    itself when it cannot be split, e.g. an unclosed IPv6 bracket)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _request(client: httpx.Client, current: str, target: str, host_header: str, host: str, deadline: float,
             max_bytes: int) -> Redirect | dict:
    """One hop: a ``Redirect``, or the fields of the ``FetchResult``."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return {"final_url": current, "error": "timeout"}
    extensions = {"sni_hostname": host} if target.startswith("https:") else {}
    try:
        request = client.build_request("GET", target, headers={"Host": host_header}, extensions=extensions,
                                       timeout=httpx.Timeout(remaining))
        response = client.send(request, stream=True)
    except httpx.TimeoutException:
        return {"final_url": current, "error": "timeout"}
    except httpx.ConnectError as error:
        code = "tls" if "CERTIFICATE" in str(error).upper() or "SSL" in str(error).upper() else "connection"
        return {"final_url": current, "error": code}
    except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol):
        return {"final_url": current, "error": "connection"}
    try:
        status = response.status_code
        content_type = _content_type(response)
        if status in REDIRECT_STATUSES and response.headers.get("location"):
            return Redirect(urljoin(current, response.headers["location"].strip()), status)
        fields = {"status_code": status, "final_url": current, "content_type": content_type}
        if status >= 400:
            return fields | {"error": "http_status"}
        announced = response.headers.get("content-length", "")
        if announced.isdigit() and int(announced) > max_bytes:
            return fields | {"size": int(announced), "error": "too_large"}
        body, size, error = _read_capped(response, deadline, max_bytes)
        fields |= {"size": size}
        if error:
            return fields | {"error": error}
        text, error = body_text(body, content_type=content_type, encoding=response.charset_encoding,
                                deadline=deadline)
        return fields | {"text": text or "", "error": error, "text_read": not error and text is not None}
    finally:
        response.close()


def _read_capped(response: httpx.Response, deadline: float, max_bytes: int) -> tuple[bytes, int, str]:
    """The body (decoded from its transfer encodings) up to ``max_bytes``: (bytes, size read, error code)."""
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes(chunk_size=65536):
            size += len(chunk)
            if size > max_bytes:
                return b"", size, "too_large"
            chunks.append(chunk)
            if time.monotonic() > deadline:
                return b"", size, "timeout"
    except httpx.TimeoutException:
        return b"", size, "timeout"
    except (httpx.TransportError, httpx.DecodingError):
        return b"", size, "connection"
    return b"".join(chunks), size, ""


# --- text --------------------------------------------------------------------------------------------------------

class _TextParser(HTMLParser):
    """The visible text of an HTML page (script, style and template contents dropped) and its ``<title>``."""

    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def html_text(body: bytes, *, encoding: str | None = None) -> str:
    """The visible text of an HTML page: decoded by the HTTP charset, else the page's ``<meta charset>`` (Thai sites
    still use TIS-620/windows-874), else UTF-8; undecodable bytes replaced."""
    if not encoding:
        found = _META_CHARSET.search(body[:4096])
        encoding = found.group(1).decode("ascii") if found else "utf-8"
    try:
        decoded = body.decode(encoding, errors="replace")
    except LookupError:
        decoded = body.decode("utf-8", errors="replace")
    parser = _TextParser()
    parser.feed(decoded)
    parser.close()
    return " ".join(parser.parts)


def pdf_text(body: bytes, *, deadline: float | None = None) -> str:
    """The text of a PDF's first ``settings.OIT_FETCH_PDF_MAX_PAGES`` pages (pypdf), stopping when ``deadline``
    (time.monotonic()) passes. Raises what pypdf raises on a damaged or encrypted file."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    texts = []
    for number, page in enumerate(reader.pages):
        if number >= settings.OIT_FETCH_PDF_MAX_PAGES or (deadline is not None and time.monotonic() > deadline):
            break
        texts.append(page.extract_text() or "")
    return "\n".join(texts)


def body_text(body: bytes, *, content_type: str, encoding: str | None = None,
              deadline: float | None = None) -> tuple[str | None, str]:
    """(text, error code) of a body by its content type (a PDF also by its first bytes): HTML and PDF are read;
    anything else gives (None, "")."""
    if content_type in ("text/html", "application/xhtml+xml"):
        return html_text(body, encoding=encoding), ""
    if content_type == "application/pdf" or body[:5] == b"%PDF-":
        try:
            return pdf_text(body, deadline=deadline), ""
        except Exception:  # noqa: BLE001 - pypdf raises many kinds on damaged or encrypted files
            return None, "unreadable"
    return None, ""


_YEAR = re.compile(r"(?<![0-9])(2[5-7][0-9]{2})(?![0-9])")


def years_in(text: str) -> set[int]:
    """The Buddhist-era years 2500–2700 written in ``text``, in Arabic or Thai digits ("ปี ๒๕๖๙", "2568"); a digit
    run longer than four digits is not a year."""
    return {year for year in map(int, _YEAR.findall(to_arabic_digits(text))) if 2500 <= year <= 2700}
