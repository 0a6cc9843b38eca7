"""A TAB in a listing command's words is answered from its declarations, without Typer
(`listing_completion`), and the answer is always the one the whole Typer app gives."""

from __future__ import annotations

import os
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from istc_cli import completion, listing_completion
from istc_cli.commands import BY_NAME
from istc_cli.options import COMMON_OPTIONS, FORMATS

from .conftest import BUNDLED, MINIMAL, TEXT_CHARS, examples, invoke, run_counting_modules

_FLAGS = sorted(
    {f for spec in BY_NAME.values() for o in (*spec.options, *COMMON_OPTIONS) for f in o.flags}
)
_VALUES = sorted(
    {v for spec in BY_NAME.values() for o in (*spec.options, *COMMON_OPTIONS) for v in o.values}
)
_INLINE = [f"{f}={v}" for f in ("--format", "--fields", "--json", "--color") for v in ("json", "")]
WORDS = [
    *_FLAGS,
    *_VALUES,
    *_INLINE,
    "-o=json", "-h", "--help", "--", "-", "", " ", "Kaz", "member:alpha", "Alpha", "2001",
    "--data", f"--data={MINIMAL}", "--data=", str(MINIMAL),
]  # fmt: skip
TYPED = [
    "", "-", "--", "--f", "--fo", "--format=", "--format=j", "--fields=", "--fields=name,ro",
    "--data=", "--json=", "-o", "-o=j", "K", "Kaz", "a", "al", "member:", "member:al", "A",
    "2", "j", "t", "x",
]  # fmt: skip
ROOTS = [[], ["--data", str(MINIMAL)], [f"--data={MINIMAL}"], ["--data", " "], ["--version"]]
COMMANDS = [*sorted(BY_NAME), "cite", "export", "bogus", "--", ""]


@pytest.fixture(scope="session")
def whole() -> partial[completion.Found]:
    import typer.main

    from istc_cli import cli

    return partial(completion.resolve, typer.main.get_command(cli.app))


def _as_shown(found: completion.Found | None) -> tuple[bool, list[str]] | None:
    """What a shell shows of an answer: the candidates sorted, as bash, zsh and fish
    each list them. (click lists its help option's names, `-h` and `--help`, from a
    set, so their order changes from one process to the next.)"""
    return None if found is None else (found.files, sorted(found.candidates))


def _both(
    whole: partial[completion.Found], args: list[str], typed: str, data: str | None
) -> tuple[tuple[bool, list[str]] | None, tuple[bool, list[str]] | None]:
    """The declarations' answer (None: not sure) and the whole app's, as shown, with
    $ISTC_DATA set to `data` (click reads it from the process's environment)."""
    saved = os.environ.pop("ISTC_DATA", None)
    if data is not None:
        os.environ["ISTC_DATA"] = data
    try:
        fast = listing_completion.resolve(args, typed, os.environ)
        return _as_shown(fast), _as_shown(whole(args, typed))
    finally:
        os.environ.pop("ISTC_DATA", None)
        if saved is not None:
            os.environ["ISTC_DATA"] = saved


@settings(max_examples=examples(150), deadline=None)
@given(
    root=st.sampled_from(ROOTS),
    command=st.sampled_from(COMMANDS),
    words=st.lists(st.sampled_from(WORDS), max_size=4),
    typed=st.sampled_from(TYPED) | st.text(TEXT_CHARS, max_size=4),
    data=st.sampled_from([None, str(MINIMAL), "", " "]),
)
def test_the_declarations_answer_as_the_whole_app_or_not_at_all(
    whole: partial[completion.Found],
    root: list[str],
    command: str,
    words: list[str],
    typed: str,
    data: str | None,
) -> None:
    fast, expected = _both(whole, [*root, command, *words], typed, data)
    assert fast is None or fast == expected


@pytest.mark.parametrize(
    "args",
    [
        ["show"],
        ["members", "--format"],
        ["members", "--format", "json"],
        ["--data", str(MINIMAL), "show", "--color", "never"],
        ["search", "private"],
        ["history", "--since", "2000"],
        ["show", "--data", str(MINIMAL)],
    ],
)
@pytest.mark.parametrize("typed", ["", "-", "--fields=na", "al", "member:"])
def test_plain_lines_are_answered_from_the_declarations(
    whole: partial[completion.Found], args: list[str], typed: str
) -> None:
    fast, expected = _both(whole, args, typed, None)
    assert fast == expected


@pytest.mark.parametrize(
    ("args", "typed", "data"),
    [
        (["--data", " ", "show"], "Al", ""),  # a --data click refuses, before the command
        (["show", "--data", " "], "Al", None),  # after it
        (["show", "--data", str(MINIMAL), "--data", str(BUNDLED)], "A", None),  # twice
        (["show"], "Al", " "),  # a blank $ISTC_DATA alone
        (["history", "--since", "abc"], "", None),  # a value its check refuses
        (["members", "--format", "json", "--format"], "", None),  # an option twice
    ],
)
def test_what_click_would_refuse_or_drop_is_left_to_the_app(
    whole: partial[completion.Found], args: list[str], typed: str, data: str | None
) -> None:
    """Where click drops a value it refuses (in completion it parses resiliently) or
    keeps one of two, the declarations do not guess: the app answers."""
    fast, expected = _both(whole, args, typed, data)
    assert fast is None and expected is not None


def test_a_run_with_arguments_is_that_run_even_in_a_completion_environment() -> None:
    """The scripts start istc with no arguments; a run given some (the variables
    leaked into a shell) lists, as it did before completion had its own path."""
    env = {completion.VARIABLE: "bash", completion.LINE: "istc members --format "}
    result = invoke("--data", str(MINIMAL), "members", "--json", env=env)
    assert result.exit_code == 0 and result.stdout.lstrip().startswith("[")


def test_a_tab_in_a_listing_command_never_imports_typer() -> None:
    """The run a shell starts on TAB: the answer, and no Typer or click imported."""
    env = {
        completion.VARIABLE: "zsh",
        completion.LINE: "istc show --format json Al",
        "ISTC_DATA": str(MINIMAL),
    }
    result, imported = run_counting_modules(env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().split("\n") == ["words", "Alpha", ""]
    modules = set(imported)
    assert not modules & {"typer", "click", "rich"}


def test_a_value_click_would_refuse_is_left_to_the_app() -> None:
    """`--format bogus` is not a value the declarations read for sure: the Typer app
    answers (from its own parse), and gives the format's values for the next flag."""
    env = {completion.VARIABLE: "bash", completion.LINE: "istc members --format bogus --format "}
    assert listing_completion.answer(env) is None
    result = invoke(env=env)
    assert result.stdout.splitlines() == ["words", *FORMATS]
