"""Geometry of the drawings (timeline, bar chart), without any terminal library.

Everything here is plain computation on columns, so it can be tested exactly; the
renderer turns the result into styled text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

Precision = str  # "day", "month" or "year"


@dataclass(frozen=True, slots=True)
class Mark:
    """A glyph on a timeline's axis."""

    number: int  # 1-based, in chronological order
    column: int
    stack: int  # 0 on the marks row, 1 below it, ... when events share a column
    precision: Precision


@dataclass(frozen=True, slots=True)
class Label:
    """A label above a timeline's axis."""

    text: str
    column: int
    row: int


@dataclass(frozen=True, slots=True)
class Era:
    """A stretch of a timeline."""

    name: str
    start: int  # first column, inclusive
    end: int  # last column, inclusive


@dataclass(frozen=True, slots=True)
class Group:
    """Events drawn as one mark when there are too many to label each: a year or a month."""

    number: int
    period: str  # "1994" or "1994-03"
    count: int
    first: int  # index of its first event, in date order


@dataclass(frozen=True, slots=True)
class Timeline:
    """A timeline laid out for a width."""

    width: int
    first_year: int
    last_year: int
    ticks: tuple[tuple[int, str], ...]  # (column, year label)
    eras: tuple[Era, ...]
    marks: tuple[Mark, ...]
    labels: tuple[Label, ...]
    groups: tuple[Group, ...] = ()  # set when the marks stand for groups, not events


MAX_LABELLED = 80
"""More events than this are drawn grouped by year (or by month within a few years)."""
MAX_STACK = 4
"""In a grouped timeline, group marks stacked in one column beyond this are not drawn
(the legend lists every group)."""


def precision(date: str) -> Precision:
    return {4: "year", 7: "month"}.get(len(date), "day")


def position(date: str) -> float:
    """The date as a fractional year. A date known only to the year or month sits at
    the start of that period, the same place ISO order gives it ("1994" before
    "1994-03" before "1994-03-02"), so marks run left to right in numbered order;
    its glyph says how precise it is."""
    year = int(date[:4])
    month = int(date[5:7]) if len(date) >= 7 else 1
    day = int(date[8:10]) if len(date) >= 10 else 1
    return year + (month - 1) / 12 + (day - 1) / 366


def timeline(
    dates: list[str], width: int, eras: Sequence[tuple[str, str | None, str | None]] = ()
) -> Timeline:
    """Lay out one mark per date (sorted) on an axis `width` columns wide.

    `eras` are (name, since, until-or-None) periods to shade. Labels are the
    events' numbers, placed under their mark on the first row where they do not
    touch another label.
    """
    width = max(width, 20)
    years = [int(d[:4]) for d in dates] or [2000]
    first, last = min(years), max(years)
    span = last + 1 - first

    def column(t: float) -> int:
        return min(width - 1, max(0, int((t - first) / span * width)))

    ticks = year_ticks(first, last, width)

    shaded = []
    for name, since, until in eras:
        a = column(_start_of(since)) if since else 0
        b = column(_start_of(until)) - 1 if until else width - 1
        if b >= a:
            shaded.append(Era(name, a, b))

    groups: list[Group] = []
    if len(dates) > MAX_LABELLED:
        # Too many to label one by one: one mark per year, or per month over a short span.
        by_month = span <= 3
        points: list[str] = []
        for index, date in enumerate(dates):
            period = date[:7] if by_month and len(date) >= 7 else date[:4]
            if groups and groups[-1].period == period:
                prev = groups[-1]
                groups[-1] = Group(prev.number, period, prev.count + 1, prev.first)
            else:
                groups.append(Group(len(groups) + 1, period, 1, index))
                points.append(period)
        dates = points

    marks: list[Mark] = []
    stacks: dict[int, int] = {}
    for number, date in enumerate(dates, start=1):
        col = column(position(date))
        stack = stacks.get(col, 0)
        stacks[col] = stack + 1
        if stack < MAX_STACK or not groups:  # grouped, a column holds a few marks at most
            marks.append(Mark(number, col, stack, precision(date)))

    labels: list[Label] = []
    ends: list[int] = []  # per label row, the column after its rightmost label
    for mark in marks:
        text = str(mark.number)
        col = min(mark.column, width - len(text))
        # Marks come left to right, so a row is free where its last label ends before.
        row_index = next((i for i, end in enumerate(ends) if col > end), len(ends))
        if row_index == len(ends):
            ends.append(-2)
        ends[row_index] = col + len(text)
        labels.append(Label(text, col, row_index))
    return Timeline(
        width,
        first,
        last,
        ticks,
        tuple(shaded),
        tuple(marks),
        tuple(labels),
        tuple(groups),
    )


