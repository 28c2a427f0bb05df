"""CAP 1.2 (OASIS Common Alerting Protocol) documents of the notices, and the Atom index of
current alerts that CAP aggregators poll.

Each notice is one sequence of CAP messages: its publication (msgType Alert), then one message
per timeline entry (Update, or Cancel once the notice is cancelled). The document served is the
latest message; its `references` list every earlier one, so a consumer that missed some can
still tie them together. Messages follow the order entries were recorded and are dated when they
were recorded: an entry may be back-dated (an emergency notice published late is "started" at
its start time), but the message about it cannot have been sent before the one it updates.

Known limit: republishing a notice's content without a timeline entry changes the document but
not its identifier, since only timeline entries are messages."""

import re
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from lxml import etree

from core.addresses import absolute_url, base_url, host, page_url
from core.conditional import conditional, fingerprint
from core.feeds import tag_uri
from core.formatting import SHANGHAI
from home.models import SiteSettings
from notices import queries, utilities
from notices.channels.fingerprints import notice_fingerprint
from notices.enums import NoticeState
from notices.maps.geometry import cap_polygon
from notices.models import NoticeUpdate, OutageNoticePage
from notices.presentation import summary, time_range

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_CONTENT_TYPE = "application/cap+xml; charset=utf-8"
CAP_MIME_TYPE = "application/cap+xml"

# Characters XML 1.0 cannot carry at all; lxml refuses the whole document if one slips into a
# field (pasted from a word processor, say), so they are dropped instead.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class StateProfile:
    """How a notice in a given state is classified in CAP's controlled vocabularies."""

    response_type: str
    urgency: str
    certainty: str


STATE_PROFILES = {
    NoticeState.SCHEDULED: StateProfile("Prepare", "Expected", "Likely"),
    NoticeState.IN_PROGRESS: StateProfile("None", "Immediate", "Observed"),
    NoticeState.EXTENDED: StateProfile("None", "Immediate", "Observed"),
    NoticeState.RESTORED: StateProfile("AllClear", "Past", "Observed"),
    NoticeState.CANCELLED: StateProfile("AllClear", "Past", "Observed"),
}

CLOSED_INSTRUCTIONS = {
    NoticeState.RESTORED: gettext_lazy("已恢复供应；如仍未恢复，请拨打咨询电话。"),
    NoticeState.CANCELLED: gettext_lazy("本次停供已取消，无需采取措施。"),
}


@dataclass(frozen=True)
class Message:
    identifier: str
    sent: str
    update: NoticeUpdate | None  # None for the publication


# The document


def build_cap(notice: OutageNoticePage, request: HttpRequest) -> bytes:
    """The notice's latest CAP message, UTF-8. `notice` should come from
    queries.notices_for_display, which fetches the station, communities and timeline."""
    sender = cap_sender(request)
    messages = message_sequence(notice, sender)
    latest = messages[-1]
    alert = etree.Element(_tag("alert"), nsmap={None: CAP_NS})
    _add(alert, "identifier", latest.identifier)
    _add(alert, "sender", sender)
    _add(alert, "sent", latest.sent)
    _add(alert, "status", "Actual")
    _add(alert, "msgType", _msg_type(notice, latest))
    _add(alert, "scope", "Public")
    _add(alert, "references", " ".join(f"{sender},{m.identifier},{m.sent}" for m in messages[:-1]))
    alert.append(_info(notice, latest, request))
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def cap_sender(request: HttpRequest) -> str:
    """settings.CAP_SENDER (a domain or address the company owns), else the site's host."""
    return getattr(settings, "CAP_SENDER", "") or host(request)


def message_sequence(notice: OutageNoticePage, sender: str) -> list[Message]:
    """Every message issued for the notice so far, oldest first."""
    first = Message(
        f"{sender}-notice-{notice.pk}",
        cap_time(notice.went_live_at or notice.first_published_at),
        None,
    )
    updates = sorted(notice.updates.all(), key=attrgetter("pk"))  # in the order recorded
    later = [Message(f"{first.identifier}-u{u.pk}", cap_time(u.created_at), u) for u in updates]
    return [first, *later]


def cap_time(value: datetime) -> str:
    """Like 2026-11-23T08:00:00+08:00: CAP allows neither fractions of a second nor "Z"."""
    return value.astimezone(SHANGHAI).replace(microsecond=0).isoformat()


