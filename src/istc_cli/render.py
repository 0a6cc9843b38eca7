"""Rich rendering for people: tables, the about dashboard, the timeline and the chart.

The only module that imports Rich. Text from the dataset is untrusted: it is
wrapped in `rich.text.Text` (never parsed as markup) after `visible()` has turned
control characters into escapes. Everything is rendered to a string, which the
output path writes or pages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from . import model
from .queries import Result
from .rows import (
    OutputOptions,
    display_rows,
    flatten,
    human_amount,
    record_source,
    rows_of,
    source_label,
)
from .spec import field_names
from .text import visible

if TYPE_CHECKING:
    from rich.panel import Panel

# Panels, padding and the drawings' geometry are imported where they are used:
# a plain table (the common case) is start-up time, and pays for nothing else.

# Columns that hold short codes or dates: kept on one line.
_LONGEST_WORD = 16  # a wrapping column keeps room for its longest word, up to this


def make_console(options: OutputOptions, stream: TextIO) -> Console:
    color = options.color
    dumb = os.environ.get("TERM") == "dumb"
    no_color = color == "never" or (color == "auto" and ("NO_COLOR" in os.environ or dumb))
    return Console(
        file=stream,
        force_terminal=True if color == "always" else None,
        no_color=no_color,
        color_system=None if no_color else "auto",
        highlight=False,
        markup=False,
        emoji=False,
    )


def _unicode(console: Console) -> bool:
    return console.encoding.lower().replace("-", "").startswith("utf")


def _shown(text: str, console: Console) -> str:
    """Text as it can be written to the console: unsafe characters escaped (`visible`)
    and, on a console whose encoding is not UTF-8, every character it cannot encode
    escaped too (`\\xb7`) before Rich measures it, so no border or column moves."""
    text = visible(text)
    if _unicode(console) or text.isascii():
        return text
    encoding = console.encoding or "ascii"
    return text.encode(encoding, "backslashreplace").decode(encoding)


def _dot(console: Console) -> str:
    """The separator between facts on one line: a middle dot, or a hyphen in ASCII."""
    return " · " if _unicode(console) else " - "


def _dash(console: Console) -> str:
    """The dash of a range of years."""
    return "–" if _unicode(console) else "-"


def cell(value: Any, console: Console, highlight: re.Pattern[str] | None = None) -> Text:
    text = Text(_shown(flatten(value), console))
    if highlight is not None:
        text.highlight_regex(highlight, style="bold reverse")
    return text


def _pattern(result: Result, console: Console) -> re.Pattern[str] | None:
    if not result.highlight:
        return None
    return re.compile(re.escape(_shown(result.highlight, console)), re.IGNORECASE)


# ---------------------------------------------------------------- tables


_ROLE = model.FieldRole


def column_kinds(cls: type, name: str) -> tuple[bool, bool, bool, bool]:
    """(whole, narrow, text, numeric) for a column, from its field's role (model):
    an id, an address or a single date is never cut (useless with a piece missing);
    codes, dates and numbers are kept on one line when short; a record's text, names
    and notes (and a list of dates) get the room other columns leave; numbers align
    right."""
    role = model.role_of(cls, name)
    listed = name in field_names(cls) and _is_list(cls, name)
    whole = role in (_ROLE.ID, _ROLE.ADDRESS) or (role == _ROLE.DATE and not listed)
    narrow = role in (_ROLE.CODE, _ROLE.DATE, _ROLE.NUMBER, _ROLE.ID)
    text = role in (_ROLE.MAIN, _ROLE.NAME, _ROLE.NOTE) or (role == _ROLE.DATE and listed)
    return whole, narrow, text, role == _ROLE.NUMBER


def _is_list(cls: type, name: str) -> bool:
    from .spec import fields_of

    return any(f.name == name and f.type.kind == "list" for f in fields_of(cls))


def _folded(shown: list[dict[str, str]], fields: tuple[str, ...]) -> dict[str, str]:
    """Columns that say the same on every row (two rows or more): no information there."""
    if len(shown) < 2:
        return {}
    folded = {}
    for name in fields:
        values = {row[name] for row in shown}
        if len(values) == 1:
            folded[name] = values.pop()
    return folded if len(folded) < len(fields) else {}


def _link(value: str) -> str | None:
    """An address a terminal may offer as a link: http or https, nothing unsafe in it."""
    from .text import has_unsafe

    if value.startswith(("https://", "http://")) and not has_unsafe(value) and " " not in value:
        return value
    return None


def build_table(
    result: Result, fields: tuple[str, ...], options: OutputOptions, console: Console
) -> RenderableType | _Chunked:
    shown = display_rows(result, fields)
    # Folding constant columns is for the default view; --fields shows what was asked.
    folded = {} if options.fields else _folded(shown, fields)
    columns = tuple(f for f in fields if f not in folded)
    headers = [f.replace("_", " ") for f in columns]
    names = list(columns)
    # Each cell as the text it shows: the columns are measured on these, and Rich's
    # Text objects are made a chunk of rows at a time (`_Cells`), as they are drawn.
    plain = [[_shown(row[name], console) for name in columns] for row in shown]
    if options.sources:
        headers.append("source")
        names.append("source")
        for line, record in zip(plain, result.records, strict=True):
            line.append(_shown(record_source(result, record), console))
    caption = result.caption
    if folded:
        same = "; ".join(f"{k.replace('_', ' ')} {v or 'none'}" for k, v in folded.items())
        caption = f"Every row: {same}. {caption}"
    title = Text(_shown(result.title, console), style="bold")
    shape = _TableShape(
        title, Text(_shown(caption, console)), box.SIMPLE_HEAD if _unicode(console) else box.ASCII2
    )
    # Without colour a highlight draws as nothing: no need to look for its matches.
    pattern = None if console.color_system is None else _pattern(result, console)
    links = console.is_terminal and not console.no_color
    url = names.index("url") if links and "url" in names else None
    cells = _Cells(plain, pattern, url)
    shapes = []
    for i, header in enumerate(headers):
        column = [line[i] for line in plain]
        longest = max((len(c) for c in column), default=0)
        word = max((len(w) for c in column for w in c.split()), default=0)
        name = names[i]
        always, narrow, prose, numeric = column_kinds(result.record_type, name)
        whole = always or (narrow and longest <= 24)
        shapes.append((header, name, whole, longest, word, prose, numeric, always))
    # No column is squeezed below its header, its whole cell (ids, addresses, dates and
    # short codes) or its longest word (text, up to a cap). The room left goes to the
    # columns that wrap, in proportion to what they lack. If even the floors do not
    # fit, the records are drawn as cards instead: every field on its own line.
    room = console.width - 3 * len(shapes)
    wants = [max(len(shape[0]), shape[3]) for shape in shapes]
    floors = [
        want if whole else max(len(h), min(word, _LONGEST_WORD if text else 12))
        for (h, _, whole, _, word, text, _, _), want in zip(shapes, wants, strict=True)
    ]
    weights = [3 if shape[5] else 1 for shape in shapes]
    if sum(wants) <= room:
        widths = wants
    elif sum(floors) > room:
        return build_cards(title, caption, headers, cells.rows(0, len(plain)), console)
    else:
        widths = _share(floors, wants, weights, room)
        text_columns = [
            (w, want)
            for (_, _, whole, _, _, text, _, _), w, want in zip(shapes, widths, wants, strict=True)
            if text and not whole
        ]
        widest = max((w for w, _ in text_columns), default=_MIN_TEXT_ROOM)
        wanted = max((want for _, want in text_columns), default=0)
        if text_columns and widest < min(_MIN_TEXT_ROOM, wanted):
            return build_cards(title, caption, headers, cells.rows(0, len(plain)), console)
    for (header, _, whole, _, _, _, numeric, always), width in zip(shapes, widths, strict=True):
        shape.columns.append(
            (
                header,
                {
                    "no_wrap": whole,
                    "justify": "right" if numeric else "left",
                    # a word too long for its column ends in "…", never split; an id or
                    # address folds instead, so nothing of it is lost
                    "overflow": "fold" if always else "ellipsis",
                    "width": width,
                },
            )
        )
    cells.widths = widths
    if len(plain) > CHUNK_ROWS:
        return _Chunked(shape, cells)  # drawn a chunk at a time, the first shown at once
    return shape.table(cells.rows(0, len(plain)), title=True, header=True, caption=True)


class _Cells:
    """A table's cells, made into Rich Text a slice of rows at a time: the highlight of
    the words searched for, a link on an address, and each cell that fits its column
    marked as not to be wrapped (see `_unwrapped_where_it_fits`)."""

    def __init__(self, plain: list[list[str]], pattern: re.Pattern[str] | None, url: int | None):
        self.plain = plain
        self.pattern = pattern
        self.url = url
        self.widths: list[int] | None = None

    def __len__(self) -> int:
        return len(self.plain)

    def rows(self, start: int, stop: int) -> list[list[Text]]:
        out = []
        for line in self.plain[start:stop]:
            texts = [Text(value) for value in line]
            if self.pattern is not None:
                for text in texts:
                    text.highlight_regex(self.pattern, style="bold reverse")
            if self.url is not None:
                target = _link(line[self.url])
                if target:
                    texts[self.url].stylize(f"link {target}")
            if self.widths is not None:
                _unwrapped_where_it_fits(zip(texts, self.widths, strict=True))
            out.append(texts)
        return out


def _unwrapped_where_it_fits(cells: Iterable[tuple[Text, int]]) -> None:
    """Mark the texts that fit their width (a cell's column, a chart's line) as not to
    be wrapped: Rich then draws them as they are, without looking for line breaks;
    the output is the same, which the table and drawing tests hold byte for byte."""
    from rich.cells import cell_len

    for text, width in cells:
        if "\n" not in text.plain and cell_len(text.plain) <= width:
            text.no_wrap = True


CHUNK_ROWS = 200
"""Tables longer than this are drawn in chunks of it, each written as soon as it is drawn."""


class _TableShape:
    """A table's title, caption, box and columns (each with its fixed width), so that
    the same table can be drawn whole or in parts that read as one."""

    def __init__(self, title: Text, caption: Text, table_box: box.Box) -> None:
        self.title = title
        self.caption = caption
        self.box = table_box
        self.columns: list[tuple[str, dict[str, Any]]] = []

    def table(self, rows: list[list[Text]], *, title: bool, header: bool, caption: bool) -> Table:
        table = Table(
            title=self.title if title else None,
            caption=self.caption if caption else None,
            box=self.box,
            show_edge=False,
            show_header=header,
            expand=False,
        )
        for name, settings in self.columns:
            table.add_column(name, **settings)
        for row in rows:
            table.add_row(*row)
        return table


class _Chunked:
    """A long table, drawn in parts by Rich: the title, the header and the first rows,
    then the rows a chunk at a time, then the last rows and the caption. The columns
    have fixed widths and the table no edges, so the parts read (and are, byte for
    byte: the tests compare them with the whole table) as one table, and the first
    screen is written while the rest is drawn."""

    def __init__(
        self, shape: _TableShape, cells: _Cells | list[list[Text]], rows_per_part: int = CHUNK_ROWS
    ) -> None:
        self.shape = shape
        self.cells = cells
        self.rows_per_part = rows_per_part

    def parts(self, console: Console) -> Iterator[RenderableType]:
        """The parts in order, each a Rich table."""
        total = len(self.cells)
        for start in range(0, total, self.rows_per_part):
            stop = start + self.rows_per_part
            cells = self.cells
            rows = cells.rows(start, stop) if isinstance(cells, _Cells) else cells[start:stop]
            first, last = start == 0, stop >= total
            yield self.shape.table(rows, title=first, header=first, caption=last)


_MIN_TEXT_ROOM = 30  # columns the text needs to be read as columns


def _share(floors: list[int], wants: list[int], weights: list[int], room: int) -> list[int]:
    """Widths from the floors up: the room left shared in proportion to each column's
    shortfall (text columns weigh three times more), never past what a column wants."""
    widths = list(floors)
    left = room - sum(widths)
    while left > 0:
        need = [(want - w) * k for w, want, k in zip(widths, wants, weights, strict=True)]
        total = sum(n for n in need if n > 0)
        if total == 0:
            break
        given = 0
        for i, n in enumerate(need):
            if n <= 0 or given >= left:
                continue
            add = min(wants[i] - widths[i], max(1, (left * n) // total), left - given)
            widths[i] += add
            given += add
        if given == 0:
            break
        left -= given
    return widths


def build_cards(
    title: Text, caption: str, headers: list[str], cells: list[list[Text]], console: Console
) -> RenderableType:
    """Records as cards: the first field in bold, then each other field on its own line."""
    parts: list[RenderableType] = [title]
    for line in cells:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(overflow="fold")
        for header, text in zip(headers[1:], line[1:], strict=True):
            if text.plain:
                grid.add_row(header, text)
        head = line[0].copy()
        head.stylize("bold")
        parts += [Text(""), head, Padding(grid, (0, 0, 0, 2))]
    parts += [Text(""), Text(_shown(caption, console), style="dim")]
    return Group(*parts)


def build_panel(
    result: Result, fields: tuple[str, ...], options: OutputOptions, console: Console
) -> RenderableType:
    from rich.panel import Panel

    record = result.records[0]
    if isinstance(record, model.About) and set(fields) == set(field_names(model.About)):
        return about_compact(result, record, console)
    if isinstance(record, model.Profile) and "records" in fields:
        return profile_panels(result, record, options, console)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    row = rows_of(result, fields)[0]
    shown = display_rows(result, fields)[0]
    for name in fields:
        if row[name] not in (None, [], ""):
            grid.add_row(name.replace("_", " "), cell(shown[name], console))
    if options.sources:
        grid.add_row("source", cell(record_source(result, record), console))
    return Panel(grid, title=Text(_shown(result.title, console), style="bold"), expand=False)


# ---------------------------------------------------------------- show: a profile


_SECTION_TITLES = {
    "about": "The organisation",
    "headquarters": "Headquarters",
    "sister_center": "Sister center",
}


def profile_panels(
    result: Result, profile: model.Profile, options: OutputOptions, console: Console
) -> RenderableType:
    """A panel per matched entity, its related records grouped by section."""
    from rich.panel import Panel

    if not profile.matches or profile.ambiguous:
        return Group()  # the notice on stderr says what matched, or did not
    panels: list[RenderableType] = []
    for match in profile.matches:
        mine = [r for r in profile.records if r.match == match.id]
        body: list[RenderableType] = []
        sections = list(dict.fromkeys(r.section for r in mine))
        for section in sections:
            body.append(_section(_SECTION_TITLES.get(section, section.capitalize())))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, style="dim")
            grid.add_column(overflow="fold")
            for row in (r for r in mine if r.section == section):
                when = f"{row.date} " if row.date else ""
                line = Text(_shown(f"{when}{row.text}", console))
                where = f"{row.id}{_dot(console)}{source_label(result, row.source)}"
                if row.locator:
                    where += f", {row.locator}"
                if row.relation == "cites":
                    where += f" (cites it as {row.field})"
                line.append("\n" + _shown(where, console), style="dim")
                grid.add_row(_shown(row.relation, console), line)
            body.append(grid)
        if not mine:
            body.append(Text("No related records."))
        title = f"{match.name} ({match.section}: {match.id})"
        panels.append(
            Panel(Group(*body), title=Text(_shown(title, console), style="bold"), box=_box(console))
        )
    panels.append(Text(_shown(result.caption, console), style="dim"))
    return Group(*panels)


# ---------------------------------------------------------------- the about dashboard


def _figure_text(fig: model.Figure) -> str:
    return human_amount(fig)


def _section(title: str) -> Text:
    return Text(title, style="bold underline")


def _facts_grid() -> Table:
    """Two columns: a bold label, and its value folding over as many lines as it needs."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _headquarters(about: model.About) -> str:
    hq = f"{about.headquarters}, {about.headquarters_country}"
    return f"{hq}, since {about.headquarters_since}" if about.headquarters_since else hq


