"""Questions asked of the dataset. Each returns a `Result` for the output layer.

No printing and no terminal here: a query takes the dataset and plain filter
values and returns records, a title and a caption that names the sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from . import model
from .spec import fields_of


@dataclass(frozen=True, slots=True)
class Result:
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


def _result(
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
    if not ids:
        return "No records."
    dates = sorted({d for r in records if (d := getattr(r, "as_of", None))})
    as_of = f"; as of {', '.join(dates)}" if dates else ""
    if len(ids) <= 3:
        named = "; ".join(sources[i].label if i in sources else i for i in ids)
        return f"Source{'s' if len(ids) > 1 else ''}: {named}{as_of}"
    return f"Sources: {len(ids)} (add --sources, or see `istc sources`){as_of}"


# ---------------------------------------------------------------- listings


def members(ds: model.Dataset, *, role: str | None = None, include_former: bool = False) -> Result:
    rows = [
        m
        for m in ds.members
        if (include_former or m.status == "current") and (role is None or role in m.roles)
    ]
    which = "All parties, current and former" if include_former else "Current parties"
    title = f"{which} with role '{role}'" if role else which
    return _result(ds, "members", model.Member, rows, title)


def offices(ds: model.Dataset, *, kind: str | None = None) -> Result:
    rows = [o for o in ds.offices if kind is None or o.kind == kind]
    return _result(ds, "offices", model.Office, rows, "Headquarters and branch offices")


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
    return _result(ds, "history", model.Event, rows, f"Chronology{span}", eras=eras)


def initiatives(ds: model.Dataset, *, status: str | None = None) -> Result:
    rows = [i for i in ds.initiatives if status is None or i.status == status]
    return _result(ds, "initiatives", model.Initiative, rows, "Targeted Initiative pipeline")


def programs(ds: model.Dataset) -> Result:
    return _result(ds, "programs", model.Program, ds.programs, "Supporting programs")


def regimes(ds: model.Dataset) -> Result:
    return _result(ds, "regimes", model.Regime, ds.regimes, "Non-proliferation regimes supported")


def figures(ds: model.Dataset) -> Result:
    return _result(ds, "figures", model.Figure, ds.figures, "Activity figures")


def mission(ds: model.Dataset, *, part: str | None = None) -> Result:
    rows = [m for m in ds.mission if part is None or m.part == part]
    return _result(ds, "mission", model.MissionItem, rows, "Vision, mission and objectives")


def strategy(ds: model.Dataset, *, area: str | None = None) -> Result:
    rows = [s for s in ds.strategy if area is None or s.area == area]
    return _result(ds, "strategy", model.StrategyItem, rows, "Strategy, outreach and regions")


def statement(ds: model.Dataset, *, part: str | None = None) -> Result:
    rows = [s for s in ds.statement if part is None or s.part == part]
    return _result(ds, "statement", model.Statement, rows, "Press release: accusation and rebuttal")


def sources(ds: model.Dataset, *, kind: str | None = None) -> Result:
    rows = [s for s in ds.sources if kind is None or s.kind == kind]
    n_primary = sum(1 for s in rows if s.kind == "primary")
    caption = f"{len(rows)} sources, {n_primary} primary."
    return _result(ds, "sources", model.Source, rows, "Sources", caption)


# ---------------------------------------------------------------- about


def about(ds: model.Dataset, *, path: str) -> Result:
    org = ds.organization
    hq = next((h for h in org.headquarters if h.until is None), org.headquarters[0])
    current = [m for m in ds.members if m.status == "current"]
    figures_as_of = [f.as_of for f in ds.figures if f.as_of]
    dated = [e.date for e in ds.history]
    headline = tuple(f for f in ds.figures if f.as_of)[:4] or tuple(ds.figures[:4])
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
            f"{h.city} ({h.since or '?'} to {h.until})" for h in org.headquarters if h.until
        ),
        parties=len(current),
        party_names=tuple(m.name for m in current),
        founders=org.founders,
        board_members=tuple(m.name for m in current if "board" in m.roles),
        office_hosts=tuple(m.name for m in current if "office-host" in m.roles),
        former_parties=tuple(
            f"{m.name} (left {m.left})" if m.left else m.name
            for m in ds.members
            if m.status == "former"
        ),
        branch_offices=tuple(f"{o.city} ({o.country})" for o in ds.offices if o.kind == "branch"),
        sister_center=f"{sister.name} ({sister.acronym}), {sister.headquarters}"
        if sister
        else None,
        headline_figures=headline,
        figures_as_of=max(figures_as_of) if figures_as_of else None,
        data_as_of=max(dated) if dated else None,
        dataset_version=ds.meta.version,
        source_count=len(ds.sources),
        dataset_path=path,
        source=org.source,
        see_also=org.see_also,
    )
    return _result(ds, "about", model.About, [record], org.name)


# ---------------------------------------------------------------- search

# The dataset's listed sections, each searched under the command that lists it
# (the command and the section share their name); the organisation counts as "about".
SECTIONS = (
    "members", "offices", "history", "figures", "programs", "regimes",
    "initiatives", "mission", "strategy", "statement", "sources",
)  # fmt: skip


def _texts(record: model.Record, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field, text) for every searchable text in a record, nested records included."""
    for spec in fields_of(type(record)):
        if spec.type.semantic in ("ref", "refs"):
            continue  # source ids would match everything; `istc sources` lists them
        value = getattr(record, spec.name)
        name = prefix + spec.name
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield name, str(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, model.Record):
                    yield from _texts(item, f"{name}.")
                elif isinstance(item, str):
                    yield name, item
        elif isinstance(value, model.Record):
            yield from _texts(value, f"{name}.")


def _records_by_section(ds: model.Dataset) -> Iterator[tuple[str, model.Record]]:
    yield "about", ds.organization
    for section in SECTIONS:
        for record in getattr(ds, section):
            yield section, record


def _label(record: model.Record) -> str:
    return str(getattr(record, record.label_field, "") or getattr(record, "name", ""))


def search(ds: model.Dataset, text: str) -> Result:
    pattern = re.compile(re.escape(text), re.IGNORECASE)
    hits = [
        model.SearchHit(
            section=section,
            record=_label(record),
            field=name,
            text=value,
            source=getattr(record, "source", "") or "",
        )
        for section, record in _records_by_section(ds)
        for name, value in _texts(record)
        if pattern.search(value)
    ]
    message = None
    if not hits:
        from .suggest import closest

        message = f"No match for '{text}'."
        near = closest(text, vocabulary(ds), cutoff=0.7)
        if near:
            message += " Did you mean: " + ", ".join(f"'{w}'" for w in near) + "?"
    return _result(
        ds,
        "search",
        model.SearchHit,
        hits,
        f"Search: {text}",
        highlight=text,
        empty_message=message,
        empty_exit=1,
    )


def vocabulary(ds: model.Dataset) -> set[str]:
    """Every word of the dataset's searchable text (for suggestions)."""
    words: set[str] = set()
    for _, record in _records_by_section(ds):
        for _, value in _texts(record):
            words.update(w for w in re.findall(r"[^\W\d_][\w'-]*", value) if len(w) > 2)
    return words
