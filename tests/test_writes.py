"""A write that was cut is never exit 0: every format, every size, in real processes.

CPython's buffered writer passes a short write on without a word, so a cut output
once ended with exit 0. These run the installed `istc` under the three ways an output
is cut: the reader quits (`head -c`), a file-size limit (`ulimit -f`), a full device.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .test_process import ISTC

# "plain" is what a pipe or a file gets with no --format.
FORMATS = ["json", "jsonl", "csv", "tsv", "yaml", "markdown", "plain", "table"]


def _option(fmt: str) -> str:
    return "" if fmt == "plain" else f"--format {fmt}"


def _bash(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_reader_that_quits_mid_output_is_exit_141(big_dataset: Path, fmt: str) -> None:
    result = _bash(
        f'"{ISTC}" --data "{big_dataset}" history {_option(fmt)} | head -c 100000 >/dev/null; '
        'echo "rc=${PIPESTATUS[0]}" >&2'
    )
    assert result.stderr.strip().splitlines()[-1] == "rc=141", result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_size_limit_is_exit_1_with_one_line(
    big_dataset: Path,
    tmp_path: Path,
    fmt: str,
) -> None:
    out = tmp_path / "out"
    result = _bash(
        f'ulimit -f 100; "{ISTC}" --data "{big_dataset}" history {_option(fmt)} > "{out}"; '
        'echo "rc=$?" >&2'
    )
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "rc=1", result.stderr
    assert [line for line in lines if line.startswith("istc: cannot write results")], lines
    assert "Traceback" not in result.stderr
    assert out.stat().st_size <= 100 * 1024


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_device_is_exit_1(big_dataset: Path, fmt: str) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    result = _bash(f'"{ISTC}" --data "{big_dataset}" history {_option(fmt)} > /dev/full')
    assert result.returncode == 1, result.stderr
    assert "cannot write results" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["cite", "--all", "--format", "bibtex"], ["schema"], ["--version"], ["about", "--json"]],
)
def test_small_outputs_under_a_limit_are_not_exit_0(tmp_path: Path, args: list[str]) -> None:
    """Outputs written by the Typer path (cite, schema, --version) go the same way."""
    out = tmp_path / "out"
    result = _bash(f'ulimit -f 0; "{ISTC}" {" ".join(args)} > "{out}"; echo "rc=$?" >&2')
    assert result.stderr.strip().splitlines()[-1] == "rc=1", result.stderr
