"""The custom menu WeChat shows under the 公众号's chat, as its API takes it: from the site
settings (alerts.models.WeChatMenuSettings), or the default when they hold no button."""

from django.urls import reverse
from django.utils.translation import gettext as _

from alerts.followers.conversation import MY_COMMUNITY_KEY
from core.addresses import absolute_url, page_url
from notices.models import NoticeIndexPage


def default_menu() -> list[dict]:
    """在线报停 → the service desk, 停热通知 → the notices, 我的小区 → the bound communities'
    outages in the chat."""
    notices = NoticeIndexPage.objects.live().first()
    return [
        {"type": "view", "name": _("在线报停"), "url": absolute_url(reverse("servicedesk_index"))},
        {
            "type": "view",
            "name": _("停热通知"),
            "url": (page_url(notices) if notices else None) or absolute_url("/"),
        },
        {"type": "click", "name": _("我的小区"), "key": MY_COMMUNITY_KEY},
    ]


def _item(value) -> dict:
    match value["action"]:
        case "page":
            return {"type": "view", "name": value["name"], "url": page_url(value["page"].specific)}
        case "url":
            return {"type": "view", "name": value["name"], "url": value["url"]}
    return {"type": "click", "name": value["name"], "key": MY_COMMUNITY_KEY}


def menu(menu_settings) -> dict:
    """{"button": [...]}: the body of WeChat's menu/create."""
    buttons = []
    for block in menu_settings.buttons:
        value = block.value
        if value["sub_buttons"]:
            subs = [_item(sub) for sub in value["sub_buttons"]]
            buttons.append({"name": value["name"], "sub_button": subs})
        else:
            buttons.append(_item(value))
    return {"button": buttons or default_menu()}
