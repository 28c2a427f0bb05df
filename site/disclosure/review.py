"""Each column is reviewed by 审核 within its review period after it changes.

A column's period (`ColumnReview.review_days`, 20 working days unless 审核 sets another) runs
from its first change that no review has followed yet, and ends at the close of the period's
last working day, counted with the service desk's holiday calendar (servicedesk.calendar: the
same working days as the residents' deadlines). Later changes do not move the end: a column
that changes every day is still reviewed every period. A review covers every change before it.
A column is overdue from the end of its period until it is reviewed.

The changes are the catalogue's records: `CatalogueChange.at` (items entered, changed or
withdrawn), and `CatalogueItem.updated_at` for a change the log does not hold."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from catalogue.columns import Column
from catalogue.models import CatalogueChange, CatalogueItem
from core.people import holders_of
from disclosure.models import ColumnReview
from servicedesk.calendar import WorkingCalendar, load_calendar

PERMISSION = "disclosure.review_column"

# States of a column (ColumnStatus.state).
UNCHANGED = "unchanged"  # nothing to review: no change since the last review (or ever)
PENDING = "pending"  # changed, within its period
OVERDUE = "overdue"  # changed, its period ended without a review


def can_review(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


def reviewers():
    """Who reviews: active users holding the permission through a group (审核) or directly."""
    return holders_of(PERMISSION)


@dataclass(frozen=True)
class ColumnStatus:
    column: str
    review_days: int
    last_change: datetime | None  # the latest change, reviewed or not
    unreviewed_since: datetime | None  # the first change no review has followed
    due: datetime | None  # the end of the period that change started
    reviewed_at: datetime | None
    reviewed_by: str
    state: str

    @property
    def label(self) -> str:
        return str(Column(self.column).label)

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE


def due_after(changed_at: datetime, review_days: int, calendar: WorkingCalendar) -> datetime:
    """The end of the review period of a change: midnight closing its Nth working day."""
    return calendar.add_working_days(changed_at, review_days)


def _after_reviews(reviews: dict[str, ColumnReview], column_field: str, time_field: str) -> Q:
    """Rows of each column later than the column's last review (all of a never reviewed one)."""
    condition = Q()
    for column in Column.values:
        review = reviews.get(column)
        if review is not None and review.reviewed_at is not None:
            condition |= Q(**{column_field: column, f"{time_field}__gt": review.reviewed_at})
        else:
            condition |= Q(**{column_field: column})
    return condition


def _changes(reviews: dict[str, ColumnReview]) -> dict[str, tuple]:
    """Column → (latest change, first change after the column's last review), from the change
    log and the items: two grouped queries."""
    found: dict[str, tuple] = {}
    log = (
        CatalogueChange.objects.values(column=F("item__column"))
        .annotate(
            last=Max("at"),
            first=Min("at", filter=_after_reviews(reviews, "item__column", "at")),
        )
        .order_by()
    )
    items = (
        CatalogueItem.objects.values("column")
        .annotate(
            last=Max("updated_at"),
            first=Min("updated_at", filter=_after_reviews(reviews, "column", "updated_at")),
        )
        .order_by()
    )
    for row in [*log, *items]:
        last, first = found.get(row["column"], (None, None))
        found[row["column"]] = (_latest(last, row["last"]), _earliest(first, row["first"]))
    return found


def _latest(*times):
    present = [time for time in times if time is not None]
    return max(present) if present else None


def _earliest(*times):
    present = [time for time in times if time is not None]
    return min(present) if present else None


def column_statuses(
    now: datetime | None = None, calendar: WorkingCalendar | None = None
) -> list[ColumnStatus]:
    """Every column in the catalogue's order with where it stands: four queries (reviews, the
    calendar, the change log, the items)."""
    now = now or timezone.now()
    reviews = {
        review.column: review for review in ColumnReview.objects.select_related("reviewed_by")
    }
    calendar = calendar or load_calendar()
    changes = _changes(reviews)
    statuses = []
    for column in Column.values:
        review = reviews.get(column)
        days = review.review_days if review else ColumnReview.DEFAULT_DAYS
        last, first = changes.get(column, (None, None))
        due = due_after(first, days, calendar) if first else None
        if due is None:
            state = UNCHANGED
        elif now >= due:
            state = OVERDUE
        else:
            state = PENDING
        reviewer = review.reviewed_by if review else None
        reviewer_name = (reviewer.get_full_name() or reviewer.get_username()) if reviewer else ""
        statuses.append(
            ColumnStatus(
                column=column,
                review_days=days,
                last_change=last,
                unreviewed_since=first,
                due=due,
                reviewed_at=review.reviewed_at if review else None,
                reviewed_by=reviewer_name,
                state=state,
            )
        )
    return statuses


def overdue_columns(now: datetime | None = None) -> list[ColumnStatus]:
    return [status for status in column_statuses(now) if status.overdue]


@transaction.atomic
def mark_reviewed(column: str, user, now: datetime | None = None) -> ColumnReview:
    """审核 has looked at the column as it is now: every change up to this moment is reviewed."""
    review, _created = ColumnReview.objects.select_for_update().get_or_create(column=column)
    review.reviewed_at = now or timezone.now()
    review.reviewed_by = user
    review.save(update_fields=["reviewed_at", "reviewed_by"])
    return review


@transaction.atomic
def set_period(column: str, review_days: int) -> ColumnReview:
    review, _created = ColumnReview.objects.select_for_update().get_or_create(column=column)
    review.review_days = review_days
    review.save(update_fields=["review_days"])
    return review