def about_compact(result: Result, about: model.About, console: Console) -> Panel:
    """The overview that fits an 80 by 24 terminal; `istc about --full` shows the rest."""
    from rich.panel import Panel

    width = min(console.width, 100)
    grid = _facts_grid()
    hq = _headquarters(about)
    if about.previous_headquarters:
        hq += f"; before: {'; '.join(about.previous_headquarters)}"
    figures = "; ".join(
        f"{_figure_text(f)} ({f.name[0].lower()}{f.name[1:]})" for f in about.headline_figures[:2]
    )
    rows = (
        ("What", f"{about.kind}, {about.status}"),
        (
            "Established",
            f"{about.established}, {about.established_place}; operations "
            f"began {about.operations_began}",
        ),
        ("Headquarters", hq),
        (f"Parties ({about.parties})", ", ".join(about.party_names)),
        ("Permanent Board", ", ".join(about.permanent_board_members)),
        ("Branch offices", ", ".join(about.branch_offices)),
        (f"Figures, {about.figures_as_of or 'undated'}", figures),
    )
    for label, value in rows:
        if value:
            grid.add_row(label, Text(_shown(value, console)))
    footer = Text(
        _shown(
            f"Dataset {about.dataset_version}; newest source dated "
            f"{about.latest_source_date or 'unknown'}. More: istc about --full, "
            "istc members, istc figures, istc sources.",
            console,
        ),
        style="dim",
    )
    title = f"{about.acronym}: {about.name}"
    return Panel(
        Group(grid, Text(""), footer),
        title=Text(_shown(title, console), style="bold"),
        width=width,
        box=_box(console),
    )


