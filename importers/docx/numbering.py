"""Word's automatic numbering (word/numbering.xml): the label each numbered paragraph shows.

A paragraph names a numbering instance (w:num, by numId) and a level (ilvl). Instances point to
an abstract definition whose level gives the format (w:numFmt), the text ("第%1条": %N is the
counter of level N) and the start value. Counting follows Word: instances of one abstract
definition share their counters, unless an instance overrides a level (w:lvlOverride, as
"restart numbering" writes), which gives it counters of its own; using a level resets the deeper
levels, except where w:lvlRestart says otherwise (0: never). Abstract definitions that only link
to a numbering style (w:numStyleLink) are followed to the style's definition."""

import re
from dataclasses import dataclass, replace

from importers.docx.numerals import format_number
from importers.docx.ooxml import Element, W, int_val, val
from importers.docx.styles import Styles

LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")
# Bullets set in a symbol font are private-use code points; the text shows a plain bullet.
_PLAIN_BULLET = "•"


@dataclass(frozen=True)
class Level:
    num_fmt: str = "decimal"
    text: str = "%1."
    start: int = 0  # w:start; the schema's default is 0
    restart: int | None = None  # lvlRestart; None: after any shallower level
    legal: bool = False  # isLgl: every counter shown as a decimal
    suffix: str = "tab"  # what separates the label from the text: tab, space or nothing
    style_id: str | None = None  # w:pStyle: the paragraph style this level belongs to


@dataclass(frozen=True)
class NumberLabel:
    text: str
    bullet: bool
    suffix: str

    def prefix(self) -> str:
        """The label as it reads in front of the paragraph's text."""
        return self.text + ("" if self.suffix == "nothing" or not self.text else " ")


@dataclass(frozen=True)
class _Override:
    level: Level | None  # a whole level redefined, or None
    start: int | None  # w:startOverride


@dataclass
class _Instance:
    abstract_id: str
    overrides: dict[int, _Override]


class Numbering:
    def __init__(self, root: Element | None, styles: Styles):
        self._styles = styles
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}  # abstractNum id → numbering style it links to
        self._instances: dict[str, _Instance] = {}
        self._counters: dict[tuple[str, str], list[int | None]] = {}
        if root is not None:
            self._read(root)

    def label(
        self, num_id: str | None, ilvl: int | None, style_id: str | None
    ) -> NumberLabel | None:
        """The next label of instance `num_id` at level `ilvl`, counting this paragraph."""
        instance = self._instances.get(num_id or "")
        if instance is None:
            return None  # numId 0 (numbering removed) or an undefined instance
        levels = self._levels(instance)
        if ilvl is None:
            ilvl = next((n for n, level in levels.items() if level.style_id == style_id), 0)
        if ilvl not in levels:
            return None
        counters = self._counters.setdefault(self._key(num_id, instance), [None] * LEVELS)
        _count(counters, levels, ilvl)
        level = levels[ilvl]
        if level.num_fmt == "bullet":
            return NumberLabel(_bullet_text(level.text), True, level.suffix)
        return NumberLabel(_render(level, levels, counters), False, level.suffix)

    def _read(self, root: Element) -> None:
        for abstract in root.iterchildren(W + "abstractNum"):
            abstract_id = abstract.get(W + "abstractNumId", "")
            levels = (_read_level(element) for element in abstract.iterchildren(W + "lvl"))
            self._abstracts[abstract_id] = {
                ilvl: level for ilvl, level in levels if ilvl is not None
            }
            link = val(abstract.find(W + "numStyleLink"))
            if link:
                self._style_links[abstract_id] = link
        for num in root.iterchildren(W + "num"):
            self._instances[num.get(W + "numId", "")] = _Instance(
                abstract_id=val(num.find(W + "abstractNumId"), "") or "",
                overrides=_read_overrides(num),
            )

    def _levels(self, instance: _Instance) -> dict[int, Level]:
        levels = dict(self._abstracts.get(self._definition(instance.abstract_id), {}))
        for ilvl, override in instance.overrides.items():
            level = override.level or levels.get(ilvl, Level())
            if override.start is not None:
                level = replace(level, start=override.start)
            levels[ilvl] = level
        return levels

    def _definition(self, abstract_id: str) -> str:
        """The abstract definition that holds the levels, following numStyleLink."""
        seen = {abstract_id}
        while abstract_id in self._style_links:
            linked = self._instances.get(self._styles.num_id(self._style_links[abstract_id]) or "")
            if linked is None or linked.abstract_id in seen:
                break
            abstract_id = linked.abstract_id
            seen.add(abstract_id)
        return abstract_id

    def _key(self, num_id: str, instance: _Instance) -> tuple[str, str]:
        if instance.overrides:
            return ("num", num_id)
        return ("abstract", self._definition(instance.abstract_id))


def _count(counters: list[int | None], levels: dict[int, Level], ilvl: int) -> None:
    current = counters[ilvl]
    counters[ilvl] = levels[ilvl].start if current is None else current + 1
    for deeper in range(ilvl + 1, LEVELS):
        level = levels.get(deeper)
        restart = deeper if level is None or level.restart is None else level.restart
        if ilvl < restart:
            counters[deeper] = None


def _read_level(element: Element) -> tuple[int | None, Level]:
    ilvl = element.get(W + "ilvl", "")
    return int(ilvl) if ilvl.isdigit() and int(ilvl) < LEVELS else None, Level(
        num_fmt=val(element.find(W + "numFmt"), "decimal") or "decimal",
        text=val(element.find(W + "lvlText"), "") or "",
        start=int_val(element.find(W + "start")) or 0,
        restart=int_val(element.find(W + "lvlRestart")),
        legal=element.find(W + "isLgl") is not None,
        suffix=val(element.find(W + "suff"), "tab") or "tab",
        style_id=val(element.find(W + "pStyle")),
    )


def _read_overrides(num: Element) -> dict[int, _Override]:
    overrides = {}
    for override in num.iterchildren(W + "lvlOverride"):
        level_element = override.find(W + "lvl")
        level = _read_level(level_element)[1] if level_element is not None else None
        start = int_val(override.find(W + "startOverride"))
        ilvl = override.get(W + "ilvl", "0")
        if (level is not None or start is not None) and ilvl.isdigit() and int(ilvl) < LEVELS:
            overrides[int(ilvl)] = _Override(level, start)
    return overrides


def _render(level: Level, levels: dict[int, Level], counters: list[int | None]) -> str:
    def counter(match: re.Match) -> str:
        index = int(match.group(1)) - 1
        shown = levels.get(index, Level())
        value = counters[index] if counters[index] is not None else shown.start
        return format_number(value, "decimal" if level.legal else shown.num_fmt)

    return _PLACEHOLDER.sub(counter, level.text)


def _bullet_text(text: str) -> str:
    if not text or any(0xE000 <= ord(char) <= 0xF8FF for char in text):
        return _PLAIN_BULLET
    return text
