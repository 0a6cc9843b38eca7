"""The Typer app, built from the command specs in `commands`.

Each listing command is generated from its `CommandSpec`: its options (and the
shared output options) become Typer parameters checked by the same functions the
fast path uses; its body asks the spec's query and hands the result to the one
output path. The commands that are not listings (validate, cite, export, schema)
are declared in `tools`; what every command reads from its run is in `typer_run`.

`cli.app` is the complete app (tests, shell completion); `app_for(args)` builds
only what one invocation needs, because building costs start-up time.
"""

import inspect
from functools import partial
from typing import Annotated, Any

import typer
from typer.models import CommandInfo

from . import __version__
from .commands import BY_NAME, COMMANDS
from .completion import SHELLS, VARIABLE
from .field_types import field_names
from .listing_completion import fields_completer, values_completer
from .options import (
    COMMON_OPTIONS,
    DATA_OPTION,
    PANELS,
    CommandSpec,
    OptionConflict,
    OptionSpec,
    RootWords,
    output_options,
    root_words,
)
from .output import FieldsError, emit, parse_fields
from .safe_text import say, visible
from .status import ExitStatus
from .tools import app as tools
from .typer_run import (
    DATA,
    DATA_GIVEN,
    Command,
    checker,
    dataset_loaded,
    entity_completer,
    run_context,
    take_data,
)


