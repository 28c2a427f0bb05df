"""Loads the demo's 2025 (demo.content.history): outage notices with their timelines and the
messages they sent, SMS subscribers and 公众号 followers, service requests with their
deadlines, ratings and temperature readings through the 2025—2026 season, that season's fee
rules and quality page; then the figures that count them.

Kept apart from demo.loader.load_demo like the service desk's and the channels' demo: the test
suite loads load_demo once per run, and the reports' tests count a year's records exactly.
`manage.py load_demo` runs it after those two, whose 2025 holidays give the requests their
deadlines and whose robots and press contacts receive the notices. Idempotent: a page found by
slug under its parent, a subscriber by number, a follower by openid, a request by number is
left as it is; figures are computed again only when something was added.

What the site did through the year is done here afterwards, at the year's own times:
- a notice's timeline is replayed before it goes live, in a transaction of its own: a notice
  that is not live texts nobody (alerts.signal_handlers), and it goes live as having gone live
  then, so publishing it now texts nobody either. The messages it sent are written to the
  ledger as dispatch writes them: one per event and channel, rendered as the notice stood at
  that moment, one delivery per recipient of its audience, handed over when quiet hours allowed;
- a page is published at its moment (first and last publication), and its catalogue entry is
  recorded then: the catalogue would record it at load time, in 2026, and its 索引号 carries
  the year of publication;
- the 2025 report's figures, stored when load_demo published it, are stored again, and the
  season's closed months and the service desk's monthly figures are computed as their daily
  jobs compute them.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from alerts.channels import registry
from alerts.enums import (
    ConsentSource,
    DeliveryStatus,
    FollowerSource,
    MessageEvent,
    MessageStatus,
    SubscriberStatus,
)
from alerts.models import (
    Delivery,
    FollowerBinding,
    OutboundMessage,
    Subscriber,
    SubscriberUtility,
    WeChatFollower,
)
from catalogue import changes
from catalogue.models import CatalogueItem
from contacts.models import Community, Station
from core.formatting import SHANGHAI
from demo.content import history as content
from demo.loader import _publish, fee_season, notice_page
from demo.metadata import disclosed_fields, without_metadata
from demo.servicedesk_loader import add_request
from fees.models import FeeCalculatorPage
from notices.enums import OutageKind, UpdateKind
from notices.lifecycle.transitions import record_update
from notices.models import NoticeIndexPage, OutageNoticePage
from reports.models import AnnualReportPage, ReportIndexPage, SeasonQualityPage
from reports.periods import Period
from reports.tasks import close_months
from rules.actions import next_occurrence
from rules.blocks import in_window
from servicedesk.enums import EventKind, RequestKind, Signature
from servicedesk.models import ServiceRequest
from servicedesk.tasks import refresh_compliance

NOTES = content.NOTES
# One subscriber in this many has a number the SMS provider refuses ("invalid number", as
# dispatch records it).
SMS_FAILURE_EVERY = 40


def load_history_demo() -> dict[str, int]:
    _recipients()
    index = NoticeIndexPage.objects.get()
    notices = sum(_notice(index, item) for item in content.NOTICES)
    with transaction.atomic():
        fees = _fee_season()
        requests = _requests()
        season = _season_page()
        if notices or fees or requests or season:
            _count_again(requests)
    start, end = Period.year(content.YEAR).bounds()
    return {
        "year": content.YEAR,
        "year_notices": OutageNoticePage.objects.filter(
            first_published_at__gte=start, first_published_at__lt=end
        ).count(),
        "year_messages": OutboundMessage.objects.filter(
            created_at__gte=start, created_at__lt=end
        ).count(),
        "year_requests": ServiceRequest.objects.routed()
        .filter(submitted_at__gte=start, submitted_at__lt=end)
        .count(),
    }


def _moment(text: str) -> datetime:
    """ "2025-01-08T07:05", China time."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


# Pages ---------------------------------------------------------------------------------------


def _published_at(page: Page, moment: datetime, updated: datetime | None = None) -> None:
    """The page went live at `moment` (last changed at `updated`): its publication and its
    catalogue entry say so, and its 索引号 is of that year."""
    Page.objects.filter(pk=page.pk).update(
        first_published_at=moment, last_published_at=updated or moment
    )
    changes.sync(page.pk)
    item = CatalogueItem.objects.get(page_id=page.pk)
    item.changes.update(at=moment)
    CatalogueItem.objects.filter(pk=item.pk).update(updated_at=updated or moment)


def _new_child(parent: Page, page: Page, moment: str) -> bool:
    """Publish `page` under `parent` as of `moment`, unless its slug is there already."""
    if parent.get_children().filter(slug=page.slug).exists():
        return False
    _publish(parent, page)
    _published_at(page, _moment(moment))
    return True


