"""The area boundary of an outage notice: "南至皓月大路,北至西安大路,西至翔运街,东至铁路".

Notices write the four sides in any order, with any of ，,、；; or spaces between them, 到 for
至, sometimes as "皓月大路以北" (the area lies north of the road, so the road is its south side),
and usually in parentheses inside the notice sentence, which editors paste whole.
`parse_boundaries` reads all of these and never raises: a side written twice keeps its first
value, and that and any clause it cannot read are kept on the result so the admin can show a
warning instead of losing text silently."""

import re
from dataclasses import dataclass

# Field name and the character notices use for each side, in canonical order.
SIDES = (("south", "南"), ("north", "北"), ("west", "西"), ("east", "东"))
_SIDE_BY_CHAR = {char: side for side, char in SIDES}
_LABELS = {side: f"{char}至" for side, char in SIDES}
# "X以北": the area is north of X, so X bounds its south side.
_SIDE_BEYOND = {"北": "south", "南": "north", "东": "west", "西": "east"}

_SEPARATORS = re.compile(r"[，,、；;。\s]+")
_SPACE_AFTER_TO = re.compile(r"([南北西东][至到])\s+")
_TO_FORM = re.compile(r"([南北西东])[至到](.+)")
_BEYOND_FORM = re.compile(r"(.+)以([南北西东])")
# One pair of parentheses with no parentheses inside; editors mix full- and half-width ones.
_PARENTHESISED = re.compile(r"[（(]([^（）()]*)[）)]")


@dataclass(frozen=True)
class Boundaries:
    south: str = ""
    north: str = ""
    west: str = ""
    east: str = ""
    # One entry per extra occurrence of a side ("south" twice when 南至 was written three times).
    duplicates: tuple[str, ...] = ()
    # Clauses that are not a side, verbatim.
    unrecognized: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, side) for side, _ in SIDES)

    @property
    def text(self) -> str:
        """The canonical form: "南至…，北至…，西至…，东至…", present sides only."""
        return "，".join(
            f"{_LABELS[side]}{getattr(self, side)}" for side, _ in SIDES if getattr(self, side)
        )

    @property
    def warnings(self) -> list[str]:
        """What the editor should check, in Chinese; empty when the text read cleanly."""
        messages = []
        for side, _ in SIDES:
            extra = self.duplicates.count(side)
            if extra:
                times = "两" if extra == 1 else str(extra + 1)
                messages.append(f"{_LABELS[side]}出现{times}次，已使用第一处")
        messages.extend(f"无法识别“{clause}”，已忽略" for clause in self.unrecognized)
        return messages


def parse_boundaries(text: str) -> Boundaries:
    """All sides found in `text`; all-empty (and no warnings) when no side is found at all.

    A whole notice sentence works too: its parenthesised boundary clause is the one read."""
    embedded = extract_boundary_text(text)
    return _parse(text if embedded is None else embedded)


def extract_boundary_text(notice_text: str) -> str | None:
    """The inside of the first parenthesised clause of a notice that names at least one side,
    e.g. "南至皓月大路,北至西安大路,西至翔运街,东至铁路" from "…星宇东泵站(南至…东至铁路)停水…"."""
    for match in _PARENTHESISED.finditer(notice_text):
        inner = match.group(1).strip()
        if not _parse(inner).is_empty:
            return inner
    return None


def _parse(text: str) -> Boundaries:
    found: dict[str, str] = {}
    duplicates: list[str] = []
    unrecognized: list[str] = []
    for clause in _clauses(text):
        side_and_value = _read_clause(clause)
        if side_and_value is None:
            unrecognized.append(clause)
            continue
        side, value = side_and_value
        if side in found:
            duplicates.append(side)
        else:
            found[side] = value
    if not found:
        return Boundaries()
    return Boundaries(**found, duplicates=tuple(duplicates), unrecognized=tuple(unrecognized))


def _clauses(text: str) -> list[str]:
    text = _SPACE_AFTER_TO.sub(r"\1", _trim(text))
    return [clause for clause in _SEPARATORS.split(text) if clause]


def _trim(text: str) -> str:
    """Without a final full stop, so the last side does not end in "."."""
    return text.strip().rstrip("。.")


def _read_clause(clause: str) -> tuple[str, str] | None:
    to_form = _TO_FORM.fullmatch(clause)
    if to_form:
        return _SIDE_BY_CHAR[to_form.group(1)], to_form.group(2)
    beyond_form = _BEYOND_FORM.fullmatch(clause)
    if beyond_form:
        return _SIDE_BEYOND[beyond_form.group(2)], beyond_form.group(1)
    return None
