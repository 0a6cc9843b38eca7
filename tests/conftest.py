"""Shared fixtures: every test runs against a private cache and the bundled dataset."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import settings
from typer.testing import CliRunner, Result

from istc_cli import cli

# CI explores the same examples every run, so a red build is reproducible; locally,
# Hypothesis draws new ones each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

HERE = Path(__file__).parent
REPO = HERE.parent
BUNDLED = REPO / "data" / "istc.yaml"
MINIMAL = HERE / "data" / "minimal.yaml"
BAD = HERE / "bad"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("ISTC_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    for name in ("ISTC_DATA", "NO_COLOR", "FORCE_COLOR", "ISTC_NO_CACHE", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TERM", "xterm-256color")


_APP: typer.Typer = cli.app


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run istc through Typer's CliRunner (the Typer path, not the fast path)."""
    return CliRunner().invoke(_APP, list(args), env=env, catch_exceptions=False)


def run_json(*args: str) -> Any:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def table(*args: str) -> str:
    result = invoke(*args, "--format", "table", "--color", "never")
    assert result.exit_code == 0, result.output
    return result.stdout


def modules_after(*args: str) -> list[str]:
    """The modules a real run of `istc ARGS` has imported when it ends (its own process)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from istc_cli.entry import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, check=False)
    return result.stderr.decode().strip().splitlines()[-1].split()


def read_pty(
    args: list[str], env: dict[str, str], rows: int = 10, cols: int = 100, stdin: bool = False
) -> tuple[int, str]:
    """Run the installed istc with stdout on a pseudo-terminal: (exit code, what it showed)."""
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
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
