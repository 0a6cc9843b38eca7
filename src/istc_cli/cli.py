"""The Typer app, built from the command specs in `commands`.

Each listing command is generated from its `CommandSpec`: its options (and the
shared output options) become Typer parameters checked by the same functions the
fast path uses; its body asks the spec's query and hands the result to the one
output path. `validate` and `schema` are the two commands that are not listings.

`cli.app` is the complete app (tests, shell completion); `app_for(args)` builds
only what one invocation needs, because building costs start-up time.
"""

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.models import CommandInfo

from . import __version__
from .commands import BY_NAME, COMMANDS
from .completion import SHELLS, VARIABLE
from .field_types import field_names
from .options import (
    CITE_FORMATS,
    CITE_STYLES,
    COMMON_OPTIONS,
    DATA_OPTION,
    DATA_OUT,
    FINDING,
    PANELS,
    CommandSpec,
    OptionConflict,
    OptionSpec,
    check,
    output_options,
    repeated,
)
from .output import FieldsError, emit, parse_fields
from .safe_text import say, visible
from .status import ExitStatus


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

            text, code = completion.answer(self, context.environ)
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


# The root's --data for this run, and whether the command line gave it (not $ISTC_DATA),
# kept in click's `meta`: one dictionary per run, shared by its nested contexts.
_DATA = "istc.data"
_DATA_GIVEN = "istc.data_given"


def data_path(ctx: typer.Context) -> str | None:
    """The dataset this run reads: --data (before or after the command), $ISTC_DATA, or
    None for the bundled one. During completion click does not run the root callback:
    the parsed --data (the command's, else the root's, or $ISTC_DATA) is read from the
    parameters."""
    if _DATA in ctx.meta:
        return ctx.meta[_DATA]  # type: ignore[no-any-return]
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


# ---------------------------------------------------------------- specs to Typer


def _checker(option: OptionSpec) -> Callable[[Any], Any]:
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


def _completer(values: tuple[str, ...]) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return complete


def _entity_completer(ctx: typer.Context, incomplete: str) -> list[str]:
    """Completion for `show` and `cite`: the ids, names and aliases of the dataset in
    use (`istc --data PATH`, $ISTC_DATA or the bundled one), read through the cache;
    nothing if it cannot load."""
    from . import loader
    from .show import catalogue, names, record_id

    try:
        dataset = loader.load(data_path(ctx)).dataset
    except loader.DatasetError:
        return []
    words: dict[str, None] = {}
    for section, record in catalogue(dataset):
        words[record_id(record)] = None
        for name in names(section, record):
            # as written, and lower-cased: `show` matches names in any case, and the
            # shell offers only what starts with the letters as typed
            words[name] = None
            words[name.casefold()] = None
    return [w for w in words if w and w.startswith(incomplete)]


def _fields_completer(names: tuple[str, ...]) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        prefix = f"{done}," if done else ""
        return [prefix + n for n in names if n.startswith(last)]

    return complete


def _parameter(option: OptionSpec, spec: CommandSpec) -> inspect.Parameter:
    hint: Any
    if option.kind == "argument":
        hint = list[str]
        default: Any = typer.Argument(
            ...,
            help=option.help,
            metavar=f"{option.metavar}...",
            callback=_checker(option),
            autocompletion=_entity_completer if spec.name == "show" else None,
        )
    elif option.kind in ("flag", "view"):
        hint = bool
        default = typer.Option(option.default, *option.flags, help=option.help)
    else:
        hint = list[str] | None  # every use is collected, so a repeat is caught, not dropped
        help_text = option.help
        completion = _completer(option.values)
        if option.name == "fields":
            names = field_names(spec.record_type)
            help_text += " Fields: " + ", ".join(names) + "."
            completion = _fields_completer(names)
        default = typer.Option(
            None,
            *option.flags,
            show_default=False,
            help=help_text,
            metavar=option.metavar,
            callback=_checker(option),
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
        if values.get("data") is not None:
            if ctx.meta.get(_DATA_GIVEN):
                raise typer.BadParameter(
                    "--data was given before and after the command; give it once.",
                    param_hint="--data",
                )
            ctx.meta[_DATA] = values["data"]
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
        cls=_Command,
        short_help=spec.summary,  # the whole sentence in the command list, never cut
        rich_help_panel=spec.panel,
    )


