"""The collection's page: its items as a list a resident reads on a phone, 20 a page."""

from dataclasses import dataclass
from datetime import date

from catalogue.columns import Column
from notices.enums import NoticeState, Utility

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages tag every item before them: a bound on one response's tags


@dataclass(frozen=True)
class Entry:
    """One item as the list shows it, from the catalogue's snapshot (what the feeds say)."""

    title: str
    path: str
    column: str
    summary: str
    disclosed_on: date | None
    state: str = ""  # notices: the state, its label, the utility and its label, major or not
    state_label: str = ""
    utility: str = ""
    utility_label: str = ""
    is_major: bool = False

    @classmethod
    def of(cls, item) -> "Entry":
        snapshot = item.snapshot
        extra = snapshot.get("extra") or {}
        disclosed_on = snapshot.get("disclosed_on")
        notice = {}
        if extra.get("state") in NoticeState.values and extra.get("utility") in Utility.values:
            notice = {
                "state": extra["state"],
                "state_label": str(NoticeState(extra["state"]).label),
                "utility": extra["utility"],
                "utility_label": str(Utility(extra["utility"]).label),
                "is_major": bool(extra.get("is_major")),
            }
        return cls(
            title=snapshot["title"],
            path=snapshot.get("path") or "/",
            column=str(Column(item.column).label),
            summary=snapshot.get("summary") or "",
            disclosed_on=date.fromisoformat(disclosed_on) if disclosed_on else None,
            **notice,
        )


def page_number(value: str | None) -> int:
    """The `page` parameter; 1 for anything that is not a page number (a stale or mistyped
    link shows the first page, as the site's other lists do)."""
    if value and value.isascii() and value.isdigit():
        return min(max(int(value), 1), MAX_PAGE)
    return 1
