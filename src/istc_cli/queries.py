"""Questions asked of the dataset. Each returns a `Result` for the output layer.

No printing and no terminal here: a query takes the dataset and plain filter
values and returns records, a title and a caption that names the sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from . import model
from .text import counted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


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
    empty_exit: int = 0
    # Periods a timeline shades: (name, since, until), e.g. the headquarters' cities.
    eras: tuple[tuple[str, str | None, str | None], ...] = ()
    notice: str | None = None  # one line for stderr, whatever the records
    exit_code: int = 0  # what the process exits with when there are records
    nothing_for_people: bool = False  # tables and lines stay empty (the notice says why)


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
        for fact in model.facts(r) if shown else ():
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


def meetings(ds: model.Dataset) -> Result:
    return make_result(ds, "meetings", model.Meeting, ds.meetings, "Governing Board meetings")


SERIES_MIN = 4
"""A measure is drawn over time when it has at least this many dated values."""


def over_time(ds: model.Dataset) -> Result:
    """Each measure with SERIES_MIN or more dated values of one unit, its values in date
    order, each with its qualifier and source (`figures --over-time`)."""
    from .model.dated import Point, Series

    groups: dict[tuple[str, str], list[model.Figure]] = {}
    for f in ds.figures:
        if f.measure and f.as_of:
            groups.setdefault((f.measure, f.unit), []).append(f)
    series = [
        Series(
            measure=measure,
            unit=unit,
            points=tuple(
                Point(
                    date=str(f.as_of),
                    value=f.value,
                    qualifier=f.qualifier,
                    source=f.source,
                    locator=f.locator,
                    figure=f.id,
                )
                for f in sorted(found, key=lambda f: str(f.as_of))
            ),
        )
        for (measure, unit), found in groups.items()
        if len(found) >= SERIES_MIN
    ]
    ids = {p.source for s in series for p in s.points}
    caption = (
        f"Measures with {SERIES_MIN} or more dated values; each value as its source "
        f"qualifies it. Sources: {len(ids)} (see `istc figures --sources`)."
    )
    return make_result(ds, "figures", Series, series, "Figures over time", caption)


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

    terms = engine.query_terms(text)
    found = engine.find(ds, terms, phrase=text)
    hits = [
        model.SearchHit(
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
        from .suggest import closest
        from .text import quote

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
        model.SearchHit,
        hits,
        f"Search: {text}",
        highlight=text,
        empty_message=message,
        empty_exit=1,
    )
