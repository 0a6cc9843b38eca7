"""Run well-formed listing commands without importing Typer.

Importing Typer and building its command tree costs more than everything else a
run does. Most runs are plain (`istc members --json`), so argv is first matched
against the same `CommandSpec`s the Typer app is built from, with the same value
checks. Anything this parser is not sure about (help, completion, an unknown or
malformed option, a bad value, a conflict) returns None, and the Typer app handles
the whole invocation, with its help and error messages. A test runs every command,
format and filter both ways and compares the output byte for byte.
"""

from __future__ import annotations

from .commands import BY_NAME
from .options import (
    COMMON_OPTIONS,
    DATA_OPTION,
    CommandSpec,
    OptionConflict,
    RootWords,
    check,
    output_options,
    root_words,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .context import Context


def parse(
    argv: list[str], root: RootWords | None = None
) -> tuple[CommandSpec, dict[str, Any], str | None] | None:
    """(command, option values, --data) when argv is a plain invocation, else None.
    `root` is what `root_words` read of argv before the command (read here if not given)."""
    root = root or root_words(argv)
    if not root.plain or root.repeated or root.command not in BY_NAME:
        return None  # --help, --version, completion, --data twice: Typer says so
    data = root.data[0] if root.data else None
    if data is not None and check(DATA_OPTION, data) is not None:
        return None  # an empty --data: Typer says so, as for the command's own --data
    i = root.at
    spec = BY_NAME[argv[i]]
    options = (*spec.options, *COMMON_OPTIONS)
    by_flag = {flag: o for o in options for flag in o.flags}
    positional = next((o for o in spec.options if o.kind == "argument"), None)
    words: list[str] = []  # the argument takes every word given (`search private sector`)
    given: set[str] = set()
    values: dict[str, Any] = {o.name: o.default for o in options}
    rest = argv[i + 1 :]
    j = 0
    while j < len(rest):
        arg = rest[j]
        j += 1
        if arg.startswith("-") and arg != "-":
            flag, has_inline, inline = arg.partition("=")
            option = by_flag.get(flag)
            if option is None or (has_inline and not flag.startswith("--")):
                return None
            if option.kind in ("flag", "view"):
                if has_inline:
                    return None
                values[option.name] = True
                continue
            if has_inline:
                value = inline
            elif j < len(rest):
                value, j = rest[j], j + 1
            else:
                return None
        elif positional is not None:
            words.append(arg)
            continue
        else:
            return None
        if check(option, value) is not None or option.name in given:
            return None  # a bad value, or an option given twice: Typer says so
        given.add(option.name)
        values[option.name] = value
    if positional is not None:
        if not words or check(positional, " ".join(words)) is not None:
            return None  # a required argument is missing or empty: let Typer say so
        values[positional.name] = words
    if values.get("data") is not None:
        if data is not None:
            return None  # --data before and after the command: Typer says which to keep
        data = values["data"]
    return spec, values, data


def run(argv: list[str], context: Context, root: RootWords | None = None) -> int | None:
    """The exit code of a plain invocation run here, or None to hand it to Typer."""
    parsed = parse(argv, root)
    if parsed is None:
        return None
    spec, values, data = parsed
    try:
        options = output_options(values, spec.views)
        spec.check(values)
    except OptionConflict:
        return None
    from .loader import load
    from .output import FieldsError, emit, parse_fields
    from .problems import DatasetError
    from .safe_text import say

    try:
        parse_fields(spec.record_type_for(values), options.fields)
    except FieldsError:
        return None
    from_env = context.environ.get("ISTC_DATA") if data is None else None
    if from_env and check(DATA_OPTION, from_env) is not None:
        return None  # a blank ISTC_DATA: Typer reports it, as for --data
    try:
        loaded = load(data)
    except DatasetError as exc:
        say(exc.summary)
        return exc.exit_code
    try:
        result = spec.query(loaded, values)
    except OptionConflict:
        return None  # a value the dataset does not know (`--party`): Typer says so
    return emit(result, options, context)