class _Root(typer.core.TyperGroup):
    """The root command. Its commands are listed by help panel (PANELS, in order), a
    panel to a line, so that `istc --help` fits an 80x24 terminal; `istc` alone lists
    every command with its whole summary (`overview`). A shell asking for completions
    (`_ISTC_COMPLETE` set by the scripts `--show-completion` prints) is answered here,
    by `completion`, before anything is parsed: Typer's own completion would hand the
    shell candidates it cannot insert safely."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from .context import Context

        context = kwargs.get("obj")
        if not isinstance(context, Context):
            context = Context.of()
        if completion_requested(context.environ):
            from . import completion

            found = completion.answer(partial(completion.resolve, self), context.environ)
            text, code = found if found is not None else ("", 1)
            context.stdout.write(text)
            context.stdout.flush()
            return code
        return super().main(*args, **kwargs)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        panels: dict[str, list[str]] = {}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                panel = getattr(command, "rich_help_panel", None) or "Commands"
                panels.setdefault(panel, []).append(name)
        order = [p for p in PANELS if p in panels] + [p for p in panels if p not in PANELS]
        with formatter.section("Commands"):
            formatter.write_dl([(panel, ", ".join(panels[panel])) for panel in order])


def completion_requested(environ: Any) -> bool:
    return VARIABLE in environ


_base = typer.Typer(
    name="istc",
    cls=_Root,
    # Short enough that `istc --help` fits an 80x24 terminal (a test counts it).
    help="Facts about the International Science and Technology Center, with sources.",
    epilog="'istc' alone: what each command does. 'istc COMMAND --help': its options.",
    add_completion=False,  # istc's own --show-completion and --install-completion
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    suggest_commands=True,
    # Plain click help and errors: Typer's Rich help imports a Markdown parser and
    # takes longer than the rest of the run (see docs/performance.md).
    rich_markup_mode=None,
)
_base.registered_commands += tools.registered_commands  # validate, cite, export, schema


# ---------------------------------------------------------------- specs to Typer


def _parameter(option: OptionSpec, spec: CommandSpec) -> inspect.Parameter:
    hint: Any
    if option.kind == "argument":
        hint = list[str]
        default: Any = typer.Argument(
            ...,
            help=option.help,
            metavar=f"{option.metavar}...",
            callback=checker(option),
            autocompletion=entity_completer if spec.name == "show" else None,
        )
    elif option.kind in ("flag", "view"):
        hint = bool
        default = typer.Option(option.default, *option.flags, help=option.help)
    else:
        hint = list[str] | None  # every use is collected, so a repeat is caught, not dropped
        help_text = option.help
        completion = values_completer(option.values)
        if option.name == "fields":
            names = field_names(spec.record_type)
            help_text += " Fields: " + ", ".join(names) + "."
            completion = fields_completer(names)
        default = typer.Option(
            None,
            *option.flags,
            show_default=False,
            help=help_text,
            metavar=option.metavar,
            callback=checker(option),
            autocompletion=completion,
        )
    return inspect.Parameter(
        option.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint
    )


def _texts(spec: CommandSpec) -> tuple[str, str]:
    help_text = spec.summary + (f"\n\n{spec.details}" if spec.details else "")
    epilog = "\b\nExamples:\n" + "\n".join(f"  {e}" for e in spec.examples)
    return help_text, epilog


def _listing(spec: CommandSpec) -> CommandInfo:
    """The Typer command for a spec, with all its parameters."""
    options = (*spec.options, *COMMON_OPTIONS)
    parameters = [_parameter(o, spec) for o in options]
    by_name = {o.name: o for o in options}

    def command(ctx: typer.Context, **values: Any) -> None:
        for name, value in list(values.items()):
            option = by_name[name]
            if isinstance(value, list | tuple) and option.kind != "argument":
                value = value[0] if value else None
            values[name] = option.default if value is None else value
        take_data(ctx, values.get("data"))
        try:
            options = output_options(values, spec.views)
            spec.check(values)
            parse_fields(spec.record_type_for(values), options.fields)
        except OptionConflict as exc:
            raise typer.BadParameter(str(exc), param_hint=exc.hint) from None
        except FieldsError as exc:
            raise typer.BadParameter(str(exc), param_hint="--fields") from None
        try:
            result = spec.query(dataset_loaded(ctx), values)
        except OptionConflict as exc:  # a value the dataset does not know (`--party`)
            raise typer.BadParameter(str(exc), param_hint=exc.hint) from None
        code = emit(result, options, run_context(ctx))
        if code:
            raise typer.Exit(code)

    context_parameter = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
    )
    parameters = [context_parameter, *parameters]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__name__ = spec.name
    help_text, epilog = _texts(spec)
    return CommandInfo(
        name=spec.name,
        callback=command,
        help=help_text,
        epilog=epilog,
        cls=Command,
        short_help=spec.summary,  # the whole sentence in the command list, never cut
        rich_help_panel=spec.panel,
    )


# ---------------------------------------------------------------- the root


def _print_version(ctx: typer.Context) -> None:
    typer.echo(f"istc {__version__}")
    loaded = dataset_loaded(ctx)
    meta = loaded.dataset.meta
    where = "bundled" if loaded.bundled else "from --data or ISTC_DATA"
    typer.echo(f"dataset {meta.version} ({meta.date or 'undated'}) sha256:{loaded.sha256[:16]}")
    typer.echo(f"file {visible(loaded.path)} ({where})")


@_base.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            envvar="ISTC_DATA",
            metavar="PATH",
            help="Use this dataset file instead of the bundled one.",
            callback=checker(DATA_OPTION),
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Show the tool's and the dataset's version.")
    ] = False,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            help="Print the completion script (bash, zsh, fish).",
            autocompletion=values_completer(SHELLS),
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            help="Install the completion script for SHELL.",
            autocompletion=values_completer(SHELLS),
        ),
    ] = None,
) -> None:
    ctx.meta[DATA] = data
    source = ctx.get_parameter_source("data")  # click's ParameterSource, vendored or not
    ctx.meta[DATA_GIVEN] = getattr(source, "name", "") == "COMMANDLINE"
    if show_completion is not None or install_completion is not None:
        _completion_script(ctx, show_completion, install_completion)
        raise typer.Exit()
    if version:
        _print_version(ctx)
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(overview())
        raise typer.Exit()


def _completion_script(ctx: typer.Context, show: str | None, install: str | None) -> None:
    """--show-completion SHELL prints the script; --install-completion SHELL writes it
    where the shell reads it. A shell istc does not complete for is a usage error."""
    from . import completion

    if show is not None and install is not None:
        raise typer.BadParameter(
            "give --show-completion or --install-completion, not both.",
            param_hint="--install-completion",
        )
    try:
        shell = completion.shell_named(show if show is not None else str(install))
    except completion.UnknownShell as exc:
        hint = "--show-completion" if show is not None else "--install-completion"
        raise typer.BadParameter(str(exc), param_hint=hint) from None
    context = run_context(ctx)
    if show is not None:
        context.stdout.write(completion.script(shell))
        return
    import os

    home = context.environ.get("HOME") or os.path.expanduser("~")
    try:
        path = completion.install(shell, home)
    except OSError as exc:
        say(f"cannot install {shell} completion: {exc.strerror or exc}.")
        raise typer.Exit(ExitStatus.FAILED) from None
    say(f"{shell} completion installed in {path}; it works in shells started from now on.")


def overview(width: int | None = None) -> str:
    """What `istc` alone prints: what the tool is, and every command with its whole summary."""
    import shutil
    import textwrap

    width = width or min(shutil.get_terminal_size((80, 24)).columns, 100)
    commands = [(c.name, c.summary, c.panel) for c in COMMANDS]
    commands += [
        (_command_name(c), c.short_help or "", str(c.rich_help_panel or ""))
        for c in _base.registered_commands
    ]
    pad = max(len(name) for name, _, _ in commands) + 4
    lines = [
        "istc: facts about the International Science and Technology Center (ISTC), each "
        "with its source.",
        "",
        "Tables in a terminal; tab-separated lines when piped; --json, --format csv and more "
        "for scripts.",
    ]
    panels = [*PANELS, *dict.fromkeys(p for _, _, p in commands if p not in PANELS)]
    for panel in panels:
        mine = [(name, summary) for name, summary, p in commands if p == panel]
        lines += ["", f"{panel or 'Commands'}:"] if mine else []
        for name, summary in mine:
            wrapped = textwrap.wrap(summary, width=max(width - pad, 30)) or [""]
            lines.append(f"  {name.ljust(pad - 2)}{wrapped[0]}")
            lines += [" " * pad + more for more in wrapped[1:]]
    lines += [
        "",
        "Global options: --data PATH (or ISTC_DATA) selects a dataset file, before or after "
        "any command that reads one; --version shows the tool's and the dataset's version.",
        "",
        "Run 'istc COMMAND --help' for a command's options, fields and examples; "
        "'istc --help' for the options of istc itself. Start with: istc about",
    ]
    return "\n".join(
        wrapped
        for line in lines
        for wrapped in (textwrap.wrap(line, width=width) if not line.startswith("  ") else [line])
        or [""]
    )


# ---------------------------------------------------------------- building only what runs


def _command_name(info: CommandInfo) -> str:
    return str(info.name or getattr(info.callback, "__name__", "").replace("_", "-"))


def _stub(
    name: str,
    help_text: str | None,
    epilog: str | None,
    short_help: str | None,
    panel: str | None,
) -> CommandInfo:
    """A command that lists like the real one but has no parameters to build."""

    def stub() -> None:
        raise AssertionError("a root-level stub command cannot run")  # pragma: no cover

    return CommandInfo(
        name=name,
        callback=stub,
        help=help_text,
        epilog=epilog,
        short_help=short_help,
        rich_help_panel=panel,
    )


def _with(commands: list[CommandInfo]) -> typer.Typer:
    import copy

    trimmed = copy.copy(_base)
    trimmed.registered_commands = commands
    return trimmed


def _completed_command(environ: Any) -> str | None:
    """The command a completion request's line names before the word being completed,
    if one does (istc's own scripts send the line)."""
    from .completion import LINE, split

    if environ.get(VARIABLE) not in SHELLS or LINE not in environ:
        return None
    words = [w.value for w in split(environ[LINE]).words[1:-1]]
    root = root_words(words)
    if not root.plain:  # another root option first (one may take the next word): all
        return None
    name = root.command
    known = name in BY_NAME or any(_command_name(c) == name for c in _base.registered_commands)
    return name if known else None


def _complete() -> typer.Typer:
    return _with([_listing(s) for s in COMMANDS] + _base.registered_commands)


def __getattr__(name: str) -> Any:
    """`cli.app`: the complete app, built on first use (PEP 562)."""
    if name == "app":
        return _complete()
    raise AttributeError(name)


def app_for(args: list[str], root: RootWords | None = None) -> typer.Typer:
    """The app as much as args need of it.

    Typer turns every registered command, with all its parameters, into a click
    command before parsing (docs/performance.md says what that costs). A run needs one
    command. The
    root level (help, --version, a misspelt command to suggest for) shows only
    command names and summaries, so it gets the commands without parameters.
    Shell completion gets the command its line names, or the whole app when the word
    being completed may still be a command (or an older script asks).
    """
    import os

    if any(k.endswith("_COMPLETE") for k in os.environ):
        named = _completed_command(os.environ)
        if named is None:
            return _complete()
        args, root = [named], None
    name = (root or root_words(args)).command
    if name in BY_NAME:
        return _with([_listing(BY_NAME[name])])
    others = [c for c in _base.registered_commands if _command_name(c) == name]
    if others:
        return _with(others)
    stubs = [_stub(s.name, *_texts(s), s.summary, s.panel) for s in COMMANDS]
    stubs += [
        _stub(
            _command_name(c),
            c.help or getattr(c.callback, "__doc__", None),
            c.epilog,
            c.short_help,
            c.rich_help_panel,
        )
        for c in _base.registered_commands
    ]
    return _with(stubs)