def _fee_season() -> bool:
    data = content.FEE_SEASON
    calculators = FeeCalculatorPage.objects.get()
    return _new_child(calculators, fee_season(data), data["catalogue"]["published"])


def _season_page() -> bool:
    """Published after the requests and readings it counts: publishing stores its figures."""
    data = content.SEASON_PAGE
    fields = without_metadata(data) | disclosed_fields(data)
    for name in ("season_start", "season_end"):
        fields[name] = date(*data[name])
    page = SeasonQualityPage(**fields)
    return _new_child(ReportIndexPage.objects.get(), page, data["catalogue"]["published"])


# Notices -------------------------------------------------------------------------------------


def _notice(index: NoticeIndexPage, item: dict) -> bool:
    if index.get_children().filter(slug=item["slug"]).exists():
        return False
    with transaction.atomic():
        notice, events = _replayed(index, item)
    published = _moment(item["published"])
    with transaction.atomic():
        # Gone live at `published`: publishing now is not its first time, and texts nobody.
        OutageNoticePage.objects.filter(pk=notice.pk).update(went_live_at=published)
        notice = OutageNoticePage.objects.get(pk=notice.pk)
        notice.save_revision().publish()
        last_change = _moment(item["timeline"][-1][1])
        OutageNoticePage.objects.filter(pk=notice.pk).update(changed_at=last_change)
        _published_at(notice, published, last_change)
        _ledger(notice, events)
    return True


def _replayed(index: NoticeIndexPage, item: dict):
    """The notice added as a draft and its timeline recorded as it happened; the events it
    texted (alerts.signal_handlers' rules: went live major, or an extension, restoration or
    cancellation of a notice that is or was major), each rendered by every channel then."""
    ends = _moment(item["ends"]) if item["ends"] else None
    notice = notice_page(item, _moment(item["starts"]), ends)
    notice.live = False
    index.add_child(instance=notice)
    published = _moment(item["published"])
    events = []
    if notice.is_major:
        events.append((MessageEvent.PUBLISHED, "published", published, _rendered(notice)))
    if item["timeline"][0][0] != UpdateKind.CANCELLED:
        record_update(
            notice.pk,
            UpdateKind.STARTED,
            occurred_at=notice.starts_at,
            text="已到开始时间。",
            automatic=True,
        )
    for kind, at, new_end, text in item["timeline"]:
        was_major = notice.is_major
        update = record_update(
            notice.pk,
            kind,
            occurred_at=_moment(at),
            new_ends_at=_moment(new_end) if new_end else None,
            text=text,
        )
        notice.refresh_from_db()
        event = EVENTS.get(kind)
        if event and (was_major or notice.is_major):
            rendered = _rendered(notice, event, update)
            events.append((event, f"update-{update.pk}", update.occurred_at, rendered))
    return notice, events


# The timeline entries the seeded content rules send (rules/migrations/0002).
EVENTS = {
    UpdateKind.EXTENDED: MessageEvent.EXTENDED,
    UpdateKind.RESTORED: MessageEvent.RESTORED,
    UpdateKind.CANCELLED: MessageEvent.CANCELLED,
}


def _rendered(notice, event=MessageEvent.PUBLISHED, update=None) -> dict:
    return {channel.name: channel().render(notice, event, update) for channel in _channels()}


def _channels():
    """Every channel the demo company used in 2025: SMS, 公众号, 管家群 and the press."""
    return registry.registered()


def _send_time(notice: OutageNoticePage, moment):
    """When the seeded content rules (rules/migrations/0002) send: emergencies at once, planned
    outages held from 22:00 to 07:00."""
    quiet_start, quiet_end = time(22, 0), time(7, 0)
    local = timezone.localtime(moment).time()
    if notice.kind == OutageKind.EMERGENCY or not in_window(local, quiet_start, quiet_end):
        return moment
    return next_occurrence(moment, quiet_end)


def _ledger(notice: OutageNoticePage, events) -> None:
    for event, key, moment, rendered in events:
        not_before = _send_time(notice, moment)
        handed_over = not_before + timedelta(seconds=20)
        for channel in _channels():
            text = rendered[channel.name]
            message = OutboundMessage.objects.create(
                notice=notice,
                channel=channel.name,
                event=event,
                event_key=key,
                text=text.text,
                template_code=text.template_code,
                params=text.params,
                link=text.link,
                not_before=not_before,
                status=MessageStatus.DONE,
                fanned_out_at=not_before,
                finished_at=handed_over + timedelta(minutes=1),
            )
            OutboundMessage.objects.filter(pk=message.pk).update(created_at=moment)
            recipients = [row["recipient_id"] for row in channel().audience(notice)]
            Delivery.objects.bulk_create(
                _delivery(message, recipient, handed_over) for recipient in recipients
            )


