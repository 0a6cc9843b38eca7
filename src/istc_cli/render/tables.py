"""Tables: column widths from each column's role and contents, cards where a table
cannot fit, and long tables drawn by Rich a chunk of rows at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .. import model
from ..field_types import field_names
from ..queries import Result
from ..rows import (
    OutputOptions,
    display_rows,
    record_source,
)
from .cells import (
    highlight_pattern,
    is_unicode,
    link_target,
    shown,
    unwrapped_where_it_fits,
)

_LONGEST_WORD = 16  # a wrapping column keeps room for its longest word, up to this

_ROLE = model.FieldRole


def column_kinds(cls: type, name: str) -> tuple[bool, bool, bool, bool]:
    """(whole, narrow, text, numeric) for a column, from its field's role (model):
    an id, an address, a code (a role, a status) or a single date is never cut
    (useless with a piece missing; a table that cannot hold them becomes cards);
    codes, dates and numbers are kept on one line when short; a record's text, names
    and notes (and a list of dates) get the room other columns leave; numbers align
    right."""
    role = model.role_of(cls, name)
    listed = name in field_names(cls) and _is_list(cls, name)
    dated = role in (_ROLE.DATE, _ROLE.END)
    whole = role in (_ROLE.ID, _ROLE.ADDRESS, _ROLE.CODE) or (dated and not listed)
    narrow = role in (_ROLE.CODE, _ROLE.NUMBER, _ROLE.ID) or dated
    text = role in (_ROLE.MAIN, _ROLE.NAME, _ROLE.NOTE) or (role == _ROLE.DATE and listed)
    return whole, narrow, text, role == _ROLE.NUMBER


def _is_list(cls: type, name: str) -> bool:
    from ..field_types import fields_of

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


def build_table(
    result: Result, fields: tuple[str, ...], options: OutputOptions, console: Console
) -> RenderableType | Chunked | Cards:
    displayed = display_rows(result, fields)
    # Folding constant columns is for the default view; --fields shows what was asked.
    folded = {} if options.fields else _folded(displayed, fields)
    if folded and len(Text(_caption(result.caption, folded)).wrap(console, console.width)) > 2:
        folded = {}  # too long to say under the table in two lines: they stay columns
    columns = tuple(f for f in fields if f not in folded)
    headers = [f.replace("_", " ") for f in columns]
    names = list(columns)
    # Each cell as the text it shows: the columns are measured on these, and Rich's
    # Text objects are made a chunk of rows at a time (`_Cells`), as they are drawn.
    plain = [[shown(row[name], console) for name in columns] for row in displayed]
    if options.sources:
        headers.append("source")
        names.append("source")
        for line, record in zip(plain, result.records, strict=True):
            line.append(shown(record_source(result, record, columns), console))
    title = Text(shown(result.title, console), style="bold")
    caption = _caption(result.caption, folded)
    caption_text = Text(shown(caption, console))
    shape = TableShape(
        title,
        caption_text,
        box.SIMPLE_HEAD if is_unicode(console) else box.ASCII2,
        min_width=_room_for(title, caption_text, console),
    )
    # Without colour a highlight draws as nothing: no need to look for its matches.
    pattern = None if console.color_system is None else highlight_pattern(result, console)
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
        # a source's title wraps at its words but loses none of them (`--sources`)
        always = always or model.role_of(result.record_type, name) == _ROLE.SOURCE
        shapes.append((header, name, whole, longest, word, prose or always, numeric, always))
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
        return Cards(title, caption, headers, cells)
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
            return Cards(title, caption, headers, cells)
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
        return Chunked(shape, cells)  # drawn a chunk at a time, the first shown at once
    return shape.table(cells.rows(0, len(plain)), title=True, header=True, caption=True)


class _Cells:
    """A table's cells, made into Rich Text a slice of rows at a time: the highlight of
    the words searched for, a link on an address, and each cell that fits its column
    marked as not to be wrapped (see `unwrapped_where_it_fits`)."""

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
                target = link_target(line[self.url])
                if target:
                    texts[self.url].stylize(f"link {target}")
            if self.widths is not None:
                unwrapped_where_it_fits(zip(texts, self.widths, strict=True))
            out.append(texts)
        return out


CHUNK_ROWS = 200
"""Tables longer than this are drawn in chunks of it, each written as soon as it is drawn."""
FIRST_CARDS = 20
"""Cards drawn in the first part: more than a screenful (a card takes three lines or more)."""


def _caption(caption: str, folded: dict[str, str]) -> str:
    """The caption, after what every row holds (the columns folded into it)."""
    if not folded:
        return caption
    same = "; ".join(
        f"{k.replace('_', ' ')} {v}" if v else f"{k.replace('_', ' ')}: not stated"
        for k, v in folded.items()
    )
    return f"Every row: {same}. {caption}"


def _room_for(title: Text, caption: Text, console: Console) -> int:
    """The narrowest a table may be (up to the screen's width) for its title to stand
    on one line and its caption within two: a table whose columns fold into its
    caption would otherwise wrap them over a dozen lines."""
    width = min(console.width, max(title.cell_len, (caption.cell_len + 1) // 2))
    while width < console.width and len(caption.wrap(console, width)) > 2:
        width += 1
    return width


class TableShape:
    """A table's title, caption, box and columns (each with its fixed width), so that
    the same table can be drawn whole or in parts that read as one."""

    def __init__(
        self, title: Text, caption: Text, table_box: box.Box, min_width: int | None = None
    ) -> None:
        self.title = title
        self.caption = caption
        self.box = table_box
        self.min_width = min_width
        self.columns: list[tuple[str, dict[str, Any]]] = []

    def table(self, rows: list[list[Text]], *, title: bool, header: bool, caption: bool) -> Table:
        table = Table(
            title=self.title if title else None,
            caption=self.caption if caption else None,
            box=self.box,
            show_edge=False,
            show_header=header,
            expand=False,
            min_width=self.min_width,
        )
        for name, settings in self.columns:
            table.add_column(name, **settings)
        for row in rows:
            table.add_row(*row)
        return table


def _rows(cells: _Cells | list[list[Text]], start: int, stop: int) -> list[list[Text]]:
    """Rows `start` to `stop` as Rich Text, made now if they are not made yet."""
    return cells.rows(start, stop) if isinstance(cells, _Cells) else cells[start:stop]


class Chunked:
    """A long table, drawn in parts by Rich: the title, the header and the first rows,
    then the rows a chunk at a time, then the last rows and the caption. The columns
    have fixed widths and the table no edges, so the parts read (and are, byte for
    byte: the tests compare them with the whole table) as one table, and the first
    screen is written while the rest is drawn."""

    def __init__(
        self, shape: TableShape, cells: _Cells | list[list[Text]], rows_per_part: int = CHUNK_ROWS
    ) -> None:
        self.shape = shape
        self.cells = cells
        self.rows_per_part = rows_per_part

    def parts(self, console: Console) -> Iterator[RenderableType]:
        """The parts in order, each a Rich table."""
        total = len(self.cells)
        for start in range(0, total, self.rows_per_part):
            stop = start + self.rows_per_part
            rows = _rows(self.cells, start, stop)
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


class Cards:
    """Records as cards: the first field in bold, then each other field on its own
    line. Drawn a chunk of cards at a time, as a long table is, so the first screen is
    written while the rest is drawn."""

    def __init__(
        self,
        title: Text,
        caption: str,
        headers: list[str],
        cells: _Cells | list[list[Text]],
        rows_per_part: int = CHUNK_ROWS,
    ) -> None:
        self.title = title
        self.caption = caption
        self.headers = headers
        self.cells = cells
        self.rows_per_part = rows_per_part

    def parts(self, console: Console) -> Iterator[Group]:
        """The cards in order, a Group of them at a time: the title first, the caption
        last."""
        total = len(self.cells)
        # a screen holds a few cards: the first part is small, so it is drawn at once
        bounds = [0, *range(min(FIRST_CARDS, self.rows_per_part), total, self.rows_per_part)]
        for start, stop in zip(bounds, [*bounds[1:], max(total, 1)], strict=True):
            parts: list[RenderableType] = [self.title] if start == 0 else []
            for line in _rows(self.cells, start, stop):
                parts += self._card(line, console.width)
            if stop >= total:
                parts += [Text(""), Text(shown(self.caption, console), style="dim")]
            yield Group(*parts)

    def _card(self, line: list[Text], width: int) -> list[RenderableType]:
        """A card: a blank line, the head, and the other fields in a grid. The blank line
        and a head that fits are marked not to be wrapped (`unwrapped_where_it_fits`),
        so a drawing without colour writes them as their text."""
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(overflow="fold")
        for header, text in zip(self.headers[1:], line[1:], strict=True):
            if text.plain:
                grid.add_row(header, text)
        head = line[0].copy()
        head.stylize("bold")
        blank = Text("")
        unwrapped_where_it_fits([(blank, width), (head, width)])
        return [blank, head, Padding(grid, (0, 0, 0, 2))]
