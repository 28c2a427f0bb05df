"""Each action, done once for its rule and event."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from alerts.models import OutboundMessage
from notices.lifecycle.transitions import record_update
from notices.models import OutageNoticePage
from rules.models import PageReview, RuleFiring
from rules.tasks import remind_reviews
from tests.catalogue.helpers import regulation
from tests.factories.alerts import make_subscriber
from tests.factories.notices import make_notice
from tests.rules.helpers import block, make_rule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_rules")]


def publish(capture, community, **fields):
    with capture(execute=True):
        return make_notice(communities=[community], **fields)


def test_send_on_chosen_channels_held_until_a_time(
    django_capture_on_commit_callbacks, community, outbox, clock
):
    make_subscriber([community])
    clock("2026-12-05T23:10:00")
    make_rule(
        ["published"], actions=[block("send", {"channels": ["sms"], "hold_until": "07:00:00"})]
    )
    notice = publish(django_capture_on_commit_callbacks, community)
    [message] = OutboundMessage.objects.filter(notice=notice)
    assert message.channel == "sms" and outbox == []
    assert timezone.localtime(message.not_before).isoformat() == "2026-12-06T07:00:00+08:00"
    assert message.sent_by.startswith("《测试规则") and message.rule_revision_id


@pytest.fixture
def hub(settings):
    """A WebSub hub on 127.0.0.1: the feed addresses it is told of."""
    pinged = []

    class Hub(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            pinged.append(parse_qs(self.rfile.read(length).decode())["hub.url"][0])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{server.server_port}/"
    yield pinged
    server.shutdown()


def test_announce_the_feed_pings_the_hub(django_capture_on_commit_callbacks, community, hub):
    make_rule(["published"], actions=[block("announce_feed")])
    publish(django_capture_on_commit_callbacks, community)
    assert any(url.endswith("/feeds/major.rss") for url in hub)
    hub.clear()
    with django_capture_on_commit_callbacks(execute=True):
        regulation()
    assert sorted(url.rsplit("/", 1)[1] for url in hub) == ["regulations.atom", "regulations.rss"]


def test_e_mail_a_group_and_the_moderators(
    django_capture_on_commit_callbacks, community, django_user_model, moderator
):
    group = Group.objects.create(name="热线班组")
    person = django_user_model.objects.create_user("hotline", "hotline@example.cn", "x")
    person.groups.add(group)
    moderator.email = "moderator@example.cn"
    moderator.save()
    make_rule(
        ["published"],
        actions=[block("email_group", {"group": str(group.pk)}), block("notify_moderators")],
        name="停供通知抄送",
    )
    notice = publish(django_capture_on_commit_callbacks, community)
    assert sorted(m.to[0] for m in mail.outbox) == ["hotline@example.cn", "moderator@example.cn"]
    assert all("停供通知抄送" in m.subject and notice.title in m.body for m in mail.outbox)


def test_set_and_clear_the_major_flag(django_capture_on_commit_callbacks, community):
    start = timezone.now() + timedelta(days=1)
    make_rule(
        ["published"],
        [block("utility", {"utilities": ["gas"]})],
        [block("set_major", {"major": "set"})],
    )
    make_rule(["cancelled"], actions=[block("set_major", {"major": "clear"})])
    notice = publish(
        django_capture_on_commit_callbacks,
        community,
        utility="gas",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    assert OutageNoticePage.objects.get(pk=notice.pk).is_major  # two hours, but gas: major
    with django_capture_on_commit_callbacks(execute=True):
        record_update(notice.pk, "extended", new_ends_at=start + timedelta(hours=3), text="延长")
    assert OutageNoticePage.objects.get(pk=notice.pk).is_major  # the rule's mark holds
    with django_capture_on_commit_callbacks(execute=True):
        record_update(notice.pk, "cancelled", text="取消")
    assert not OutageNoticePage.objects.get(pk=notice.pk).is_major


def test_a_review_date_and_its_reminder(django_capture_on_commit_callbacks, clock, editor):
    editor.email = "editor@example.cn"
    editor.save()
    make_rule(
        ["published", "updated"],
        [block("column", {"columns": ["regulations"]})],
        [block("review_date", {"days": 30})],
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = regulation(owner=editor)
    review = PageReview.objects.get(page_id=page.pk, done_at=None)
    assert review.due_on.isoformat() == "2027-01-04"
    assert remind_reviews(review.due_on - timedelta(days=1)) == 0
    assert remind_reviews(review.due_on) == 1
    assert remind_reviews(review.due_on) == 0  # once
    [reminder] = mail.outbox
    assert reminder.to == ["editor@example.cn"] and page.title in reminder.subject


def test_an_action_that_fails_is_recorded_and_not_retried(
    django_capture_on_commit_callbacks, community, monkeypatch
):
    rule = make_rule(["published"], actions=[block("set_major", {"major": "set"})])

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setitem(
        __import__("rules.actions", fromlist=["ACTIONS"]).ACTIONS, "set_major", (broken, False)
    )
    notice = publish(django_capture_on_commit_callbacks, community)
    firing = RuleFiring.objects.get(rule=rule)
    assert firing.status == "failed" and firing.event.page_id == notice.pk
