"""管家群 robots: a major notice posts once to each active robot of its communities through the
企业微信 webhook (a real HTTP stand-in), and each error does what its kind says: 45009 and busy
are retried later, 93000 deactivates the robot, an unknown error stops the message; a worker
killed mid-call is recovered; the key never reaches a log line, an error or the admin."""

import logging
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from alerts import dispatch
from alerts.channels.robots import MARKDOWN_LIMIT, RobotChannel, RobotClient, markdown
from alerts.enums import DeliveryStatus
from alerts.models import Delivery, GroupRobot, OutboundMessage
from alerts.outbox import queue
from config.log_safety import SafeFormatter
from contacts.models import Community
from standins.wecom_robot import WecomRobotStandin
from tests.factories.alerts import make_message, make_robot
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def xingyu():
    return Community.objects.get(code="LY-0001")


@pytest.fixture
def robots(xingyu):
    """Two robots of the notice's community, one switched off, one of another community."""
    return {
        "a": make_robot(xingyu),
        "b": make_robot(xingyu),
        "off": make_robot(xingyu, active=False),
        "elsewhere": make_robot(Community.objects.get(code="KC-0001")),
    }


@pytest.fixture
def wecom(robots, settings):
    with WecomRobotStandin({robot.webhook_key for robot in robots.values()}) as standin:
        settings.WECOM_ROBOT_API_BASE = standin.base_url
        yield standin


@pytest.fixture
def logged(caplog):
    """Every log line of the test as the site's formatter writes it."""
    caplog.set_level(logging.DEBUG)
    formatter = SafeFormatter("%(levelname)s %(name)s %(message)s")
    return lambda: "\n".join(formatter.format(record) for record in caplog.records)


def publish_major(django_capture_on_commit_callbacks, community, **fields):
    start = timezone.now() + timedelta(days=2)
    defaults = {"kind": "emergency", "starts_at": start, "ends_at": start + timedelta(hours=12)}
    with django_capture_on_commit_callbacks(execute=True):
        return make_notice(communities=[community], **{**defaults, **fields})


def robot_message(notice) -> OutboundMessage:
    message = make_message(notice, channel="robot", text=markdown(notice, "published"))
    dispatch.fan_out(message)
    return message


def status_of(message, robot) -> Delivery:
    return Delivery.objects.get(message=message, recipient_id=robot.pk)


def test_publishing_a_major_notice_posts_once_to_each_robot_of_its_communities(
    django_capture_on_commit_callbacks, wecom, robots, xingyu, logged
):
    notice = publish_major(django_capture_on_commit_callbacks, xingyu)

    channels = set(OutboundMessage.objects.filter(notice=notice).values_list("channel", flat=True))
    assert {"sms", "robot"} <= channels
    assert set(wecom.sent) == {robots["a"].webhook_key, robots["b"].webhook_key}
    [post] = wecom.sent_to(robots["a"].webhook_key)
    assert post.msgtype == "markdown"
    assert post.content.startswith("### 【春城热力】停水通知")
    for fact in (notice.title, "测试泵站", "南至皓月大路", xingyu.name, "请提前储水。", "详询"):
        assert fact in post.content
    assert f"/{notice.slug}/)" in post.content  # the link to the notice

    # The signal again, the task redelivered, the minute schedule: nothing posted twice.
    message = OutboundMessage.objects.get(notice=notice, channel="robot")
    queue(notice, "published", "published")
    dispatch.send_message(message.pk)
    assert {key: len(posts) for key, posts in wecom.sent.items()} == dict.fromkeys(
        [robots["a"].webhook_key, robots["b"].webhook_key], 1
    )
    report = dispatch.report(message)
    assert (report["recipients"], report["sent"], report["handovers"]) == (2, 2, 2)
    assert all(robot.webhook_key not in logged() for robot in robots.values())


def test_no_active_robot_no_robot_message(django_capture_on_commit_callbacks, xingyu):
    make_robot(xingyu, active=False)
    assert not RobotChannel.is_enabled()
    notice = publish_major(django_capture_on_commit_callbacks, xingyu)
    assert not OutboundMessage.objects.filter(notice=notice, channel="robot").exists()


