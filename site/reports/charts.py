"""Charts drawn on the server as inline SVG: readable without JavaScript, and printed as drawn.

This module does the arithmetic (where each bar, point and label goes); the templates
reports/includes/bar_chart.html and line_chart.html write the SVG, each with its <title> and
<desc> named by aria-labelledby on an element of role="img", and the data table right after
it, which is what a screen reader reads. Colours keep at least 3:1 against white for the marks
(WCAG 2.1 1.4.11) and 4.5:1 for text; the two series of a line chart also differ in dash and
marker, never by colour alone."""

import math
from dataclasses import dataclass

INK = "#1a1a1a"  # text, axes: 17.4:1 on white
GRID = "#767676"  # grid lines: 4.5:1
SERIES_COLOURS = ("#9b1c1c", "#0b57d0")  # brand red 7.6:1, blue 6.0:1
FONT_SIZE = 18  # about 14 px on a phone, where the drawing is scaled to the screen
CHAR_WIDTH = FONT_SIZE  # a Chinese character is about as wide as the font is high
WIDTH = 480
ROW = 40
BAR = 24
LABEL_CHARS = 9
VALUE_ROOM = 84  # right of the longest bar, for its value


@dataclass(frozen=True)
class Tick:
    position: float
    text: str
    text_position: (
        float  # where its text goes across the axis: y under an x axis, x beside a y axis
    )


@dataclass(frozen=True)
class Bar:
    label: str  # as drawn (shortened when long: the table has it whole)
    value_text: str
    y: float
    length: float  # 0 for no value
    text_x: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_bottom: float
    label_x: float
    bars: list[Bar]
    ticks: list[Tick]
    colour: str = SERIES_COLOURS[0]
    font_size: int = FONT_SIZE
    bar_height: int = BAR
    ink: str = INK
    grid: str = GRID


def shorten(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """0 and round steps up to at least `maximum` (1, 2 or 5 times a power of ten)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / (count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    steps = math.ceil(maximum / step - 1e-9)
    return [round(i * step, 6) for i in range(steps + 1)]


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    items: list[tuple[str, float | None, str]],
    *,
    maximum: float | None = None,
    unit: str = "",
) -> BarChart:
    """Horizontal bars, one row per (label, value or None, value as shown): long Chinese
    labels stay legible on a phone. `maximum` fixes the scale (100 for per cents)."""
    label_width = LABEL_CHARS * CHAR_WIDTH + 12
    left, right = label_width, WIDTH - VALUE_ROOM
    values = [value for _label, value, _text in items if value is not None]
    ticks = nice_ticks(maximum if maximum is not None else max(values, default=0))
    top = ticks[-1] or 1
    scale = (right - left) / top
    bars = []
    for index, (label, value, text) in enumerate(items):
        length = max(0.0, (value or 0) * scale)
        bars.append(
            Bar(
                label=shorten(label),
                value_text=text,
                y=8 + index * ROW,
                length=round(length, 1),
                text_x=round(left + length + 6, 1),
                text_y=8 + index * ROW + 18,
            )
        )
    bottom = 8 + len(items) * ROW
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=bottom + 28,
        plot_left=left,
        plot_right=right,
        plot_bottom=bottom,
        label_x=left - 8,
        bars=bars,
        ticks=[
            Tick(round(left + tick * scale, 1), _number(tick) + unit, bottom + 20) for tick in ticks
        ],
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    text: str

    @property
    def corner_x(self) -> float:  # a square marker's top left corner
        return round(self.x - 5, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 5, 1)


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    dash: str  # stroke-dasharray, "" for a solid line
    marker: str  # "circle" or "square"
    path: str
    points: list[Point]
    legend: Point  # where its key is drawn, above the plot


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_labels: list[Tick]
    y_ticks: list[Tick]
    series: list[Series]
    font_size: int = FONT_SIZE
    ink: str = INK
    grid: str = GRID


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    x_labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    maximum: float = 100,
    unit: str = "%",
) -> LineChart:
    """One line per (name, values aligned with x_labels); a missing value breaks the line."""
    left, right, top, bottom = 56.0, WIDTH - 24.0, 44.0, 264.0
    ticks = nice_ticks(maximum)
    scale = (bottom - top) / (ticks[-1] or 1)
    step = (right - left) / max(1, len(x_labels) - 1) if len(x_labels) > 1 else 0
    xs = [left + index * step if step else (left + right) / 2 for index in range(len(x_labels))]
    drawn = []
    styles = [("", "circle"), ("6 4", "square")]
    for number, (name, values) in enumerate(series):
        points, path, pen_down = [], [], False
        for x, value in zip(xs, values, strict=True):
            if value is None:
                pen_down = False
                continue
            y = round(bottom - value * scale, 1)
            path.append(f"{'L' if pen_down else 'M'}{round(x, 1)} {y}")
            pen_down = True
            points.append(Point(round(x, 1), y, _number(value) + unit))
        dash, marker = styles[number % len(styles)]
        legend_x = left + number * 190
        drawn.append(
            Series(
                name=name,
                colour=SERIES_COLOURS[number % len(SERIES_COLOURS)],
                dash=dash,
                marker=marker,
                path=" ".join(path),
                points=points,
                legend=Point(legend_x, 18, name),
            )
        )
    return LineChart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=int(bottom + 36),
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        x_labels=[
            Tick(round(x, 1), label, bottom + 24) for x, label in zip(xs, x_labels, strict=True)
        ],
        y_ticks=[
            Tick(round(bottom - tick * scale, 1), _number(tick) + unit, left - 6) for tick in ticks
        ],
        series=drawn,
    )
