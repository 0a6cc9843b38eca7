"""The commands that are not listings: validate, cite, export and schema.

Declared here for Typer (options, help, examples); their bodies live with their
features (`validate_command`, `cite`, `export.command`, `schema`). `cli` adds them to
the root app.
"""

from typing import Annotated

import typer

from .commands import COMMANDS
from .listing_completion import values_completer
from .options import (
    CITE_FORMATS,
    CITE_STYLES,
    DATA_OPTION,
    DATA_OUT,
    FINDING,
    OptionSpec,
    path_error,
)
from .safe_text import say
from .typer_run import (
    Command,
    checker,
    data_path,
    dataset_loaded,
    entity_completer,
    run_context,
    take_data,
)

DataAfter = Annotated[
    list[str] | None,
    typer.Option(
        "--data",
        metavar="PATH",
        help=DATA_OPTION.help,
        callback=checker(DATA_OPTION),
    ),
]
"""--data after the command's name, as every listing takes it (`istc export sqlite
mine.db --data my.yaml`)."""

app = typer.Typer()

# ---------------------------------------------------------------- validate and schema


def _given_paths(paths: list[str] | None) -> list[str] | None:
    """A blank PATH is a usage error, as a blank --data or export PATH is (it would
    otherwise be reported as a missing file named "")."""
    for path in paths or []:
        error = path_error(path)
        if error:
            raise typer.BadParameter(error, param_hint="PATH")
    return paths


@app.command(
    cls=Command,
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
            callback=_given_paths,
        ),
    ] = None,
    json_: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the problems as a JSON array of {file, line, column, path, message}.",
        ),
    ] = False,
    data: DataAfter = None,
) -> None:
    """Check dataset files and print every problem as file:line:column: path: message.

    Each file is checked, and named with its result on stderr. Exits 0 when every file
    is valid and 3 when one is not.
    """
    from . import loader, validate_command

    take_data(ctx, data[0] if data else None)
    try:
        targets = list(paths or []) or [loader.resolve_path(data_path(ctx))[0]]
    except loader.DatasetError as exc:
        say(exc.summary)
        raise typer.Exit(exc.exit_code) from None
    if targets.count("-") > 1:
        raise typer.BadParameter("standard input (-) can be read once.", param_hint="PATH")
    code = validate_command.run(targets, as_json=json_, context=run_context(ctx))
    if code:
        raise typer.Exit(code)


@app.command(
    cls=Command,
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
            autocompletion=entity_completer,
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
            callback=checker(
                OptionSpec("format", ("--format", "-o"), "choice", "", values=CITE_FORMATS)
            ),
            autocompletion=values_completer(CITE_FORMATS),
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
            callback=checker(OptionSpec("style", ("--style",), "choice", "", values=CITE_STYLES)),
            autocompletion=values_completer(CITE_STYLES),
        ),
    ] = None,
    data: DataAfter = None,
) -> None:
    """Cite sources or records: BibTeX, RIS and CSL-JSON for reference managers, or text.

    Citing a record cites its source with the record's locator as the pinpoint and its
    id in the note. Exits 1 when a REF is unknown.
    """
    from . import cite as citations

    take_data(ctx, data[0] if data else None)
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


@app.command(
    cls=Command,
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
            callback=checker(OptionSpec("kind", (), "choice", "", values=EXPORT_KINDS)),
            autocompletion=values_completer(EXPORT_KINDS),
        ),
    ],
    path: Annotated[
        str,
        typer.Argument(
            help="Where to write it.",
            metavar="PATH",
            callback=checker(OptionSpec("path", (), "path", "")),
        ),
    ],
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
            callback=checker(OptionSpec("metadata", ("--metadata",), "path", "")),
        ),
    ] = None,
    data: DataAfter = None,
) -> None:
    """Export the dataset with its provenance: SQLite for Datasette, or a Data Package.

    One table per section, primary keys from the record ids, link tables for lists,
    every source reference a foreign key to the sources table. Every path is checked
    before anything is written; the export is published whole or not at all, and never
    over anything but a file (or package) istc could have written, and only with
    --force. Exits 1 when it cannot be written.
    """
    from .export import command

    take_data(ctx, data[0] if data else None)
    for given, hint in (
        (path, "PATH"),
        (metadata_path[0] if metadata_path else None, "--metadata"),
    ):
        if given == "-":  # `validate -` reads standard input; a file named "-" would surprise
            raise typer.BadParameter(
                "an export is written to files, not to standard output; give a path.",
                param_hint=hint,
            )
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


@app.command(
    cls=Command,
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
            callback=checker(OptionSpec("command", (), "choice", "", values=_SCHEMA_NAMES)),
            autocompletion=values_completer(_SCHEMA_NAMES),
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
