"""公众号 template messages: the fields editors preview are the fields WeChat gets, each within
WeChat's limits, filled from the notice and its latest update."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from alerts import dispatch
from alerts.channels.wechat import THING_MAX, WeChatChannel
from alerts.enums import MessageEvent
from alerts.followers import bindings
from alerts.models import Delivery, OutboundMessage, WeChatFollower
from contacts.models import Community
from notices.lifecycle.transitions import record_update
from standins.wechat_api import WeChatApiStandin
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def notice(clock):
    clock("2026-12-05 10:00")
    return make_notice(
        communities=[Community.objects.get(code="LY-0001")],
        utility="heat",
        area_name="星宇小区及周边皓月大路沿线全部居民楼和商业网点",
        starts_at=datetime(2026, 12, 6, 8, 0, tzinfo=SHANGHAI),
        ends_at=datetime(2026, 12, 6, 20, 0, tzinfo=SHANGHAI),
    )


def test_the_template_fields_come_from_the_notice_within_wechat_limits(notice):
    content = WeChatChannel().render(notice, MessageEvent.PUBLISHED)
    assert content.params == {
        "thing1": "停热通知",
        "thing2": "星宇小区及周边皓月大路沿线全部居民楼和…",
        "time3": "2026年12月6日 08:00~2026年12月6日 20:00",
        "thing4": content.params["thing4"],
    }
    assert all(len(v) <= THING_MAX for k, v in content.params.items() if k.startswith("thing"))
    assert content.link.endswith(notice.url)
    assert "地点：星宇小区及周边" in content.text


def test_an_extension_says_the_new_end(notice, clock):
    update = record_update(
        notice.pk, kind="extended", new_ends_at=datetime(2026, 12, 7, 8, 0, tzinfo=SHANGHAI)
    )
    notice.refresh_from_db()
    content = WeChatChannel().render(notice, MessageEvent.EXTENDED, update)
    assert content.params["thing1"] == "停热延长"
    assert content.params["time3"].endswith("2026年12月7日 08:00")
    assert "延长至12月7日" in content.params["thing4"]


def test_the_delivery_page_previews_every_channel_from_the_draft(client, moderator, notice):
    notice.area_name = "草稿里改过的地点"
    notice.save_revision()  # a draft waiting for 审核
    client.force_login(moderator)
    page = client.get(f"/admin/alerts/notices/{notice.pk}/deliveries/").content.decode()
    previews = page.split("各渠道预览")[1].split("推送记录")[0]
    assert "短信" in previews and "公众号" in previews
    assert "<dt>thing2</dt><dd>草稿里改过的地点</dd>" in previews
    assert "未启用（未配置）" in previews  # the account is not configured in the tests


# Sending, against the stand-in of WeChat's API.

APP_ID, SECRET, TEMPLATE = "wx-channel-test", "channel-secret", "outage-template"


@pytest.fixture
def account():
    with WeChatApiStandin(APP_ID, SECRET, latency=0.02, template_ids={TEMPLATE}) as standin:
        with override_settings(
            WECHAT_APP_ID=APP_ID,
            WECHAT_APP_SECRET=SECRET,
            WECHAT_TOKEN="token",
            WECHAT_API_BASE=standin.api_base,
            WECHAT_TEMPLATE_ID=TEMPLATE,
            WECHAT_SEND_CONCURRENCY=4,
        ):
            cache.clear()  # no access_token of another stand-in
            yield standin


@pytest.fixture
def followers():
    xingyu, anju = Community.objects.filter(code__in=["LY-0001", "LY-0002"]).order_by("code")
    openids = [f"oChannelFollower{index:012d}" for index in range(10)]
    for openid in openids:
        bindings.bind(openid, xingyu)
    bindings.bind(openids[0], anju)  # bound to both affected communities: still one message
    bindings.bind("oElsewhere0000000000000000", Community.objects.get(code="LY-0003"))
    bindings.bind("oLeft000000000000000000000", xingyu)
    bindings.left(["oLeft000000000000000000000"])
    return openids, [xingyu, anju]


def publish_major(django_capture_on_commit_callbacks, communities):
    start = timezone.now() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        return make_notice(
            communities=communities,
            kind="emergency",
            utility="heat",
            starts_at=start,
            ends_at=start + timedelta(hours=10),
        )


def received(standin) -> dict[str, int]:
    return {openid: len(records) for openid, records in standin.sent.items()}


def test_a_major_notice_reaches_each_bound_follower_once(
    django_capture_on_commit_callbacks, account, followers
):
    openids, communities = followers
    notice = publish_major(django_capture_on_commit_callbacks, communities)

    assert received(account) == dict.fromkeys(openids, 1)
    record = account.sent_to(openids[0])[0]
    assert record.template_id == TEMPLATE and record.url.endswith(notice.url)
    assert record.data["thing1"] == "停热通知"
    message = OutboundMessage.objects.get(notice=notice, channel="wechat")
    assert (
        record.client_msg_id
        == Delivery.objects.get(
            message=message, recipient_id=WeChatFollower.objects.get(openid=openids[0]).pk
        ).out_id
    )

    dispatch.send_message(message.pk)  # redelivered
    assert received(account) == dict.fromkeys(openids, 1)
    report = dispatch.report(message)
    assert (report["sent"], report["handovers"], report["duplicates"]) == (10, 10, 0)


def test_a_follower_who_unfollowed_loses_the_bindings_and_is_not_retried(
    django_capture_on_commit_callbacks, account, followers, clock
):
    openids, communities = followers
    account.fail_openid(openids[3], 43004)
    notice = publish_major(django_capture_on_commit_callbacks, communities)
    follower = WeChatFollower.objects.get(openid=openids[3])
    assert not follower.following and not follower.bindings.exists()
    message = OutboundMessage.objects.get(notice=notice, channel="wechat")
    assert dispatch.report(message)["failed"] == 1
    clock.shift(3600)
    dispatch.send_message(message.pk)
    assert account.calls["template"] == 10  # 9 sent, 1 refused, none again


@pytest.mark.parametrize("errcode", [45009, -1])
def test_busy_and_over_the_limit_are_retried_later(
    django_capture_on_commit_callbacks, account, followers, clock, errcode
):
    openids, communities = followers
    account.fail_next(2, errcode)
    notice = publish_major(django_capture_on_commit_callbacks, communities)
    message = OutboundMessage.objects.get(notice=notice, channel="wechat")
    assert dispatch.report(message)["pending"] == 2
    clock.shift(31)
    dispatch.send_message(message.pk)
    assert received(account) == dict.fromkeys(openids, 1)


def test_a_refused_configuration_stops_the_message(
    django_capture_on_commit_callbacks, account, followers
):
    _, communities = followers
    with override_settings(WECHAT_TEMPLATE_ID="no-such-template"):
        notice = publish_major(django_capture_on_commit_callbacks, communities)
    report = dispatch.report(OutboundMessage.objects.get(notice=notice, channel="wechat"))
    assert report["gave_up"] >= 1 and report["sent"] == 0
    assert report["gave_up"] + report["pending"] == 10


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_a_call_whose_answer_was_lost_is_repeated_and_wechat_drops_the_copy(account, followers):
    openids, communities = followers
    notice = make_notice(communities=communities, utility="heat", ends_at=None)
    message = queue_wechat(notice)
    dispatch.fan_out(message)
    claim = dispatch._claim(message, 1)
    dispatch._hand_over(claim)
    channel = WeChatChannel()
    channel.send(claim.addresses, dispatch.content_of(message), out_id=claim.out_id)
    # ... and the worker dies before recording it: WeChat has it, the ledger does not know.

    dispatch.send_message(message.pk)

    assert received(account) == dict.fromkeys(openids, 1)
    assert account.calls["template"] == 11  # the repeated call, dropped by client_msg_id
    assert dispatch.report(message)["sent"] == 10


def queue_wechat(notice):
    return OutboundMessage.objects.create(
        notice=notice,
        channel="wechat",
        event="published",
        event_key="published",
        text="t",
        template_code=TEMPLATE,
        params={"thing1": "停热通知"},
        not_before=timezone.now(),
    )
