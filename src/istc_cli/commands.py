"""Every listing command, declared once as data (`options` says how they are declared)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import model, overview, queries
from .options import (
    FINDING,
    PEOPLE,
    TIME,
    CommandSpec,
    OptionConflict,
    OptionSpec,
    literal_values,
    nested_output,
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


def _years(values: Mapping[str, Any]) -> str | None:
    """`history` takes the earlier year first (either may be left open)."""
    since, until = values.get("since"), values.get("until")
    if since and until and int(since) > int(until):
        return f"--since {since} is after --until {until}; give the earlier year to --since."
    return None


def _year(value: str | None) -> int | None:
    return int(value) if value else None


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "about",
        "views.About",
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
        check_values=_years,
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
        "dated.Change",  # made only when the command runs
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
        "views.Profile",
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
        "views.SearchHit",
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
