"""Trust, fourth pass (issue 29): each class of defect the fourth hostile trial found,
tried in real processes of the installed `istc`.

Completion (classes 1 and 2) is in test_completion.py, the README's and docs' examples
(class 10) in test_examples.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import MINIMAL

ISTC = Path(sys.executable).with_name("istc")


def run(
    *args: str, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(ISTC), *args], capture_output=True, env=full_env, timeout=120, check=False, **kwargs
    )


def dataset(tmp_path: Path, edit: Any = None, name: str = "data.yaml") -> Path:
    data = yaml.safe_load(MINIMAL.read_text())
    if edit is not None:
        edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def one_sentence(stderr: bytes) -> str:
    """The message of a failed run: its last line, which must say what went wrong."""
    text = stderr.decode()
    assert "Traceback" not in text, text
    return text.strip().splitlines()[-1]


# ---------------------------------------------------------------- 9. --data= (empty)


@pytest.mark.parametrize(
    "args",
    [
        ["--data=", "members"],
        ["--data", "", "members"],
        ["members", "--data="],
        ["members", "--data", ""],
        ["--data=", "members", "--format", "table"],  # the Typer path, not the fast one
        ["--data=", "validate"],
        ["--data=", "cite", "doc"],
        ["--data=", "--version"],
        ["history", "--data=", "--json"],
    ],
)
def test_an_empty_data_path_is_a_usage_error_on_both_paths(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2, result
    assert result.stdout == b""
    message = one_sentence(result.stderr)
    assert "--data" in message and "empty" in message, message
    assert "invalid dataset" not in result.stderr.decode()
