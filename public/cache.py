"""The server-side cache of the public pages (issue 21 §4).

Every cached public body is stored under the current *public version*, a random token kept in the shared cache;
``version_bump`` (run after a publish or a withdrawal commits) replaces it, so every page cached before is never
read again (and expires). Bodies also expire after ``settings.PUBLIC_CACHE_SECONDS`` (300 by default), so that
an approved plan reopened after its year was published leaves the public page within that time."""
import uuid

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "public:version"


def version() -> str:
    """The current public version (a 32-hex token; created when the cache has none)."""
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, None)


def version_bump() -> None:
    """Forget every cached public page (a new version: old keys are never read again)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def page_key(*parts: object) -> str:
    """The cache key of one public body: the version and ``parts`` (the path and the format)."""
    return ":".join(["public", version(), *(str(part) for part in parts)])


def page_get(key: str) -> dict | None:
    return cache.get(key)


def page_set(key: str, value: dict) -> None:
    cache.set(key, value, settings.PUBLIC_CACHE_SECONDS)
