"""The measures both reports count with, as database expressions, so that each figure is one
aggregate query rather than a loop over rows: how long an outage lasted, where a service
request stands against its deadlines, whether a measured room was warm enough."""

from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from notices.enums import NoticeState
from servicedesk.compliance import SATISFIED_FROM
from servicedesk.enums import RequestStatus, Signature

EIGHT_HOURS = timedelta(hours=8)  # notices.models.MAJOR_OUTAGE: 8 h or more is major
ONE_DAY = timedelta(hours=24)

# How long an outage lasted: from its start to the moment service came back (restored_at),
# or, while it has not, to the end it announces now (current_ends_at: the editor's end, moved
# by each extension). The planned duration is the end the editor first wrote (ends_at). Either
# is NULL when the end is unknown ("恢复时间待定").
ACTUAL = ExpressionWrapper(
    Coalesce("restored_at", "current_ends_at") - F("starts_at"), output_field=DurationField()
)
PLANNED = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
HAPPENED = ~Q(state=NoticeState.CANCELLED)  # a cancelled outage has no duration

DURATION_BUCKETS = ("short", "day", "long", "unknown")


def duration_counts(prefix: str) -> dict:
    """Notices (not cancelled) per duration bucket: under 8 hours; 8 to 24 hours, both
    included; over 24 hours; end unknown."""
    name = f"outage_{prefix}"
    return {
        f"{prefix}_short": Count("pk", filter=HAPPENED & Q(**{f"{name}__lt": EIGHT_HOURS})),
        f"{prefix}_day": Count(
            "pk", filter=HAPPENED & Q(**{f"{name}__gte": EIGHT_HOURS, f"{name}__lte": ONE_DAY})
        ),
        f"{prefix}_long": Count("pk", filter=HAPPENED & Q(**{f"{name}__gt": ONE_DAY})),
        f"{prefix}_unknown": Count("pk", filter=HAPPENED & Q(**{f"{name}__isnull": True})),
    }


def outage_aggregates() -> dict:
    """Per group of notices annotated with `outage_actual` and `outage_planned` (`with_durations`)."""
    return {
        "notices": Count("pk"),
        "planned_kind": Count("pk", filter=Q(kind="planned")),
        "emergency_kind": Count("pk", filter=Q(kind="emergency")),
        "cancelled": Count("pk", filter=Q(state=NoticeState.CANCELLED)),
        "actual_total": Sum("outage_actual", filter=HAPPENED),
        "planned_total": Sum("outage_planned", filter=HAPPENED),
        **duration_counts("actual"),
        **duration_counts("planned"),
    }


def with_durations(notices):
    return notices.annotate(outage_actual=ACTUAL, outage_planned=PLANNED)


def hours(duration: timedelta | None) -> float:
    """Hours to one decimal; 0 for no outage at all."""
    if not duration:
        return 0.0
    return round(duration.total_seconds() / 3600, 1)


def request_aggregates(now) -> dict:
    """Requests against their deadlines as servicedesk.compliance counts them (its docstring
    defines each), in SQL: due to be closed are the closed ones and the open ones whose resolve
    deadline has passed by `now`; closed in time, closed no later than the deadline; satisfied,
    rated 满意 or better (compliance.SATISFIED_FROM). The same for the first contact."""
    closed = Q(status=RequestStatus.CLOSED)
    has_resolve = Q(resolve_due_at__isnull=False)
    has_contact = Q(contact_due_at__isnull=False)
    contacted = Q(first_contact_at__isnull=False)
    return {
        "received": Count("pk"),
        "closed": Count("pk", filter=closed),
        "resolve_due": Count("pk", filter=has_resolve & (closed | Q(resolve_due_at__lt=now))),
        "closed_in_time": Count("pk", filter=closed & Q(closed_at__lte=F("resolve_due_at"))),
        "open_overdue": Count("pk", filter=has_resolve & ~closed & Q(resolve_due_at__lt=now)),
        "contact_due": Count("pk", filter=has_contact & (contacted | Q(contact_due_at__lt=now))),
        "contacted_in_time": Count(
            "pk", filter=contacted & Q(first_contact_at__lte=F("contact_due_at"))
        ),
        "ratings": Count("rating"),
        "satisfied": Count("pk", filter=Q(rating__gte=SATISFIED_FROM)),
    }


# A room meets the standard as servicedesk.models.TemperatureReading.meets_standard says (seed
# 004 测温办法): its average at or above the standard in force when it was measured, or the
# household refused to sign the result, which counts as 合格. Tested against the property.
ROOM_MEETS_STANDARD = Q(signature=Signature.REFUSED) | Q(average__gte=F("standard_temperature"))


def percent(part: int | None, whole: int | None) -> float | None:
    """part ÷ whole in per cent to one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * (part or 0) / whole, 1)
