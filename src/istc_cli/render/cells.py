"""The base of the drawing: a console for the output, and the helpers every drawer
shares: escaping text for the console's encoding, separators and boxes by encoding,
links, highlights, and a renderable drawn to text. Nothing here draws a table, a panel
or a drawing (those are `tables`, `panels` and `drawings`, above it).

Text from the dataset is untrusted: it is wrapped in `rich.text.Text` (never parsed
as markup) after `visible()` has turned control characters into escapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich import box
from rich.console import Console, RenderableType
from rich.text import Text

from .. import model
from ..context import Context
from ..queries import Result
from ..rows import (
    OutputOptions,
    flatten,
    human_amount,
)
from ..safe_text import visible


def make_console(options: OutputOptions, context: Context) -> Console:
    """A console that draws into text for the context's stdout: its encoding and width,
    colour as asked (`auto`: unless NO_COLOR or TERM=dumb)."""
    color = options.color
    no_color = color == "never" or (color == "auto" and context.no_color)
    return Console(
        file=context.stdout,
        width=context.width,
        force_terminal=True if color == "always" else None,
        no_color=no_color,
        color_system=None if no_color else "auto",
        highlight=False,
        markup=False,
        emoji=False,
    )


def is_unicode(console: Console) -> bool:
    return console.encoding.lower().replace("-", "").startswith("utf")


def shown(text: str, console: Console) -> str:
    """Text as it can be written to the console: unsafe characters escaped (`visible`)
    and, on a console whose encoding is not UTF-8, every character it cannot encode
    escaped too (`\\xb7`) before Rich measures it, so no border or column moves."""
    text = visible(text)
    if is_unicode(console) or text.isascii():
        return text
    encoding = console.encoding or "ascii"
    return text.encode(encoding, "backslashreplace").decode(encoding)


def dot(console: Console) -> str:
    """The separator between facts on one line: a middle dot, or a hyphen in ASCII."""
    return " · " if is_unicode(console) else " - "


def dash(console: Console) -> str:
    """The dash of a range of years."""
    return "–" if is_unicode(console) else "-"


def cell(value: Any, console: Console) -> Text:
    """A value as a table or panel cell: flattened, and escaped for the console."""
    return Text(shown(flatten(value), console))


def highlight_pattern(result: Result, console: Console) -> re.Pattern[str] | None:
    if not result.highlight:
        return None
    return re.compile(re.escape(shown(result.highlight, console)), re.IGNORECASE)


# ---------------------------------------------------------------- tables


def link_target(value: str) -> str | None:
    """An address a terminal may offer as a link: http or https, nothing unsafe in it."""
    from ..safe_text import has_unsafe

    if value.startswith(("https://", "http://")) and not has_unsafe(value) and " " not in value:
        return value
    return None


def unwrapped_where_it_fits(cells: Iterable[tuple[Text, int]]) -> None:
    """Mark the texts that fit their width (a cell's column, a chart's line) as not to
    be wrapped: Rich then draws them as they are, without looking for line breaks;
    the output is the same, which the table and drawing tests hold byte for byte."""
    from rich.cells import cell_len

    for text, width in cells:
        plain = text.plain
        # in characters too: Rich trims a text longer than its width in characters of
        # its trailing spaces, though zero-width marks let it fit in cells
        if "\n" not in plain and len(plain) <= width and cell_len(plain) <= width:
            text.no_wrap = True


def panel_box(console: Console) -> box.Box:
    return box.ROUNDED if is_unicode(console) else box.ASCII


def drawn(part: RenderableType | str, console: Console) -> str:
    """A part as the text the console writes for it (rows already drawn are that text)."""
    if isinstance(part, str):
        return part
    with console.capture() as capture:
        console.print(part)
    return capture.get()


def figure_text(fig: model.Figure) -> str:
    return human_amount(fig)
