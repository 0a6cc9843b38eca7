"""How a listing command and its options are declared, and how option values are checked.

A `CommandSpec` names the command, its record type, its options and the query it
asks; `commands` declares every one of them with these. Two consumers read the specs:
`cli` builds the Typer app from them (help, completion, error messages), and `fast`
runs well-formed invocations without importing Typer at all (start-up time). Option
values are checked by the same functions here on both paths, so they cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from . import model, queries
from .field_types import choices
from .output import COLORS, FORMATS, HUMAN_FORMATS, OutputOptions
from .problems import YEAR_MAX, YEAR_MIN, is_valid_date, is_year

CITE_FORMATS = ("text", "bibtex", "ris", "csl-json")
CITE_STYLES = (
    "apa",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "harvard-cite-them-right",
)

OptionKind = Literal["choice", "flag", "year", "date", "text", "path", "argument", "view"]
"""A "view" is a flag that draws the result for people (--timeline, --chart)."""


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One option of a command, declared once for Typer and the fast path."""

    name: str  # the Python parameter name, and the key in the values mapping
    flags: tuple[str, ...]  # empty for the positional argument
    kind: OptionKind
    help: str
    values: tuple[str, ...] = ()
    default: Any = None
    metavar: str | None = None


# The groups `istc --help` lists the commands in, in this order: Typer's help panels
# (`rich_help_panel`), declared by each command (`CommandSpec.panel`, and tools.py for
# validate, cite, export and schema).
FACTS = "Facts"
TIME = "Time"
PEOPLE = "People, meetings"
FINDING = "Sources, search"
DATA_OUT = "Data in and out"
PANELS = (FACTS, TIME, PEOPLE, FINDING, DATA_OUT)


def _made_when_asked(qualified: str) -> type[model.Record]:
    """The record class `qualified` names ("views.About", "dated.Change"), its module
    imported now."""
    module, _, name = qualified.partition(".")
    if module == "views":
        from .model import views

        found: type[model.Record] = getattr(views, name)
    elif module == "dated":
        from .model import dated

        found = getattr(dated, name)
    else:
        raise ValueError(f"not a module of classes made when asked: {qualified!r}")
    return found


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One listing command: its record type, options, query and examples."""

    name: str
    record: type[model.Record] | str  # a class, or one of `views` or `dated` ("views.About")
    summary: str
    options: tuple[OptionSpec, ...]
    query: Callable[[Any, Mapping[str, Any]], queries.Result]
    examples: tuple[str, ...]
    details: str = ""
    variants: tuple[str, ...] = ()  # records of `dated` that --at or --over-time list instead
    variant_options: tuple[str, ...] = ("at", "over_time", "attendance")  # what asks for them
    panel: str = FACTS  # the group `istc --help` lists it in (PANELS)
    nested: str | None = None  # the variant JSON, YAML and drawings list instead (`Series`)
    check_values: Callable[[Mapping[str, Any]], str | None] | None = None  # across options

    @property
    def record_type(self) -> type[model.Record]:
        """The records the command lists (a class of `views` or `dated` is imported when
        asked: a run of another command never makes them)."""
        if isinstance(self.record, str):
            return _made_when_asked(self.record)
        return self.record

    def variant_types(self) -> tuple[type[model.Record], ...]:
        """The `variants` record classes, and the `nested` one (imported only when asked:
        `dated`)."""
        names = (*self.variants, *((self.nested,) if self.nested else ()))
        return tuple(_made_when_asked(f"dated.{name}") for name in names)

    def record_type_for(self, values: Mapping[str, Any]) -> type[model.Record]:
        """The records an invocation lists: a variant's when it asks for one (--at,
        --over-time), the nested one for JSON, YAML and drawings, so that --fields is
        checked against what is printed."""
        if self.variants and any(values.get(o) for o in self.variant_options):
            types = self.variant_types()
            return types[-1] if self.nested and nested_output(values, self.views) else types[0]
        return self.record_type

    def check(self, values: Mapping[str, Any]) -> None:
        """OptionConflict when the values given do not go together (`--from` after
        `--to`); both paths ask before loading the dataset."""
        problem = self.check_values(values) if self.check_values else None
        if problem:
            raise OptionConflict(problem, problem.split(" ", 1)[0])

    @property
    def views(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.options if o.kind == "view")


def literal_values(literal: object) -> tuple[str, ...]:
    """The values of one of the model's Literal aliases (`model.MemberStatus`)."""
    return choices(literal)


# ---------------------------------------------------------------- value checks


def choice_error(value: str, values: tuple[str, ...]) -> str | None:
    """None when value is valid, else one sentence naming the valid values."""
    if value in values:
        return None
    from .safe_text import quote
    from .suggest import did_you_mean

    return f"{quote(value)} is not one of: {', '.join(values)}.{did_you_mean(value, values)}"


def year_error(value: str) -> str | None:
    if is_year(value):
        return None
    from .safe_text import quote

    return (
        f"{quote(value)} is not a year; give four digits from {YEAR_MIN} to {YEAR_MAX}, e.g. 2015."
    )


def date_error(value: str) -> str | None:
    if is_valid_date(value):
        return None
    from .safe_text import quote

    return (
        f"{quote(value)} is not a date; give YYYY, YYYY-MM or YYYY-MM-DD in digits, "
        f"from {YEAR_MIN} to {YEAR_MAX}, e.g. 2010 or 2015-07."
    )


def text_error(value: str) -> str | None:
    return None if value.strip() else "give some text to search for."


