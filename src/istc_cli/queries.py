"""Questions asked of the dataset. Each returns a `Result` for the output layer.

No printing and no terminal here: a query takes the dataset and plain filter
values and returns records, a title and a caption that names the sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from . import model
from .safe_text import counted
from .status import ExitStatus

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from .model.dated import AttendanceStatus


class UnknownValue(ValueError):
    """An option's value the dataset does not know (`meetings --party`): a usage error,
    one sentence; `option` names the option."""

    def __init__(self, message: str, option: str) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True, slots=True)
class Result:
    """What a command found: its records and how to show them."""

    command: str
    record_type: type[model.Record]
    records: tuple[model.Record, ...]
    title: str
    caption: str
    sources: dict[str, model.Source] = field(default_factory=dict)
    highlight: str | None = None
    empty_message: str | None = None
    empty_exit: int = ExitStatus.OK
    # Periods a timeline shades: (name, since, until), e.g. the headquarters' cities.
    eras: tuple[tuple[str, str | None, str | None], ...] = ()
    notice: str | None = None  # one line for stderr, whatever the records
    exit_code: int = ExitStatus.OK  # what the process exits with when there are records
    nothing_for_people: bool = False  # tables and lines stay empty (the notice says why)
    drawing: str | None = None  # how a table draws it for people, unless --fields asks


def make_result(
    ds: model.Dataset,
    command: str,
    record_type: type[model.Record],
    records: Sequence[model.Record],
    title: str,
    caption: str | None = None,
    **extra: object,
) -> Result:
    by_id = {s.id: s for s in ds.sources}
    return Result(
        command=command,
        record_type=record_type,
        records=tuple(records),
        title=title,
        caption=caption or caption_for(records, by_id),
        sources=by_id,
        **extra,  # type: ignore[arg-type]
    )


def caption_for(records: Sequence[model.Record], sources: dict[str, model.Source]) -> str:
    """Name the sources behind the records, with the date their facts hold as of."""
    ids: list[str] = []
    for r in records:
        sid = getattr(r, "source", None)
        if sid and sid not in ids:
            ids.append(sid)
        shown = model.stated_elsewhere(type(r), type(r).table_fields)
        for fact in model.facts(r, shown) if shown else ():
            if fact.field in shown and fact.source and fact.source not in ids:
                ids.append(fact.source)  # a shown fact another document states
    if not ids:
        return "No records."
    dates = sorted({d for r in records if (d := getattr(r, "as_of", None))})
    as_of = f"; as of {', '.join(dates)}" if dates else ""
    named = "; ".join(sources[i].label if i in sources else i for i in ids)
    if len(ids) == 1 or (len(ids) <= 3 and len(named) <= 60):
        return f"Source{'s' if len(ids) > 1 else ''}: {named}{as_of}"
    return f"Sources: {len(ids)} (add --sources, or see `istc sources`){as_of}"


# ---------------------------------------------------------------- listings


def _hidden(count: int, singular: str, plural: str) -> str | None:
    """The one line that says a default filter hid records that match the others."""
    if not count:
        return None
    return f"{counted(count, singular, plural)} not shown; add --all."


def members(
    ds: model.Dataset,
    *,
    role: str | None = None,
    include_former: bool = False,
    at: str | None = None,
) -> Result:
    if at is not None:  # only the roles that held then are filtered on
        from .model import time
        from .model.dated import MemberAt

        found = [s for s in time.at(ds, at).members if role is None or role in s.roles]
        what = f"with role '{role}' " if role else ""
        return _at(ds, "members", MemberAt, found, at, include_former,
                   f"Parties {what}at {at}", ("party", "parties"))  # fmt: skip
    matching = [m for m in ds.members if role is None or role in m.roles]
    rows = [m for m in matching if include_former or m.status == "current"]
    which = "All parties, current and former" if include_former else "Current parties"
    title = f"{which} with role '{role}'" if role else which
    hint = _hidden(len(matching) - len(rows), "former party", "former parties")
    return make_result(ds, "members", model.Member, rows, title, notice=hint)


def offices(
    ds: model.Dataset,
    *,
    kind: str | None = None,
    include_former: bool = False,
    at: str | None = None,
) -> Result:
    if at is not None:
        from .model import time
        from .model.dated import OfficeAt

        found = [s for s in time.at(ds, at).offices if kind is None or s.record.kind == kind]
        return _at(ds, "offices", OfficeAt, found, at, include_former,
                   f"Offices at {at}", ("open office", "open offices"))  # fmt: skip
    matching = [o for o in ds.offices if kind is None or o.kind == kind]
    rows = [o for o in matching if include_former or o.status == "current"]
    hidden = len(matching) - len(rows)
    hint = None if include_former else _hidden(hidden, "former office", "former offices")
    title = "Offices, current and former" if include_former else "Headquarters and branch offices"
    return make_result(ds, "offices", model.Office, rows, title, notice=hint)


def history(ds: model.Dataset, *, since: int | None = None, until: int | None = None) -> Result:
    rows = [
        e
        for e in ds.history
        if (since is None or int(e.date[:4]) >= since)
        and (until is None or int(e.date[:4]) <= until)
    ]
    rows.sort(key=lambda e: e.date)  # ISO partial dates sort as text; ties keep file order
    span = f" {since or ''}–{until or ''}" if since or until else ""
    eras = tuple(
        (f"{h.city} years", h.since, h.until)
        for h in sorted(headquarters(ds), key=lambda h: h.since or "")
    )
    return make_result(ds, "history", model.Event, rows, f"Chronology{span}", eras=eras)


def initiatives(ds: model.Dataset, *, status: str | None = None) -> Result:
    rows = [i for i in ds.initiatives if status is None or i.status == status]
    return make_result(ds, "initiatives", model.Initiative, rows, "Targeted Initiative pipeline")


def programs(ds: model.Dataset) -> Result:
    return make_result(ds, "programs", model.Program, ds.programs, "Supporting programs")


def regimes(ds: model.Dataset) -> Result:
    return make_result(
        ds, "regimes", model.Regime, ds.regimes, "Non-proliferation regimes supported"
    )


def figures(ds: model.Dataset) -> Result:
    return make_result(ds, "figures", model.Figure, ds.figures, "Activity figures")


def mission(ds: model.Dataset, *, part: str | None = None) -> Result:
    rows = [m for m in ds.mission if part is None or m.part == part]
    return make_result(ds, "mission", model.MissionItem, rows, "Vision, mission and objectives")


def strategy(ds: model.Dataset, *, area: str | None = None) -> Result:
    rows = [s for s in ds.strategy if area is None or s.area == area]
    return make_result(ds, "strategy", model.StrategyItem, rows, "Strategy, outreach and regions")


def statement(ds: model.Dataset, *, part: str | None = None) -> Result:
    rows = [s for s in ds.statement if part is None or s.part == part]
    return make_result(
        ds, "statement", model.Statement, rows, "Press release: accusation and rebuttal"
    )


def meetings(ds: model.Dataset, *, party: str | None = None, attendance: bool = False) -> Result:
    """The Board meetings; with `party`, those its statement names the party at (as
    attending or in the rotating seat); with `attendance`, one row per meeting and party."""
    chosen = find_party(ds, party) if party is not None else None
    if attendance:
        return _attendance(ds, chosen)
    if chosen is None:
        return make_result(ds, "meetings", model.Meeting, ds.meetings, "Governing Board meetings")
    rows = [m for m in ds.meetings if chosen.id in (*m.attended, m.rotating_seat)]
    listed = sum(1 for m in ds.meetings if m.attended or m.rotating_seat)
    caption = (
        f"{counted(len(rows), 'meeting')} whose statement names {chosen.name} as attending "
        f"or in the rotating seat, of the {listed} that name any party "
        f"(`istc meetings --attendance --party {chosen.id}` shows the others)."
    )
    return make_result(
        ds, "meetings", model.Meeting, rows, f"Governing Board meetings: {chosen.name}", caption
    )


def find_party(ds: model.Dataset, name: str) -> model.Member:
    """The party `name` names: its id (with or without `member:`), name, an alias or its
    ISO code, in any case; UnknownValue, with the closest names, for none."""
    wanted = name.strip().casefold()
    for member in ds.members:
        names = (str(member.id), str(member.id).partition(":")[2], member.name,
                 *member.aliases, member.iso3 or "", member.iso2 or "")  # fmt: skip
        if wanted in (n.casefold() for n in names if n):
            return member
    from .safe_text import quote
    from .suggest import did_you_mean

    known = [n for m in ds.members for n in (m.name, *m.aliases)]
    raise UnknownValue(
        f"{quote(name)} is not a party the dataset knows; give a name, alias or id "
        f"(`istc members --all` lists them).{did_you_mean(name, known)}",
        "--party",
    )


def short_code(member: model.Member) -> str:
    """A party's short label for a grid: its ISO 3166-1 alpha-3 code, else its shortest
    capitalised alias of three letters or fewer (EU), else its name's first three."""
    if member.iso3:
        return member.iso3
    short = sorted((a for a in member.aliases if a.isupper() and len(a) <= 3), key=len)
    return short[0] if short else member.name[:3].upper()


