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

    figures = [r for r in result.records if isinstance(r, model.Figure)]
    unicode = is_unicode(console)
    width = max(console.width, 20)
    by_unit: dict[str, list[model.Figure]] = {}
    for fig in figures:
        by_unit.setdefault(fig.unit, []).append(fig)
    parts: list[RenderableType] = [Text(shown(result.title, console), style="bold")]
    singles = [f for f in figures if len(by_unit[f.unit]) == 1]
    for unit, group in by_unit.items():
        if len(group) < 2:
            continue
        parts += [Text(""), Text(shown(f"In {unit}", console), style="bold underline")]
        largest = max(float(f.value) for f in group)
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
            length = layout.bar_length(float(fig.value), largest, room)
            bar = ("█" if unicode else "#") * length
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
    parts += [Text(""), Text(key, style="dim"), Text(shown(result.caption, console), style="dim")]
    fits = console.width  # a property that asks the terminal each time: once
    unwrapped_where_it_fits((p, fits) for p in parts if isinstance(p, Text))
    return Group(*parts)