def about_dashboard(result: Result, about: model.About, console: Console) -> Panel:
    from rich.panel import Panel

    width = min(console.width, 100)

    facts = _facts_grid()
    hq = _headquarters(about)
    for label, value in (
        ("Kind", f"{about.kind}, {about.status}"),
        ("Established", f"{about.established}, {about.established_place}, {about.established_how}"),
        ("Operations began", about.operations_began),
        ("Headquarters", hq),
        ("Before", "; ".join(about.previous_headquarters)),
        ("Sister center", about.sister_center or ""),
        ("Activities", "; ".join(about.activity_categories)),
        ("Reach", about.associations or ""),
        ("Publishes", ", ".join(about.publications)),
    ):
        if value:
            facts.add_row(label, Text(_shown(value, console)))

    figures = Table.grid(padding=(0, 2))
    figures.add_column(justify="right", no_wrap=True, style="bold")
    figures.add_column(overflow="fold")
    for fig in about.headline_figures:
        as_of = f" (as of {fig.as_of})" if fig.as_of else ""
        figures.add_row(
            Text(_shown(_figure_text(fig), console)), Text(_shown(f"{fig.name}{as_of}", console))
        )

    roles = Table.grid(padding=(0, 2))
    roles.add_column(style="bold", no_wrap=True)
    roles.add_column(overflow="fold")
    for label, names in (
        (f"Parties ({about.parties})", about.party_names),
        ("Founders", about.founders),
        ("Permanent Board", about.board_members),
        ("Branch-office hosts", about.office_hosts),
        ("Former parties", about.former_parties),
    ):
        if names:
            roles.add_row(label, Text(_shown(", ".join(names), console)))

    offices = Text(_shown(f"{about.headquarters} (headquarters)", console))
    for office in about.branch_offices:
        offices.append(_dot(console) + _shown(office, console))

    primary = [s for s in result.sources.values() if s.kind == "primary"]
    named = "; ".join(source_label(result, s.id) for s in primary)
    others = about.source_count - len(primary)
    footer = Text(
        _shown(
            f"Headline figures as of {about.figures_as_of or 'unknown'}; newest source "
            f"dated {about.latest_source_date or 'unknown'}; latest event recorded "
            f"{about.latest_event_date or 'unknown'}. Sources: {named}"
            + (f", and {others} more (istc sources)." if others else ".")
            + f" Dataset {about.dataset_version}: {about.dataset_path}",
            console,
        ),
        style="dim",
    )
    body = Group(
        facts,
        Text(""),
        _section("Headline figures"),
        figures,
        Text(""),
        _section("Members by role"),
        roles,
        Text(""),
        _section("Offices"),
        offices,
        Text(""),
        footer,
    )
    title = f"{about.acronym}: {about.name}"
    return Panel(
        body, title=Text(_shown(title, console), style="bold"), width=width, box=_box(console)
    )


