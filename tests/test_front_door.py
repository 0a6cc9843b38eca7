"""The front door: what a newcomer meets first. `istc --help` on one 80x24 screen, its
commands in named groups (Typer's help panels); the README's two commands, pasted on
a machine with only Python 3 and git, from a fresh clone."""

from __future__ import annotations

import re

from istc_cli import cli
from istc_cli.commands import COMMANDS
from istc_cli.options import PANELS

from .conftest import invoke, read_pty

SCREEN_ROWS, SCREEN_COLUMNS = 24, 80
# The help, the command line that asked for it and the next prompt, on one screen.
HELP_ROWS = SCREEN_ROWS - 2


def _panels_of_the_app() -> dict[str, str]:
    """Every command of the complete app and the help panel it declares."""
    declared = {spec.name: spec.panel for spec in COMMANDS}
    for info in cli.app.registered_commands:
        name = info.name or getattr(info.callback, "__name__", "")
        declared[name] = info.rich_help_panel  # type: ignore[assignment]
    return declared


def _groups(help_text: str) -> dict[str, list[str]]:
    """The Commands section of a help text: each group and the commands it lists."""
    section = help_text.split("\nCommands:\n", 1)[1].split("\n\n", 1)[0]
    texts: dict[str, str] = {}
    current = ""
    for line in section.splitlines():
        match = re.match(r"  (\S.*?)  +(\S.*)$", line)
        if match and match.group(1) in PANELS:
            current, rest = match.groups()
        else:
            rest = line.strip()
        texts[current] = f"{texts.get(current, '')} {rest}"
    return {group: [n.strip() for n in text.split(",")] for group, text in texts.items()}


def test_every_command_declares_one_of_the_help_panels() -> None:
    declared = _panels_of_the_app()
    assert set(declared.values()) == set(PANELS), declared
    assert len(declared) == len(COMMANDS) + 4  # validate, cite, export, schema


def test_help_fits_an_80_by_24_screen_with_the_commands_in_their_panels() -> None:
    ran = invoke("--help", env={"COLUMNS": str(SCREEN_COLUMNS), "LINES": str(SCREEN_ROWS)})
    assert ran.exit_code == 0, ran.output
    lines = ran.stdout.splitlines()
    assert len(lines) <= HELP_ROWS, f"{len(lines)} lines:\n{ran.stdout}"
    assert max(len(line) for line in lines) <= SCREEN_COLUMNS
    assert lines[0].startswith("Usage: istc")  # the top is what stays on screen
    groups = _groups(ran.stdout)
    assert list(groups) == list(PANELS)  # in the declared order
    declared = _panels_of_the_app()
    assert {name: panel for panel, names in groups.items() for name in names} == declared
    assert sum(len(names) for names in groups.values()) == len(declared)  # each once


def test_help_in_a_real_80_by_24_terminal_keeps_its_top_on_screen() -> None:
    code, shown = read_pty(["--help"], env={}, rows=SCREEN_ROWS, cols=SCREEN_COLUMNS)
    assert code == 0
    lines = shown.replace("\r\n", "\n").rstrip("\n").split("\n")
    assert len(lines) <= HELP_ROWS and lines[0].startswith("Usage: istc")


def test_istc_alone_lists_every_command_whole_in_the_same_groups() -> None:
    out = invoke(env={"COLUMNS": "80"}).stdout
    headings = [line[:-1] for line in out.splitlines() if line.endswith(":") and line[0] != " "]
    assert headings == list(PANELS)
    for spec in COMMANDS:
        assert " ".join(spec.summary.split()) in " ".join(out.split()), spec.name


def _front_door() -> list[str]:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = readme.split("<!-- front-door:start -->", 1)[1].split("<!-- front-door:end -->")[0]
    return [line for line in block.strip().splitlines() if not line.startswith("```")]


def test_the_readme_opens_with_two_lines_a_newcomer_can_paste() -> None:
    """One line installs istc and runs `istc about`, the next installs the test tools and
    runs the whole suite: nothing to activate, nothing but Python 3 and the clone."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert readme.index("<!-- front-door:start -->") < readme.index("## ")  # before any section
    install, test = _front_door()
    assert install.startswith("python3 -m venv .venv && ") and install.endswith(
        ".venv/bin/istc about"
    )
    assert ".venv/bin/pip install" in install and " . " in f"{install} "
    assert test.startswith(".venv/bin/pip install") and "'.[test]'" in test
    assert test.endswith(".venv/bin/python -m pytest")
    assert "activate" not in install + test


def test_ci_runs_the_readme_lines_as_written() -> None:
    """`.ci/run` takes its two commands from the README's front door, so what CI proves
    on a clean clone is what a newcomer pastes."""
    from pathlib import Path

    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "/<!-- front-door:start -->/,/<!-- front-door:end -->/p" in ci
    assert 'bash -euo pipefail -c "${lines[0]}"' in ci
    assert 'bash -euo pipefail -c "${lines[1]}"' in ci
    assert "pytest" not in ci.split('"${lines[1]}"')[-1]  # no other test command after it
