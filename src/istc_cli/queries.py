"""Questions asked of the dataset. Each returns a `Result` for the output layer.

No printing and no terminal here: a query takes the dataset and plain filter
values and returns records, a title and a caption that names the sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import model

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
        shown = type(r).table_fields
        for fact in model.facts(r) if shown else ():
            if fact.field in shown and fact.source and fact.source not in ids:
                ids.append(fact.source)  # a shown fact another document states
    if not ids:
        return "No records."
    dates = sorted({d for r in records if (d := getattr(r, "as_of", None))})
    as_of = f"; as of {', '.join(dates)}" if dates else ""
    if len(ids) <= 3:
        named = "; ".join(sources[i].label if i in sources else i for i in ids)
        return f"Source{'s' if len(ids) > 1 else ''}: {named}{as_of}"
    return f"Sources: {len(ids)} (add --sources, or see `istc sources`){as_of}"


# ---------------------------------------------------------------- listings


def _hidden(count: int, singular: str, plural: str) -> str | None:
    """The one line that says a default filter hid records that match the others."""
    if not count:
        return None
    return f"{count} {singular if count == 1 else plural} not shown; add --all."


def members(ds: model.Dataset, *, role: str | None = None, include_former: bool = False) -> Result:
    matching = [m for m in ds.members if role is None or role in m.roles]
    rows = [m for m in matching if include_former or m.status == "current"]
    which = "All parties, current and former" if include_former else "Current parties"
    title = f"{which} with role '{role}'" if role else which
    hint = _hidden(len(matching) - len(rows), "former party", "former parties")
    return make_result(ds, "members", model.Member, rows, title, notice=hint)


def former_headquarters(ds: model.Dataset) -> list[model.Office]:
    """The headquarters the organisation has left, as offices marked former."""
    return [
        model.Office(
            city=h.city,
            country=h.country,
            kind="headquarters",
            since=h.since,
            until=h.until,
            status="former",
            note=h.note,
            note_source=h.note_source,
            source=h.source,
            see_also=h.see_also,
            id=h.id,
            locator=h.locator,
            since_source=h.since_source,
            since_locator=h.since_locator,
            until_source=h.until_source,
            until_locator=h.until_locator,
            derived=h.derived,
            conflicts=h.conflicts,
        )
        for h in ds.organization.headquarters
        if h.until is not None
    ]


def offices(ds: model.Dataset, *, kind: str | None = None, include_former: bool = False) -> Result:
    former = [o for o in former_headquarters(ds) if kind is None or o.kind == kind]
    rows = [o for o in ds.offices if kind is None or o.kind == kind]
    if include_former:
        rows += former
    hint = None if include_former else _hidden(len(former), "former office", "former offices")
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
        for h in sorted(ds.organization.headquarters, key=lambda h: h.since or "")
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


def officers(ds: model.Dataset, *, role: str | None = None) -> Result:
    rows = [o for o in ds.officers if role is None or o.role == role]
    return make_result(
        ds, "officers", model.Officer, rows, "Governing Board chairs and Executive Directors"
    )


def glossary(ds: model.Dataset) -> Result:
    return make_result(ds, "glossary", model.Term, ds.glossary, "Abbreviations the sources use")


def sources(ds: model.Dataset, *, kind: str | None = None) -> Result:
    rows = [s for s in ds.sources if kind is None or s.kind == kind]
    n_primary = sum(1 for s in rows if s.kind == "primary")
    caption = f"{len(rows)} sources, {n_primary} primary."
    return make_result(ds, "sources", model.Source, rows, "Sources", caption)


# ---------------------------------------------------------------- about


def about(ds: model.Dataset, *, path: str) -> Result:
    org = ds.organization
    hq = next((h for h in org.headquarters if h.until is None), org.headquarters[0])
    current = [m for m in ds.members if m.status == "current"]
    dated = [e.date for e in ds.history]
    # The headline figures are the organisation's own source's dated figures (the fact
    # sheet's, as of December 2017), never mixed with other documents' counts.
    own = tuple(f for f in ds.figures if f.as_of and f.source == org.source)
    headline = (own or tuple(f for f in ds.figures if f.as_of) or ds.figures)[:4]
    figures_as_of = [f.as_of for f in headline if f.as_of]
    source_dates = [d for s in ds.sources if (d := s.as_of or s.date)]
    latest_source = max(source_dates) if source_dates else None
    former = [m for m in ds.members if m.status == "former"]
    sister = org.sister_center
    record = model.About(
        name=org.name,
        acronym=org.acronym,
        kind=org.kind,
        status=org.status,
        established=org.established,
        established_place=org.established_place,
        established_how=org.established_how,
        operations_began=org.operations_began,
        activity_categories=org.activity_categories,
        publications=org.publications,
        associations=org.associations,
        headquarters=hq.city,
        headquarters_country=hq.country,
        headquarters_since=hq.since,
        previous_headquarters=tuple(
            f"{h.city} ({h.since} to {h.until})" if h.since else f"{h.city} (until {h.until})"
            for h in org.headquarters
            if h.until
        ),
        parties=len(current),
        party_names=tuple(m.name for m in current),
        founders=org.founders,
        board_members=tuple(m.name for m in current if "board" in m.roles),
        office_hosts=tuple(m.name for m in current if "office-host" in m.roles),
        former_parties=tuple(_former(m) for m in former),
        branch_offices=tuple(f"{o.city} ({o.country})" for o in ds.offices if o.kind == "branch"),
        sister_center=f"{sister.name} ({sister.acronym}), {sister.headquarters}"
        if sister
        else None,
        headline_figures=headline,
        figures_as_of=max(figures_as_of) if figures_as_of else None,
        data_as_of=latest_source,
        dataset_version=ds.meta.version,
        source_count=len(ds.sources),
        dataset_path=path,
        source=org.source,
        see_also=org.see_also,
        permanent_board_members=tuple(m.name for m in current if "board" in m.roles),
        coordinates_efforts_of=org.coordinates_efforts_of,
        purpose=org.purpose,
        mission_since_2015=org.mission_since_2015,
        headquarters_source=hq.source,
        sister_center_source=sister.source if sister else None,
        former_parties_sources=tuple(m.source for m in former),
        latest_source_date=latest_source,
        latest_event_date=max(dated) if dated else None,
        id=org.id,
        locator=org.locator,
    )
    return make_result(ds, "about", model.About, [record], org.name)


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


def _former(member: model.Member) -> str:
    """'Canada (left 2013-11, derived)': a former party with the date it left, marked
    derived where that date is worked out, not stated; the name alone where none is."""
    if not member.left:
        return member.name
    mark = ", derived" if "left" in member.derived else ""
    return f"{member.name} (left {member.left}{mark})"
