"""Every console example of the README and docs/ runs, and prints what it shows.

A ```console block's `$ istc ...` lines are run through `entry.main`; the lines
after one, up to the next `$`, are its expected output, compared exactly (line ends
and spaces at a line's end aside) with what it prints on a terminal 80 columns wide
with no colour, as the examples were drawn; a line without output must exit 0. A
command piped to another tool (`| jq`, `| head`) or redirected runs through bash, by
the installed `istc`, when every tool it names is installed, else only its `istc` part
runs, for its exit code. In a ```sh block, each `istc ...` line must exit 0. Commands
of other tools (datasette, frictionless, R) are not run, nor what follows `&&`. Each
example runs in a scratch directory holding `my-istc.yaml` (a copy of the bundled
dataset) and a home directory of its own.

When the data or a drawing changes on purpose, regenerate the examples' output:

    python -m tests.test_examples --update

and review `git diff README.md docs/`.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from istc_cli import entry

from .conftest import BUNDLED, REPO, TerminalOutput, invoke

ISTC = Path(sys.executable).with_name("istc")
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
WIDTH = 80
REGENERATE = "python -m tests.test_examples --update"


@dataclass(frozen=True)
class Example:
    document: Path
    line: int  # of the command, from 1
    command: str
    expected: tuple[str, ...] | None  # None: only the exit code is checked
    output_lines: tuple[int, int] = (0, 0)  # [first, end) of the expected output

    @property
    def where(self) -> str:
        return f"{self.document.relative_to(REPO)}:{self.line}"


def examples(document: Path) -> list[Example]:
    """The istc examples of a Markdown document, in order."""
    lines = document.read_text(encoding="utf-8").split("\n")
    found: list[Example] = []
    fence: str | None = None
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith("```"):
            fence = None if fence is not None else (stripped[3:].strip() or "text")
            i += 1
            continue
        if fence == "console" and stripped.startswith("$ "):
            command = stripped[2:]
            end = i + 1
            while end < len(lines) and not lines[end].strip().startswith(("$ ", "```")):
                end += 1
            output = tuple(lines[i + 1 : end])
            if _runs_istc(command):
                found.append(Example(document, i + 1, command, output or None, (i + 1, end)))
            i = end
            continue
        if fence == "sh" and _runs_istc(stripped):
            found.append(Example(document, i + 1, stripped, None))
        i += 1
    return found


def _runs_istc(command: str) -> bool:
    words = command.split()
    return bool(words) and words[0] == "istc"


def _environment(home: Path) -> dict[str, str]:
    names = ("PATH", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")
    keep = {k: v for k, v in os.environ.items() if k in names}
    bin_dir = str(ISTC.parent)
    return {
        **keep,
        "PATH": f"{bin_dir}:{keep.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home),
        "COLUMNS": str(WIDTH),
        "LINES": "50",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "ISTC_PAGER": "",
        "ISTC_CACHE_DIR": os.environ.get("ISTC_CACHE_DIR", str(home / "cache")),
        "SHELL": "/bin/bash",
        "LANG": keep.get("LANG", "C.UTF-8"),
    }


def _scratch(where: Path) -> tuple[Path, dict[str, str]]:
    work = where / "work"
    home = where / "home"
    work.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BUNDLED, work / "my-istc.yaml")
    return work, _environment(home)


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run `istc ARGS` through `entry.main`, in this process (a real process per example
    cost most of this file's time; the piped examples below and test_process run the
    installed istc), in `cwd` and with exactly `env`, stdout a terminal."""
    out = TerminalOutput()  # 80 columns, from COLUMNS
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    try:
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            try:
                entry.main(args)
                code: object = 0
            except SystemExit as exc:
                code = exc.code
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return (code if isinstance(code, int) else 0 if code is None else 1), out.getvalue()


def _operators(command: str) -> list[tuple[int, str]]:
    """Where the command line's unquoted operators are (`|`, `&&`, `;`, `>`...)."""
    found = []
    quote = ""
    i = 0
    while i < len(command):
        char = command[i]
        if quote:
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"':
                i += 1
        elif char == "\\":
            i += 1
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or command[i - 1].isspace()):
            break  # a comment
        elif command.startswith(("&&", "||"), i):
            found.append((i, command[i : i + 2]))
            i += 1
        elif char in "|;<>&":
            found.append((i, char))
        i += 1
    return found


def run_example(example: Example, where: Path) -> tuple[int, str, str]:
    """(exit code, what it printed, how it was run)."""
    work, env = _scratch(where)
    command = example.command
    operators = _operators(command)
    if not operators:
        argv = shlex.split(command, comments=True)
        code, out = _on_a_terminal(argv[1:], work, env)
        return code, out, "on a terminal"
    # the pipeline, never what would run after it (`&& datasette serve` starts a server)
    stop = next((i for i, op in operators if op in ("&&", "||", ";", "&")), len(command))
    pipeline = command[:stop]
    starts = [0] + [i + len(op) for i, op in operators if op == "|" and i < stop]
    tools = [shlex.split(pipeline[s:], comments=True)[0] for s in starts]
    if all(shutil.which(tool, path=env["PATH"]) for tool in tools):
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, cwd=work,
            env=env, timeout=120, check=False,
        )  # fmt: skip
        return result.returncode, result.stdout.decode("utf-8", "replace"), "through bash"
    argv = shlex.split(command[: operators[0][0]], comments=True)
    argv[0] = str(ISTC)
    result = subprocess.run(argv, capture_output=True, cwd=work, env=env, timeout=120, check=False)
    return result.returncode, result.stdout.decode("utf-8", "replace"), "its istc part only"


