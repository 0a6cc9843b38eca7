"""The command line: parse options, ask a query, hand the result to `output.emit`.

Every listing command is declared with `@listing`, which adds the shared output
options (--format/-o, --json, --fields, --color, --sources, --no-pager) and runs
the one output path. A command body only turns options into a query call.
"""

import inspect
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, get_args

import typer

from . import __version__, loader, model, queries
from .output import COLORS, FORMATS, FieldsError, OutputOptions, emit
from .spec import field_names
from .suggest import did_you_mean

EXIT_NO_MATCH = 1
EXIT_USAGE = 2
EXIT_DATA = 3

app = typer.Typer(
    name="istc",
    help=(
        "Facts about the International Science and Technology Center (ISTC), "
        "each with its source.\n\n"
        "Tables in a terminal; tab-separated lines when piped; --json, --format csv "
        "and more for scripts."
    ),
    epilog=(
        "Examples:\n"
        "  istc about\n"
        "  istc members --role board\n"
        "  istc history --since 2015 --json\n"
        "  istc search astana\n"
        "  istc initiatives -o csv --fields name,status"
    ),
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    suggest_commands=True,
)


class _State:
    data: str | None = None


state = _State()


def dataset_loaded() -> loader.Loaded:
    """The selected dataset, or exit 3 with its first problem."""
    try:
        return loader.load(state.data)
    except loader.DatasetError as exc:
        typer.echo(f"istc: invalid dataset: {exc}", err=True)
        raise typer.Exit(EXIT_DATA) from None


def dataset() -> model.Dataset:
    return dataset_loaded().dataset


# ---------------------------------------------------------------- choices


def choice(values: tuple[str, ...]) -> dict[str, Any]:
    """Option settings that check a value against `values`, suggest, and complete."""

    def check(value: str | None) -> str | None:
        if value is None or value in values:
            return value
        raise typer.BadParameter(
            f"'{value}' is not one of: {', '.join(values)}.{did_you_mean(value, values)}"
        )

    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete)]

    return {"callback": check, "autocompletion": complete}


def _values(literal: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in get_args(literal))


# ---------------------------------------------------------------- output options


def _fields_completer(record_type: type[model.Record]) -> Callable[[str], list[str]]:
    names = field_names(record_type)

    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        prefix = f"{done}," if done else ""
        return [prefix + n for n in names if n.startswith(last)]

    return complete


def _output_parameters(record_type: type[model.Record]) -> list[inspect.Parameter]:
    fields = ", ".join(field_names(record_type))
    options: list[tuple[str, Any, Any]] = [
        ("format_", str | None, typer.Option(
            None, "--format", "-o", metavar="FORMAT",
            help=f"Output format: {', '.join(FORMATS)}. Default: table in a terminal, "
            "tab-separated lines when piped.", **choice(FORMATS))),
        ("json_", bool, typer.Option(False, "--json", help="Shorthand for --format json.")),
        ("fields", str | None, typer.Option(
            None, "--fields", metavar="A,B,...",
            help=f"Fields to show, in order. Fields: {fields}.",
            autocompletion=_fields_completer(record_type))),
        ("color", str, typer.Option(
            "auto", "--color", metavar="WHEN",
            help="Colour: auto, always or never. NO_COLOR and TERM=dumb turn it off.",
            **choice(COLORS))),
        ("sources", bool, typer.Option(
            False, "--sources", help="Add a column naming each record's source and date.")),
        ("no_pager", bool, typer.Option(False, "--no-pager", help="Never page long output.")),
    ]
    return [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=hint)
        for name, hint, default in options
    ]


# Command name to the record type of its output (filled by @listing), for `schema`.
RECORD_TYPES: dict[str, type[model.Record]] = {}

_OUTPUT_NAMES = ("format_", "json_", "fields", "color", "sources", "no_pager")


def _output_options(values: dict[str, Any]) -> OutputOptions:
    fmt = values["format_"]
    if values["json_"]:
        if fmt not in (None, "json"):
            raise typer.BadParameter("--json cannot be combined with --format " + fmt)
        fmt = "json"
    return OutputOptions(
        format=fmt,
        fields=values["fields"],
        color=values["color"],
        sources=values["sources"],
        pager=not values["no_pager"],
    )


def run_output(result: queries.Result, options: OutputOptions) -> None:
    try:
        code = emit(result, options)
    except FieldsError as exc:
        raise typer.BadParameter(str(exc), param_hint="--fields") from None
    if code:
        raise typer.Exit(code)