def _attendance(ds: model.Dataset, chosen: model.Member | None) -> Result:
    """One row per meeting and party: named as attending, or how far the statement's list
    reaches; a party not named that was not a party then (as `time.at` gives it) says so."""
    from .model import time
    from .model.dated import Attendance

    parties = [chosen] if chosen is not None else list(ds.members)
    rows = []
    for m in ds.meetings:
        moment = time.at(ds, m.date) if m.date else None
        source, locator = model.stated_by(m, "attended")
        for p in parties:
            status = _attended(m, p, moment)
            rows.append(
                Attendance(meeting=m.number, date=m.date, party=str(p.id), name=p.name,
                           code=short_code(p), status=status, source=source, locator=locator)
            )  # fmt: skip
    who = f" for {chosen.name}" if chosen else ""
    caption = (
        f"Each Board meeting{who}, as its statement names the parties: attended (or in the "
        "rotating seat); not listed, where it names every party attending; not listed on "
        "the Board, where it names only those on the Board; not named, where it does not "
        "say its list is whole; no list, where it names none. A party not named that was "
        "not a party then (as --at gives it) is marked so."
    )
    return make_result(ds, "meetings", Attendance, rows, "Attendance at Governing Board meetings",
                       caption, drawing="grid")  # fmt: skip


