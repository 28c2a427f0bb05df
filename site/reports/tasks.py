"""The daily job of the reports (config.schedules): store each season's months once they are
over, and the final figures of a report whose year or season has ended since it was published.
Safe to run twice or concurrently: a month is stored once (the unique season and month), and
final figures are stored only on a page whose stored ones are not final yet."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from core import page_cache
from reports.models import AnnualReportPage, ClosedMonth, SeasonQualityPage
from reports.periods import Period
from reports.season import compute_period

logger = logging.getLogger(__name__)


def close_periods(now=None) -> dict:
    now = now or timezone.now()
    months = close_months(now)
    finalised = []
    for model in (AnnualReportPage, SeasonQualityPage):
        for page in model.objects.live():
            if page.figures_period().is_over(now) and not _final(page):
                page.store_figures(now)
                finalised.append(page.pk)
    return {"months": months, "finalised": finalised}


def _final(page) -> bool:
    return bool(page.figures and page.figures.get("final") and page.stored_figures_fit())


def close_months(now=None) -> list[str]:
    """Store every month of every live season whose days in the season are over and which is not
    stored yet; returns them as "<page id>:YYYY-MM"."""
    now = now or timezone.now()
    stored = []
    for season in SeasonQualityPage.objects.live().only("pk", "season_start", "season_end"):
        period = season.figures_period()
        done = set(ClosedMonth.objects.filter(season=season).values_list("month", flat=True))
        for month in period.months():
            span = Period.month(month).clip(period)
            if month in done or not span.is_over(
                now
            ):  # the season's last days close its last month
                continue
            figures = compute_period(span, now)
            try:
                with transaction.atomic():
                    ClosedMonth.objects.create(
                        season=season, month=month, figures=figures.to_json(), closed_at=now
                    )
            except IntegrityError:  # another run stored it in the meantime
                continue
            stored.append(f"{season.pk}:{month:%Y-%m}")
        if any(key.startswith(f"{season.pk}:") for key in stored):
            page_cache.invalidate(page_cache.page_tag(season.pk))
    if stored:
        logger.info("Stored the figures of closed months %s", ", ".join(stored))
    return stored
