"""Importing partner feeds: each new entry of an enabled source becomes an outage notice under
the notice index, a draft for 审核 to review or, from a trusted source, published at once.

Nothing a partner sends reaches a page as markup: the parser keeps plain text and the notice's
rich-text details are built here from escaped paragraphs. Each entry is imported in its own
transaction, so a failing entry leaves no half notice and does not stop the others. Whatever
goes wrong (the feed, or single entries) is logged and written on the source (last status,
error, time) for the admin; the job itself never raises for a partner's mistake."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from hashlib import sha256

import requests
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log

from importers.partner_feed import (
    MAX_FEED_BYTES,
    FeedEntry,
    FeedRejected,
    parse_partner_feed,
)
from notices.boundaries import extract_boundary_text, parse_boundaries
from notices.enums import OutageKind
from notices.models import NoticeIndexPage, OutageNoticePage
from notices.partners.models import FeedStatus, PartnerEntry, PartnerFeedSource

logger = logging.getLogger(__name__)

FETCH_TIMEOUT = 15  # seconds to connect, and between two reads
FETCH_DEADLINE = 30  # seconds for the whole download, against a server that drips
# django-q2 stops a task after 120 s (Q_CLUSTER["timeout"]) and one source may take about
# 75 s (connect, first byte, download deadline, last read): no source starts after this many
# seconds. Those left over go first next time, as sources are taken least recently checked first.
JOB_BUDGET = 45
USER_AGENT = "heating-info-partner-feeds/1.0 (+RSS/Atom importer)"
# Without an end, an outage that began this long ago is taken to be over.
STALE_WITHOUT_END = timedelta(days=7)


class FetchError(Exception):
    """The feed could not be downloaded; the message (Chinese) is shown on the source."""


class EntryNotImported(Exception):
    """An entry that cannot become a notice as it stands; the message says why."""


@dataclass
class ImportResult:
    source_id: int
    imported: list[int] = field(default_factory=list)  # ids of the notices created
    already_imported: int = 0
    outdated: int = 0  # entries about outages already over
    problems: list[str] = field(default_factory=list)  # entries not imported, and why
    notes: list[str] = field(default_factory=list)  # oddities that did not stop the import
    error: str = ""  # the feed as a whole could not be read

    @property
    def ok(self) -> bool:
        return not self.error and not self.problems

    def report(self) -> str:
        """What the admin shows as the source's last error: one line per problem."""
        lines = [self.error] if self.error else []
        lines += self.problems
        if self.outdated:
            lines.append(_("%(count)d条停供已结束，未导入。") % {"count": self.outdated})
        lines += self.notes
        return "\n".join(lines)


def import_partner_feeds() -> dict:
    """Enabled sources, least recently checked first, until the time budget is spent: the task
    of the django-q2 schedule. A source that fails, even through a bug here, is logged and
    recorded, and the others still run."""
    summary = {"sources": 0, "imported": 0, "errors": {}, "deferred": 0}
    deadline = time.monotonic() + JOB_BUDGET
    sources = PartnerFeedSource.objects.filter(enabled=True).order_by(
        F("last_checked_at").asc(nulls_first=True), "pk"
    )
    for source in sources:
        if summary["sources"] and time.monotonic() > deadline:
            summary["deferred"] += 1
            continue
        summary["sources"] += 1
        result = import_source_guarded(source)
        summary["imported"] += len(result.imported)
        if not result.ok:
            summary["errors"][source.name] = result.report()
    return summary


def import_source_guarded(source: PartnerFeedSource) -> ImportResult:
    """import_source, with any failure (a bug here too) logged and recorded on the source."""
    try:
        return import_source(source)
    except Exception as exc:
        logger.exception("partner feed %s (%s): import failed", source.pk, source.url)
        result = ImportResult(source.pk, error=_("导入出错：%(error)s") % {"error": exc})
        _record(source, result)
        return result