def path_error(value: str) -> str | None:
    return None if value.strip() else "give a file's path, not an empty value."


def check(option: OptionSpec, value: str) -> str | None:
    """The shared check for a value given to an option."""
    if option.kind == "path":
        return path_error(value)
    if option.kind == "choice":
        return choice_error(value, option.values)
    if option.kind == "year":
        return year_error(value)
    if option.kind == "date":
        return date_error(value)
    if option.kind == "argument":
        return text_error(value)
    return None


# ---------------------------------------------------------------- output options

OUTPUT_OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "format",
        ("--format", "-o"),
        "choice",
        f"Output format: {', '.join(FORMATS)}. Default: a table in a terminal, "
        "tab-separated lines when piped.",
        values=FORMATS,
        metavar="FORMAT",
    ),
    OptionSpec("json", ("--json",), "flag", "Shorthand for --format json.", default=False),
    OptionSpec("fields", ("--fields",), "text", "Fields to show, in this order.", metavar="A,B"),
    OptionSpec(
        "color",
        ("--color",),
        "choice",
        "Colour: auto, always or never. NO_COLOR and TERM=dumb turn it off.",
        values=COLORS,
        default="auto",
        metavar="WHEN",
    ),
    OptionSpec(
        "sources",
        ("--sources",),
        "flag",
        "Add a column naming each record's source and its date.",
        default=False,
    ),
    OptionSpec("no_pager", ("--no-pager",), "flag", "Never page long output.", default=False),
)


DATA_OPTION = OptionSpec(
    "data",
    ("--data",),
    "path",
    "Use this dataset file (the same as `istc --data PATH COMMAND`).",
    metavar="PATH",
)
"""--data is a global option that every listing command also takes after its name."""

COMMON_OPTIONS: tuple[OptionSpec, ...] = (*OUTPUT_OPTIONS, DATA_OPTION)


class OptionConflict(ValueError):
    """Two options that cannot go together; `hint` names the one to blame."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def repeated(option: OptionSpec) -> str:
    """The message for an option given twice: the second would silently win."""
    return f"{option.flags[0]} was given more than once; give it once."


def output_options(values: Mapping[str, Any], views: tuple[str, ...] = ()) -> OutputOptions:
    fmt = values.get("format")
    if values.get("json"):
        if fmt not in (None, "json"):
            raise OptionConflict(f"--json cannot be combined with --format {fmt}.", "--json")
        fmt = "json"
    view = next((v for v in views if values.get(v)), None)
    if view and fmt not in (None, "table"):
        raise OptionConflict(
            f"--{view} draws for people; it cannot be combined with {fmt}.", f"--{view}"
        )
    if values.get("sources") and fmt not in (None, *HUMAN_FORMATS):
        raise OptionConflict(
            f"--sources names each record's documents by title in tables, lines and "
            f"Markdown; {fmt} gives them by id (`istc sources` lists each id's title and "
            "date).",
            "--sources",
        )
    for ignored, use in (("fields", "a table or a machine format"), ("sources", "a table")):
        if view and values.get(ignored):
            raise OptionConflict(
                f"--{ignored} does not apply to --{view}, a drawing; use it with {use}.",
                f"--{ignored}",
            )
    return OutputOptions(
        format=fmt,
        fields=values.get("fields"),
        color=values.get("color") or "auto",
        sources=bool(values.get("sources")),
        pager=not values.get("no_pager"),
        view=view,
    )


def nested_output(values: Mapping[str, Any], views: tuple[str, ...] = ()) -> bool:
    """True when the output keeps records nested (JSON, YAML, a drawing): a series with
    its points; else each point is a row (tables, CSV, TSV, JSON lines, markdown)."""
    return bool(
        values.get("json")
        or values.get("format") in ("json", "yaml")
        or any(values.get(v) for v in views)
    )


class RootWords:
    """What argv says before the command, read once per run for both paths
    (`root_words`). A plain class: a dataclass costs start-up time to make."""

    __slots__ = ("at", "command", "data", "plain")

    def __init__(
        self, data: tuple[str | None, ...], command: str | None, at: int, plain: bool
    ) -> None:
        self.data = data  # each --data given before the command (None: no value)
        self.command = command  # the command named (None: none, or --help before it)
        self.at = at  # where the first word that is no root option stands in argv
        self.plain = plain  # nothing but --data VALUE before it: the fast path may run it

    @property
    def repeated(self) -> str | None:
        """A message if --data is given twice before the command (click would keep the
        last one silently)."""
        return "--data was given more than once; give it once." if len(self.data) > 1 else None


def root_words(argv: list[str]) -> RootWords:
    """Read the words before the command: the global --data, the command's name."""
    data: list[str | None] = []
    plain, asked_help, i = True, False, 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--data":
            data.append(argv[i + 1] if i + 1 < len(argv) else None)
            plain = plain and i + 1 < len(argv)
            i += 2
        elif arg.startswith("--data="):
            data.append(arg.partition("=")[2])
            i += 1
        elif arg == "--":  # everything after it is positional: the next word is the command
            command = argv[i + 1] if i + 1 < len(argv) else None
            return RootWords(tuple(data), command, i + 1, False)
        elif arg.startswith("-"):  # --help, --version, completion, or something to report
            asked_help = asked_help or arg in ("-h", "--help")
            plain = False
            i += 1
        else:
            return RootWords(tuple(data), None if asked_help else arg, i, plain)
    return RootWords(tuple(data), None, len(argv), False)
