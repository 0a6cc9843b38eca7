"""Every listing command, declared once as data.

A `CommandSpec` names the command, its record type, its options and the query it
asks. Two consumers read these specs: `cli` builds the Typer app from them (help,
completion, error messages), and `fast` runs well-formed invocations without
importing Typer at all (start-up time). Option values are checked by the same
functions here on both paths, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from . import model, overview, queries
from .field_types import choices
from .output import COLORS, FORMATS, OutputOptions
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
# (`rich_help_panel`), declared by each command (`CommandSpec.panel`, and cli.py for
# validate, cite, export and schema).
FACTS = "Facts"
TIME = "Time"
PEOPLE = "People, meetings"
FINDING = "Sources, search"
DATA_OUT = "Data in and out"
PANELS = (FACTS, TIME, PEOPLE, FINDING, DATA_OUT)


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One listing command: its record type, options, query and examples."""

    name: str
    record: type[model.Record] | str  # a class, or the name of one of `dated` (made when asked)
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
        """The records the command lists (a class of `dated` is imported when asked)."""
        if isinstance(self.record, str):
            from .model import dated

            found: type[model.Record] = getattr(dated, self.record)
            return found
        return self.record

    def variant_types(self) -> tuple[type[model.Record], ...]:
        """The `variants` record classes, and the `nested` one (imported only when asked:
        `dated`)."""
        from .model import dated

        names = (*self.variants, *((self.nested,) if self.nested else ()))
        return tuple(getattr(dated, name) for name in names)

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
    return None if value else "give a file's path, not an empty value."


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
    for ignored in ("fields", "sources"):
        if view and values.get(ignored):
            raise OptionConflict(
                f"--{ignored} does not apply to --{view}, a drawing; use it with a table "
                "or a machine format.",
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


# ---------------------------------------------------------------- the commands


def _choice(name: str, flag: str, literal: object, what: str) -> OptionSpec:
    values = literal_values(literal)
    return OptionSpec(
        name,
        (flag,),
        "choice",
        f"Only {what}: {', '.join(values)}.",
        values=values,
        metavar=name.upper(),
    )


def _dataset(loaded: Any) -> model.Dataset:
    dataset: model.Dataset = loaded.dataset
    return dataset


def _show(dataset: model.Dataset, query: str, at: str | None = None) -> queries.Result:
    from .show import show  # its search machinery is only imported when it runs

    return show(dataset, query, at)


def _at(what: str) -> OptionSpec:
    return OptionSpec(
        "at",
        ("--at",),
        "date",
        f"What held at this date (YYYY, YYYY-MM or YYYY-MM-DD): {what}, each with its "
        "standing and the evidence for it.",
        metavar="DATE",
    )


def words(value: Any) -> str:
    """The words given to a variadic argument (a list from either parser), as one text."""
    return " ".join(value) if isinstance(value, list | tuple) else str(value)


def _meetings(dataset: model.Dataset, values: Mapping[str, Any]) -> queries.Result:
    try:
        return queries.meetings(
            dataset, party=values.get("party"), attendance=bool(values.get("attendance"))
        )
    except queries.UnknownValue as exc:
        raise OptionConflict(str(exc), exc.option) from None


def _window(values: Mapping[str, Any]) -> str | None:
    """`changes` takes the earlier date first (either may be left open)."""
    start, end = values.get("start"), values.get("end")
    if not start or not end:
        return None
    from .model.time import compare

    if compare(start, end) == ">":
        return f"--from {start} is after --to {end}; give the earlier date to --from."
    return None


def _year(value: str | None) -> int | None:
    return int(value) if value else None


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "about",
        model.About,
        "One panel: what the ISTC is, where, since when, its parties, headline figures.",
        (
            OptionSpec(
                "full",
                ("--full",),
                "view",
                "The whole dashboard: activities, reach, members by role, offices, sources.",
                default=False,
            ),
            _at("the headquarters, the parties and the figures known by then"),
        ),
        lambda loaded, o: overview.about(loaded.dataset, path=str(loaded.path), at=o.get("at")),
        (
            "istc about",
            "istc about --full",
            "istc about --at 2010",
            "istc about --json",
            "istc about -o yaml",
        ),
        variants=(),
    ),
    CommandSpec(
        "members",
        model.Member,
        "The parties to the ISTC agreement and their roles (the current ten by default).",
        (
            _choice("role", "--role", model.Role, "parties with this role"),
            OptionSpec(
                "all",
                ("--all", "-a"),
                "flag",
                "Include former parties, marked as former (with --at: those known not to "
                "be parties then).",
                default=False,
            ),
            _at("the parties, and those the sources cannot place"),
        ),
        lambda loaded, o: queries.members(
            _dataset(loaded),
            role=o.get("role"),
            include_former=bool(o.get("all")),
            at=o.get("at"),
        ),
        (
            "istc members",
            "istc members --role board",
            "istc members --all --json",
            "istc members --at 2010",
        ),
        variants=("MemberAt",),
    ),
    CommandSpec(
        "offices",
        model.Office,
        "The headquarters and the branch offices.",
        (
            _choice("kind", "--kind", model.OfficeKind, "offices of this kind"),
            OptionSpec(
                "all",
                ("--all", "-a"),
                "flag",
                "Include former offices (the Moscow headquarters), marked former, with dates "
                "(with --at: those known to be closed then).",
                default=False,
            ),
            _at("the open offices, and those the sources cannot place"),
        ),
        lambda loaded, o: queries.offices(
            _dataset(loaded),
            kind=o.get("kind"),
            include_former=bool(o.get("all")),
            at=o.get("at"),
        ),
        (
            "istc offices",
            "istc offices --all",
            "istc offices --kind branch -o csv",
            "istc offices --at 2014-10",
        ),
        variants=("OfficeAt",),
    ),
    CommandSpec(
        "history",
        model.Event,
        "The chronology in date order, each event dated as precisely as its source.",
        (
            OptionSpec(
                "since", ("--since",), "year", "Only events in or after this year.", metavar="YEAR"
            ),
            OptionSpec(
                "until", ("--until",), "year", "Only events in or before this year.", metavar="YEAR"
            ),
            OptionSpec(
                "timeline",
                ("--timeline",),
                "view",
                "Draw a timeline: one mark per event, the Moscow and Astana years shaded.",
                default=False,
            ),
        ),
        lambda loaded, o: queries.history(
            _dataset(loaded), since=_year(o.get("since")), until=_year(o.get("until"))
        ),
        (
            "istc history",
            "istc history --since 2015",
            "istc history --timeline",
            "istc history --until 1995 --json",
        ),
        panel=TIME,
    ),
    CommandSpec(
        "initiatives",
        model.Initiative,
        "The Targeted Initiative pipeline: approved by the Governing Board or in development.",
        (_choice("status", "--status", model.InitiativeStatus, "initiatives with this status"),),
        lambda loaded, o: queries.initiatives(_dataset(loaded), status=o.get("status")),
        ("istc initiatives", "istc initiatives --status in-development"),
    ),
    CommandSpec(
        "programs",
        model.Program,
        "The supporting programs.",
        (),
        lambda loaded, o: queries.programs(_dataset(loaded)),
        ("istc programs", "istc programs --json"),
    ),
    CommandSpec(
        "regimes",
        model.Regime,
        "The non-proliferation regimes the ISTC supports.",
        (),
        lambda loaded, o: queries.regimes(_dataset(loaded)),
        ("istc regimes", "istc regimes -o markdown"),
    ),
    CommandSpec(
        "figures",
        model.Figure,
        "Activity figures with their qualifier (over, approximately) and as-of date.",
        (
            OptionSpec(
                "chart",
                ("--chart",),
                "view",
                "Draw bars for the figures that share a unit, labelled with qualifier and "
                "date; with --over-time, each series on a time axis.",
                default=False,
            ),
            OptionSpec(
                "over_time",
                ("--over-time",),
                "flag",
                "Every measure's series in date order, one per unit, and the Board's "
                "approvals at each meeting: a row per point (JSON: a series with its points).",
                default=False,
            ),
        ),
        lambda loaded, o: (
            queries.over_time(
                _dataset(loaded),
                tidy=not nested_output(o, ("chart",)),
                drawing=bool(o.get("chart")),
            )
            if o.get("over_time")
            else queries.figures(_dataset(loaded))
        ),
        (
            "istc figures",
            "istc figures --chart",
            "istc figures --over-time",
            "istc figures --over-time --chart",
            "istc figures --over-time -o csv",
            "istc figures --over-time --json",
            "istc figures --json | jq '.[].value'",
        ),
        variants=("SeriesPoint",),
        nested="Series",
    ),
    CommandSpec(
        "mission",
        model.MissionItem,
        "The vision statement, the mission points and the objectives.",
        (_choice("part", "--part", model.MissionPart, "this part"),),
        lambda loaded, o: queries.mission(_dataset(loaded), part=o.get("part")),
        ("istc mission", "istc mission --part objective"),
    ),
    CommandSpec(
        "strategy",
        model.StrategyItem,
        "Future plans, outreach, EU CBRN CoE cooperation, regions and project engagement.",
        (_choice("area", "--area", model.StrategyArea, "this area"),),
        lambda loaded, o: queries.strategy(_dataset(loaded), area=o.get("area")),
        ("istc strategy", "istc strategy --area region"),
    ),
    CommandSpec(
        "statement",
        model.Statement,
        "The 2022 press release: who accused whom of what, and each rebuttal point.",
        (_choice("part", "--part", model.StatementPart, "this part"),),
        lambda loaded, o: queries.statement(_dataset(loaded), part=o.get("part")),
        ("istc statement", "istc statement --part rebuttal"),
    ),
    CommandSpec(
        "meetings",
        model.Meeting,
        "Governing Board meetings: number, date, place and what the source reports.",
        (
            OptionSpec(
                "party",
                ("--party",),
                "text",
                "Only the meetings whose statement names this party as attending (a name, "
                "alias or id).",
                metavar="NAME",
            ),
            OptionSpec(
                "attendance",
                ("--attendance",),
                "flag",
                "Who attended each meeting, as its statement names them: a grid of parties "
                "by meeting (a row per meeting and party in the machine formats).",
                default=False,
            ),
        ),
        lambda loaded, o: _meetings(_dataset(loaded), o),
        (
            "istc meetings",
            "istc meetings --party georgia",
            "istc meetings --attendance",
            "istc meetings --attendance -o csv",
            "istc meetings --json | jq '.[] | {number, date}'",
        ),
        variants=("Attendance",),
        panel=PEOPLE,
    ),
    CommandSpec(
        "officers",
        model.Officer,
        "Board chairs, Executive Directors and deputies, with the dates sources attest.",
        (
            _choice("role", "--role", model.OfficerRole, "officers with this role"),
            _at("the officers in office, and those the sources cannot place"),
            OptionSpec(
                "all",
                ("--all", "-a"),
                "flag",
                "With --at: also those known not to be in office then.",
                default=False,
            ),
        ),
        lambda loaded, o: queries.officers(
            _dataset(loaded), role=o.get("role"), at=o.get("at"), include_former=bool(o.get("all"))
        ),
        (
            "istc officers",
            "istc officers --role executive-director",
            "istc officers --at 2010",
        ),
        variants=("OfficerAt",),
        panel=PEOPLE,
    ),
    CommandSpec(
        "changes",
        "Change",  # a record of `dated`, made only when the command runs
        "What changed between two dates: parties, offices, officers, Board meetings, series.",
        (
            OptionSpec(
                "start",
                ("--from",),
                "date",
                "The earlier date (YYYY, YYYY-MM or YYYY-MM-DD); the record's start if left out.",
                metavar="DATE",
            ),
            OptionSpec(
                "end",
                ("--to",),
                "date",
                "The later date; the record's end if left out.",
                metavar="DATE",
            ),
        ),
        lambda loaded, o: queries.changes(_dataset(loaded), start=o.get("start"), end=o.get("end")),
        (
            "istc changes --from 2012 --to 2014",
            "istc changes --from 2013-01 --to 2013-12 -o csv",
            "istc changes --from 2001 --to 2010 --json",
        ),
        details=(
            "Worked out from the dated claims as `--at` reads them at both dates: parties "
            "that joined, left or changed standing, offices opened and closed, officers in "
            "and out, every dated claim in between (a notice, a withdrawal, a term's end), "
            "each Board meeting held with its rotating seat, approvals and decisions, and "
            "each series' first and last value with the difference. Each line names its "
            "document and place."
        ),
        check_values=_window,
        panel=TIME,
    ),
    CommandSpec(
        "glossary",
        model.Term,
        "The abbreviations the sources use (CIS, FWS, CBRN and others) and what they stand for.",
        (),
        lambda loaded, o: queries.glossary(_dataset(loaded)),
        ("istc glossary", "istc glossary -o csv"),
    ),
    CommandSpec(
        "show",
        model.Profile,
        "Everything the dataset says about one entity: a party, city, source, person or id.",
        (
            OptionSpec(
                "text", (), "argument", "A name, alias, city, source or record id.", metavar="NAME"
            ),
            _at("a party's, an office's or an officer's standing"),
        ),
        lambda loaded, o: _show(_dataset(loaded), words(o["text"]), o.get("at")),
        (
            "istc show kazakhstan",
            "istc show russia --at 2010",
            "istc show member:armenia",
            "istc show Q232",
            "istc show fact-sheet-2018 --json",
        ),
        details=(
            "Gathers the entity's own record, the offices in a party's country, every "
            "record that mentions it and, for a source, every record that cites it. A name "
            "that fits several entities lists them (exit 1); pick one by its id. No match "
            "exits 1 with suggestions."
        ),
        panel=FINDING,
    ),
    CommandSpec(
        "sources",
        model.Source,
        "Every source the data cites: the two ISTC documents and the outside addresses.",
        (_choice("kind", "--kind", model.SourceKind, "sources of this kind"),),
        lambda loaded, o: queries.sources(_dataset(loaded), kind=o.get("kind")),
        ("istc sources", "istc sources --kind primary --json"),
        panel=FINDING,
    ),
    CommandSpec(
        "search",
        model.SearchHit,
        "Search every section; each hit names its section, field, id and source.",
        (
            OptionSpec(
                "text", (), "argument", "Words to look for (all must match).", metavar="TEXT"
            ),
        ),
        lambda loaded, o: queries.search(_dataset(loaded), words(o["text"])),
        (
            "istc search astana",
            "istc search private sector",
            'istc search "March 1994"',
            "istc search 1.2 bn --json",
        ),
        details=(
            "Every word must match, in any field of a record; case, plural and past forms "
            "do not matter ('regimes', 'founded'), dates match as written out ('March "
            "1994') and numbers as people write them ('4,200', '569.4 million', "
            "'1.2 bn'). Exits 1, with a message and suggestions on stderr, when nothing "
            "matches."
        ),
        panel=FINDING,
    ),
)

BY_NAME: dict[str, CommandSpec] = {c.name: c for c in COMMANDS}
