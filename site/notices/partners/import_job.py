"""Checking partner feeds now, from the admin, as a django-q2 job (jobs.runner): a feed may take
up to 75 s to download (notices.partners.importer), longer than a request may. The 10-minute
schedule checks them too; an entry is imported once whichever run sees it first."""

from django.urls import reverse
from django.utils.translation import gettext as _

from jobs import runner
from jobs.enums import JobKind
from jobs.models import ImportJob
from notices.partners.importer import import_source_guarded
from notices.partners.models import PartnerFeedSource

PERMISSIONS = ("notices.change_partnerfeedsource",)


def start(*, user) -> ImportJob:
    return runner.start(
        JobKind.PARTNER_FEEDS, partner_feeds_task, user=user, permissions=PERMISSIONS
    )


def partner_feeds_task(job_id: int) -> str:
    return runner.run(job_id, _check)


def _check(job: ImportJob, progress) -> runner.Outcome:
    """Every enabled source, each imported as the schedule does (each entry in a transaction of
    its own). The job fails when no source could be read; a source that could not be read
    while others could is listed on the job's page."""
    sources = list(PartnerFeedSource.objects.filter(enabled=True).order_by("name"))
    if not sources:
        raise runner.JobFailed(_("没有启用的订阅源。"))
    progress.stage(_("检查订阅源"), total=len(sources))
    imported, problems, unreadable = 0, [], 0
    for source in sources:
        result = import_source_guarded(source)
        imported += len(result.imported)
        unreadable += bool(result.error)
        if not result.ok:
            problems.append(f"{source.name}：{result.report()}")
        progress.advance()
    if unreadable == len(sources):
        raise runner.JobFailed(_("订阅源都无法读取，没有导入任何通知："), problems)
    return runner.Outcome(
        _("检查了%(sources)d个订阅源，导入%(count)d条停供通知。")
        % {"sources": len(sources), "count": imported},
        lines=problems,
        link=(reverse("wagtailsnippets_notices_partnerentry:list"), _("查看订阅条目")),
        data={"imported": imported},
    )