def listing(
    name: str, record_type: type[model.Record], examples: list[str]
) -> Callable[[Callable[..., queries.Result]], Callable[..., queries.Result]]:
    """Register a command whose function returns a Result; add the output options."""

    def register(fn: Callable[..., queries.Result]) -> Callable[..., queries.Result]:
        signature = inspect.signature(fn)
        parameters = [*signature.parameters.values(), *_output_parameters(record_type)]

        def command(**values: Any) -> None:
            options = _output_options({k: values.pop(k) for k in _OUTPUT_NAMES})
            run_output(fn(**values), options)

        command.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=parameters, return_annotation=None
        )
        command.__annotations__ = {p.name: p.annotation for p in parameters}
        command.__name__ = fn.__name__
        command.__doc__ = fn.__doc__
        epilog = "Examples:\n" + "\n".join(f"  {e}" for e in examples)
        app.command(name, epilog=epilog)(command)
        RECORD_TYPES[name] = record_type
        return fn

    return register


# ---------------------------------------------------------------- the root


def _print_version() -> None:
    typer.echo(f"istc {__version__}")
    loaded = dataset_loaded()
    meta = loaded.dataset.meta
    where = "bundled" if loaded.bundled else "--data/ISTC_DATA"
    typer.echo(f"dataset {meta.version} ({meta.date}) sha256:{loaded.sha256[:16]}")
    typer.echo(f"file {loaded.path} ({where})")


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            envvar="ISTC_DATA",
            metavar="PATH",
            help="Use this dataset file instead of the bundled one.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Show the tool's and the dataset's version.")
    ] = False,
) -> None:
    state.data = data
    if version:
        _print_version()
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


# ---------------------------------------------------------------- commands

Role = Annotated[
    str | None,
    typer.Option("--role", metavar="ROLE", help="Only parties with this role: "
                 + ", ".join(_values(model.Role)) + ".", **choice(_values(model.Role))),
]


@listing("about", model.About, ["istc about", "istc about --json", "istc about -o yaml"])
def about() -> queries.Result:
    """One panel: what the ISTC is, where, since when, who is in it, headline figures."""
    loaded = dataset_loaded()
    return queries.about(loaded.dataset, path=str(loaded.path))


@listing(
    "members",
    model.Member,
    ["istc members", "istc members --role board", "istc members --all --json"],
)
def members(
    role: Role = None,
    all_: Annotated[
        bool, typer.Option("--all", "-a", help="Include former parties, marked as former.")
    ] = False,
) -> queries.Result:
    """The parties to the ISTC agreement and their roles (the ten current ones by default)."""
    return queries.members(dataset(), role=role, include_former=all_)


@listing("offices", model.Office, ["istc offices", "istc offices --kind branch -o csv"])
def offices(
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help="headquarters or branch.",
                     **choice(_values(model.OfficeKind))),
    ] = None,
) -> queries.Result:
    """The headquarters and the branch offices."""
    return queries.offices(dataset(), kind=kind)


@listing(
    "history",
    model.Event,
    ["istc history", "istc history --since 2015", "istc history --until 1995 --json"],
)
def history(
    since: Annotated[
        int | None, typer.Option("--since", min=1900, max=2100, metavar="YEAR",
                                 help="Only events in or after this year.")
    ] = None,
    until: Annotated[
        int | None, typer.Option("--until", min=1900, max=2100, metavar="YEAR",
                                 help="Only events in or before this year.")
    ] = None,
) -> queries.Result:
    """The chronology, in date order, each event dated as precisely as its source."""
    return queries.history(dataset(), since=since, until=until)


@listing(
    "initiatives",
    model.Initiative,
    ["istc initiatives", "istc initiatives --status in-development"],
)
def initiatives(
    status: Annotated[
        str | None,
        typer.Option("--status", metavar="STATUS", help="approved or in-development.",
                     **choice(_values(model.InitiativeStatus))),
    ] = None,
) -> queries.Result:
    """The Targeted Initiative pipeline: approved by the Governing Board or in development."""
    return queries.initiatives(dataset(), status=status)


@listing("programs", model.Program, ["istc programs", "istc programs --json"])
def programs() -> queries.Result:
    """The supporting programs."""
    return queries.programs(dataset())


@listing("regimes", model.Regime, ["istc regimes", "istc regimes -o markdown"])
def regimes() -> queries.Result:
    """The non-proliferation regimes the ISTC supports."""
    return queries.regimes(dataset())