def test_over_the_robots_limit_is_retried_later_with_backoff(wecom, robots, xingyu, clock):
    """A robot takes 20 messages a minute: the 21st is answered 45009 and waits its turn."""
    clock("2026-12-05 10:00")
    key = robots["a"].webhook_key
    client = RobotClient(wecom.base_url)
    for number in range(20):
        client.post(key, f"其他消息{number}")
    message = robot_message(make_notice(communities=[xingyu], ends_at=None))

    dispatch.send_message(message.pk)

    delivery = status_of(message, robots["a"])
    assert delivery.status == DeliveryStatus.PENDING
    assert "45009" in delivery.last_error
    assert delivery.next_attempt_at == pytest.approx(
        timezone.now() + timedelta(seconds=30), abs=timedelta(seconds=5)
    )
    assert status_of(message, robots["b"]).status == DeliveryStatus.SENT
    dispatch.send_message(message.pk)  # not due yet: nothing tried
    assert len(wecom.sent_to(key)) == 20

    clock.shift(31)  # the backoff is over, but the robot's minute is not: 45009 again
    dispatch.send_message(message.pk)
    assert status_of(message, robots["a"]).next_attempt_at > timezone.now() + timedelta(seconds=60)

    clock.shift(121)
    dispatch.send_message(message.pk)
    assert status_of(message, robots["a"]).status == DeliveryStatus.SENT
    assert len(wecom.sent_to(key)) == 21


@pytest.mark.parametrize("fault", [-1, "5xx"])
def test_busy_and_server_errors_are_retried(wecom, robots, xingyu, clock, fault):
    clock("2026-12-05 10:00")
    wecom.fail_next(1, fault)
    message = robot_message(make_notice(communities=[xingyu], ends_at=None))
    dispatch.send_message(message.pk)
    assert dispatch.report(message)["pending"] == 1
    clock.shift(31)
    dispatch.send_message(message.pk)
    assert dispatch.report(message)["sent"] == 2
    assert len(wecom.sent_to(robots["a"].webhook_key)) == 1


def test_an_invalid_key_deactivates_the_robot_and_only_it(wecom, robots, xingyu, logged):
    wecom.remove(robots["b"].webhook_key)  # the robot was removed from its group
    message = robot_message(make_notice(communities=[xingyu], ends_at=None))

    dispatch.send_message(message.pk)

    gone = status_of(message, robots["b"])
    assert (gone.status, gone.attempts) == (DeliveryStatus.FAILED, 1)
    robot = GroupRobot.objects.get(pk=robots["b"].pk)
    assert not robot.active and "93000" in robot.deactivated_reason
    assert status_of(message, robots["a"]).status == DeliveryStatus.SENT
    # The next notice leaves it out.
    later = robot_message(make_notice(communities=[xingyu], ends_at=None))
    assert dispatch.report(later)["recipients"] == 1
    assert robots["b"].webhook_key not in logged() + gone.last_error + robot.deactivated_reason


def test_an_error_the_channel_cannot_fix_stops_the_message(wecom, robots, xingyu):
    wecom.fail_next(1, 40008)
    message = robot_message(make_notice(communities=[xingyu], ends_at=None))
    dispatch.send_message(message.pk)
    report = dispatch.report(message)
    assert report["gave_up"] == 1 and report["sent"] + report["gave_up"] + report["pending"] == 2
    assert "40008" in Delivery.objects.get(message=message, status="gave_up").last_error


