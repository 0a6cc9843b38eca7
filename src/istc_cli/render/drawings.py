"""Drawings: the timeline of events and the chart of figures (geometry in `layout`)."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .. import model
from ..queries import Result
from .cells import (
    dash,
    dot,
    figure_text,
    is_unicode,
    shown,
    unwrapped_where_it_fits,
)

# ---------------------------------------------------------------- the timeline

_GLYPHS = {"day": "●", "month": "◐", "year": "○"}
_ASCII_GLYPHS = {"day": "*", "month": "+", "year": "o"}
_ERA_FILL = ("░", "▒", "▓")
_ASCII_ERA_FILL = (".", ":", "=")
_ERA_STYLE = ("on grey23", "on dark_blue", "on dark_green")


class _Canvas:
    """One row of cells, each a character and a style."""

    def __init__(self, width: int) -> None:
        self.chars = [" "] * width
        self.styles = [""] * width

    def put(self, column: int, text: str, style: str = "") -> None:
        for i, char in enumerate(text):
            if 0 <= column + i < len(self.chars):
                self.chars[column + i] = char
                self.styles[column + i] = style or self.styles[column + i]

    def text(self) -> Text:
        out = Text()
        for char, style in zip(self.chars, self.styles, strict=True):
            out.append(char, style=style or None)
        out.rstrip()
        return out


def build_timeline(result: Result, console: Console) -> RenderableType:
    from .. import layout

    events = [r for r in result.records if isinstance(r, model.Event)]
    if not events:
        return Text(f"{result.title}: no events.")
    unicode = is_unicode(console)
    glyphs = _GLYPHS if unicode else _ASCII_GLYPHS
    width = max(console.width, 20)
    tl = layout.timeline([e.date for e in events], width, result.eras)

    ticks = _Canvas(width)
    axis = _Canvas(width)
    axis.put(0, ("─" if unicode else "-") * width, "dim")
    for column, year in tl.ticks:
        ticks.put(column, year, "bold")
        axis.put(column, "┼" if unicode else "+", "dim")

    band = _Canvas(width)
    fills = _ERA_FILL if unicode else _ASCII_ERA_FILL
    for i, era in enumerate(tl.eras):
        style = "" if console.no_color else _ERA_STYLE[i % len(_ERA_STYLE)]
        band.put(era.start, fills[i % len(fills)] * (era.end - era.start + 1), style)
        name = f" {era.name} "
        span = era.end - era.start + 1
        if len(name) <= span:
            band.put(era.start + (span - len(name)) // 2, name, style or "bold")

    depth = max((m.stack for m in tl.marks), default=0) + 1
    mark_rows = [_Canvas(width) for _ in range(depth)]
    for mark in tl.marks:
        mark_rows[mark.stack].put(mark.column, glyphs[mark.precision], "bold cyan")
    label_rows = [_Canvas(width) for _ in range(max((lb.row for lb in tl.labels), default=-1) + 1)]
    for label in tl.labels:
        label_rows[label.row].put(label.column, label.text, "cyan")

    legend = Table.grid(padding=(0, 1))
    legend.add_column(justify="right", style="cyan", no_wrap=True)
    legend.add_column(no_wrap=True)
    legend.add_column(no_wrap=True, style="bold")
    legend.add_column(overflow="fold")
    if tl.groups:  # too many events to label: one line per year (or month), counted
        for group in tl.groups:
            glyph = glyphs[layout.precision(group.period)]
            first = events[group.first].event
            more = f"{group.count} events, from: " if group.count > 1 else ""
            year = group.period[:4]
            text = Text(shown(f"{more}{first}", console))
            if group.count > 1:
                text.append(f"  (istc history --since {year} --until {year})", style="dim")
            legend.add_row(str(group.number), glyph, group.period, text)
    else:
        for number, event in enumerate(events, start=1):
            glyph = glyphs[layout.precision(event.date)]
            legend.add_row(str(number), glyph, event.date, Text(shown(event.event, console)))

    key = Text(
        f"{glyphs['day']} day known  {glyphs['month']} month known  {glyphs['year']} year known",
        style="dim",
    )
    parts: list[RenderableType] = [
        Text(
            shown(f"{result.title}: {tl.first_year}{dash(console)}{tl.last_year}", console),
            style="bold",
        ),
        ticks.text(),
        axis.text(),
        band.text(),
        *(row.text() for row in mark_rows),
        *(row.text() for row in label_rows),
        key,
        Text(""),
        legend,
        Text(shown(result.caption, console), style="dim"),
    ]
    return Group(*parts)


# ---------------------------------------------------------------- the chart


def build_chart(result: Result, console: Console) -> RenderableType:
    from .. import layout

    if result.records and not isinstance(result.records[0], model.Figure):
        return build_series_chart(result, console)  # `figures --over-time --chart`
    figures = [r for r in result.records if isinstance(r, model.Figure)]
    unicode = is_unicode(console)
    width = max(console.width, 20)
    by_unit: dict[str, list[model.Figure]] = {}
    for fig in figures:
        by_unit.setdefault(fig.unit, []).append(fig)
    parts: list[RenderableType] = [Text(shown(result.title, console), style="bold")]
    singles = [f for f in figures if len(by_unit[f.unit]) == 1]
    below = False  # a value below zero was drawn: the key says how
    for unit, group in by_unit.items():
        if len(group) < 2:
            continue
        parts += [Text(""), Text(shown(f"In {unit}", console), style="bold underline")]
        # One scale for the group by size; a value below zero is drawn in its own fill,
        # so that its sign is not lost to a bar that looks like a small positive one.
        largest = max(abs(float(f.value)) for f in group)
        labels = [
            figure_text(f) + dot(console) + (f"as of {f.as_of}" if f.as_of else "no date given")
            for f in group
        ]
        # One scale for the whole group: the room left beside its longest label.
        room = width - 4 - max(len(label) for label in labels)
        label_line = room < 10  # too narrow for bar and label on one line
        if label_line:
            room = width - 4
        for fig, label in zip(group, labels, strict=True):
            length = layout.bar_length(abs(float(fig.value)), largest, room)
            negative = fig.value < 0
            below = below or negative
            bar = (("░" if unicode else "-") if negative else ("█" if unicode else "#")) * length
            if fig.qualifier == "over":
                bar += "▸" if unicode else ">"
            parts.append(Text("  " + shown(fig.name, console), style="bold"))
            line = Text("  ")
            line.append(bar, style="cyan")
            if label_line:
                parts += [line, Text("  " + shown(label, console))]
            else:
                line.append(" " + shown(label, console))
                parts.append(line)
    if singles:
        others = Table.grid(padding=(0, 2))
        others.add_column(overflow="fold")
        others.add_column(no_wrap=True, style="bold")
        for fig in singles:
            when = f"{dot(console)}as of {fig.as_of}" if fig.as_of else ""
            others.add_row(
                Text(shown(fig.name, console)), Text(shown(figure_text(fig) + when, console))
            )
        parts += [Text(""), Text("Other figures", style="bold underline"), Padding(others, (0, 2))]
    key = "a bar ending in ▸ is a lower bound (over)" if unicode else "> marks a lower bound (over)"
    if below:
        key += "; a bar of ░ is below zero" if unicode else "; a bar of - is below zero"
    parts += [Text(""), Text(key, style="dim"), Text(shown(result.caption, console), style="dim")]
    fits = console.width  # a property that asks the terminal each time: once
    unwrapped_where_it_fits((p, fits) for p in parts if isinstance(p, Text))
    return Group(*parts)


# ---------------------------------------------------------------- series on a time axis

_PLOT_ROWS = 7
# A point's glyph says how its source qualifies the value (UTF-8, ASCII).
_QUALIFIED = {
    "exact": ("●", "o", "as stated"),
    "lower": ("▲", "^", "at least (over, more than, surpasses, exceeded)"),
    "about": ("≈", "~", "about (approximately, about, around, some)"),
    "under": ("▼", "v", "just under (nearly)"),
}


def _qualified(qualifier: str | None) -> str:
    if qualifier is None:
        return "exact"
    if qualifier in model.LOWER_BOUNDS:
        return "lower"
    return "under" if qualifier == "nearly" else "about"


def _scale_label(value: float) -> str:
    """A value on the scale as people write it ("2,600", "800 million"), or in short
    scientific notation when that would be too long for the scale's margin."""
    from ..rows import human_number

    text = human_number(value)
    return text if len(text) <= 12 else f"{value:.3g}"