def import_source(
    source: PartnerFeedSource,
    *,
    fetch: Callable[[str], bytes] | None = None,
    as_of: datetime | None = None,
) -> ImportResult:
    """Import the new entries of one source and record how it went on the source. `fetch`
    (url → bytes, raising FetchError) defaults to an HTTP download. `as_of` (default: now)
    decides which outages are already over and the year of dates written without one."""
    as_of = as_of or timezone.now()
    result = ImportResult(source.pk)
    try:
        data = (fetch or fetch_feed)(source.url)
        parsed = parse_partner_feed(data, base_url=source.url, now=as_of)
    except (FetchError, FeedRejected) as exc:
        result.error = str(exc)
    else:
        result.notes += [parsed.bozo_message] if parsed.bozo_message else []
        result.problems += parsed.skipped
        _import_entries(source, parsed.entries, as_of, result)
    _record(source, result)
    return result


def fetch_feed(url: str) -> bytes:
    """The body of a 200 response, at most MAX_FEED_BYTES; FetchError otherwise."""
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    }
    try:
        with requests.get(url, headers=headers, timeout=FETCH_TIMEOUT, stream=True) as response:
            if response.status_code != 200:
                raise FetchError(
                    _("服务器返回HTTP %(status)d。") % {"status": response.status_code}
                )
            return _read_limited(response)
    except requests.Timeout:
        raise FetchError(_("连接超时（%(seconds)d秒）。") % {"seconds": FETCH_TIMEOUT}) from None
    except requests.ConnectionError as exc:
        logger.info("partner feed %s: %s", url, exc)
        raise FetchError(_("无法连接到订阅源服务器。")) from None
    except requests.RequestException as exc:
        raise FetchError(_("下载订阅源失败：%(error)s") % {"error": exc}) from None


