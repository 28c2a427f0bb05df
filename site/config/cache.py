"""The Redis cache backend of every environment with REDIS_URL: Django's own, made to survive a
Redis outage. Pages, feeds and the site chrome all go through the cache; with
Django's RedisCache a stopped Redis turns each of them into a 500.

While Redis cannot be reached, an operation behaves as it would on an empty cache that stores
nothing: `get` returns the default, `add` False, `incr` raises ValueError (a missing key, which
callers already handle), `set` and `delete` do nothing. Consequences, chosen on purpose:
- pages are built from the database on every request (slower, never wrong);
- rate limits (core.ratelimit) are not in the cache: counted in the database, they hold;
- a write that could not reach Redis (`delete`, `delete_many`, and `set`, `set_many`, which
  replace what was there: core.page_cache invalidates by replacing tokens) leaves its keys to
  be deleted when Redis answers again, before anything else is read, so an entry cached
  before the outage for something that changed during it does not come back stale.
  Remembered per process, in memory: a process that ends before Redis returns forgets them
  (entries still expire with their timeout).

After a failure Redis is left alone for RETRY_AFTER seconds: a page makes several cache calls,
and each would otherwise wait for a connection timeout. One warning is logged when Redis goes
away and one line when it is back, not one per call. Short socket timeouts and one immediate
retry by default (redis-py would otherwise retry ten times with backoff, seconds per call); the
cache's OPTIONS may override them.

Django's client makes a new `redis.Redis` for every operation, whose construction (a table of
some 170 reply handlers) took a third of a page served from the page cache; here each
connection pool has one, made once (it keeps no state of its own: connections come from the
pool)."""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = 5.0  # seconds without trying Redis after a failure
MAX_PENDING_DELETES = 10_000
DEFAULT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
    # One immediate retry: a pooled connection that Redis closed (a restart) reconnects at once.
    "retry": Retry(NoBackoff(), 1),
}


class _Health:
    """Whether one Redis server is reachable, shared by every thread of the process (Django
    makes one cache object per thread), and the invalidations it missed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic time before which Redis is not tried
        self.down_since = None
        self.pending_deletes: set[str] = set()

    def should_try(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self, location: str, error: Exception) -> None:
        with self.lock:
            self.down_until = time.monotonic() + RETRY_AFTER
            if self.down_since is None:
                self.down_since = time.monotonic()
                logger.warning(
                    "Redis cache at %s unreachable (%s): serving without cache", location, error
                )

    def missed(self, keys) -> None:
        with self.lock:
            if len(self.pending_deletes) < MAX_PENDING_DELETES:
                self.pending_deletes.update(keys)
            else:
                logger.error("Redis cache: too many missed invalidations; some are lost")

    def recovered(self, replayed: list[str]) -> float | None:
        """Redis answers again and the missed invalidations are replayed: seconds it was away,
        or None if another thread got there first."""
        with self.lock:
            self.pending_deletes.difference_update(replayed)
            if self.down_since is None:
                return None
            away = time.monotonic() - self.down_since
            self.down_since = None
        return away


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _health_of(location: str) -> _Health:
    with _health_lock:
        return _health.setdefault(location, _Health())


class _Unavailable(Exception):
    """Raised inside the backend when Redis is not tried or did not answer."""


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id of a pool in self._pools (kept for the process) -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = _OneClientPerPool
        # For the logs: host and port, never the password a URL may carry.
        self._location = ",".join(
            f"{urlsplit(url).hostname}:{urlsplit(url).port}" for url in self._servers
        )
        self._health = _health_of(",".join(self._servers))

    def _run(self, operation, *args, **kwargs):
        health = self._health
        if not health.should_try():
            raise _Unavailable
        try:
            if health.down_since is not None:
                self._replay_missed()  # before anything is read that they would drop
            return operation(*args, **kwargs)
        except UNREACHABLE as error:
            health.failed(self._location, error)
            raise _Unavailable from error

    def _replay_missed(self) -> None:
        health = self._health
        with health.lock:
            keys = sorted(health.pending_deletes)
        if keys:
            self._cache.delete_many(keys)
        away = health.recovered(keys)
        if away is not None:
            logger.warning(
                "Redis cache at %s back after %.0f s; %d missed invalidations replayed",
                self._location,
                away,
                len(keys),
            )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._run(super().add, key, value, timeout, version)
        except _Unavailable:
            return False

    def get(self, key, default=None, version=None):
        try:
            return self._run(super().get, key, default, version)
        except _Unavailable:
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            self._run(super().set, key, value, timeout, version)
        except _Unavailable:
            # What was there is now out of date: it must not survive the outage either.
            self._health.missed([self.make_and_validate_key(key, version=version)])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._run(super().touch, key, timeout, version)
        except _Unavailable:
            return False

    def delete(self, key, version=None):
        try:
            return self._run(super().delete, key, version)
        except _Unavailable:
            self._health.missed([self.make_and_validate_key(key, version=version)])
            return False

    def get_many(self, keys, version=None):
        try:
            return self._run(super().get_many, keys, version)
        except _Unavailable:
            return {}

    def has_key(self, key, version=None):
        try:
            return self._run(super().has_key, key, version)
        except _Unavailable:
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return self._run(super().incr, key, delta, version)
        except _Unavailable:
            raise ValueError(f"Key {key!r} not found (cache unavailable).") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return self._run(super().set_many, data, timeout, version)
        except _Unavailable:
            self._health.missed(self.make_and_validate_key(key, version=version) for key in data)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            self._run(super().delete_many, keys, version)
        except _Unavailable:
            self._health.missed(self.make_and_validate_key(key, version=version) for key in keys)

    def clear(self):
        try:
            return self._run(super().clear)
        except _Unavailable:
            logger.error("Redis cache at %s unreachable: clear() not done", self._location)
            return False
