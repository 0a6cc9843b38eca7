"""Rich rendering for people: tables and panels. The only module that imports Rich.

Text from the dataset is untrusted: it is wrapped in `rich.text.Text` (never parsed
as markup) after `visible()` has turned control characters into escapes.
"""

from __future__ import annotations

import os
import re
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .output import OutputOptions, flatten, rows_of, source_label, visible
from .queries import Result

# Columns that hold short codes or dates: keep them on one line.
_NARROW = {
    "date",
    "since",
    "until",
    "joined",
    "left",
    "as_of",
    "status",
    "kind",
    "qualifier",
    "value",
    "unit",
    "part",
    "area",
    "section",
    "id",
}
_NUMERIC = {"value", "parties"}


def make_console(options: OutputOptions, stream: TextIO) -> Console:
    color = options.color
    dumb = os.environ.get("TERM") == "dumb"
    no_color = color == "never" or (color == "auto" and ("NO_COLOR" in os.environ or dumb))
    force = True if color == "always" else None
    return Console(
        file=stream,
        force_terminal=force,
        no_color=no_color,
        color_system=None if no_color else "auto",
        highlight=False,
        markup=False,
        emoji=False,
    )


def cell(value: Any, highlight: re.Pattern[str] | None = None) -> Text:
    text = Text(visible(flatten(value)))
    if highlight is not None:
        text.highlight_regex(highlight, style="bold reverse")
    return text


def _pattern(result: Result) -> re.Pattern[str] | None:
    if not result.highlight:
        return None
    return re.compile(re.escape(visible(result.highlight)), re.IGNORECASE)


def build_table(result: Result, fields: tuple[str, ...], options: OutputOptions) -> Table:
    table = Table(
        title=Text(visible(result.title), style="bold"),
        caption=Text(visible(result.caption)),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        expand=False,
    )
    for name in fields:
        table.add_column(
            name.replace("_", " "),
            no_wrap=name in _NARROW,
            justify="right" if name in _NUMERIC else "left",
            overflow="fold",
            min_width=min(len(name), 12),
        )
    if options.sources:
        table.add_column("source", overflow="fold", min_width=12)
    pattern = _pattern(result)
    for row, record in zip(rows_of(result, fields), result.records, strict=True):
        cells = [cell(row[f], pattern) for f in fields]
        if options.sources:
            cells.append(cell(source_label(result, str(getattr(record, "source", "")))))
        table.add_row(*cells)
    return table


def build_panel(result: Result, fields: tuple[str, ...], options: OutputOptions) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    row = rows_of(result, fields)[0]
    for name in fields:
        value = row[name]
        if value in (None, [], ""):
            continue
        if name == "headline_figures":
            value = [_figure_line(f) for f in value]
        grid.add_row(name.replace("_", " "), cell(value))
    if options.sources:
        record = result.records[0]
        grid.add_row("source", cell(source_label(result, str(getattr(record, "source", "")))))
    parts: list[RenderableType] = [grid]
    return Panel(
        Group(*parts),
        title=Text(visible(result.title), style="bold"),
        subtitle=Text(visible(result.caption)),
        box=box.ROUNDED,
        expand=False,
    )


def _figure_line(fig: dict[str, Any]) -> str:
    qualifier = f"{fig['qualifier']} " if fig.get("qualifier") else ""
    value = fig["value"]
    number = f"{value:,}" if isinstance(value, int) else str(value)
    as_of = f" (as of {fig['as_of']})" if fig.get("as_of") else ""
    return f"{fig['name']}: {qualifier}{number} {fig['unit']}{as_of}"


def print_result(
    result: Result, fields: tuple[str, ...], options: OutputOptions, stream: TextIO
) -> None:
    console = make_console(options, stream)
    renderable = (
        build_panel(result, fields, options)
        if result.record_type.single
        else build_table(result, fields, options)
    )
    console.print(renderable)
