"""Rich rendering for people: one dispatcher over the drawers.

`cells` is the base every drawer shares; `tables`, `panels` and `drawings` draw; this
module picks the drawer for a result and hands back text for the output path to write
or page, a long table a chunk at a time. The only package that imports Rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.text import Text

from ..context import Context
from ..queries import Result
from ..rows import OutputOptions
from .cells import drawn, make_console
from .tables import Cards, Chunked, build_table


def drawer(view: str) -> Callable[[Result, Console], RenderableType]:
    """The drawer of a view (`timeline`, `chart`, `full`), imported when it is asked
    for: a table never pays for the drawings or the panels."""
    if view == "full":
        from .panels import build_full_about

        return build_full_about
    from .drawings import build_chart, build_timeline

    drawers = {"timeline": build_timeline, "chart": build_chart}
    return drawers[view]


def render_parts(
    result: Result, fields: tuple[str, ...], options: OutputOptions, context: Context
) -> Iterator[str]:
    """The result drawn for people, as text for the context's stdout: one part, or a long
    table's chunks one by one, so that the first rows show while the rest are drawn."""
    console = make_console(options, context)
    grid = None  # a result that asks to be drawn (`meetings --attendance`), as asked
    if result.drawing == "grid" and not (options.fields or options.sources):
        from .drawings import build_grid

        grid = build_grid(result, console)
    if options.view:
        renderable: Any = drawer(options.view)(result, console)
    elif grid is not None:
        renderable = grid
    elif result.record_type.single and result.records:
        from .panels import build_panel

        renderable = build_panel(result, fields, options, console)
    else:
        renderable = build_table(result, fields, options, console)
    if isinstance(renderable, Chunked | Cards):
        for part in renderable.parts(console):
            yield drawn_part(part, console)
    else:
        yield drawn_part(renderable, console)


def drawn_part(part: RenderableType, console: Console) -> str:
    """A renderable drawn; a group without colour a piece at a time (`_drawn_plain`)."""
    if isinstance(part, Group) and console.color_system is None:
        return "".join(_drawn_plain(piece, console) for piece in part.renderables)
    return drawn(part, console)


def _drawn_plain(part: RenderableType, console: Console) -> str:
    """A part of a drawing (a chart's line) as a console without colour writes it: a
    line of text marked as fitting its width (see `unwrapped_where_it_fits`) is its
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


def render(
    result: Result, fields: tuple[str, ...], options: OutputOptions, context: Context
) -> str:
    """The result drawn for people, whole."""
    return "".join(render_parts(result, fields, options, context))