def _normal(text: str) -> str:
    """Output as a Markdown file keeps it: LF line ends, no spaces at a line's end."""
    return "".join(line.rstrip() + "\n" for line in text.replace("\r\n", "\n").splitlines())


ALL = [example for document in DOCUMENTS for example in examples(document)]


@pytest.mark.parametrize("example", ALL, ids=[e.where for e in ALL])
def test_the_example_runs_and_prints_what_it_shows(example: Example, tmp_path: Path) -> None:
    code, out, how = run_example(example, tmp_path)
    assert code == 0, (
        f"{example.where}: `{example.command}` exits {code} ({how}); the docs show it "
        "working. Fix the example, or the tool."
    )
    if example.expected is None or how == "its istc part only":
        return
    expected = _normal("\n".join(example.expected) + "\n")
    actual = _normal(out)
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"{example.where} (as the docs show it)",
                f"`{example.command}` ({how}, {WIDTH} columns, no colour)",
            )
        )
        pytest.fail(
            f"{example.where}: `{example.command}` prints something else than the docs "
            f"show.\n{diff}\nIf the change is intended, regenerate the examples' output "
            f"with `{REGENERATE}` and review `git diff README.md docs/`.",
            pytrace=False,
        )


_INLINE_ID = re.compile(r"`istc (show|cite) ([a-z][\w-]*:[\w:/.-]+)")
_UNMERGED = {"publication:annual-reports"}  # design.md's worked change, kept off main


def test_every_id_an_inline_example_opens_exists() -> None:
    """Prose examples (`istc show office:astana`) are not run as the console blocks
    are, so each id they hand to show or cite is checked to open."""
    found = [
        (document, match.group(1), match.group(2))
        for document in DOCUMENTS
        for match in _INLINE_ID.finditer(document.read_text(encoding="utf-8"))
        if match.group(2) not in _UNMERGED
    ]
    assert len(found) >= 2  # the pattern sees them
    for document, command, ref in found:
        result = invoke(command, ref, "--format", "json" if command == "show" else "csl-json")
        assert result.exit_code == 0, f"{document.name}: istc {command} {ref}: {result.stderr}"


_CHOICES = re.compile(r"`(--[a-z-]+) ([a-z-]+(?:\\\|[a-z-]+)+)`")


def test_the_filters_table_gives_each_choice_option_its_values() -> None:
    """docs/using.md's table of commands lists the values of each choice option; they
    are the values the command declares, all of them, none more."""
    from istc_cli.commands import BY_NAME

    rows = [
        line
        for line in (REPO / "docs" / "using.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `istc ")
    ]
    checked = 0
    for row in rows:
        name = row.split("`")[1].split()[1]
        for flag, listed in _CHOICES.findall(row):
            [option] = [o for o in BY_NAME[name].options if flag in o.flags]
            assert listed.split("\\|") == list(option.values), (name, flag)
            checked += 1
    assert checked >= 8


def test_the_examples_are_found() -> None:
    """The parser sees the README's examples (so a change of fence cannot silence it)."""
    readme = [e for e in ALL if e.document.name == "README.md"]
    assert any(e.command == "istc about" and e.expected for e in readme)
    assert any("| jq" in e.command for e in readme)
    assert len(ALL) > 50


def update() -> int:
    """Rewrite the expected output of every console example whose output differs."""
    import tempfile

    changed = 0
    for document in DOCUMENTS:
        lines = document.read_text(encoding="utf-8").split("\n")
        replacements: list[tuple[int, int, list[str]]] = []
        for example in examples(document):
            if example.expected is None:
                continue
            with tempfile.TemporaryDirectory() as where:
                code, out, how = run_example(example, Path(where))
            if code != 0 or how == "its istc part only":
                print(f"{example.where}: not regenerated ({how}, exit {code})", file=sys.stderr)
                continue
            new = _normal(out).rstrip("\n").split("\n")
            if tuple(new) != example.expected:
                replacements.append((*example.output_lines, new))
                print(f"{example.where}: `{example.command}` regenerated", file=sys.stderr)
        for first, end, new in reversed(replacements):
            lines[first:end] = new
        if replacements:
            document.write_text("\n".join(lines), encoding="utf-8")
            changed += len(replacements)
    print(f"{changed} example(s) regenerated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        print(f"usage: {REGENERATE}", file=sys.stderr)
        sys.exit(2)
    sys.exit(update())
