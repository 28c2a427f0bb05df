"""The notice lists every channel shows, each one query whatever the number of notices."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

from contacts.facets import directory_facets
from contacts.models import Community
from notices.enums import OPEN_STATES, Utility

QUERY_MAX_LENGTH = 40


def notices_for_display(notices: QuerySet) -> QuerySet:
    """What a notice's page, feed item or calendar event shows besides its own fields."""
    return notices.select_related("station").prefetch_related("communities", "updates")


def current_and_upcoming(notices: QuerySet, now) -> QuerySet:
    """Open notices not yet over, the one that started first on top."""
    return (
        notices.filter(state__in=OPEN_STATES)
        .filter(Q(current_ends_at__isnull=True) | Q(current_ends_at__gt=now))
        .order_by("starts_at", "pk")
    )


def past(notices: QuerySet, now) -> QuerySet:
    return notices.exclude(
        Q(state__in=OPEN_STATES) & (Q(current_ends_at__isnull=True) | Q(current_ends_at__gt=now))
    ).order_by("-starts_at", "-pk")


@dataclass(frozen=True)
class NoticeFilters:
    utility: str = ""
    district: str = ""
    community: str = ""
    major_only: bool = False

    @classmethod
    def from_query(cls, params) -> "NoticeFilters":
        utility = params.get("utility", "")
        return cls(
            utility=utility if utility in Utility.values else "",
            district=params.get("district", "").strip()[:QUERY_MAX_LENGTH],
            community=params.get("community", "").strip()[:QUERY_MAX_LENGTH],
            major_only=params.get("major") == "1",
        )

    @property
    def active(self) -> bool:
        return bool(self.utility or self.district or self.community or self.major_only)

    def apply(self, notices: QuerySet) -> QuerySet:
        if self.utility:
            notices = notices.filter(utility=self.utility)
        if self.district:
            notices = notices.filter(district=self.district)
        if self.major_only:
            notices = notices.filter(is_major=True)
        if self.community:
            # A community code (from a link) or what a resident typed: name, alias or pinyin.
            matching = Community.objects.filter(code=self.community) | Community.objects.lookup(
                self.community
            )
            notices = notices.filter(communities__in=matching.values("pk")).distinct()
        return notices

    def query_string(self) -> str:
        params = {
            "utility": self.utility,
            "district": self.district,
            "community": self.community,
            "major": "1" if self.major_only else "",
        }
        return urlencode({k: v for k, v in params.items() if v})


def filter_choices() -> dict:
    return {"utilities": Utility.choices, "districts": directory_facets()["districts"]}
