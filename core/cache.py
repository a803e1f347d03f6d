"""The shared cache's backend: Django's built-in Redis cache, which treats a Redis that does not answer as a miss.

The portal caches only what it can build again (the dashboard's body, the overview's figures), so an outage of
Redis should cost speed, not pages. Django's ``RedisCache`` raises ``redis.exceptions.ConnectionError`` from every
call instead; this subclass catches the errors of an unreachable or timed-out server, logs a warning (logger
``core.cache``) and answers as a miss: ``get`` returns the default, ``set``/``add``/``delete`` do nothing.
Any other error (a wrong password, a bad command) still raises.
"""
import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _warn(operation: str, error: Exception) -> None:
    logger.warning("the shared cache (Redis) did not answer %s: %s; served without it", operation, error)


class ForgivingRedisCache(RedisCache):
    """``RedisCache`` whose reads miss and whose writes are skipped while Redis cannot be reached."""

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _warn("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            _warn("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            _warn("has_key", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _warn("set", error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            _warn("add", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            _warn("delete", error)
            return False