def test_the_markdown_stays_within_the_byte_limit(wecom, robots, xingyu):
    notice = make_notice(communities=[xingyu], ends_at=None)
    message = robot_message(notice)
    # Longer than any field allows today (9,000 bytes on its own): the limit is kept anyway.
    notice.boundary_text = "沿" * 3000
    notice.boundary_south = notice.boundary_north = notice.boundary_west = ""
    notice.boundary_east = ""
    message.text = markdown(notice, "published")
    message.save()
    assert len(message.text.encode()) <= MARKDOWN_LIMIT < len(message.text.encode()) + 4
    dispatch.send_message(message.pk)
    assert dispatch.report(message)["sent"] == 2  # the stand-in refuses over 4096 bytes


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_a_worker_killed_between_hand_over_and_record_is_recovered(wecom, robots, xingyu):
    """Robot a: claimed, never handed over (posted once on recovery, nothing asked). Robot b:
    handed over and posted, then the worker died: WeCom cannot be asked, so it is posted again
    and the report says it may have been posted twice."""
    message = robot_message(make_notice(communities=[xingyu], ends_at=None))
    client = RobotClient(wecom.base_url)
    first = dispatch._claim(message, 1, RobotChannel())
    second = dispatch._claim(message, 1, RobotChannel())
    dispatch._hand_over(second)
    client.post(second.addresses[0], message.text)  # and the worker dies

    dispatch.send_message(message.pk)

    by_key = {key: len(posts) for key, posts in wecom.sent.items()}
    assert by_key == {first.addresses[0]: 1, second.addresses[0]: 2}
    report = dispatch.report(message)
    assert (report["sent"], report["handovers"], report["possible_duplicates"]) == (2, 3, 1)


@override_settings(SMS_CLAIM_TIMEOUT=0)
def test_a_read_timeout_leaves_the_post_to_recovery(wecom, robots, xingyu):
    """WeCom took the post and went silent: the row stays claimed (maybe accepted) instead of
    being retried at once; recovery then posts it again, flagged as a possible duplicate."""
    wecom.timeout_delay = 1.0
    wecom.fail_next(1, "timeout")
    message = robot_message(make_notice(communities=[xingyu], ends_at=None))
    client = RobotClient(wecom.base_url, timeout=(1, 0.3))

    dispatch.send_message(message.pk, backend=client)
    assert dispatch.report(message)["sending"] == 1

    dispatch.send_message(message.pk, backend=client)
    report = dispatch.report(message)
    assert (report["sent"], report["possible_duplicates"]) == (2, 1)
    assert sum(len(posts) for posts in wecom.sent.values()) == 3


KEY = "693a91f6-7f2e-4bc4-97a0-0ec2d1fa5aaa"
WEBHOOK = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"


def test_the_admin_takes_a_key_write_only_and_shows_only_its_mask(client, moderator, xingyu):
    client.force_login(moderator)
    add = reverse("wagtailsnippets_alerts_grouprobot:add")
    form = {"name": "星宇小区3号楼供热管家群", "community": xingyu.pk, "building": "3号楼"}

    refused = client.post(add, {**form, "new_key": "不是key"})
    assert "无法识别的 Webhook key" in refused.content.decode()
    assert not GroupRobot.objects.filter(name=form["name"]).exists()

    client.post(add, {**form, "new_key": WEBHOOK, "active": "on"})  # the address, as copied
    robot = GroupRobot.objects.get(name=form["name"])
    assert (robot.webhook_key, robot.active) == (KEY, True)

    listing = client.get(reverse("wagtailsnippets_alerts_grouprobot:list"), {"q": "星宇"})
    edit = reverse("wagtailsnippets_alerts_grouprobot:edit", args=(robot.pk,))
    for page in (listing.content.decode(), client.get(edit).content.decode()):
        assert "693a****5aaa" in page and KEY not in page

    client.post(edit, {**form, "new_key": "", "active": "on"})  # blank: the key stays
    assert GroupRobot.objects.get(pk=robot.pk).webhook_key == KEY
    GroupRobot.objects.filter(pk=robot.pk).update(active=False, deactivated_reason="93000")
    client.post(edit, {**form, "new_key": "0f0e0d0c-new-key-1234", "active": "on"})
    robot.refresh_from_db()
    assert (robot.webhook_key, robot.active, robot.deactivated_reason) == (
        "0f0e0d0c-new-key-1234",
        True,
        "",
    )


def test_editors_cannot_see_the_robots(client, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailsnippets_alerts_grouprobot:list"))
    assert response.status_code in (302, 403)