def build_series_chart(result: Result, console: Console) -> RenderableType:
    """Each series on a time axis shared by all (a gap of years shows as one), on its own
    scale from 0, each point's glyph saying how its source qualifies the value."""
    from .. import layout
    from ..model.dated import Series

    series = [r for r in result.records if isinstance(r, Series)]
    unicode = is_unicode(console)
    width = max(console.width, 20)
    years = [int(p.date[:4]) for s in series for p in s.points]
    first, last = min(years), max(years)
    pick = 0 if unicode else 1
    used: list[str] = []
    years_drawn = str(first) if first == last else f"{first}{dash(console)}{last}"
    parts: list[RenderableType] = [
        Text(shown(f"{result.title}: {years_drawn}", console), style="bold")
    ]
    # One margin for every series' scale, so that their time axes line up.
    margin = 1 + max(
        len(_scale_label(v)) for s in series for v in (0, *(p.value for p in s.points))
    )
    for one in series:
        numbers = [p.value for p in one.points]
        drawn_plot = layout.plot(
            [p.date for p in one.points], numbers, width - margin - 2, _PLOT_ROWS, (first, last)
        )
        top, bottom = _scale_label(drawn_plot.high), _scale_label(drawn_plot.low)
        rows = [_Canvas(drawn_plot.width) for _ in range(drawn_plot.height)]
        if drawn_plot.zero is not None:
            rows[drawn_plot.zero].put(0, ("·" if unicode else ".") * drawn_plot.width, "dim")
        cells: dict[tuple[int, int], str] = {}  # points that fall in one cell: one glyph,
        for mark in drawn_plot.marks:  # and a qualified value's before an exact one's
            kind = _qualified(one.points[mark.index].qualifier)
            if cells.get((mark.row, mark.column), "exact") == "exact":
                cells[(mark.row, mark.column)] = kind
        for (y, x), kind in cells.items():
            used.append(kind)
            rows[y].put(x, _QUALIFIED[kind][pick], "bold cyan")
        span = one.points[0].date
        if len(one.points) > 1:
            span += f" to {one.points[-1].date}"
        count = f"{len(one.points)} point{'s' if len(one.points) != 1 else ''}"
        parts += [
            Text(""),
            Text(shown(f"{one.measure}, in {one.unit}: {count}, {span}", console), style="bold"),
        ]
        flat = drawn_plot.high == drawn_plot.low  # every value the same: one label, at them
        level = drawn_plot.marks[0].row if flat and drawn_plot.marks else None
        for i, row in enumerate(rows):
            label = top if i == 0 else bottom if i == len(rows) - 1 else ""
            label = "0" if i == drawn_plot.zero else label
            label = (top if i == level else "") if flat else label
            tick = ("┤" if label else "│") if unicode else ("+" if label else "|")
            line = Text(label.rjust(margin - 1) + " ", style="dim")
            line.append(tick, style="dim")
            line.append_text(row.text())
            parts.append(line)
        axis = _Canvas(drawn_plot.width)
        ticks = _Canvas(drawn_plot.width)
        axis.put(0, ("─" if unicode else "-") * drawn_plot.width, "dim")
        for column, year in drawn_plot.ticks:
            axis.put(column, "┬" if unicode else "+", "dim")
            ticks.put(column, year)
        corner = Text(" " * margin + ("└" if unicode else "+"), style="dim")
        corner.append_text(axis.text())
        under = Text(" " * (margin + 1))
        under.append_text(ticks.text())
        parts += [corner, under]
    key = "  ".join(
        f"{_QUALIFIED[kind][pick]} {_QUALIFIED[kind][2]}" for kind in _QUALIFIED if kind in used
    )
    parts += [
        Text(""),
        Text(key, style="dim"),
        Text(shown(result.caption, console), style="dim"),
    ]
    fits = console.width
    unwrapped_where_it_fits((p, fits) for p in parts if isinstance(p, Text))
    return Group(*parts)