def _delivery(message: OutboundMessage, recipient: int, handed_over: datetime) -> Delivery:
    """Sent; except that one subscriber in SMS_FAILURE_EVERY has a number the provider
    refuses, every time."""
    failed = message.channel == "sms" and recipient % SMS_FAILURE_EVERY == 0
    return Delivery(
        message=message,
        recipient_id=recipient,
        status=DeliveryStatus.FAILED if failed else DeliveryStatus.SENT,
        attempts=1,
        handovers=1,
        accepted=0 if failed else 1,
        last_error="invalid number" if failed else "",
        claimed_at=handed_over,
        handed_over_at=handed_over,
    )


# Recipients ----------------------------------------------------------------------------------


def _recipients() -> None:
    """The SMS subscribers and 公众号 followers of the demo's communities, since the 2024—2025
    season (numbers 13900006xxx, openids of the demo). Missing ones are added."""
    since = _moment(content.SUBSCRIBED_ON)
    communities = Community.objects.in_bulk(
        {code for code, *_ in content.SUBSCRIBERS + content.FOLLOWERS if code}, field_name="code"
    )
    number = 0
    for code, count, utilities in content.SUBSCRIBERS:
        for _ in range(count):
            number += 1
            subscriber, created = Subscriber.objects.get_or_create(
                phone=f"1390000{6000 + number:04d}",
                defaults={
                    "status": SubscriberStatus.ACTIVE,
                    "consent_at": since,
                    "consent_source": ConsentSource.WEB,
                    "verified_at": since,
                },
            )
            if created:
                if code:
                    subscriber.communities.add(communities[code])
                SubscriberUtility.objects.bulk_create(
                    [SubscriberUtility(subscriber=subscriber, utility=u) for u in utilities]
                )
    number = 0
    for code, count in content.FOLLOWERS:
        for _ in range(count):
            number += 1
            follower, created = WeChatFollower.objects.get_or_create(
                openid=f"oDemoFollower{number:015d}"
            )
            if created:
                FollowerBinding.objects.create(
                    follower=follower, community=communities[code], source=FollowerSource.QR
                )


# Service requests ----------------------------------------------------------------------------


def _requests() -> int:
    """The months' requests (content.REQUESTS_BY_MONTH), their stations, times and outcomes
    drawn from a fixed seed: the same requests on every load of the same directory. Returns
    how many were added."""
    draw = random.Random(content.YEAR)
    stations = list(Station.objects.order_by("pk"))
    codes = {
        station.pk: list(station.communities.order_by("code").values_list("code", flat=True))
        for station in stations
    }
    added, number = 0, 0
    for month, kinds in content.REQUESTS_BY_MONTH.items():
        for kind, count in kinds.items():
            for _ in range(count):
                number += 1
                station = draw.choice(stations)
                request = add_request(
                    f"1390000{8000 + number:04d}",
                    _submitted(draw, month, kind),
                    kind,
                    draw.choice(codes[station.pk]),
                    draw.choice(content.DESCRIPTIONS[kind]),
                    *_outcome(draw, kind, number),
                )
                added += request is not None
    return added


def _submitted(draw: random.Random, month: str, kind: str) -> datetime:
    first, last = 1, 28
    if kind == RequestKind.TEMPERATURE:
        first, last = content.SEASON_DAYS.get(month, (first, last))
    year, month_number = (int(part) for part in month.split("-"))
    day = draw.randint(first, last)
    return datetime(year, month_number, day, draw.randint(8, 20), tzinfo=SHANGHAI)


def _outcome(draw: random.Random, kind: str, number: int) -> tuple[list, int | None]:
    """What staff did and when, and the resident's rating (seven in ten rate). One request in
    ten misses a commitment (servicedesk.kinds: contact within 1 or 24 hours, closed within 24
    or 48 hours or 7 working days) and is rated no better than 一般; one home measured in six
    is below the standard."""
    late = number % 10 == 7
    if kind == RequestKind.TEMPERATURE:
        steps = _temperature(draw, late, below=number % 6 == 0)
    else:
        steps = STEPS[kind](draw, late)
    rating = None
    if draw.random() < 0.7:
        rating = draw.choices([5, 4, 3, 2, 1], weights=[60, 28, 8, 3, 1])[0]
        rating = min(rating, 3) if late else rating
    return steps, rating


def _step(kind: str, hours: float, note: str, *rooms) -> tuple:
    """A step of servicedesk_loader.add_request, on the minute."""
    return (kind, round(hours * 60) / 60, note, *rooms)


