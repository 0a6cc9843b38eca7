"""Shared fixtures: every test runs against a private cache and the bundled dataset."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings
from hypothesis import strategies as st

from istc_cli import entry

# CI explores the same examples every run, so a red build is reproducible; locally,
# Hypothesis draws new ones each time. The long runs: `--hypothesis-profile=thorough`
# (ten times each property's budget, new examples each run) and the atheris harnesses.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("thorough", max_examples=1000, derandomize=False)
if os.environ.get("CI"):
    settings.load_profile("ci")


# What the properties draw text from: every character UTF-8 can encode, which is every
# code point but the surrogates. st.text() means the same by default, but as
# `characters(codec="utf-8")`, which has Hypothesis encode each of the 1.1 million code
# points once to find them, in each worker of a run with no `.hypothesis` directory yet
# (CI's fresh clone); leaving out the category of surrogates costs nothing.
TEXT_CHARS = st.characters(exclude_categories=["Cs"])


def examples(n: int) -> int:
    """A property's budget of examples: n in a default run (and CI's), ten times n under
    `--hypothesis-profile=thorough` (the profile's max_examples over Hypothesis's 100).
    Test modules are imported after the profile the command line names is loaded."""
    return max(1, n * settings.default.max_examples // 100)


HERE = Path(__file__).parent
REPO = HERE.parent
BUNDLED = REPO / "data" / "istc.yaml"
MINIMAL = HERE / "data" / "minimal.yaml"
BAD = HERE / "bad"


# Tests make datasets by the thousand records; PyYAML's C loader and dumper (libyaml,
# in PyYAML's wheels) do it some ten times faster than its pure-Python ones.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str | bytes) -> Any:
    """`yaml.safe_load`, fast: for reading test data, never for what istc reads."""
    return yaml.load(text, Loader=_LOADER)


def dump_yaml(data: Any, **options: Any) -> str:
    """`yaml.safe_dump`, fast: for writing test datasets."""
    text: str = yaml.dump(data, Dumper=_DUMPER, **options)
    return text


def pytest_collection_finish(session: pytest.Session) -> None:
    """The cyclic garbage collector, tuned for a test worker: what the worker holds once
    the tests are collected (modules, test functions, their parameters) lives to the end
    of the run, so it is frozen out of the collector's reach; and young objects (Rich
    makes them by the million) are collected every 20,000 allocations rather than 700
    (what it saves: docs/performance.md). istc's own processes are not touched."""
    import gc

    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("ISTC_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    for name in ("ISTC_DATA", "NO_COLOR", "FORCE_COLOR", "ISTC_NO_CACHE", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "xterm-256color")


@dataclass
class Ran:
    """What one run of `istc` gave: its exit code and what it wrote to each stream."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class TerminalOutput(io.StringIO):
    """A captured standard output that says it is a terminal, one of no size: istc
    takes the width from COLUMNS."""

    def isatty(self) -> bool:
        return True


def invoke(*args: str, env: Mapping[str, str | None] | None = None, terminal: bool = False) -> Ran:
    """Run `istc ARGS` the way the process does, through `entry.main` (the fast path
    where it applies, else the Typer app), in this process, its streams captured
    (stdout a `TerminalOutput` if `terminal`). `env` sets variables, or unsets those
    given None. ISTC_DEBUG is set, so a bug surfaces as its traceback rather than one
    line."""
    out, err = TerminalOutput() if terminal else io.StringIO(), io.StringIO()
    changes: dict[str, str | None] = {"ISTC_DEBUG": "1", **(env or {})}
    saved = {name: os.environ.get(name) for name in changes}
    for name, value in changes.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                entry.main(list(args))
                code: Any = 0
            except SystemExit as exc:
                code = exc.code
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    exit_code = code if isinstance(code, int) else (0 if code is None else 1)
    return Ran(exit_code, out.getvalue(), err.getvalue())


def run_json(*args: str) -> Any:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def table(*args: str) -> str:
    result = invoke(*args, "--format", "table", "--color", "never")
    assert result.exit_code == 0, result.output
    return result.stdout


def run_counting_modules(
    *args: str, env: Mapping[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[bytes], list[str]]:
    """A real run of `istc ARGS` (its own process; `env` added to this one's), and the
    modules it had imported when it ended."""
    code = (
        "import sys\n"
        "from istc_cli.entry import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )
    return result, result.stderr.decode().strip().splitlines()[-1].split()


def modules_after(*args: str) -> list[str]:
    """The modules a real run of `istc ARGS` has imported when it ends (its own process)."""
    return run_counting_modules(*args)[1]


def read_pty(
    args: list[str], env: dict[str, str], rows: int = 10, cols: int = 100, stdin: bool = False
) -> tuple[int, str]:
    """Run the installed istc with stdout on a pseudo-terminal: (exit code, what it showed)."""
    import fcntl
    import pty
    import struct
    import termios

    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    istc = Path(sys.executable).with_name("istc")
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PAGER")}
    proc = subprocess.Popen(
        [str(istc), *args],
        stdin=secondary if stdin else None,
        stdout=secondary,
        stderr=subprocess.PIPE,
        env={**base, **env},
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = proc.wait(timeout=30)
    os.close(primary)
    return code, b"".join(chunks).decode(errors="replace")


@pytest.fixture(scope="session")
def big_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Far more output than a pipe buffer holds (so a closed pipe really breaks): at
    least 200 KB in every format, twice the limits the write tests set. Here, so that
    the files that use it share one per worker."""
    data = load_yaml(MINIMAL.read_text())
    # Few long events rather than many short ones: the bytes are what matter, and a
    # table or YAML costs by the row.
    data["history"] = [
        {"date": f"{1900 + i % 120}", "event": f"Event number {i} " + "word " * 70, "source": "doc"}
        for i in range(600)
    ]
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(dump_yaml(data))
    return path