def _start_of(date: str) -> float:
    year = int(date[:4])
    month = int(date[5:7]) if len(date) >= 7 else 1
    return year + (month - 1) / 12


def bar_length(value: float, largest: float, width: int) -> int:
    """Whole cells for a bar of `value` against `largest` filling `width` (at least 1)."""
    if largest <= 0 or width <= 0:
        return 0
    return max(1, round(value / largest * width))


# ---------------------------------------------------------------- a series on a time axis


@dataclass(frozen=True, slots=True)
class Plotted:
    """A point of a series placed on a plot: its column, its row (0 the top one) and its
    index in the series."""

    column: int
    row: int
    index: int


@dataclass(frozen=True, slots=True)
class Plot:
    """A series laid out on a grid: time across, value up, on the series' own scale."""

    width: int
    height: int
    ticks: tuple[tuple[int, str], ...]  # (column, year label) under the grid
    low: float  # the value at the bottom row
    high: float  # the value at the top row
    zero: int | None  # the row of 0 when the scale crosses it
    marks: tuple[Plotted, ...]


def year_ticks(first: int, last: int, width: int) -> tuple[tuple[int, str], ...]:
    """Year labels for an axis from the start of `first` to the end of `last` across
    `width` columns: the smallest step whose labels (four digits and a gap) fit."""
    span = last + 1 - first
    step = next((s for s in (1, 2, 5, 10, 20, 50) if width / span * s >= 6), 100)
    start = first + (-first) % step if first % step else first
    ticks = [(int((y - first) / span * width), str(y)) for y in range(start, last + 1, step)]
    return tuple((c, y) for c, y in ticks if c + len(y) <= width)


def finite(value: float) -> float | None:
    """The value as a float, or None when a float cannot hold it (an integer beyond
    1.8e308, an infinity, not a number): it cannot be placed on a scale."""
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def plot(
    dates: Sequence[str], values: Sequence[float], width: int, height: int, years: tuple[int, int]
) -> Plot:
    """Lay out a series' points on a grid `width` columns by `height` rows: each point at
    its date on a time axis running from the start of `years[0]` to the end of
    `years[1]` (shared by every series of a chart, so gaps of years show as gaps), and at
    its value on a scale from the lower of 0 and the least value to the higher of 0 and
    the greatest (negative values below 0). Values a float cannot hold are left out."""
    width, height = max(width, 10), max(height, 2)
    first, last = years
    span = last + 1 - first
    numbers = [finite(v) for v in values]
    known = [n for n in numbers if n is not None]
    low, high = min([0.0, *known]), max([0.0, *known])
    # Halves, so that the width of the scale is finite even from -1.7e308 to 1.7e308.
    half_range = high / 2 - low / 2

    def row(n: float) -> int:
        share = (n / 2 - low / 2) / half_range if half_range else 0.5
        return height - 1 - min(height - 1, max(0, round(share * (height - 1))))

    marks = [
        Plotted(min(width - 1, max(0, int((position(d) - first) / span * width))), row(n), i)
        for i, (d, n) in enumerate(zip(dates, numbers, strict=True))
        if n is not None
    ]
    zero = row(0.0) if low < 0 < high else None
    return Plot(width, height, year_ticks(first, last, width), low, high, zero, tuple(marks))
