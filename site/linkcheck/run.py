"""One run of the link check: every link of the live pages and settings (linkcheck.links), the
internal ones judged from the database (linkcheck.internal), the external ones fetched
(linkcheck.fetch), the findings recorded (`LinkProblem`), then the editors told of the new ones
(linkcheck.notify).

Idempotent: django-q2 may deliver the task twice, and 审核 may start a run while the daily one
works. A run is claimed first (`LinkCheckRun`: at most one queued or running, by a unique
constraint; one started from the admin is claimed queued → running by a conditional UPDATE),
so a second delivery finds nothing to do; a run after another changes nothing but the last
seen times, and e-mails nothing already e-mailed."""

import hashlib
import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.addresses import base_url
from linkcheck import internal, notify
from linkcheck.enums import Kind, RunState, Severity
from linkcheck.fetch import Checker, Limits
from linkcheck.links import Link, collect
from linkcheck.models import CheckedURL, LinkCheckRun, LinkProblem
from linkcheck.verdicts import Verdict

logger = logging.getLogger(__name__)

# A run still queued or running after this never finished (its worker died): a run takes the
# time budget plus the scan, a few minutes at most.
STALE_AFTER = timedelta(minutes=15)
# Fixed problems stay in the report this long.
KEEP_FIXED = timedelta(days=90)


def run_link_check(run_id: int | None = None) -> dict:
    """The task (the daily schedule passes no id; the admin's 立即检查 the run it queued)."""
    run = claim(run_id)
    if run is None:
        return {"skipped": True}
    try:
        summary = check(run)
    except Exception:
        logger.exception("link check run %s failed", run.pk)
        _end(run, RunState.FAILED, message=_("检查时出现程序错误，错误已记入日志，请联系管理员。"))
        return {"failed": True}
    summary["notified"] = notify.send_new_problems()
    return summary


def start(user) -> LinkCheckRun | None:
    """A run queued from the admin, or None while another is queued or running."""
    fail_stale()
    try:
        with transaction.atomic():
            return LinkCheckRun.objects.create(state=RunState.QUEUED, started_by=user)
    except IntegrityError:
        return None


def claim(run_id: int | None) -> LinkCheckRun | None:
    fail_stale()
    now = timezone.now()
    if run_id is not None:
        claimed = LinkCheckRun.objects.filter(pk=run_id, state=RunState.QUEUED).update(
            state=RunState.RUNNING, started_at=now
        )
        return LinkCheckRun.objects.get(pk=run_id) if claimed else None
    try:
        with transaction.atomic():
            return LinkCheckRun.objects.create(state=RunState.RUNNING, started_at=now)
    except IntegrityError:
        return None


def fail_stale() -> None:
    cutoff = timezone.now() - STALE_AFTER
    LinkCheckRun.objects.filter(
        Q(state=RunState.QUEUED, created_at__lt=cutoff)
        | Q(state=RunState.RUNNING, started_at__lt=cutoff),
        active=True,
    ).update(
        state=RunState.FAILED,
        active=False,
        finished_at=timezone.now(),
        message=_("检查没有完成（后台进程中断），下次检查会重新进行。"),
    )


def _end(run: LinkCheckRun, state: str, **fields) -> None:
    fields.update(state=state, active=False, finished_at=timezone.now())
    LinkCheckRun.objects.filter(pk=run.pk).update(**fields)


def check(run: LinkCheckRun) -> dict:
    links = collect()
    hosts = internal.our_hosts()
    internal_targets = {link.target for link in links if internal.is_internal(link.target, hosts)}
    verdicts = internal.check(internal_targets, hosts)
    external = {
        link.target: url
        for link in links
        if link.target not in internal_targets and (url := fetchable(link.target))
    }
    found, unknown, checked = _external(set(external.values()))
    for target, url in external.items():
        if url in found:
            verdicts[target] = found[url]
    unknown_targets = {target for target, url in external.items() if url in unknown}
    opened, fixed = record(links, verdicts, unknown_targets, internal_targets)
    summary = {
        "links": len(links),
        "urls_checked": checked,
        "urls_left": len(unknown),
        "opened": opened,
        "fixed": fixed,
    }
    message = _("检查了%(links)d个链接，发现%(opened)d个新问题，%(fixed)d个问题已修复。") % summary
    if unknown:
        message += _("另有%(count)d个外部网址因时间所限未检查，下次继续。") % {
            "count": len(unknown)
        }
    _end(run, RunState.FINISHED, message=message, **summary)
    return summary


def fetchable(target: str) -> str | None:
    """The address to fetch for an external link (without its #fragment, which is never
    sent), None for what is not fetched (mailto:, tel:, a relative address)."""
    if target.startswith("//"):
        target = "https:" + target
    parts = urlsplit(target)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, parts.query, ""))


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def user_agent() -> str:
    return f"HeatingInfoLinkCheck/1.0 (+{base_url()}/; link check of the site's own pages)"


