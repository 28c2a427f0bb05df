"""What the conditions read of an event, taken when it happens and kept with it (RuleEvent.facts):
a dry run weeks later judges each event by what was true then, as the rules did.

Keys: `notice` (an outage notice?), `page_type` ("app.model"), `utility`, `kind`, `state`,
`is_major`, `duration_hours` (None: end unknown), `branches`, `stations`, `communities` (ids:
the notice's own station and those of its communities, and their branches), `column` (the
catalogue column), `time` ("HH:MM", Beijing time), `cause` (to tell a changed cause)."""

from datetime import datetime

from django.utils import timezone
from wagtail.models import Page

from catalogue.changes import column_of
from notices.models import NoticeUpdate, OutageNoticePage


def _hours(starts_at, ends_at) -> float | None:
    if starts_at is None or ends_at is None:
        return None
    return round((ends_at - starts_at).total_seconds() / 3600, 2)


def _longest(*hours: float | None) -> float | None:
    """An unknown end is the longest of all."""
    return None if None in hours else max(hours)


def page_facts(page: Page | None, occurred_at: datetime, column: str | None = None) -> dict:
    facts = {
        "notice": False,
        "page_type": page.specific_class._meta.label_lower if page else "",
        "column": column if column is not None else (column_of(page) if page else None),
        "time": timezone.localtime(occurred_at).strftime("%H:%M"),
    }
    if isinstance(page, OutageNoticePage):
        facts.update(notice_facts(page, occurred_at))
    return facts


def notice_facts(
    notice: OutageNoticePage,
    occurred_at: datetime,
    update: NoticeUpdate | None = None,
    was_major: bool = False,
) -> dict:
    """For a timeline entry, the notice is major and lasts as long as it was or is: an
    extension that makes it major counts, and so does the restoration of a major one."""
    communities = list(notice.communities.values_list("pk", "station_id", "station__branch_id"))
    station = notice.station
    stations = {notice.station_id, *(row[1] for row in communities)} - {None}
    branches = {station.branch_id if station else None, *(row[2] for row in communities)}
    hours = _hours(notice.starts_at, notice.announced_end())
    if update is not None:
        hours = _longest(hours, _hours(notice.starts_at, notice.announced_end(before=update)))
    return {
        "notice": True,
        "page_type": OutageNoticePage._meta.label_lower,
        "utility": notice.utility,
        "kind": notice.kind,
        "state": notice.state,
        "is_major": notice.is_major or was_major,
        "duration_hours": hours,
        "branches": sorted(branches - {None}),
        "stations": sorted(stations),
        "communities": sorted(row[0] for row in communities),
        "column": column_of(notice),
        "time": timezone.localtime(occurred_at).strftime("%H:%M"),
        "cause": notice.cause,
    }
