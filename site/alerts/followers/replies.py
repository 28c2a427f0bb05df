"""What the 公众号 answers a follower: a text reply (WeChat shows links written as <a href>),
at most REPLY_MAX_BYTES (WeChat's limit for a passive text reply is 2048 bytes)."""

from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from alerts.followers.bindings import MAX_BINDINGS
from contacts.models import Community
from contacts.pages import DirectoryPage
from core.addresses import page_url
from notices.models import OutageNoticePage
from notices.presentation import time_range
from notices.queries import current_and_upcoming

REPLY_MAX_BYTES = 2000
MAX_NOTICES = 5


def help_text() -> str:
    return _(
        "发送小区名称、拼音首字母或小区编号（如 LY-0001），即可绑定小区，停热、停水、停气时"
        "收到通知；也可以扫描小区张贴的二维码绑定。\n"
        "发送“查询”查看已绑定小区的停供信息；“停热”“停水”“停气”只看一类。\n"
        "发送“解绑”取消全部绑定，“解绑 小区名称”取消一个。"
    )


def link(url: str | None, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>' if url else escape(text)


def community_link(community: Community, request) -> str:
    directory = DirectoryPage.objects.live().first()
    base = page_url(directory, request) if directory else None
    return link(f"{base}{community.code}/" if base else None, community.name)


def bound(community: Community, request) -> str:
    return (
        _("已绑定%(community)s。该小区有停供时，我们会第一时间通知您。")
        % {"community": community.name}
        + "\n"
        + outages([community], request)
    )


def welcome() -> str:
    return _("感谢关注！") + "\n" + help_text()


def not_bound(name: str) -> str:
    return _("您没有绑定“%(name)s”。发送“查询”查看已绑定的小区。") % {"name": name}


def already_bound(community: Community) -> str:
    return _("您已绑定%(community)s。发送“查询”查看停供信息。") % {"community": community.name}


def too_many() -> str:
    return _("最多可绑定%(count)d个小区。请先发送“解绑 小区名称”取消不需要的小区。") % {
        "count": MAX_BINDINGS
    }


def candidates(communities: list[Community], more: bool) -> str:
    lines = [_("找到多个小区，请回复小区编号：")]
    lines += [f"{c.code} {c.name}（{c.district}）" for c in communities]
    if more:
        lines.append(_("还有更多，请输入更完整的名称。"))
    return "\n".join(lines)


def not_found() -> str:
    return _("没有找到这个小区。") + "\n" + help_text()


def unbound(count: int) -> str:
    if not count:
        return _("您还没有绑定小区。") + "\n" + help_text()
    return _("已取消%(count)d个小区的绑定，不再收到这些小区的停供通知。") % {"count": count}


def outages(communities: list[Community], request, utility: str | None = None) -> str:
    """The current and coming outages of the communities, newest news first, with links."""
    if not communities:
        return _("您还没有绑定小区。") + "\n" + help_text()
    notices = OutageNoticePage.objects.live().filter(communities__in=communities)
    if utility:
        notices = notices.filter(utility=utility)
    listed = list(current_and_upcoming(notices, timezone.now()).distinct()[: MAX_NOTICES + 1])
    names = "、".join(c.name for c in communities)
    if not listed:
        return _("%(communities)s目前没有停供计划。") % {"communities": names}
    lines = [_("%(communities)s的停供信息：") % {"communities": names}]
    for notice in listed[:MAX_NOTICES]:
        lines.append(
            f"{link(page_url(notice, request), notice.headline)}\n"
            f"{time_range(notice)}（{notice.state_label}）"
        )
    if len(listed) > MAX_NOTICES:
        lines.append(_("更多请看：") + community_link(communities[0], request))
    return fit("\n".join(lines))


def fit(text: str) -> str:
    """Cut at a line boundary to stay within REPLY_MAX_BYTES."""
    if len(text.encode()) <= REPLY_MAX_BYTES:
        return text
    kept = []
    for line in text.split("\n"):
        if len("\n".join([*kept, line, "…"]).encode()) > REPLY_MAX_BYTES:
            break
        kept.append(line)
    return "\n".join([*kept, "…"])
