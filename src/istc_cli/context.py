"""What a run takes from outside the dataset, made once and passed down.

`entry` makes a `Context` for the process (its standard output and error, whether
output is a terminal, its width and height, the environment) and hands it to the
fast path or to the Typer app; the output path, the drawers and the pager read it
there, never `sys.stdout`, `os.environ` or the terminal's size themselves. Tests make
one for a stream of their own (httpie's `Environment` is the model).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

DEFAULT_PAGER = "less -FRX"


@dataclass(frozen=True, eq=False)
class Context:
    """The streams, the terminal and the environment of one run."""

    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str]
    stdout_isatty: bool
    width: int | None  # $COLUMNS when it is a number, else the terminal's; None if neither
    height: int | None  # the terminal's lines; None when stdout is not a terminal

    @classmethod
    def of(
        cls,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Context:
        """The context of these streams (by default the process's) and environment."""
        out = stdout if stdout is not None else sys.stdout
        err = stderr if stderr is not None else sys.stderr
        env = os.environ if environ is None else environ
        try:
            isatty = out.isatty()
        except (OSError, ValueError, AttributeError):
            isatty = False
        size = _terminal_size(out)
        columns = env.get("COLUMNS", "")
        if columns.isascii() and columns.isdigit() and len(columns) < 6:
            width: int | None = int(columns)
        else:
            width = size[0] if size else None
        height = size[1] if size and isatty else None
        return cls(out, err, env, isatty, width, height)

    @property
    def encoding(self) -> str:
        return getattr(self.stdout, "encoding", None) or "utf-8"

    @property
    def utf8(self) -> bool:
        return self.encoding.lower().replace("-", "") in ("utf8", "utf8sig")

    @property
    def dumb(self) -> bool:
        """No terminal named, or a dumb one: no colour, no pager."""
        return self.environ.get("TERM") in (None, "", "dumb")

    @property
    def no_color(self) -> bool:
        """NO_COLOR set, or TERM=dumb: colour off unless asked for."""
        return "NO_COLOR" in self.environ or self.environ.get("TERM") == "dumb"

    @property
    def pager(self) -> str | None:
        """$ISTC_PAGER, else $PAGER, else `less -FRX`; an empty value turns paging off."""
        for name in ("ISTC_PAGER", "PAGER"):
            value = self.environ.get(name)
            if value is not None:
                return value.strip() or None
        return DEFAULT_PAGER


def _terminal_size(stream: TextIO) -> tuple[int, int] | None:
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return size.columns, size.lines
