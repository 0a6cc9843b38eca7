"""Real processes of the installed `istc`: pipes, locales, terminals, signals, packaging."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from istc_cli import entry, fast

from .conftest import REPO, invoke, modules_after

ISTC = Path(sys.executable).with_name("istc")


def run(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[bytes]:
    assert ISTC.exists(), f"install the project first: {ISTC} is missing"
    full_env = {**os.environ, **env}
    return subprocess.run(
        [str(ISTC), *args], capture_output=True, cwd=cwd, env=full_env, timeout=60, check=False
    )


def test_installed_istc_works_from_any_directory(tmp_path: Path) -> None:
    result = run("members", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 10
    version = run("--version", cwd=tmp_path).stdout.decode()
    assert "(bundled)" in version


def test_python_dash_m_works(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "istc_cli", "initiatives", "--status", "in-development"],
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.decode().splitlines() == [
        "Water & food security TI\tin-development",
        "Technology, device & reporting integration\tin-development",
    ]


@pytest.mark.parametrize("fmt", [None, "table", "json", "csv"])
def test_closed_pipe_exits_quietly(big_dataset: Path, fmt: str | None) -> None:
    options = f"--format {fmt}" if fmt else ""
    script = (
        f'"{ISTC}" --data "{big_dataset}" history {options} | head -1; '
        'echo "rc=${PIPESTATUS[0]}" >&2'
    )
    result = subprocess.run(["bash", "-c", script], capture_output=True, timeout=60, check=False)
    stderr = result.stderr.decode()
    assert stderr.strip() == "rc=141", stderr
    assert len(result.stdout.decode().splitlines()) == 1


@pytest.mark.parametrize("args", [["members"], ["about"], ["search", "a"], ["history"]])
def test_ascii_locale_and_encoding_do_not_crash(args: list[str]) -> None:
    result = run(*args, "--format", "table", LANG="C", LC_ALL="C", PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    as_json = run(*args, "--json", LANG="C", LC_ALL="C", PYTHONIOENCODING="ascii")
    assert as_json.returncode == 0
    json.loads(as_json.stdout)  # ASCII-escaped, still valid JSON


@pytest.mark.parametrize(
    "args",
    [
        ["cite", "--all", "--format", "bibtex"],  # BibTeX would read \u as an accent
        ["cite", "--all", "--format", "ris"],
        ["sources", "--format", "csv"],
        ["sources", "--format", "markdown"],
    ],
)
def test_data_an_ascii_output_cannot_hold_is_refused_not_altered(args: list[str]) -> None:
    """The sources hold a Kazakh title: a format with no escapes of its own is exit 1
    with one line, never `\u0425` written as if it were the title."""
    refused = run(*args, PYTHONIOENCODING="ascii")
    assert refused.returncode == 1 and refused.stdout == b""
    assert refused.stderr.decode().count("\n") == 1 and b"U+0425" in refused.stderr


def test_csl_json_on_an_ascii_output_escapes_in_its_own_syntax() -> None:
    csl = run("cite", "--all", "--format", "csl-json", PYTHONIOENCODING="ascii")
    assert csl.returncode == 0 and csl.stdout.isascii()
    titles = {item["id"]: item["title"] for item in json.loads(csl.stdout)}
    assert titles["sn-kz-gb60"].startswith("ХҒТО бас")


@pytest.mark.parametrize("command", ["history", "members", "about", "figures", "search"])
def test_a_twenty_column_terminal_does_not_crash(command: str) -> None:
    args = [command, "astana"] if command in ("search", "show") else [command]
    if command == "history":  # in a real process; the others through entry.main
        result = run(*args, "--format", "table", COLUMNS="20")
        assert result.returncode == 0, result.stderr
        assert result.stdout
        return
    drawn = invoke(*args, "--format", "table", env={"COLUMNS": "20"})
    assert drawn.exit_code == 0, drawn.stderr
    assert drawn.stdout


def test_csv_uses_crlf_line_ends() -> None:
    assert b"\r\n" in run("initiatives", "--format", "csv").stdout


def test_json_commands_do_not_import_rich() -> None:
    loaded = modules_after("members", "--json")
    assert [m for m in loaded if m.split(".")[0] in ("rich", "typer")] == []


def test_ctrl_c_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(argv: list[str], context: object, root: object = None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(fast, "run", interrupted)
    with pytest.raises(SystemExit) as exit_info:
        entry.main(["members"])
    assert exit_info.value.code == 130
    assert "Traceback" not in capsys.readouterr().err


def test_an_internal_error_is_one_line_and_a_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(argv: list[str], context: object, root: object = None) -> int:
        secret = "local value"  # noqa: F841  (must never be printed)
        raise RuntimeError("something broke")

    monkeypatch.setattr(fast, "run", broken)
    monkeypatch.delenv("ISTC_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        entry.main(["members"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "istc: internal error: RuntimeError: something broke"
    assert "ISTC_DEBUG=1" in err
    assert "Traceback" not in err and "local value" not in err


def test_typer_pretty_exceptions_never_show_locals() -> None:
    from istc_cli import cli

    app = cli.app
    assert app.pretty_exceptions_show_locals is False
    assert app.pretty_exceptions_enable is False


def _uv() -> str:
    binary = shutil.which("uv", path=str(Path(sys.executable).parent))
    assert binary, "the test extra installs uv"
    return binary


@pytest.mark.slow
def test_wheel_ships_the_dataset_and_installs_cleanly(tmp_path: Path) -> None:
    """Build the wheel, install it (not editable) into a fresh venv, run it elsewhere.

    uv builds it (hatchling, this environment's, called as any frontend calls it) and
    installs it: pip did the same in some 2.5 s of CPU, uv in 0.6 s. pip's own install
    of the project is the README's first line, which CI runs on a clean clone."""
    dist = tmp_path / "dist"
    subprocess.run(
        [
            _uv(),
            "build",
            "--wheel",
            "--no-build-isolation",
            "--python",
            sys.executable,
            "-q",
            "-o",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("istc_cli-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        assert "istc_cli/data/istc.yaml" in archive.namelist()
        shipped = archive.read("istc_cli/data/istc.yaml")
    assert shipped == (REPO / "data" / "istc.yaml").read_bytes()

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [_uv(), "pip", "install", "--python", str(python), "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Dependencies come from this environment, after the venv's own site-packages.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.strip()
    import typer
    import yaml as pyyaml

    deps = {str(Path(typer.__file__).parents[1]), str(Path(pyyaml.__file__).parents[1])}
    Path(site, "deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # the installed istc, not one PYTHONPATH points at
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(venv / "bin" / "istc"), "members", "--json"],
        capture_output=True,
        cwd=elsewhere,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 10
    version = subprocess.run(
        [str(venv / "bin" / "istc"), "--version"],
        capture_output=True,
        cwd=elsewhere,
        check=True,
        env=env,
        text=True,
    ).stdout
    assert f"{site}/istc_cli/data/istc.yaml (bundled)" in version


@pytest.mark.parametrize("args", [["members", "--json"], ["cite", "fact-sheet-2018"], []])
def test_a_closed_stdout_is_one_clear_line(args: list[str]) -> None:
    """On either path, results with nowhere to go are exit 1 and end with one line that
    says so (a note about the results, as `members` gives, may come before it)."""
    result = subprocess.run(
        ["bash", "-c", '"$0" "$@" >&-', str(ISTC), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "istc: cannot write results: standard output is closed."
    assert sum("cannot write" in line for line in lines) == 1
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr


def test_with_stdout_closed_what_writes_no_results_does_its_work(tmp_path: Path) -> None:
    """An export or a validation prints nothing to stdout: with it closed (cron, a
    daemon) the export is published and a valid file is exit 0."""
    database = tmp_path / "istc.db"
    export = subprocess.run(
        ["bash", "-c", '"$0" "$@" >&-', str(ISTC), "export", "sqlite", str(database)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert export.returncode == 0, export.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("select count(*) from members").fetchone()[0] > 0
    valid = subprocess.run(
        ["bash", "-c", '"$0" "$@" >&-', str(ISTC), "validate", str(REPO / "data" / "istc.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert valid.returncode == 0, valid.stderr


@pytest.mark.slow
@pytest.mark.parametrize("tool", ["uv", "pipx"])
def test_the_readme_tool_installs_work_from_a_clone(tmp_path: Path, tool: str) -> None:
    """`pipx install .` and `uv tool install .`, as the README gives them, each make an
    `istc` that runs from anywhere (both tools are in the test extra)."""
    binary = shutil.which(tool, path=str(Path(sys.executable).parent))
    assert binary, f"the test extra installs {tool}"
    bin_dir = tmp_path / "bin"
    env = {
        **os.environ,
        "PIPX_HOME": str(tmp_path / "pipx"),
        "PIPX_BIN_DIR": str(bin_dir),
        "UV_TOOL_DIR": str(tmp_path / "uv"),
        "UV_TOOL_BIN_DIR": str(bin_dir),
    }
    command = (
        [binary, "install", str(REPO)] if tool == "pipx" else [binary, "tool", "install", str(REPO)]
    )
    installed = subprocess.run(command, capture_output=True, env=env, timeout=600, check=False)
    assert installed.returncode == 0, installed.stderr.decode()[-2000:]
    ran = subprocess.run(
        [str(bin_dir / "istc"), "about", "--json"], capture_output=True, cwd=tmp_path, check=False
    )
    assert ran.returncode == 0 and json.loads(ran.stdout)["acronym"] == "ISTC"


def test_at_exit_codes_in_the_installed_istc() -> None:
    """--at: a bad date exits 2 naming the forms; an answer exits 0 on both paths (the
    fast path and Typer's, which a repeated option takes); nothing to list exits 0
    with one line on stderr."""
    bad = run("members", "--at", "2010-13")
    assert bad.returncode == 2 and b"YYYY-MM-DD" in bad.stderr and bad.stdout == b""
    twice = run("members", "--at", "2010", "--at", "2011")
    assert twice.returncode == 2
    good = run("members", "--at", "2010", "--json")
    assert good.returncode == 0
    assert {r["standing"] for r in json.loads(good.stdout)} == {"party", "unknown"}
    empty = run("members", "--at", "1991")
    assert empty.returncode == 0 and empty.stdout == b""
    assert len(empty.stderr.decode().strip().splitlines()) == 1
    series = run("figures", "--over-time", "-o", "csv")
    assert series.returncode == 0 and series.stdout.startswith(b"measure,unit,date,value,")


def test_a_file_name_with_a_nul_is_a_located_problem_not_a_crash() -> None:
    """No system call takes a NUL in a path: `validate` reports it like a missing file."""
    result = subprocess.run(
        [sys.executable, "-m", "istc_cli", "validate", "a\x01b"], capture_output=True, check=False
    )
    assert result.returncode == 3
    from istc_cli import entry

    with pytest.raises(SystemExit) as exit_info:
        entry.main(["validate", "x\x00y"])
    assert exit_info.value.code == 3