def _attended(m: model.Meeting, party: model.Member, moment: Any) -> AttendanceStatus:
    if party.id in m.attended:
        return "attended"
    if party.id == m.rotating_seat:
        return "rotating-seat"
    if moment is not None:
        found = moment.of(party)
        if found is not None and found.word == "not-party":
            return "not-party"
    if not m.attended:
        return "no-list"
    if m.attended_scope == "all":
        return "not-listed"
    return "not-listed-on-board" if m.attended_scope == "board" else "not-named"


def over_time(ds: model.Dataset, *, tidy: bool = True, drawing: bool = False) -> Result:
    """Every measure's series in date order, one per unit, and the Board's approvals at
    each meeting (`figures --over-time`): a row per point (`tidy`, for tables, CSV, TSV
    and JSON lines), or a record per series with its points (JSON, YAML, the chart)."""
    from . import series
    from .model.dated import Series, SeriesPoint

    found = series.series_of(ds)
    caption = series.caption(found)
    if drawing and not found.series:
        message = (
            "No figure has both a measure and a date, and no Board meeting approved "
            "anything: there is no series to draw."
        )
        return make_result(ds, "figures", Series, (), "Figures over time", caption,
                           empty_message=message, empty_exit=ExitStatus.FAILED)  # fmt: skip
    if tidy:
        rows = series.tidy(found.series)
        return make_result(ds, "figures", SeriesPoint, rows, "Figures over time", caption)
    return make_result(ds, "figures", Series, found.series, "Figures over time", caption)


def changes(ds: model.Dataset, *, start: str | None, end: str | None) -> Result:
    """What changed from `start` to `end` (`istc changes`), each with its document; a
    date left out leaves the window open on that side."""
    from . import changes as between
    from .model.dated import Change
    from .problems import YEAR_MAX, YEAR_MIN

    window = {
        (True, True): f"from {start} to {end}",
        (True, False): f"since {start}",
        (False, True): f"up to {end}",
        (False, False): "on record",
    }[(bool(start), bool(end))]
    title = f"Changes {window}" if start or end else "Every change on record"
    # a date left out is the record's edge: the caption words the window as asked
    found, caption = between.changes(
        ds, start or str(YEAR_MIN), end or str(YEAR_MAX), window.capitalize()
    )
    return make_result(ds, "changes", Change, found, title, caption)


