"""What a 公众号 follower can do by sending text or scanning a QR code, with no account: bind
communities by name, alias, pinyin or code (several, up to the limit), unbind one or all, ask
for the outages of the bound communities; an unsubscribe event removes every binding."""

from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from alerts.enums import DeliveryStatus
from alerts.followers import bindings, conversation
from alerts.models import Delivery, FollowerBinding, WeChatFollower
from contacts.models import Community
from tests.factories.alerts import make_message
from tests.factories.notices import make_notice

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
OPENID = "oTestFollower000000000000001"


def text(content: str, openid: str = OPENID):
    return SimpleNamespace(
        msg_type="text", from_user=openid, content=content, event="", event_key=""
    )


def event(name: str, key: str = "", openid: str = OPENID, **fields):
    return SimpleNamespace(
        msg_type="event", from_user=openid, content="", event=name, event_key=key, **fields
    )


@pytest.fixture
def say(rf: RequestFactory):
    request = rf.post("/wechat/", HTTP_HOST="heat.example.cn")
    return lambda message: conversation.answer(message, request)


def bound_codes(openid: str = OPENID) -> list[str]:
    return [c.code for c in bindings.bound_communities(openid)]


def test_a_follower_binds_by_exact_name_alias_code_and_full_width_code(say):
    assert "已绑定星宇小区" in say(text("星宇小区"))
    assert bound_codes() == ["LY-0001"]
    assert "您已绑定安居三期" in say(text("安居三期")) or "已绑定安居三期" in say(text("安居三期"))
    assert "已绑定万鑫小区" in say(text("ＬＹ－０００３"))  # typed on a Chinese keyboard
    assert bound_codes() == ["LY-0001", "LY-0002", "LY-0003"]
    assert "您已绑定星宇小区" in say(text("星宇家园"))  # an alias of one already bound
    assert FollowerBinding.objects.filter(follower__openid=OPENID).count() == 3


def test_an_ambiguous_name_lists_the_candidates_with_their_codes(say):
    reply = say(text("小区"))
    assert reply.startswith("找到多个小区，请回复小区编号")
    assert "LY-0003 万鑫小区（绿园区）" in reply and "还有更多" in reply
    assert not WeChatFollower.objects.exists()


def test_pinyin_initials_of_a_unique_community_bind_it(say):
    community = Community.objects.get(code="LY-0003")  # 万鑫小区
    matches = bindings.find_communities("wxxq")
    assert matches == [community]
    assert "已绑定万鑫小区" in say(text("wxxq"))


def test_unknown_text_gets_help_and_changes_nothing(say):
    reply = say(text("今天天气怎么样"))
    assert "没有找到这个小区" in reply and "发送小区名称" in reply
    assert "发送小区名称" in say(text("帮助"))
    assert "发送小区名称" in say(SimpleNamespace(msg_type="image", from_user=OPENID))
    assert not WeChatFollower.objects.exists()


def test_a_follower_may_bind_up_to_the_limit(say):
    for community in Community.objects.order_by("pk")[: bindings.MAX_BINDINGS]:
        say(text(community.code))
    extra = Community.objects.order_by("pk")[bindings.MAX_BINDINGS]
    assert "最多可绑定10个小区" in say(text(extra.code))
    assert len(bound_codes()) == bindings.MAX_BINDINGS


def test_unbinding_one_or_all(say):
    say(text("LY-0001"))
    say(text("LY-0002"))
    assert "已取消1个小区的绑定" in say(text("解绑 星宇小区"))
    assert bound_codes() == ["LY-0002"]
    assert "您没有绑定“星宇小区”" in say(text("解绑 星宇小区"))
    assert "已取消1个小区的绑定" in say(text("退订"))
    assert bound_codes() == []
    follower = WeChatFollower.objects.get(openid=OPENID)
    assert follower.following and follower.left_at is not None  # its retention clock runs
    assert "您还没有绑定小区" in say(text("解绑"))


def test_scanning_a_community_qr_code_binds_it_on_subscribe_and_on_scan(say):
    assert "已绑定星宇小区" in say(event("subscribe", "qrscene_LY-0001"))
    assert "已绑定安居三期" in say(event("SCAN", "LY-0002"))
    assert "感谢关注" in say(event("subscribe", "", openid="oSomeoneElse00000000000000"))
    assert bound_codes() == ["LY-0001", "LY-0002"]
    assert "没有找到这个小区" in say(event("SCAN", "NO-SUCH"))


def test_unfollowing_removes_every_binding_and_starts_the_retention_clock(say, clock):
    say(text("LY-0001"))
    assert say(event("unsubscribe")) is None
    follower = WeChatFollower.objects.get(openid=OPENID)
    assert not follower.following and follower.bindings.count() == 0
    clock.shift(31 * 24 * 3600)
    assert bindings.purge_left() == 1
    assert not WeChatFollower.objects.exists()


def test_query_lists_current_and_coming_outages_of_the_bound_communities(say, clock):
    clock("2026-12-05 10:00")
    xingyu = Community.objects.get(code="LY-0001")
    water = make_notice(communities=[xingyu], title="星宇小区停水", utility="water")
    heat = make_notice(communities=[xingyu], title="星宇小区停热", utility="heat")
    make_notice(communities=[Community.objects.get(code="LY-0003")], utility="water")
    assert "目前没有停供计划" not in say(text("LY-0001"))

    reply = say(text("查询"))
    assert reply.startswith("星宇小区的停供信息")
    assert f'href="http://heat.example.cn{water.url}"' in reply
    assert f'href="http://heat.example.cn{heat.url}"' in reply
    only_water = say(text("停水"))
    assert water.url in only_water and heat.url not in only_water
    assert len(reply.encode()) <= 2048
    assert "星宇小区的停供信息" in say(event("CLICK", conversation.MY_COMMUNITY_KEY))


def test_a_template_message_the_phone_refused_is_marked_failed(say):
    say(text("LY-0001"))
    follower = WeChatFollower.objects.get(openid=OPENID)
    message = make_message(
        make_notice(communities=[follower.bindings.get().community]), channel="wechat"
    )
    delivered = Delivery.objects.create(
        message=message, recipient_id=follower.pk, status=DeliveryStatus.SENT, provider_id="2001"
    )
    assert say(event("TEMPLATESENDJOBFINISH", msg_id="2001", status="success")) is None
    assert Delivery.objects.get(pk=delivered.pk).status == DeliveryStatus.SENT
    say(event("TEMPLATESENDJOBFINISH", msg_id="2001", status="failed:user block"))
    delivered.refresh_from_db()
    assert (delivered.status, delivered.last_error) == (DeliveryStatus.FAILED, "failed:user block")