def _box(console: Console) -> box.Box:
    return box.ROUNDED if _unicode(console) else box.ASCII


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
    from . import layout

    events = [r for r in result.records if isinstance(r, model.Event)]
    if not events:
        return Text(f"{result.title}: no events.")
    unicode = _unicode(console)
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
            text = Text(_shown(f"{more}{first}", console))
            if group.count > 1:
                text.append(f"  (istc history --since {year} --until {year})", style="dim")
            legend.add_row(str(group.number), glyph, group.period, text)
    else:
        for number, event in enumerate(events, start=1):
            glyph = glyphs[layout.precision(event.date)]
            legend.add_row(str(number), glyph, event.date, Text(_shown(event.event, console)))

    key = Text(
        f"{glyphs['day']} day known  {glyphs['month']} month known  {glyphs['year']} year known",
        style="dim",
    )
    parts: list[RenderableType] = [
        Text(
            _shown(f"{result.title}: {tl.first_year}{_dash(console)}{tl.last_year}", console),
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
        Text(_shown(result.caption, console), style="dim"),
    ]
    return Group(*parts)


# ---------------------------------------------------------------- the chart


def build_chart(result: Result, console: Console) -> RenderableType:
    from rich.padding import Padding

    from . import layout

    figures = [r for r in result.records if isinstance(r, model.Figure)]
    unicode = _unicode(console)
    width = max(console.width, 20)
    by_unit: dict[str, list[model.Figure]] = {}
    for fig in figures:
        by_unit.setdefault(fig.unit, []).append(fig)
    parts: list[RenderableType] = [Text(_shown(result.title, console), style="bold")]
    singles = [f for f in figures if len(by_unit[f.unit]) == 1]
    for unit, group in by_unit.items():
        if len(group) < 2:
            continue
        parts += [Text(""), Text(_shown(f"In {unit}", console), style="bold underline")]
        largest = max(float(f.value) for f in group)
        labels = [
            _figure_text(f) + _dot(console) + (f"as of {f.as_of}" if f.as_of else "no date given")
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
            parts.append(Text("  " + _shown(fig.name, console), style="bold"))
            line = Text("  ")
            line.append(bar, style="cyan")
            if label_line:
                parts += [line, Text("  " + _shown(label, console))]
            else:
                line.append(" " + _shown(label, console))
                parts.append(line)
    if singles:
        others = Table.grid(padding=(0, 2))
        others.add_column(overflow="fold")
        others.add_column(no_wrap=True, style="bold")
        for fig in singles:
            when = f"{_dot(console)}as of {fig.as_of}" if fig.as_of else ""
            others.add_row(
                Text(_shown(fig.name, console)), Text(_shown(_figure_text(fig) + when, console))
            )
        parts += [Text(""), Text("Other figures", style="bold underline"), Padding(others, (0, 2))]
    key = "a bar ending in ▸ is a lower bound (over)" if unicode else "> marks a lower bound (over)"
    parts += [Text(""), Text(key, style="dim"), Text(_shown(result.caption, console), style="dim")]
    fits = console.width  # a property that asks the terminal each time: once
    _unwrapped_where_it_fits((p, fits) for p in parts if isinstance(p, Text))
    return Group(*parts)


def build_full_about(result: Result, console: Console) -> RenderableType:
    record = result.records[0]
    assert isinstance(record, model.About)
    return about_dashboard(result, record, console)


_VIEWS: dict[str, Callable[[Result, Console], RenderableType]] = {
    "timeline": build_timeline,
    "chart": build_chart,
    "full": build_full_about,
}


def render_parts(
    result: Result, fields: tuple[str, ...], options: OutputOptions, stream: TextIO
) -> Iterator[str]:
    """The result drawn for people, as text to write to `stream`: one part, or a long
    table's chunks one by one, so that the first rows show while the rest are drawn."""
    console = make_console(options, stream)
    if options.view:
        renderable: Any = _VIEWS[options.view](result, console)
    elif result.record_type.single and result.records:
        renderable = build_panel(result, fields, options, console)
    else:
        renderable = build_table(result, fields, options, console)
    if isinstance(renderable, _Chunked):
        for part in renderable.parts(console):
            yield drawn(part, console)
    elif isinstance(renderable, Group) and console.color_system is None:
        yield "".join(_drawn_plain(part, console) for part in renderable.renderables)
    else:
        yield drawn(renderable, console)


def _drawn_plain(part: RenderableType, console: Console) -> str:
    """A part of a drawing (a chart's line) as a console without colour writes it: a
    line of text marked as fitting its width (see `_unwrapped_where_it_fits`) is its
    own text, with no call on Rich; anything else Rich draws."""
    if (
        isinstance(part, Text)
        and part.no_wrap
        and part.justify in (None, "default")
        and part.end == "\n"
        and "\t" not in part.plain
    ):
        return part.plain + "\n"
    return drawn(part, console)


def drawn(part: RenderableType | str, console: Console) -> str:
    """A part as the text the console writes for it (rows already drawn are that text)."""
    if isinstance(part, str):
        return part
    with console.capture() as capture:
        console.print(part)
    return capture.get()


def render(result: Result, fields: tuple[str, ...], options: OutputOptions, stream: TextIO) -> str:
    """The result drawn for people, whole."""
    return "".join(render_parts(result, fields, options, stream))
