"""The notice lists every channel shows, each one query whatever the number of notices."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.facets import directory_facets
from contacts.models import Community
from core import memo
from notices.enums import OPEN_STATES, Utility

QUERY_MAX_LENGTH = 40
MAJOR_CHOICES = {"1": gettext_lazy("只看8小时以上的停供")}


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


def current_and_upcoming_ids(notices: QuerySet, now) -> memo.Kept:
    """The ids of `current_and_upcoming`, in order, valid until the first of them ends (for a
    core.memo whose tags say which changes drop them)."""
    rows = list(current_and_upcoming(notices, now).values_list("pk", "current_ends_at"))
    ends = [ends_at for _pk, ends_at in rows if ends_at is not None]
    return memo.Kept(tuple(pk for pk, _ends_at in rows), until=min(ends, default=None))


def past(notices: QuerySet, now) -> QuerySet:
    return notices.exclude(
        Q(state__in=OPEN_STATES) & (Q(current_ends_at__isnull=True) | Q(current_ends_at__gt=now))
    ).order_by("-starts_at", "-pk")


class InvalidFilter(ValueError):
    """A query parameter given a value it cannot have; the message names the parameter and the
    values it can have, for the JSON API's 400 answer."""

    def __init__(self, name: str, allowed: dict):
        values = "、".join(f"{value}（{label}）" for value, label in allowed.items())
        super().__init__(
            _("参数 %(name)s 的值无效，只能是以下之一：%(values)s。")
            % {"name": name, "values": values}
        )


def choice(params, name: str, allowed: dict, *, strict: bool) -> str:
    """The value of `params[name]` if it is one of `allowed` (value → label); "" when absent or
    empty. An unknown value is "" too (no filter), or, when `strict`, InvalidFilter."""
    value = params.get(name, "").strip()
    if not value or value in allowed:
        return value
    if strict:
        raise InvalidFilter(name, allowed)
    return ""


@dataclass(frozen=True)
class NoticeFilters:
    utility: str = ""
    district: str = ""
    community: str = ""
    major_only: bool = False

    @classmethod
    def from_query(cls, params, *, strict: bool = False) -> "NoticeFilters":
        """The filters of a query string. The resident pages ignore a value they do not know and
        show the list unfiltered, as the site's other pages treat a stale or mistyped link; the
        JSON API is `strict`: InvalidFilter, so a client's typo is not read as "no notices".
        District and community are matched as text, so any value is valid."""
        return cls(
            utility=choice(params, "utility", dict(Utility.choices), strict=strict),
            district=params.get("district", "").strip()[:QUERY_MAX_LENGTH],
            community=params.get("community", "").strip()[:QUERY_MAX_LENGTH],
            major_only=choice(params, "major", MAJOR_CHOICES, strict=strict) == "1",
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
