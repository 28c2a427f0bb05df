"""RSS 2.0 and Atom feeds of notices (the disclosure columns' feeds are the catalogue's).

Item GUIDs are built from the page id (tag URIs), never from the URL, so a renamed notice is
not a new item; an update changes the item's updated time, not its GUID. Every feed answers
a conditional GET (ETag / Last-Modified) with 304 from one aggregate query, before rendering.
Links are absolute from core.addresses, as in every other channel."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from contacts.cache_tags import DIRECTORY
from contacts.models import Community
from core import fragments
from core.addresses import absolute_url, base_url, page_url
from core.conditional import conditional, fingerprint, stats
from core.feeds import SiteFeed, tag_uri
from core.sites import PAGE_TREE_TAG
from notices import cache_tags
from notices.enums import Utility
from notices.models import NoticeIndexPage, OutageNoticePage
from notices.presentation import summary
from notices.queries import notices_for_display

FEED_SIZE = 50
# What an item's wording shows: the notice, its communities' names, its station's phone.
ITEM_TAGS = (cache_tags.NOTICES, DIRECTORY)


class Selection:
    """Which live notices a feed carries, and how it is titled."""

    def __init__(self, queryset: QuerySet, title: str, description: str, key: str):
        self.queryset, self.title, self.description, self.key = queryset, title, description, key


def _live_notices() -> QuerySet:
    return OutageNoticePage.objects.live()


def select_all(**kwargs) -> Selection:
    return Selection(
        _live_notices(), _("停水停气停热通知"), _("全部停供通知，含计划停供和抢修停供。"), "all"
    )


def select_major(**kwargs) -> Selection:
    return Selection(
        _live_notices().filter(is_major=True),
        _("8小时以上停供通知"),
        _("预计持续8小时以上（或恢复时间待定）的停供通知。"),
        "major",
    )


def select_utility(utility: str, **kwargs) -> Selection:
    if utility not in Utility.values:
        raise Http404
    label = Utility(utility).label
    return Selection(
        _live_notices().filter(utility=utility),
        _("%s通知") % label,
        _("全部%s通知。") % label,
        f"utility-{utility}",
    )


def select_community(code: str, **kwargs) -> Selection:
    community = Community.objects.filter(code=code).only("pk", "name").first()
    if community is None:
        raise Http404
    return Selection(
        _live_notices().filter(communities=community),
        _("%s停供通知") % community.name,
        _("影响%s的停水、停气、停热通知。") % community.name,
        f"community-{code}",
    )


class NoticeFeed(SiteFeed):
    feed_type = Rss201rev2Feed

    def __init__(self, select):
        super().__init__()
        self.select = select

    def get_object(self, request, *args, **kwargs):
        return self.select(**kwargs)

    def title(self, selection):
        return selection.title

    def feed_guid(self, selection):
        return tag_uri(self.request, "feed", selection.key)

    def description(self, selection):
        return selection.description

    subtitle = description

    def kept_as(self, selection):
        """The whole document, until a notice, the directory or the page tree (the notice
        index's address, the site's name) changes; keyed by the selection's fingerprint too
        (core.conditional), so that a change no tag named still shows at once."""
        computed = stats(self.request)
        if computed is None:  # not served through notice_view
            return None
        etag = computed[0]
        key = ("notice-feed", self.feed_type.__name__, selection.key, base_url(self.request), etag)
        return key, (*ITEM_TAGS, PAGE_TREE_TAG)

    def link(self, selection):
        index = NoticeIndexPage.objects.live().first()
        if index is None:
            return absolute_url("/", self.request)
        return page_url(index, self.request)

    def items(self, selection):
        """The wording of each item is kept per notice (core.fragments) until any notice or
        any directory entry (a community's name, a station's phone) changes: a view reads the
        ids and writes the XML."""
        ids = selection.queryset.order_by("-changed_at", "-pk").values_list("pk", flat=True)
        base = base_url(self.request)
        keys = [("notice-feed-item", pk, base) for pk in ids[:FEED_SIZE]]
        kept = fragments.kept_values(self.request, keys, ITEM_TAGS, self._wording)
        return [kept[key] for key in keys if key in kept]

    def _wording(self, keys) -> dict:
        notices = notices_for_display(OutageNoticePage.objects.filter(pk__in=[k[1] for k in keys]))
        found = {notice.pk: notice for notice in notices}
        return {key: self._item(found[key[1]]) for key in keys if key[1] in found}

    def _item(self, notice) -> "FeedItem":
        categories = [notice.utility_label, notice.state_label, notice.kind_label]
        if notice.is_major:
            categories.append(_("8小时以上"))
        return FeedItem(
            title=f"【{notice.state_label}】{notice.title}",
            # RSS <description> and Atom <summary type="html"> are HTML to every reader: the
            # plain text (editors' and partner feeds' words) is escaped, never taken for markup.
            description=escape(summary(notice)),
            link=page_url(notice, self.request),
            guid=tag_uri(self.request, "notice", notice.pk),
            published=notice.went_live_at or notice.first_published_at,
            updated=notice.changed_at,
            categories=tuple(categories),
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return item.categories


@dataclass(frozen=True)
class FeedItem:
    """What a feed says of one notice (shared by every request of the process: immutable)."""

    title: str
    description: str
    link: str
    guid: str
    published: object
    updated: object
    categories: tuple


class AtomNoticeFeed(NoticeFeed):
    feed_type = Atom1Feed


def notice_view(select, feed_class):
    def compute(request, **kwargs):
        selection = select(**kwargs)
        # The base address is in the key: the links and GUIDs are built from it.
        return fingerprint(selection.queryset, "changed_at", f"{base_url(request)}:{selection.key}")

    return conditional(compute)(feed_class(select))


all_rss = notice_view(select_all, NoticeFeed)
all_atom = notice_view(select_all, AtomNoticeFeed)
major_rss = notice_view(select_major, NoticeFeed)
major_atom = notice_view(select_major, AtomNoticeFeed)
utility_rss = notice_view(select_utility, NoticeFeed)
utility_atom = notice_view(select_utility, AtomNoticeFeed)
community_rss = notice_view(select_community, NoticeFeed)
community_atom = notice_view(select_community, AtomNoticeFeed)
