"""What a Typer command reads from its run: the dataset this run reads, the run's
`Context`, the loaded dataset; the command class every command is built with, and
the callbacks that check and complete their parameters.
`cli` (the listings and the root) and `tools` (validate, cite, export, schema) share them.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from .listing_completion import entity_words
from .options import OptionSpec, check, repeated
from .safe_text import say

# The root's --data for this run, and whether the command line gave it (not $ISTC_DATA),
# kept in click's `meta`: one dictionary per run, shared by its nested contexts.
DATA = "istc.data"
DATA_GIVEN = "istc.data_given"


def take_data(ctx: typer.Context, data: str | None) -> None:
    """--data given after the command's name: the dataset this run reads, as if given
    before it; given both before and after, a usage error (one would silently win)."""
    if data is None:
        return
    if ctx.meta.get(DATA_GIVEN):
        raise typer.BadParameter(
            "--data was given before and after the command; give it once.",
            param_hint="--data",
        )
    ctx.meta[DATA] = data


def data_path(ctx: typer.Context) -> str | None:
    """The dataset this run reads: --data (before or after the command), $ISTC_DATA, or
    None for the bundled one. During completion click does not run the root callback:
    the parsed --data (the command's, else the root's, or $ISTC_DATA) is read from the
    parameters."""
    if DATA in ctx.meta:
        return ctx.meta[DATA]  # type: ignore[no-any-return]
    for parsed in (ctx, ctx.find_root()):  # after the command, else before it
        data = parsed.params.get("data")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str):
            return data
    return None


if TYPE_CHECKING:
    from .context import Context
    from .loader import Loaded


def run_context(ctx: typer.Context) -> "Context":
    """The run's context, which `entry` hands the app as click's `obj` (a run the
    app is given directly, as by Typer's test runner, gets the process's own)."""
    from .context import Context

    return ctx.obj if isinstance(ctx.obj, Context) else Context.of()


def dataset_loaded(ctx: typer.Context) -> "Loaded":
    """The selected dataset, or exit 3 with its first problem."""
    from . import loader  # not at the top: help and errors never load data

    try:
        return loader.load(data_path(ctx))
    except loader.DatasetError as exc:
        say(exc.summary)
        raise typer.Exit(exc.exit_code) from None


class Command(typer.core.TyperCommand):
    """A listing command whose usage line names its argument plainly (`TEXT...`), as
    the README and every other tool do, not in Typer's braces (`{TEXT}`)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


def checker(option: OptionSpec) -> Callable[[Any], Any]:
    def check_value(value: Any) -> Any:
        # Value options collect every use (a list), so a repeat is caught, not dropped;
        # the command takes the one value (Typer converts what a callback returns).
        if isinstance(value, list | tuple) and option.kind != "argument":
            if len(value) > 1:  # click would keep the last one silently
                raise typer.BadParameter(repeated(option))
            text = value[0] if value else None
        elif isinstance(value, list | tuple):
            text = " ".join(value)
        else:
            text = value
        if isinstance(text, str):
            error = check(option, text)
            if error:
                raise typer.BadParameter(error)
        return value

    return check_value


def entity_completer(ctx: typer.Context, incomplete: str) -> list[str]:
    """Completion for `show` and `cite`: the ids, names and aliases of the dataset in
    use (`istc --data PATH`, $ISTC_DATA or the bundled one)."""
    return entity_words(data_path(ctx), incomplete)
