"""The figures are stored on a report page when it is really published (reports.models)."""

from wagtail.signals import page_published

from reports.models import AnnualReportPage, SeasonQualityPage


def on_report_published(sender, instance, revision, **kwargs):
    """Wagtail also sends page_published when a revision is only scheduled for later: store
    the figures only when this revision is the live one."""
    page = sender.objects.get(pk=instance.pk)
    if not page.live or page.live_revision_id != revision.pk:
        return
    page.store_figures()


def register_signal_handlers() -> None:
    for model in (AnnualReportPage, SeasonQualityPage):
        page_published.connect(
            on_report_published, sender=model, dispatch_uid=f"reports-published-{model.__name__}"
        )
