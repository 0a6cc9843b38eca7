"""The Typer-free fast path must behave exactly like the Typer app it stands in for."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from istc_cli import cli, entry, fast
from istc_cli.commands import COMMANDS
from istc_cli.context import Context
from istc_cli.output import FORMATS

from .conftest import BAD, MINIMAL, TEXT_CHARS, examples
from .test_formats import CASES, FAILING_CASES


def invoke(*args: str) -> Result:
    """The same invocation through the Typer app alone (Typer's CliRunner): the
    oracle the fast path is held to. It is the app a process builds for these
    arguments (`cli.app_for`), as `entry` does: building every command of the full
    app costs Typer ~60 ms a call, and the root-level and one-command apps are held
    to the full app below."""
    return CliRunner().invoke(cli.app_for(list(args)), list(args), catch_exceptions=False)


VARIANTS = [[], ["--fields", "source"], ["--sources"], ["--no-pager"], ["--color", "never"]]
VIEWS = [
    ["history", "--timeline"],
    ["history", "--since", "2015", "--timeline"],
    ["figures", "--chart"],
]


def _fast(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | None, str, str]:
    code = fast.run(argv, Context.of())
    out, err = capsys.readouterr()
    return code, out.replace("\r\n", "\n"), err


# Every case in the default format, JSON and the table; every format for one case of
# each kind of command and for the failing cases. The two paths share the writers:
# what could differ is how each reads the arguments into the writers' options.
_EVERY_FORMAT = [
    ["about"],
    ["members", "--all", "--role", "founder"],
    ["history", "--since", "2015"],
    ["figures"],
    ["statement", "--part", "rebuttal"],
    ["meetings"],
    ["search", "private", "sector"],
    ["show", "kazakhstan"],
    *FAILING_CASES,
]
assert all(args in [*CASES, *FAILING_CASES] for args in _EVERY_FORMAT)
_PAIRS = [
    (args, fmt)
    for args in [*CASES, *FAILING_CASES]
    for fmt in ([*FORMATS, None] if args in _EVERY_FORMAT else [None, "json", "table"])
]


@pytest.mark.parametrize(("args", "fmt"), _PAIRS, ids=[f"{' '.join(a)}-{f}" for a, f in _PAIRS])
def test_fast_path_output_is_byte_identical(
    args: list[str], fmt: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [*args, *(["--format", fmt] if fmt else [])]
    code, out, err = _fast(argv, capsys)
    typer_result = invoke(*argv)
    assert code == typer_result.exit_code
    assert out == typer_result.stdout
    assert err == typer_result.stderr


@pytest.mark.parametrize("extra", VARIANTS, ids=str)
def test_fast_path_handles_every_output_option(
    extra: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["figures", "--format", "table", *extra]
    code, out, _ = _fast(argv, capsys)
    assert code == 0
    assert out == invoke(*argv).stdout


@pytest.mark.parametrize("argv", VIEWS, ids=" ".join)
def test_fast_path_draws_views_identically(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _fast(argv, capsys)
    assert code == 0
    assert out == invoke(*argv).stdout
    assert fast.run([*argv, "--json"], Context.of()) is None  # a conflict: Typer reports it


def test_fast_path_reports_a_bad_dataset_like_typer(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--data", str(BAD / "alias.yaml"), "members", "--json"]
    code, out, err = _fast(argv, capsys)
    result = invoke(*argv)
    assert (code, out, err) == (3, "", result.stderr)


def test_no_match_is_the_same_on_both_paths(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _fast(["search", "astanna"], capsys)
    result = invoke("search", "astanna")
    assert (code, out, err) == (1, "", result.stderr)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["--version"],
        ["members", "--help"],
        ["members", "-h"],
        ["membres"],
        ["members", "--rol", "board"],
        ["members", "--role", "boss"],
        ["members", "--role"],
        ["members", "-ojson"],
        ["members", "--all=yes"],
        ["members", "extra"],
        ["members", "--json", "--format", "csv"],
        ["members", "--fields", "nope"],
        ["history", "--since", "abc"],
        ["history", "--since", "1800"],
        ["search"],
        ["search", "  "],
        ["validate"],
        ["schema", "members"],
        ["--data"],
        ["--bogus", "members"],
        ["members", "--", "x"],
    ],
    ids=" ".join,
)
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert fast.parse(argv) is None or fast.run(argv, Context.of()) is None


def test_fast_path_parses_the_forms_click_accepts() -> None:
    parsed = fast.parse(["--data=x.yaml", "members", "--role=board", "-a", "-o", "csv"])
    assert parsed is not None
    spec, values, data = parsed
    assert (spec.name, data) == ("members", "x.yaml")
    assert (values["role"], values["all"], values["format"]) == ("board", True, "csv")


def test_root_level_app_lists_exactly_what_the_full_app_lists() -> None:
    runner = CliRunner()
    for args in (["--help"], [], ["membres"]):
        trimmed = runner.invoke(cli.app_for(args), args)
        full = runner.invoke(cli.app, args)
        assert (trimmed.exit_code, trimmed.output) == (full.exit_code, full.output)


def test_a_command_run_builds_only_that_command() -> None:
    app = cli.app_for(["members", "--json"])
    assert [c.name for c in app.registered_commands] == ["members"]
    assert [c.name for c in cli.app_for(["validate"]).registered_commands] == [None]


def test_alias_bomb_is_rejected_fast_on_the_fast_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from .test_loader import _bomb

    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_bomb())
    assert fast.run(["--data", str(bomb), "members", "--json"], Context.of()) == 3
    assert capsys.readouterr().out == ""


_TOKENS = [
    *(spec.name for spec in COMMANDS), "validate", "schema", "--data", "--version", "-V",
    "--help", "-h", "--json", "--format", "-o", "--fields", "--color", "--sources",
    "--no-pager", "--role", "--all", "-a", "--kind", "--since", "--until", "--status",
    "--part", "--area", "--timeline", "--chart", "--", "-", "=", "json", "csv", "table",
    "board", "approved", "2015", "1800", "abc", "name,roles", "astana", str(MINIMAL),
    str(BAD / "alias.yaml"), "--data=", "--role=board", "-ojson",
]  # fmt: skip


@settings(max_examples=examples(75), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS) | st.text(TEXT_CHARS, max_size=12), max_size=6))
def test_no_argument_list_can_crash_istc(argv: list[str]) -> None:
    """Whatever the arguments, istc ends with an exit code, never an exception."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = entry._run(argv)
    assert isinstance(code, int)
    assert code in (0, 1, 2, 3)
    assert "Traceback" not in err.getvalue()
