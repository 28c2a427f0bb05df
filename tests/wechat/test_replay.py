"""Replay protection: the timestamp window, a nonce and a message taken once, a failed handling
giving its sighting back, sightings purged after a day. (Atomicity across processes is the
database's: one INSERT … ON CONFLICT DO NOTHING, as core.ratelimit's upsert, whose exactness
under real process races tests/core/test_ratelimit_exact.py proves.)"""

import time

import pytest
from django.db import transaction

from standins.wechat_callback import WeChatCallbackClient
from wechat import CallbackRejected
from wechat.messages import parse_message
from wechat.models import SeenCallback
from wechat.replay import (
    WINDOW,
    check_timestamp,
    first_sighting,
    message_is_new,
    nonce_is_new,
    purge_seen,
)

pytestmark = pytest.mark.clock
WECHAT = WeChatCallbackClient("token", "wx-app")


def test_a_timestamp_within_five_minutes_either_way_is_accepted(clock):
    clock("2026-12-05 10:00", tick=False)
    now = int(time.time())
    for timestamp in (now, now - WINDOW, now + WINDOW):
        check_timestamp(str(timestamp))
    for timestamp in (str(now - WINDOW - 1), str(now + WINDOW + 1), "", "-5", "12a"):
        with pytest.raises(CallbackRejected, match="时间戳"):
            check_timestamp(timestamp)


@pytest.mark.django_db
def test_a_nonce_is_taken_once():
    assert nonce_is_new("1764900000", "123456")
    assert not nonce_is_new("1764900000", "123456")
    assert nonce_is_new("1764900001", "123456")


@pytest.mark.django_db
def test_wechat_retries_of_a_message_or_event_are_taken_once():
    text = parse_message(WECHAT.text("oFollower0001", "查询", msg_id=42).body)
    retry = parse_message(WECHAT.text("oFollower0001", "查询", msg_id=42).body)
    assert message_is_new(text) and not message_is_new(retry)
    event = parse_message(WECHAT.event("oFollower0001", "subscribe", create_time=1764900000).body)
    assert message_is_new(event) and not message_is_new(event)
    other = parse_message(WECHAT.event("oFollower0002", "subscribe", create_time=1764900000).body)
    assert message_is_new(other)


@pytest.mark.django_db
def test_no_openid_is_stored():
    message_is_new(parse_message(WECHAT.event("oFollower0001", "subscribe").body))
    (key,) = SeenCallback.objects.values_list("key", flat=True)
    assert key.startswith("message:") and "oFollower0001" not in key


@pytest.mark.django_db
def test_work_that_rolls_back_takes_its_sighting_with_it():
    """Marked inside the message's transaction: a failure lets WeChat's retry be handled."""
    with pytest.raises(RuntimeError), transaction.atomic():
        assert first_sighting("message", "msg:7")
        raise RuntimeError("the handler failed")
    assert first_sighting("message", "msg:7")


@pytest.mark.django_db
def test_sightings_older_than_a_day_are_purged(clock):
    clock("2026-12-04 09:00")
    first_sighting("nonce", "old")
    clock("2026-12-05 08:00")
    first_sighting("nonce", "recent")
    clock("2026-12-05 09:30")
    assert purge_seen() == 1
    assert not first_sighting("nonce", "recent") and first_sighting("nonce", "old")