def _external(urls: set[str]) -> tuple[dict[str, Verdict | None], set[str], int]:
    """(url → verdict, for every address with a known answer; the addresses never answered;
    how many were fetched now). Fetched longest-unchecked first; an address left out this time
    keeps its last answer."""
    known = {
        row.url: row
        for row in CheckedURL.objects.filter(url_hash__in=[url_hash(url) for url in urls])
    }
    never = datetime.min.replace(tzinfo=UTC)
    order = sorted(urls, key=lambda url: (known[url].checked_at if url in known else never, url))
    outcomes = Checker(Limits.from_settings(user_agent())).check_all(order) if order else []
    now = timezone.now()
    verdicts: dict[str, Verdict | None] = {}
    checked = 0
    for outcome in outcomes:
        if outcome.checked:
            checked += 1
            verdicts[outcome.url] = outcome.verdict
            _store(outcome.url, outcome.verdict, now)
        elif outcome.url in known:
            verdicts[outcome.url] = _stored(known[outcome.url])
    # Addresses no longer linked are forgotten.
    CheckedURL.objects.exclude(url_hash__in=[url_hash(url) for url in urls]).delete()
    return verdicts, urls - verdicts.keys(), checked


def _store(url: str, verdict: Verdict | None, now) -> None:
    CheckedURL.objects.update_or_create(
        url_hash=url_hash(url),
        defaults={
            "url": url,
            "checked_at": now,
            "status": verdict.status if verdict else "",
            "severity": verdict.severity if verdict else "",
            "http_status": verdict.http_status if verdict else None,
            "detail": verdict.detail if verdict else "",
            "suggestion": verdict.suggestion if verdict else "",
        },
    )


def _stored(row: CheckedURL) -> Verdict | None:
    if not row.status:
        return None
    return Verdict(
        row.status,
        row.detail,
        suggestion=row.suggestion,
        http_status=row.http_status,
        severity=row.severity,
    )


def problem_key(link: Link) -> str:
    source = link.source
    identity = "\n".join([str(source.content_type_id), source.object_id, link.field, link.target])
    return hashlib.sha256(identity.encode()).hexdigest()


@transaction.atomic
def record(
    links: Iterable[Link],
    verdicts: dict[str, Verdict | None],
    unknown: set[str],
    internal_targets: set[str],
) -> tuple[int, int]:
    """Write what this run found: new problems opened (or reopened), known ones updated, open
    ones not found again closed as fixed, except those whose address could not be checked.
    (opened, fixed)."""
    now = timezone.now()
    findings: dict[str, tuple[Link, Verdict]] = {}
    undecided: set[str] = set()
    for link in links:
        key = problem_key(link)
        if link.target in unknown:
            undecided.add(key)
        elif (verdict := verdicts.get(link.target)) is not None:
            findings.setdefault(key, (link, verdict))
    rows = {
        row.key: row
        for row in LinkProblem.objects.select_for_update().filter(
            Q(key__in=findings.keys()) | Q(fixed_at__isnull=True)
        )
    }
    opened = fixed = 0
    for key, (link, verdict) in findings.items():
        row = rows.get(key)
        if row is None:
            row = LinkProblem(key=key, first_seen=now)
            opened += 1
        elif row.fixed_at is not None:  # broken again: a new problem
            row.first_seen, row.fixed_at, row.notified_at = now, None, None
            opened += 1
        elif row.severity == Severity.WARNING and verdict.severity == Severity.ERROR:
            row.notified_at = None  # worse than when the editors were told
        _fill(row, link, verdict, internal_targets, now)
        row.save()
    for key, row in rows.items():
        if row.fixed_at is None and key not in findings and key not in undecided:
            row.fixed_at = now
            row.save(update_fields=["fixed_at"])
            fixed += 1
    LinkProblem.objects.filter(fixed_at__lt=now - KEEP_FIXED).delete()
    return opened, fixed


def _fill(row: LinkProblem, link: Link, verdict: Verdict, internal_targets, now) -> None:
    source = link.source
    row.source_type_id = source.content_type_id
    row.source_id = source.object_id
    row.page_id = source.page_id
    row.source_label = source.label[:255]
    row.field = link.field[:255]
    row.where = link.where[:255]
    row.target = link.target
    row.text = link.text
    row.kind = Kind.INTERNAL if link.target in internal_targets else Kind.EXTERNAL
    row.status = verdict.status
    row.severity = verdict.severity
    row.http_status = verdict.http_status
    row.detail = verdict.detail
    row.suggestion = verdict.suggestion
    row.target_page_id = verdict.target_page_id
    row.last_seen = now