def _temperature(draw: random.Random, late: bool, below: bool) -> list:
    contacted = draw.uniform(0.5, 6)
    measured = draw.uniform(25, 30) if late else draw.uniform(14, 22)
    rooms, result = _rooms(draw, below)
    measured_note = "、".join(f"{room} {_average(readings)}℃" for room, _, readings, *_ in rooms)
    return [
        _step(EventKind.CONTACTED, contacted, NOTES["contacted"]["temperature"]),
        _step(EventKind.TEMPERATURE, measured, measured_note, rooms),
        _step(EventKind.CLOSED, measured + 0.5, NOTES["closed"][f"temperature_{result}"]),
        _step(EventKind.RETURN_VISIT, measured + draw.uniform(6, 20), NOTES["return_visit"]),
    ]


def _complaint(draw: random.Random, late: bool) -> list:
    contacted = draw.uniform(1.2, 2.5) if late else draw.uniform(0.2, 0.9)
    closed = contacted + 1 + draw.uniform(1, 18)
    return [
        _step(EventKind.CONTACTED, contacted, NOTES["contacted"]["complaint"]),
        _step(EventKind.VISITED, contacted + 1, NOTES["visited"]["complaint"]),
        _step(EventKind.CLOSED, closed, NOTES["closed"]["complaint"]),
        _step(EventKind.RETURN_VISIT, closed + draw.uniform(6, 20), NOTES["return_visit"]),
    ]


def _consultation(draw: random.Random, late: bool) -> list:
    contacted = draw.uniform(1.2, 2.5) if late else draw.uniform(0.2, 0.9)
    return [
        _step(EventKind.CONTACTED, contacted, NOTES["contacted"]["consultation"]),
        _step(EventKind.CLOSED, contacted + draw.uniform(0.1, 3), NOTES["closed"]["consultation"]),
    ]


def _valve(kind: str, visited: float, draw: random.Random) -> list:
    """报停 and 复供: a call, then the valve closed or opened on site."""
    return [
        _step(EventKind.CONTACTED, draw.uniform(1, 8), NOTES["contacted"][kind]),
        _step(EventKind.VISITED, visited, NOTES["visited"][kind]),
        _step(EventKind.CLOSED, visited + 0.5, NOTES["closed"][kind]),
    ]


def _suspension(draw: random.Random, late: bool) -> list:
    return _valve(RequestKind.SUSPENSION, draw.uniform(30, 100), draw)


def _resumption(draw: random.Random, late: bool) -> list:
    visited = draw.uniform(50, 60) if late else draw.uniform(20, 40)
    return _valve(RequestKind.RESUMPTION, visited, draw)


STEPS = {
    RequestKind.COMPLAINT: _complaint,
    RequestKind.CONSULTATION: _consultation,
    RequestKind.SUSPENSION: _suspension,
    RequestKind.RESUMPTION: _resumption,
}


def _rooms(draw: random.Random, below: bool) -> tuple[list, str]:
    """A home measured by seed 004's 测温办法: the bedroom (under 20 ㎡, one point) and
    sometimes the living room (20 to 40 ㎡, two points). A household whose home is below the
    18 ℃ standard sometimes refuses to sign, which counts as meeting it."""
    rooms = [("主卧", f"{draw.uniform(12, 19):.1f}", [_reading(draw, below)])]
    if draw.random() < 0.5:
        readings = [_reading(draw, below), _reading(draw, below)]
        rooms.append(("起居室", f"{draw.uniform(21, 32):.1f}", readings))
    if below and draw.random() < 0.25:
        return [(*room, Signature.REFUSED) for room in rooms], "met"
    return rooms, "below" if below else "met"


def _reading(draw: random.Random, below: bool) -> str:
    return f"{draw.uniform(15.2, 17.8) if below else draw.uniform(18.3, 22.6):.1f}"


def _average(readings: list[str]) -> str:
    return f"{sum(float(reading) for reading in readings) / len(readings):.1f}"


# Figures -------------------------------------------------------------------------------------


def _count_again(new_requests: int) -> None:
    """Compute again what counts the records just added: the 2025 report's and the season's
    stored figures, the season's closed months (each at the night after it closed, as the
    daily job would have) and the service desk's monthly figures."""
    report = AnnualReportPage.objects.filter(year=content.YEAR).first()
    if report is not None:
        report.store_figures()
    season = SeasonQualityPage.objects.get(slug=content.SEASON_PAGE["slug"])
    season.store_figures()
    period = season.figures_period()
    for month in period.months():
        closed_on = Period.month(month).clip(period).last_day + timedelta(days=1)
        close_months(datetime.combine(closed_on, time(1), tzinfo=SHANGHAI))
    if new_requests:
        for month in content.REQUESTS_BY_MONTH:
            refresh_compliance(month)