# ---------------------------------------------------------------- attendance, a grid

_STATUS_GLYPHS = {  # status: (UTF-8, ASCII, what it means)
    "attended": ("●", "*", "attended"),
    "rotating-seat": ("◆", "R", "in the rotating seat"),
    "not-listed": ("·", ".", "not listed (the statement names every party attending)"),
    "not-listed-on-board": ("○", "o", "not listed on the Board (only Board parties named)"),
    "not-named": ("?", "?", "not named (the list may not be whole)"),
    "not-party": (" ", " ", "not a party then"),
}


def build_grid(result: Result, console: Console) -> RenderableType | None:
    """Parties across, meetings down, a glyph per party and meeting for its status; a
    meeting whose statement names no party says so on its row. None when the grid is
    wider than the terminal (a table is drawn instead)."""
    from ..model.dated import Attendance

    rows = [r for r in result.records if isinstance(r, Attendance)]
    parties: dict[str, Attendance] = {}
    meetings: dict[int, list[Attendance]] = {}
    for r in rows:
        parties.setdefault(r.party, r)
        meetings.setdefault(r.meeting, []).append(r)
    codes = {p: shown(r.code, console)[:3] for p, r in parties.items()}
    digits = max(len(str(n)) for n in meetings) if meetings else 1
    label = digits + 12  # the number, a space, a date of ten and a space
    if not rows or label + 4 * len(parties) > console.width:
        return None
    pick = 0 if is_unicode(console) else 1
    header = Text(" " * label, style="bold")
    for code in codes.values():
        header.append(f"{code:<3} ", style="bold")
    parts: list[RenderableType] = [Text(shown(result.title, console), style="bold"), header]
    used: set[str] = set()
    for number, found in meetings.items():
        line = Text(f"{number:>{digits}} {found[0].date or ''}".ljust(label), style="dim")
        if all(r.status in ("no-list", "not-party") for r in found):
            line.append("(its statement names no party)", style="dim italic")
        else:
            by_party = {r.party: r.status for r in found}
            for party in parties:
                status = by_party.get(party, "no-list")
                glyph = _STATUS_GLYPHS.get(status, ("", "", ""))[pick] or " "
                used.add(status)
                style = "bold cyan" if status in ("attended", "rotating-seat") else "dim"
                line.append(f" {glyph}  ", style=style)
        parts.append(line)
    key = "  ".join(
        f"{glyphs[pick]} {glyphs[2]}" if glyphs[pick] != " " else f"blank: {glyphs[2]}"
        for status, glyphs in _STATUS_GLYPHS.items()
        if status in used
    )
    names = ", ".join(f"{codes[p]} {r.name}" for p, r in parties.items())
    parts += [
        Text(""),
        Text(shown(key, console), style="dim"),
        Text(shown(names, console), style="dim"),
        Text(shown(result.caption, console), style="dim"),
    ]
    fits = console.width
    unwrapped_where_it_fits((p, fits) for p in parts if isinstance(p, Text))
    return Group(*parts)
