"""A blank value where a path goes is a usage error (exit 2) on every path: --data,
ISTC_DATA, validate's PATH, export's PATH and --metadata; so is `-` for an export,
which writes files, not standard output. Each case runs through `entry.main`, and one
of each kind, with ISTC_DATA on both paths, in a real process of istc as well
(`python -m istc_cli`): the exit code is the process's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, invoke


def _istc(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> int:
    """A real process: its exit code, with nothing on stdout and no internal error."""
    done = subprocess.run(
        [sys.executable, "-m", "istc_cli", *args],
        capture_output=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=False,
    )
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr
    assert done.stdout == b""
    return done.returncode


def _in_process(*args: str, cwd: Path | None = None) -> int:
    """The same through `entry.main` in this process (a bug raises: ISTC_DEBUG)."""
    saved = os.getcwd()
    os.chdir(cwd or saved)
    try:
        result = invoke(*args)
    finally:
        os.chdir(saved)
    assert result.stdout == "" and "internal error" not in result.stderr
    return result.exit_code


@pytest.mark.parametrize("blank", ["", " ", "\t"])
@pytest.mark.parametrize("command", [["validate"], ["members", "--json"], ["about"]])
def test_a_blank_data_path_is_a_usage_error(blank: str, command: list[str]) -> None:
    assert _in_process("--data", blank, *command) == 2


@pytest.mark.parametrize("command", [["members", "--json"], ["validate"]])
def test_a_blank_istc_data_is_a_usage_error_on_both_paths(command: list[str]) -> None:
    assert _istc(*command, env={"ISTC_DATA": "  "}) == 2


@pytest.mark.parametrize("paths", [[""], [" "], ["data/istc.yaml", "\t"]])
def test_a_blank_validate_path_is_a_usage_error(paths: list[str]) -> None:
    assert _in_process("validate", *paths, cwd=REPO) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["export", "sqlite", ""],
        ["export", "sqlite", " "],
        ["export", "sqlite", "out.db", "--metadata="],
        ["export", "datapackage", ""],
        ["export", "sqlite", "-"],  # not standard output: an export is files
        ["export", "datapackage", "-"],
        ["export", "sqlite", "out.db", "--metadata", "-"],
    ],
)
def test_a_blank_export_path_is_a_usage_error_and_writes_nothing(
    args: list[str], tmp_path: Path
) -> None:
    assert _in_process(*args, cwd=tmp_path) == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["--data", " ", "members", "--json"],
        ["validate", ""],
        ["export", "sqlite", "-"],
        ["export", "sqlite", "out.db", "--metadata="],
    ],
)
def test_a_blank_path_is_exit_2_from_the_process(args: list[str], tmp_path: Path) -> None:
    assert _istc(*args, cwd=tmp_path) == 2
    assert list(tmp_path.iterdir()) == []
