"""A Redis outage at the level of the code (the processes' view is tests/config/test_faults.py): the
cache behaves as an empty one that stores nothing (config/cache.py), rate limits still hold
(they are counted in the database), invalidations missed during the outage are replayed, and publishing a major notice
succeeds with the broker down, its texts sent by the minute schedule afterwards."""

import logging
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import redis
from django.core.cache import cache
from django.utils import timezone

from alerts.models import OutboundMessage
from alerts.tasks import dispatch_due
from config import cache as failsafe
from config.cache import FailSafeRedisCache
from contacts.models import Community
from core import ratelimit
from sms.backends import locmem
from tests.e2e.clusters import wait_for
from tests.factories.alerts import make_subscriber
from tests.factories.notices import make_notice


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cache_at(port: int) -> FailSafeRedisCache:
    return FailSafeRedisCache(f"redis://127.0.0.1:{port}/0", {"KEY_PREFIX": "outage-test"})


def test_an_unreachable_redis_is_an_empty_cache_that_stores_nothing(caplog):
    cache = cache_at(free_port())  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("key", "default") == "default"
        assert cache.get_many(["key"]) == {}
        assert cache.add("key", 1) is False
        cache.set("key", 1)
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete("key") is False
        assert cache.has_key("key") is False
        with pytest.raises(ValueError, match="not found"):
            cache.incr("key")
        started = time.monotonic()
        for _ in range(100):
            cache.get("key")
        assert time.monotonic() - started < 0.5  # not tried again for RETRY_AFTER seconds
    assert len(caplog.records) == 1  # one warning for the outage, not one per call
    assert "unreachable" in caplog.records[0].getMessage()


@pytest.mark.django_db
def test_rate_limits_hold_while_the_cache_is_down(settings, clock):
    """Counted in the database (core.ratelimit), not in the cache: a Redis outage neither
    opens the limits nor breaks the forms."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        }
    }
    assert cache.get("anything", "miss") == "miss"  # the cache is down
    clock("2026-12-04T10:00:30", tick=False)
    assert ratelimit.attempt("outage", "1.2.3.4", limit=1, window=60) == 0
    assert ratelimit.attempt("outage", "1.2.3.4", limit=1, window=60) == 30


@pytest.fixture
def redis_port(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(tmp_path)),
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    try:
        assert wait_for(lambda: _answers(client), timeout=10)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _answers(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def test_invalidations_missed_during_an_outage_are_replayed_when_redis_returns(
    redis_port, monkeypatch, caplog
):
    """Redis unreachable for a moment but still holding its data (a network cut, a pause): an
    entry dropped for a change made meanwhile must not come back stale."""
    monkeypatch.setattr(failsafe, "RETRY_AFTER", 0.2)
    cache = cache_at(redis_port)
    cache.set("page", "before the change")
    cache.set("token", "old")
    admin = redis.Redis(port=redis_port)
    admin.execute_command("CLIENT", "PAUSE", "1500", "ALL")  # every command waits 1.5 s
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        cache.delete("page")  # times out: remembered
        cache.set("token", "new")  # a replaced value is dropped too
        assert cache.get("page") is None  # while it is away: a miss
        time.sleep(1.6)
        assert cache.get("page") is None  # back: the missed deletes are replayed first
        assert cache.get("token") is None
    away, back = (record.getMessage() for record in caplog.records)
    assert "unreachable" in away
    assert "back after" in back and "2 missed invalidations replayed" in back


def test_one_redis_client_serves_every_operation_and_outlives_a_restart(redis_port, tmp_path):
    """Made once per connection pool (Django's client makes one per operation, a third of a
    cached page's time); its connections still come from the pool, so a restarted Redis is
    reached again."""
    cache = cache_at(redis_port)
    cache.set("key", "value")
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    assert cache.get_many(["key"]) == {"key": "value"}
    redis.Redis(port=redis_port).shutdown(nosave=True)
    restarted = subprocess.Popen(
        [*("redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "")],
        stdout=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        assert wait_for(lambda: _answers(redis.Redis(port=redis_port)), timeout=10)
        cache.set("key", "after the restart")  # the one retry reconnects the pooled connection
        assert cache.get("key") == "after the restart"
        assert cache._cache.get_client() is client
    finally:
        restarted.terminate()
        restarted.wait(timeout=10)


@pytest.mark.django_db
def test_publishing_with_the_broker_down_succeeds_and_the_minute_schedule_sends(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    locmem.reset()
    community = Community.objects.get(code="LY-0001")
    subscriber = make_subscriber([community])

    def broker_down(*args, **kwargs):
        raise redis.ConnectionError("Error 111 connecting to redis.internal:6379.")

    monkeypatch.setattr("core.tasks.async_task", broker_down)
    start = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        notice = make_notice(
            communities=[community],
            kind="emergency",
            starts_at=start,
            ends_at=start + timedelta(hours=12),
        )
    message = OutboundMessage.objects.get(notice=notice)
    assert locmem.outbox == []
    assert "Could not queue sms-" in caplog.text  # and the minute schedule picks it up

    monkeypatch.undo()  # the broker is back: the minute schedule runs
    assert dispatch_due() == 1
    assert [list(batch) for batch, *_ in locmem.outbox] == [[subscriber.phone]]
    assert OutboundMessage.objects.get(pk=message.pk).status == "done"
    locmem.reset()