def _read_limited(response: requests.Response) -> bytes:
    too_big = FetchError(
        _("订阅源超过%(size)dMB，已停止下载。") % {"size": MAX_FEED_BYTES // (1024 * 1024)}
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_FEED_BYTES:
        raise too_big
    deadline = time.monotonic() + FETCH_DEADLINE
    body = bytearray()
    for chunk in response.iter_content(chunk_size=64 * 1024):
        body += chunk
        if len(body) > MAX_FEED_BYTES:
            raise too_big
        if time.monotonic() > deadline:
            raise FetchError(_("下载超过%(seconds)d秒，已停止。") % {"seconds": FETCH_DEADLINE})
    return bytes(body)


# Entries


def _import_entries(source, entries: list[FeedEntry], as_of: datetime, result: ImportResult):
    done = set(
        PartnerEntry.objects.filter(source=source, imported_at__isnull=False).values_list(
            "guid", flat=True
        )
    )
    parent = NoticeIndexPage.objects.get()
    for entry in entries:
        if entry.guid in done:
            result.already_imported += 1
        elif _is_over(entry, as_of):
            result.outdated += 1
        else:
            _import_entry(source, entry, parent, result)


def _is_over(entry: FeedEntry, as_of: datetime) -> bool:
    """Published from a trusted source, an outage already over would still alert residents."""
    if entry.ends_at is not None:
        return entry.ends_at <= as_of
    return entry.starts_at is not None and entry.starts_at < as_of - STALE_WITHOUT_END


def _import_entry(source, entry: FeedEntry, parent, result: ImportResult):
    """One transaction per entry. The entry's row is locked first, so two runs at once cannot
    both make a notice of it; when anything fails, only the reason is written, afterwards."""
    try:
        with transaction.atomic():
            record, _created = PartnerEntry.objects.select_for_update().get_or_create(
                source=source, guid=entry.guid
            )
            if record.imported_at is not None:
                result.already_imported += 1
                return
            notice = _create_notice(source, entry, parent)
            _describe(record, entry)
            record.notice, record.imported_at, record.problem = notice, timezone.now(), ""
            record.save()
    except EntryNotImported as exc:
        problem = str(exc)
    except ValidationError as exc:
        problem = "；".join(exc.messages)
    except Exception as exc:
        logger.exception("partner feed %s: entry %r failed", source.pk, entry.guid)
        problem = _("导入出错：%(error)s") % {"error": exc}
    else:
        result.imported.append(notice.pk)
        return
    label = Truncator(entry.title or entry.guid).chars(40)
    result.problems.append(f"“{label}”：{problem}")
    record, _created = PartnerEntry.objects.get_or_create(source=source, guid=entry.guid)
    _describe(record, entry)
    record.problem = problem
    record.save()


def _describe(record: PartnerEntry, entry: FeedEntry) -> None:
    record.title = Truncator(entry.title).chars(255)
    record.link = entry.link if len(entry.link) <= 500 else ""


def _create_notice(source, entry: FeedEntry, parent: NoticeIndexPage) -> OutageNoticePage:
    """A draft revision, or from a trusted source a published one."""
    if entry.starts_at is None:
        raise EntryNotImported(_("无法识别停供时间"))
    notice = OutageNoticePage(
        **_notice_fields(source, entry),
        slug=find_available_slug(parent, _slug(source, entry)),
        live=False,
    )
    parent.add_child(instance=notice)
    log(instance=notice, action="wagtail.create")
    revision = notice.save_revision()
    if source.trusted:
        revision.publish()
    return notice


def _notice_fields(source, entry: FeedEntry) -> dict:
    text = f"{entry.title}\n{entry.summary}"
    boundary = extract_boundary_text(text) or ""
    sides = parse_boundaries(boundary)
    title = entry.title or entry.summary.split("\n", 1)[0]
    return {
        "title": Truncator(title).chars(255) or _("合作单位停供通知"),
        "utility": entry.utility or source.default_utility,
        "kind": OutageKind.PLANNED,
        "cause": Truncator(entry.cause).chars(120) or _("合作单位通知"),
        "area_name": Truncator(_place_before(text, boundary)).chars(120),
        "district": source.default_district,
        "starts_at": entry.starts_at,
        "ends_at": entry.ends_at,
        "end_is_estimate": entry.end_is_estimate,
        "boundary_text": Truncator(boundary).chars(300),
        "boundary_south": Truncator(sides.south).chars(80),
        "boundary_north": Truncator(sides.north).chars(80),
        "boundary_west": Truncator(sides.west).chars(80),
        "boundary_east": Truncator(sides.east).chars(80),
        "details": details_html(entry, source.name),
    }


def _slug(source, entry: FeedEntry) -> str:
    return f"partner-{source.pk}-{sha256(entry.guid.encode()).hexdigest()[:10]}"


_PLACE_STOPS = set(" \t\n，,。：:；;（）()！!")


def _place_before(text: str, boundary: str) -> str:
    """ "长春市绿园区星宇东泵站" from "…7:00 长春市绿园区星宇东泵站(南至…)": the words just
    before the parenthesised boundary clause."""
    if not boundary:
        return ""
    end = text.find(boundary) - 1  # the opening parenthesis
    start = end
    while start > 0 and text[start - 1] not in _PLACE_STOPS:
        start -= 1
    return text[start:end] if end - start >= 2 else ""


def details_html(entry: FeedEntry, source_name: str) -> str:
    """The entry's text as escaped paragraphs, then where it came from. The link is the
    parser's, so http(s) only."""
    paragraphs = format_html_join("", "<p>{}</p>", ((line,) for line in entry.summary.split("\n")))
    if entry.link:
        origin = format_html('<a href="{}">{}</a>', entry.link, source_name)
    else:
        origin = source_name
    return paragraphs + format_html("<p>{}</p>", format_html(_("来源：{source}"), source=origin))


def _record(source: PartnerFeedSource, result: ImportResult) -> None:
    """Written with update(), so an editor saving the source meanwhile loses nothing."""
    status = {
        "last_checked_at": timezone.now(),
        "last_status": FeedStatus.OK if result.ok else FeedStatus.ERROR,
        "last_error": result.report(),
        "last_imported_count": len(result.imported),
    }
    PartnerFeedSource.objects.filter(pk=source.pk).update(**status)
    for name, value in status.items():
        setattr(source, name, value)
    if result.error:
        logger.warning("partner feed %s (%s): %s", source.pk, source.url, result.error)
    elif result.problems:
        logger.warning("partner feed %s: %s", source.pk, "; ".join(result.problems))
    else:
        logger.info("partner feed %s: %d imported", source.pk, len(result.imported))
