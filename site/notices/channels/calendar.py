"""iCalendar (RFC 5545) files of the notices, for residents' phone calendars: one notice, or
every notice of a community as a calendar to subscribe to.

An event's UID is built from the notice id, so a calendar app updates the event it already has
when the notice is renamed, extended or cancelled; SEQUENCE counts the timeline entries so the
app knows which version is newer."""

from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, Timezone, vDuration

from contacts.models import Community
from core.addresses import base_url, host, page_url
from core.conditional import conditional, fingerprint
from core.formatting import SHANGHAI
from notices import queries
from notices.channels.fingerprints import notice_fingerprint
from notices.enums import OPEN_STATES, NoticeState
from notices.models import OutageNoticePage
from notices.presentation import summary

PRODID = "-//heating-info//outage notices//ZH"
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_CONTROL = "public, max-age=300"
REFRESH = timedelta(hours=1)
"""How often subscribing apps should reload; without it some reload only once a week."""
UNKNOWN_END_LENGTH = timedelta(days=1)
"""An event needs an end: one with no known end is shown a day long, its description says why."""
RECENT = timedelta(days=30)
TIMEZONE_SPAN = {"first_date": date(2000, 1, 1), "last_date": date(2100, 1, 1)}
"""What the VTIMEZONE has to cover: every date a notice may have."""


# Views


@require_safe
@conditional(notice_fingerprint("ical"), CACHE_CONTROL)
def notice_calendar(request, notice_id):
    notice = get_object_or_404(
        queries.notices_for_display(OutageNoticePage.objects.live()), pk=notice_id
    )
    name = _("停供通知：%(headline)s") % {"headline": notice.headline}
    return calendar_response(name, [notice], request, f"notice-{notice.pk}.ics")


def community_notices(code: str, now: datetime) -> QuerySet:
    """A community's notices that are current or upcoming, or ended in the last 30 days."""
    cutoff = now - RECENT
    return (
        OutageNoticePage.objects.live()
        .filter(communities__code=code)
        .filter(
            Q(starts_at__gte=cutoff)
            | Q(current_ends_at__gte=cutoff)
            | Q(current_ends_at__isnull=True, state__in=OPEN_STATES)
        )
        .order_by("starts_at", "pk")
    )


def _community_fingerprint(request, code):
    return fingerprint(
        community_notices(code, timezone.now()),
        "changed_at",
        f"ical-community:{code}:{base_url(request)}",
    )


@require_safe
@conditional(_community_fingerprint, CACHE_CONTROL)
def community_calendar(request, code):
    community = get_object_or_404(Community.objects.only("code", "name"), code=code)
    notices = queries.notices_for_display(community_notices(code, timezone.now()))
    name = _("%(name)s停供通知") % {"name": community.name}
    return calendar_response(name, notices, request, f"community-{code}.ics")


# The calendar


def calendar_response(name: str, notices, request, filename: str) -> HttpResponse:
    """A calendar named `name` with one VEVENT per notice (from queries.notices_for_display),
    served inline as `filename`: the notices' calendars, and any other room's (collections)."""
    calendar = _calendar(name)
    for notice in notices:
        calendar.add_component(notice_event(notice, request))
    return _response(calendar, filename)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    calendar.add_component(Timezone.from_tzid("Asia/Shanghai", **TIMEZONE_SPAN))
    return calendar


def notice_event(notice: OutageNoticePage, request) -> Event:
    """One VEVENT; `notice` should come from queries.notices_for_display."""
    starts_at = notice.starts_at.astimezone(SHANGHAI)
    ends_at = notice.current_ends_at or notice.starts_at + UNKNOWN_END_LENGTH
    event = Event()
    event.add("uid", f"notice-{notice.pk}@{host(request)}")
    event.add("dtstamp", notice.changed_at)
    event.add("last-modified", notice.changed_at)
    event.add("sequence", len(notice.updates.all()))
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at.astimezone(SHANGHAI))
    event.add("summary", f"{notice.headline}（{notice.state_label}）")
    event.add("description", summary(notice))
    if notice.boundary_display:
        event.add("location", notice.boundary_display)
    event.add("url", page_url(notice, request))
    event.add("status", "CANCELLED" if notice.state == NoticeState.CANCELLED else "CONFIRMED")
    return event


def _response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