@listing("figures", model.Figure, ["istc figures", "istc figures --json | jq '.[].value'"])
def figures() -> queries.Result:
    """Activity figures with their qualifier ("over") and the date they hold as of."""
    return queries.figures(dataset())


@listing("mission", model.MissionItem, ["istc mission", "istc mission --part objective"])
def mission(
    part: Annotated[
        str | None,
        typer.Option("--part", metavar="PART", help="vision, mission or objective.",
                     **choice(_values(model.MissionPart))),
    ] = None,
) -> queries.Result:
    """The vision statement, the mission points and the objectives."""
    return queries.mission(dataset(), part=part)


@listing("strategy", model.StrategyItem, ["istc strategy", "istc strategy --area region"])
def strategy(
    area: Annotated[
        str | None,
        typer.Option("--area", metavar="AREA",
                     help=", ".join(_values(model.StrategyArea)) + ".",
                     **choice(_values(model.StrategyArea))),
    ] = None,
) -> queries.Result:
    """Future plans, outreach, EU CBRN CoE cooperation, regions and how projects engage."""
    return queries.strategy(dataset(), area=area)


@listing("statement", model.Statement, ["istc statement", "istc statement --part rebuttal"])
def statement(
    part: Annotated[
        str | None,
        typer.Option("--part", metavar="PART", help="accusation, context or rebuttal.",
                     **choice(_values(model.StatementPart))),
    ] = None,
) -> queries.Result:
    """The 2022 press release: who accused whom of what, and each rebuttal point."""
    return queries.statement(dataset(), part=part)


@listing("sources", model.Source, ["istc sources", "istc sources --kind primary --json"])
def sources(
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", help="primary or research.",
                     **choice(_values(model.SourceKind))),
    ] = None,
) -> queries.Result:
    """Every source the data cites: the two ISTC documents and the outside addresses."""
    return queries.sources(dataset(), kind=kind)


@listing("search", model.SearchHit, ["istc search astana", "istc search 1992 --json"])
def search(
    text: Annotated[str, typer.Argument(help="Text to look for, case-insensitive.")],
) -> queries.Result:
    """Search every section; each hit names its section, record and field.

    Exits 1 with a message on stderr when nothing matches.
    """
    if not text.strip():
        raise typer.BadParameter("give some text to search for", param_hint="TEXT")
    return queries.search(dataset(), text)


@app.command(epilog="Examples:\n  istc validate my-istc.yaml\n  istc --data my.yaml validate")
def validate(
    path: Annotated[
        str | None,
        typer.Argument(help="The dataset file; default: --data, $ISTC_DATA or the bundled one."),
    ] = None,
) -> None:
    """Check a dataset file and print every problem as file:line:column: path: message.

    Exits 0 when the file is valid and 3 when it is not.
    """
    target, _ = loader.resolve_path(path or state.data)
    problems = loader.validate_path(target)
    for problem in problems:
        typer.echo(str(problem).translate(_SAFE_LINE))
    if problems:
        typer.echo(f"istc: {len(problems)} problem(s) in {target}", err=True)
        raise typer.Exit(EXIT_DATA)
    typer.echo(f"istc: {target} is valid", err=True)


_SAFE_LINE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}


@app.command(epilog="Examples:\n  istc schema members\n  istc schema > istc-schema.json")
def schema(
    command: Annotated[
        str | None,
        typer.Argument(help="A command name; default: every command's schema.",
                       **choice(tuple(RECORD_TYPES))),
    ] = None,
) -> None:
    """JSON Schema (draft 2020-12) of a command's --json output, derived from the model."""
    import json

    from .schema import all_schemas, command_schema

    if command:
        document = command_schema(command, RECORD_TYPES[command])
    else:
        document = all_schemas(RECORD_TYPES)
    typer.echo(json.dumps(document, indent=2))


# ---------------------------------------------------------------- entry point


def _prepare_streams() -> None:
    """Never crash on a narrow encoding: unencodable text is escaped, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main() -> None:
    _prepare_streams()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(141)
    except SystemExit as exc:
        _flush_or_silence()
        raise exc
    except Exception as exc:  # the last guard: one line, never a traceback
        if os.environ.get("ISTC_DEBUG"):
            raise
        sys.stderr.write(
            f"istc: internal error: {type(exc).__name__}: {exc}\n"
            "istc: run again with ISTC_DEBUG=1 for details, and please report it.\n"
        )
        sys.exit(1)
    _flush_or_silence()


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _flush_or_silence() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(141)