def officers(
    ds: model.Dataset,
    *,
    role: str | None = None,
    at: str | None = None,
    include_former: bool = False,
) -> Result:
    if at is not None:
        from .model import time
        from .model.dated import OfficerAt

        found = [s for s in time.at(ds, at).officers if role is None or s.record.role == role]
        return _at(ds, "officers", OfficerAt, found, at, include_former,
                   f"Officers at {at}", ("officer in office", "officers in office"))  # fmt: skip
    rows = [o for o in ds.officers if role is None or o.role == role]
    return make_result(
        ds,
        "officers",
        model.Officer,
        rows,
        "Governing Board chairs, Executive Directors and their deputies",
    )


def _at(
    ds: model.Dataset,
    command: str,
    record_type: Any,
    found: list[Any],
    at: str,
    include_all: bool,
    title: str,
    holding: tuple[str, str],
) -> Result:
    """The records as they stood at `at`: those that held and those the sources cannot
    place, and with --all those known not to hold too, each with its standing and the
    evidence for it."""
    rows = [
        record_type(**_values(s.record) | _roles(s), at=at, standing=s.word, evidence=s.evidence)
        for s in found
        if include_all or s.word != s.record.standing_words[1]
    ]
    held = sum(1 for s in found if s.holds)
    unknown = sum(1 for s in found if s.word == "unknown")
    signed = sum(1 for s in found if s.word == "signatory")
    hidden = len(found) - len(rows)
    caption = (
        f"At {at}: {counted(held, *holding)}, "
        + (
            f"{counted(signed, 'signatory', 'signatories')} (signed, not yet in force), "
            if signed
            else ""
        )
        + f"{unknown} unknown"
        + (f", {hidden} known not to hold (add --all)" if hidden else "")
        + ". Dates compare at the precision both give; see docs/dataset.md."
    )
    notice = None
    if not rows:
        notice = f"Nothing the sources place at {at}" + (
            "; add --all to list what did not hold." if hidden else "; try another date."
        )
    return make_result(ds, command, record_type, rows, title, caption, notice=notice)


def _roles(found: Any) -> dict[str, Any]:
    """A party's roles as they held at the date, in place of today's."""
    return {"roles": found.roles} if hasattr(found.record, "roles") else {}


def headquarters(ds: model.Dataset) -> list[model.Office]:
    """Every seat the organisation has had: the offices of kind headquarters."""
    return [o for o in ds.offices if o.kind == "headquarters"]


def _values(record: model.Record) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in fields(record)}  # type: ignore[arg-type]


def glossary(ds: model.Dataset) -> Result:
    return make_result(ds, "glossary", model.Term, ds.glossary, "Abbreviations the sources use")


def sources(ds: model.Dataset, *, kind: str | None = None) -> Result:
    rows = [s for s in ds.sources if kind is None or s.kind == kind]
    n_primary = sum(1 for s in rows if s.kind == "primary")
    caption = f"{len(rows)} sources, {n_primary} primary."
    return make_result(ds, "sources", model.Source, rows, "Sources", caption)


# ---------------------------------------------------------------- search


def _label(record: model.Record) -> str:
    return str(getattr(record, record.label_field, "") or getattr(record, "name", ""))


SUGGESTED_WORDS = 8
"""A search that finds nothing suggests words for at most this many of its words."""


def search(ds: model.Dataset, text: str) -> Result:
    """Records that hold every word of `text` (see `search.py` for how words match)."""
    from . import search as engine
    from .model import views

    terms = engine.query_terms(text)
    found = engine.find(ds, terms, phrase=text)
    hits = [
        views.SearchHit(
            section=m.section,
            record=_label(m.record),
            field=m.best.field,
            text=m.best.text,
            source=m.best.source,
            id=getattr(m.record, "id", None),
            locator=m.best.locator,
        )
        for m in found
    ]
    message = None
    if not hits:
        from .safe_text import quote
        from .suggest import closest

        message = f"No match for {quote(text)}."
        vocabulary = engine.vocabulary(ds)
        near: list[str] = []
        # Suggestions for the first few distinct words only: each costs a pass over the
        # vocabulary, and a query of thousands of words wants none for each.
        for word in list(dict.fromkeys(text.split()))[:SUGGESTED_WORDS]:
            near += [w for w in closest(word, vocabulary, cutoff=0.7) if w not in near]
            if len(near) >= 5:
                break
        if near:
            message += " Did you mean: " + ", ".join(quote(w) for w in near[:5]) + "?"
    return make_result(
        ds,
        "search",
        views.SearchHit,
        hits,
        f"Search: {text}",
        highlight=text,
        empty_message=message,
        empty_exit=ExitStatus.FAILED,
    )