class _Command(typer.core.TyperCommand):
    """A listing command whose usage line names its argument plainly (`TEXT...`), as
    the README and every other tool do, not in Typer's braces (`{TEXT}`)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


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
            callback=_checker(DATA_OPTION),
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
            autocompletion=_completer(SHELLS),
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            help="Install the completion script for SHELL.",
            autocompletion=_completer(SHELLS),
        ),
    ] = None,
) -> None:
    ctx.meta[_DATA] = data
    source = ctx.get_parameter_source("data")  # click's ParameterSource, vendored or not
    ctx.meta[_DATA_GIVEN] = getattr(source, "name", "") == "COMMANDLINE"
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
        "Global options (before or after the command): --data PATH (or ISTC_DATA) selects a "
        "dataset file; --version shows the tool's and the dataset's version.",
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


# ---------------------------------------------------------------- validate and schema


@_base.command(
    cls=_Command,
    short_help="Check dataset files and print every problem, each located in its file.",
    rich_help_panel=DATA_OUT,
    epilog="\b\nExamples:\n  istc validate my-istc.yaml\n  istc validate a.yaml b.yaml\n"
    "  cat my-istc.yaml | istc validate -\n  istc --data my.yaml validate\n"
    "  istc validate my-istc.yaml --json | jq '.[].line'",
)
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Dataset files, or - for standard input; default: --data, $ISTC_DATA or "
            "the bundled one.",
            metavar="[PATH]...",
        ),
    ] = None,
    json_: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the problems as a JSON array of {file, line, column, path, message}.",
        ),
    ] = False,
) -> None:
    """Check dataset files and print every problem as file:line:column: path: message.

    Each file is checked, and named with its result on stderr. Exits 0 when every file
    is valid and 3 when one is not.
    """
    from . import loader, validate_command

    targets = list(paths or []) or [loader.resolve_path(data_path(ctx))[0]]
    if targets.count("-") > 1:
        raise typer.BadParameter("standard input (-) can be read once.", param_hint="PATH")
    code = validate_command.run(targets, as_json=json_, context=run_context(ctx))
    if code:
        raise typer.Exit(code)


@_base.command(
    cls=_Command,
    short_help="Cite sources or records: text, BibTeX, RIS or CSL-JSON for reference managers.",
    rich_help_panel=FINDING,
    epilog="\b\nExamples:\n  istc cite fact-sheet-2018\n"
    "  istc cite history:2015-12-09/continuation-agreement-signed-in-astana\n"
    "  istc cite --all --format bibtex > istc.bib\n"
    "  istc cite member:canada --format ris\n"
    "  istc cite press-release-2022 --style chicago-author-date",
)
def cite(
    ctx: typer.Context,
    refs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Source ids or record ids (see `istc show`).",
            metavar="REF...",
            autocompletion=_entity_completer,
        ),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", "-a", help="Cite every source: the whole bibliography.")
    ] = False,
    format_: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-o",
            metavar="FORMAT",
            help="text (a CSL processor's reference, the default), bibtex, ris or csl-json.",
            callback=_checker(
                OptionSpec("format", ("--format", "-o"), "choice", "", values=CITE_FORMATS)
            ),
            autocompletion=_completer(CITE_FORMATS),
        ),
    ] = None,
    style: Annotated[
        list[str] | None,
        typer.Option(
            "--style",
            metavar="STYLE",
            help="CSL style for --format text: apa (the default), chicago-author-date, "
            "chicago-notes-bibliography, harvard-cite-them-right. Only these shipped "
            "styles are read.",
            callback=_checker(OptionSpec("style", ("--style",), "choice", "", values=CITE_STYLES)),
            autocompletion=_completer(CITE_STYLES),
        ),
    ] = None,
) -> None:
    """Cite sources or records: BibTeX, RIS and CSL-JSON for reference managers, or text.

    Citing a record cites its source with the record's locator as the pinpoint and its
    id in the note. Exits 1 when a REF is unknown.
    """
    from . import cite as citations

    fmt = format_[0] if format_ else "text"
    if style and fmt != "text":
        raise typer.BadParameter(f"--style is for --format text, not {fmt}.", param_hint="--style")
    if all_ and refs:
        raise typer.BadParameter("give REFs or --all, not both.", param_hint="--all")
    if not all_ and not refs:
        raise typer.BadParameter("give at least one REF, or --all.", param_hint="REF...")
    code = citations.run(
        dataset_loaded(ctx).dataset, refs or [], fmt, style[0] if style else "apa", run_context(ctx)
    )
    if code:
        raise typer.Exit(code)


EXPORT_KINDS = ("sqlite", "datapackage")


@_base.command(
    cls=_Command,
    short_help="Export the dataset: a Datasette-ready SQLite database or a Data Package.",
    rich_help_panel=DATA_OUT,
    epilog="\b\nExamples:\n  istc export sqlite istc.db\n"
    "  datasette istc.db -m istc.db.metadata.json\n"
    "  istc export datapackage istc-data/\n"
    "  istc --data my.yaml export sqlite mine.db --force",
)
def export(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            help="sqlite (a database file) or datapackage (a directory).",
            metavar="KIND",
            callback=_checker(OptionSpec("kind", (), "choice", "", values=EXPORT_KINDS)),
            autocompletion=_completer(EXPORT_KINDS),
        ),
    ],
    path: Annotated[str, typer.Argument(help="Where to write it.", metavar="PATH")],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an existing regular file, or a directory holding an istc Data "
            "Package and nothing else.",
        ),
    ] = False,
    metadata_path: Annotated[
        list[str] | None,
        typer.Option(
            "--metadata",
            metavar="FILE",
            help="Where to write the Datasette metadata (sqlite); default: PATH.metadata.json.",
            callback=_checker(OptionSpec("metadata", ("--metadata",), "text", "")),
        ),
    ] = None,
) -> None:
    """Export the dataset with its provenance: SQLite for Datasette, or a Data Package.

    One table per section, primary keys from the record ids, link tables for lists,
    every source reference a foreign key to the sources table. Every path is checked
    before anything is written; the export is published whole or not at all, and never
    over anything but a file (or package) istc could have written, and only with
    --force. Exits 1 when it cannot be written.
    """
    from .export import command

    if metadata_path and kind != "sqlite":
        raise typer.BadParameter(
            "--metadata is for sqlite; a Data Package describes itself.",
            param_hint="--metadata",
        )
    loaded = dataset_loaded(ctx)
    meta = metadata_path[0] if metadata_path else None
    code = command.run(loaded.dataset, loaded.path, kind, path, force, meta)
    if code:
        raise typer.Exit(code)


_SCHEMA_NAMES = tuple(c.name for c in COMMANDS)


@_base.command(
    cls=_Command,
    short_help="JSON Schema (draft 2020-12) of a command's --json output.",
    rich_help_panel=DATA_OUT,
    epilog="\b\nExamples:\n  istc schema members\n  istc schema > istc-schema.json",
)
def schema(
    command: Annotated[
        str | None,
        typer.Argument(
            help="A command name; default: every command's schema.",
            metavar="[COMMAND]",
            callback=_checker(OptionSpec("command", (), "choice", "", values=_SCHEMA_NAMES)),
            autocompletion=_completer(_SCHEMA_NAMES),
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Accepted; the output is JSON.")] = False,
) -> None:
    """JSON Schema (draft 2020-12) of a command's --json output, derived from the model.

    The output is always JSON; --json is accepted for symmetry with other commands.
    """
    import json

    from .schema import all_schemas, command_schema

    types = {c.name: (c.record_type, *c.variant_types()) for c in COMMANDS}
    document = command_schema(command, *types[command]) if command else all_schemas(types)
    typer.echo(json.dumps(document, indent=2))


# ---------------------------------------------------------------- building only what runs


def repeated_root_option(args: list[str]) -> str | None:
    """A message if a global option is given twice before the command (click would keep
    the last one silently)."""
    seen = 0
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--data" or arg.startswith("--data="):
            seen += 1
            skip = arg == "--data"
        elif arg == "--" or not arg.startswith("-"):
            break
    return "--data was given more than once; give it once." if seen > 1 else None


def invoked_command(args: list[str]) -> str | None:
    """The subcommand named in args, skipping the global options before it."""
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--data":
            skip = True
        elif arg == "--":  # everything after it is positional: the next word is the command
            return args[i + 1] if i + 1 < len(args) else None
        elif arg in ("-h", "--help"):
            return None
        elif not arg.startswith("-"):
            return arg
    return None


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


def _complete() -> typer.Typer:
    return _with([_listing(s) for s in COMMANDS] + _base.registered_commands)


def __getattr__(name: str) -> Any:
    """`cli.app`: the complete app, built on first use (PEP 562)."""
    if name == "app":
        return _complete()
    raise AttributeError(name)


def app_for(args: list[str]) -> typer.Typer:
    """The app as much as args need of it.

    Typer turns every registered command, with all its parameters, into a click
    command before parsing (docs/performance.md says what that costs). A run needs one
    command. The
    root level (help, --version, a misspelt command to suggest for) shows only
    command names and summaries, so it gets the commands without parameters.
    Shell completion gets the whole app.
    """
    import os

    if any(k.endswith("_COMPLETE") for k in os.environ):
        return _complete()
    name = invoked_command(args)
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
