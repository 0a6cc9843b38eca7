"""Generated documentation, checked by tests so that it cannot drift:

    python -m istc_cli.docs commands   # the README's command table
    python -m istc_cli.docs fields     # docs/formats.md's JSON-field table
    python -m istc_cli.docs meetings   # docs/dataset.md's coverage of Board meetings
    python -m istc_cli.docs --write    # all three, written in place (from the repository root)

The first two come from the declarations themselves: the command table from the Typer
app (which `commands.py` declares for every listing command), the field table from the
model and `field_docs.py`; the coverage table from the bundled dataset's meetings.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .commands import BY_NAME, COMMANDS
from .field_docs import markdown_table
from .options import COMMON_OPTIONS, DATA_OPTION


def commands() -> list[tuple[str, type]]:
    """Each command's records, then those an option lists instead (`members --at`,
    `figures --over-time`), by the option that asks for them."""
    out: list[tuple[str, type]] = []
    for c in COMMANDS:
        out.append((c.name, c.record_type))
        flags = [o.flags[0] for o in c.options if o.name in c.variant_options]
        for i, cls in enumerate(c.variant_types()):
            nested = c.nested is not None and i == len(c.variant_types()) - 1
            asked = " ".join(f"{c.name} {flag}{' --json' if nested else ''}" for flag in flags)
            out.append((asked, cls))
    return out


def command_table() -> str:
    """| command | what it does | its own options |, one row per command of the app,
    in the order `istc --help` lists them; the output options every listing command
    shares are left to their own table, and the global --data to the text."""
    import typer

    from .cli import app

    group: Any = typer.main.get_command(app)
    context = group.make_context("istc", [], resilient_parsing=True)
    shared = {flag for option in COMMON_OPTIONS for flag in option.flags}
    lines = ["| command | what it does | its own options |", "| --- | --- | --- |"]
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        arguments = [
            p.human_readable_name for p in command.params if p.param_type_name == "argument"
        ]
        options = [
            f"`{p.opts[0]}`"
            for p in command.params
            if p.param_type_name == "option"
            and p.opts[0] != "--help"
            and not (name in BY_NAME and p.opts[0] in shared)
            and p.opts[0] != DATA_OPTION.flags[0]  # global: before or after any command
        ]
        usage = " ".join(["istc", name, *arguments])
        summary = (command.short_help or command.help or "").replace("|", "\\|")
        lines.append(f"| `{usage}` | {summary} | {', '.join(options)} |")
    return "\n".join(lines) + "\n"


MEETINGS = 80
"""The coverage table runs from the first Board meeting to the 80th."""


def meeting_table() -> str:
    """| meeting | date | place | recorded from |, one row per meeting from the 1st to
    the 80th: the bundled dataset's record with its statement, or no stored page found."""
    from .loader import load

    dataset = load(None).dataset
    sources = {s.id: s for s in dataset.sources}
    recorded = {m.number: m for m in dataset.meetings}
    lines = ["| meeting | date | place | recorded from |", "| --- | --- | --- | --- |"]
    for number in range(1, MEETINGS + 1):
        meeting = recorded.get(number)
        if meeting is None:
            lines.append(f"| {number} | | | no stored page found |")
            continue
        worked_out = " (worked out)" if "date" in meeting.derived else ""
        date = (meeting.date or "not given") + worked_out
        source = sources[meeting.source]
        lines.append(
            f"| {number} | {date} | {meeting.place or 'not given'} | "
            f"`{meeting.source}` ({source.genre or 'page'}) |"
        )
    return "\n".join(lines) + "\n"


def fields_table() -> str:
    return markdown_table(commands())


TABLES = {"commands": command_table, "meetings": meeting_table, "fields": fields_table}
WHERE = {"commands": "README.md", "meetings": "docs/dataset.md", "fields": "docs/formats.md"}


def write(root: Path) -> list[str]:
    """Put each table between its markers (`<!-- NAME:start ... -->`, `<!-- NAME:end
    -->`) in its file under `root`; the names of the files that changed."""
    changed = []
    for name, make in TABLES.items():
        path = root / WHERE[name]
        text = path.read_text(encoding="utf-8")
        start = text.index(f"<!-- {name}:start")
        start = text.index("\n", start) + 1
        end = text.index(f"<!-- {name}:end -->")
        new = text[:start] + make() + text[end:]
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(WHERE[name])
    return changed


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "fields"
    if which == "--write":  # run from the repository's root
        for changed in write(Path.cwd()):
            print(f"updated {changed}", file=sys.stderr)
    else:
        print(TABLES[which](), end="")