def _msg_type(notice: OutageNoticePage, latest: Message) -> str:
    if notice.state == NoticeState.CANCELLED:
        return "Cancel"
    return "Alert" if latest.update is None else "Update"


def _info(notice: OutageNoticePage, latest: Message, request: HttpRequest) -> etree._Element:
    profile = STATE_PROFILES[notice.state]
    info = etree.Element(_tag("info"))
    _add(info, "language", "zh-CN")
    _add(info, "category", "Infra")
    _add(info, "event", _("%(utility)s通知") % {"utility": notice.utility_label})
    _add(info, "responseType", profile.response_type)
    _add(info, "urgency", profile.urgency)
    _add(info, "severity", "Moderate" if notice.is_major else "Minor")
    _add(info, "certainty", profile.certainty)
    _add(info, "effective", latest.sent)
    _add(info, "onset", cap_time(notice.starts_at))
    _add(info, "expires", notice.current_ends_at and cap_time(notice.current_ends_at))
    _add(info, "senderName", company_name())
    _add(info, "headline", notice.headline)
    _add(info, "description", summary(notice))
    instruction = (
        CLOSED_INSTRUCTIONS.get(notice.state) or utilities.profile(notice.utility).cap_instruction
    )
    _add(info, "instruction", instruction)
    _add(info, "web", page_url(notice, request))
    _add(info, "contact", notice.phone)
    info.append(_area(notice))
    return info


def _area(notice: OutageNoticePage) -> etree._Element:
    area = etree.Element(_tag("area"))
    _add(area, "areaDesc", area_description(notice))
    _add(area, "polygon", cap_polygon(notice.polygon))
    return area


def area_description(notice: OutageNoticePage) -> str:
    """The boundary and the communities affected, else the place named in the headline."""
    parts = [notice.boundary_display]
    names = "、".join(community.name for community in notice.communities.all())
    if names:
        parts.append(_("影响小区：%(names)s") % {"names": names})
    return "；".join(part for part in parts if part) or notice.headline


def _tag(name: str) -> str:
    return f"{{{CAP_NS}}}{name}"


def _add(parent: etree._Element, name: str, value) -> None:
    """Append <name>value</name>; optional elements are simply left out when they have no value,
    so the caller keeps the schema's order without an `if` per element."""
    if value:
        etree.SubElement(parent, _tag(name)).text = XML_ILLEGAL.sub("", str(value))


# What the other channels share with it


def company_name() -> str:
    """The company named in the default site's settings: CAP's senderName, the feed's author."""
    name = (
        SiteSettings.objects.filter(site__is_default_site=True)
        .values_list("company_name", flat=True)
        .first()
    )
    return name or _("供热企业")


# Views


@require_safe
@conditional(notice_fingerprint("cap"))
def notice_cap(request, notice_id):
    notice = get_object_or_404(
        queries.notices_for_display(OutageNoticePage.objects.live()), pk=notice_id
    )
    return HttpResponse(build_cap(notice, request), content_type=CAP_CONTENT_TYPE)


class CapIndexFeed(Atom1Feed):
    """Atom whose entries also link, typed, to their CAP document: how aggregators find it."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement(
            "link", "", {"rel": "alternate", "type": CAP_MIME_TYPE, "href": item["cap_url"]}
        )


def _current_alerts():
    return queries.current_and_upcoming(OutageNoticePage.objects.live(), timezone.now())


def _index_fingerprint(request):
    return fingerprint(_current_alerts(), "changed_at", f"cap-index:{base_url(request)}")


@require_safe
@conditional(_index_fingerprint)
def cap_index(request):
    feed_url = absolute_url(reverse("cap_index"), request)
    company = company_name()
    feed = CapIndexFeed(
        title=_("%(company)s停供预警（CAP）") % {"company": company},
        link=absolute_url("/", request),
        description=_("当前和即将开始的停热、停水、停气、停电通知，每条链接到其 CAP 1.2 文档。"),
        language="zh-CN",
        author_name=company,
        feed_url=feed_url,
        feed_guid=feed_url,  # without it the feed's id would be the home page's URL
    )
    for notice in _current_alerts():
        feed.add_item(
            title=notice.headline,
            link=page_url(notice, request),
            description=escape(time_range(notice)),
            unique_id=tag_uri(request, "cap-notice", notice.pk),
            pubdate=notice.went_live_at or notice.first_published_at,
            updateddate=notice.changed_at,
            cap_url=absolute_url(reverse("notice_cap", args=(notice.pk,)), request),
        )
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response
