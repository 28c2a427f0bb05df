"""What a follower's message or event means, and the text to answer (None: answer nothing).

Text: 解绑/退订 [小区] unbinds; 查询 (or 停热, 停水, 停气, 停电 for one utility) lists the bound
communities' outages; 帮助 or anything unrecognised gets the help text; anything else is read
as a community's name, pinyin initials or code. Events: subscribe (with a QR scene: bind that
community), SCAN (bind), unsubscribe (every binding goes), the menu's 我的小区 click, and
TEMPLATESENDJOBFINISH (a template message that did not reach the phone is marked failed)."""

from alerts.channels.wechat import WeChatChannel
from alerts.enums import DeliveryStatus, FollowerSource
from alerts.followers import bindings, replies
from alerts.models import Delivery
from contacts.models import Community
from notices.enums import Utility

UNBIND = ("解绑", "退订", "取消绑定")
QUERY = {"查询": None, **{str(utility.label): utility.value for utility in Utility}}
HELP = {"帮助", "?", "help", "菜单", "你好", "您好"}
MY_COMMUNITY_KEY = "MY_COMMUNITY"
SCENE_PREFIX = "qrscene_"


def answer(message, request) -> str | None:
    if message.msg_type == "event":
        return _event(message, request)
    if message.msg_type != "text":
        return replies.help_text()
    return _text(message.from_user, bindings.normalise(message.content or ""), request)


def _event(message, request) -> str | None:
    openid, event, key = message.from_user, (message.event or "").lower(), message.event_key or ""
    match event:
        case "subscribe":
            bindings.followed(openid)
            scene = key.removeprefix(SCENE_PREFIX) if key.startswith(SCENE_PREFIX) else ""
            if scene:
                return _bind_scene(openid, scene, request)
            return replies.welcome()
        case "scan":
            return _bind_scene(openid, key, request)
        case "unsubscribe":
            bindings.left([openid])
            return None
        case "click" if key == MY_COMMUNITY_KEY:
            return replies.outages(bindings.bound_communities(openid), request)
        case "templatesendjobfinish":
            _record_template_result(message.msg_id, message.status)
    return None


def _record_template_result(msg_id: str, status: str) -> None:
    """WeChat's word on a template message it accepted: "success", or why the phone did not
    show it ("failed:user block": the follower refused the account's messages)."""
    if status and status != "success":
        Delivery.objects.filter(
            message__channel=WeChatChannel.name, provider_id=msg_id, status=DeliveryStatus.SENT
        ).update(status=DeliveryStatus.FAILED, last_error=status[:200])


def _bind_scene(openid: str, code: str, request) -> str:
    community = Community.objects.filter(code=code).first()
    if community is None:
        return replies.not_found()
    return _bind(openid, community, FollowerSource.QR, request)


def _bind(openid: str, community: Community, source: str, request) -> str:
    try:
        created = bindings.bind(openid, community, source)
    except bindings.TooManyBindings:
        return replies.too_many()
    return replies.bound(community, request) if created else replies.already_bound(community)


def _text(openid: str, text: str, request) -> str:
    if not text or text.lower() in HELP:
        return replies.help_text()
    if text in QUERY:
        return replies.outages(bindings.bound_communities(openid), request, QUERY[text])
    for command in UNBIND:
        if text.startswith(command):
            return _unbind(openid, text.removeprefix(command).strip())
    found = bindings.find_communities(text)
    if len(found) == 1:
        return _bind(openid, found[0], FollowerSource.TEXT, request)
    if found:
        more = len(found) > bindings.MAX_CANDIDATES
        return replies.candidates(found[: bindings.MAX_CANDIDATES], more)
    return replies.not_found()


def _unbind(openid: str, name: str) -> str:
    if not name:
        return replies.unbound(bindings.unbind(openid))
    bound = bindings.bound_communities(openid)
    wanted = bindings.normalise(name)
    matches = [c for c in bound if wanted in (c.name, c.code, *c.alias_list)]
    if not matches:
        return replies.not_bound(name)
    return replies.unbound(bindings.unbind(openid, matches[0]))
