"""Generated documentation: `python -m istc_cli.docs` prints the README's JSON-field table."""

from __future__ import annotations

from .commands import COMMANDS
from .fields import markdown_table


def commands() -> list[tuple[str, type]]:
    return [(c.name, c.record_type) for c in COMMANDS]


if __name__ == "__main__":
    print(markdown_table(commands()), end="")
