"""Binding a follower to communities, with no account: the follower sends a community's name,
pinyin initials or code, or scans the community's QR code. A follower may bind several
communities (up to MAX_BINDINGS); 解绑 removes them; unfollowing the account removes them all."""

import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alerts.enums import FollowerSource
from alerts.models import FollowerBinding, WeChatFollower
from contacts.models import Community

MAX_BINDINGS = 10
MAX_CANDIDATES = 8


class TooManyBindings(Exception):
    pass


def normalise(text: str) -> str:
    """Full-width letters and digits as ASCII, surrounding space and punctuation dropped."""
    return unicodedata.normalize("NFKC", text).strip().strip("。.!！?？")


def find_communities(text: str) -> list[Community]:
    """The community a follower means: its code, its exact name or alias, else every community
    whose name, alias or pinyin contains the text (at most MAX_CANDIDATES + 1, so the caller
    can tell "too many")."""
    text = normalise(text)
    if not text or len(text) > 40:
        return []
    by_code = Community.objects.filter(code__iexact=text).first()
    if by_code:
        return [by_code]
    matches = list(Community.objects.lookup(text).order_by("name", "pk")[: MAX_CANDIDATES + 1])
    exact = [c for c in matches if text == c.name or text in c.alias_list]
    return exact[:1] or matches


def bind(openid: str, community: Community, source: str = FollowerSource.TEXT) -> bool:
    """Bind; False when the follower had it already. Raises TooManyBindings."""
    with transaction.atomic():
        follower, _ = WeChatFollower.objects.select_for_update().get_or_create(openid=openid)
        if not follower.following or follower.left_at:
            follower.following, follower.left_at = True, None
            follower.save(update_fields=["following", "left_at"])
        if follower.bindings.filter(community=community).exists():
            return False
        if follower.bindings.count() >= MAX_BINDINGS:
            raise TooManyBindings
        FollowerBinding.objects.create(follower=follower, community=community, source=source)
    return True


def bound_communities(openid: str) -> list[Community]:
    return list(
        Community.objects.filter(wechat_bindings__follower__openid=openid).order_by(
            "wechat_bindings__created_at"
        )
    )


def unbind(openid: str, community: Community | None = None) -> int:
    """Unbind one community, or all; the follower is kept as following (it may bind again) and
    its retention clock starts when nothing is left."""
    bindings = FollowerBinding.objects.filter(follower__openid=openid)
    if community is not None:
        bindings = bindings.filter(community=community)
    removed = bindings.delete()[0]
    if removed and not FollowerBinding.objects.filter(follower__openid=openid).exists():
        WeChatFollower.objects.filter(openid=openid).update(left_at=timezone.now())
    return removed


def followed(openid: str) -> None:
    """A subscribe event: the follower is back (its old bindings went when it left)."""
    WeChatFollower.objects.filter(openid=openid).update(following=True)


def left(openids) -> int:
    """Unfollowed the account (an unsubscribe event, or WeChat's 43004 on a send): every
    binding goes at once, the openid itself after the retention period."""
    FollowerBinding.objects.filter(follower__openid__in=openids).delete()
    return WeChatFollower.objects.filter(openid__in=openids).update(
        following=False, left_at=timezone.now()
    )


def purge_left() -> int:
    """Retention: followers who left more than WECHAT_RETENTION_DAYS ago are deleted."""
    cutoff = timezone.now() - timedelta(days=settings.WECHAT_RETENTION_DAYS)
    return WeChatFollower.objects.filter(left_at__lt=cutoff, bindings__isnull=True).delete()[0]
