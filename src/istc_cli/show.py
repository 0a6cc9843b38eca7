"""`istc show NAME|ID`: everything the dataset says about one entity, across sections.

An entity is a party (by name or alias: `russia`), an office or headquarters (by
city), the organisation or its sister center, a source (by id or title), an officer,
a glossary term, or any record by its exact id (`member:armenia`). Related records:

- self: the entity's own record(s);
- located-in: the offices and headquarters in a party's country;
- mentions: every record whose text names the entity (words matched as `search`
  matches them; a short name such as "US" only as a whole word in its own case);
- cites: for a source, every record that cites it as `source`, in `see_also`, or as
  the source of one field (`note_source`, `joined_source`, `left_source`).
"""

from __future__ import annotations

from . import model, search
from .queries import Result, make_result
from .spec import builder, fields_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, TypeAlias

# The sections whose records are entities people name, and the fields that name them.
_NAMES = {
    "members": ("name", "aliases"),
    "offices": ("city",),
    "headquarters": ("city",),
    "about": ("acronym", "name"),
    "sister_center": ("acronym", "name"),
    "sources": ("id", "title"),
    "officers": ("name",),
    "glossary": ("term", "stands_for"),
}
_DATE_FIELDS = ("date", "since", "as_of", "joined")
_TEXT_FIELDS = frozenset(
    {"event", "text", "summary", "note", "title", "stands_for", "name", "city", "purpose"}
)


def catalogue(ds: model.Dataset) -> Iterator[tuple[str, model.Record]]:
    """Every record with an id, nested ones included, with the section that holds it."""
    yield from _organisation(ds)
    for section in search.SECTIONS:
        for record in getattr(ds, section):
            yield section, record


def _organisation(ds: model.Dataset) -> Iterator[tuple[str, model.Record]]:
    """The organisation, its headquarters and its sister center: the catalogue's head."""
    org = ds.organization
    yield "about", org
    for hq in org.headquarters:
        yield "headquarters", hq
    if org.sister_center is not None:
        yield "sister_center", org.sister_center


_Keep: TypeAlias = "Callable[[str, type, dict[str, Any]], bool]"


class _Catalogue:
    """The catalogue of one `show`, for a dataset whose sections may not be built yet
    (a cached one): such a section's records are first checked on their plain data,
    and a record is built only if the check lets it through, once (so a record found
    by one pass is the same object in the next)."""

    def __init__(self, ds: model.Dataset) -> None:
        self.ds = ds
        self.built: dict[tuple[str, int], model.Record] = {}

    def records(
        self, keep: _Keep | None = None, only: dict[str, set[int]] | None = None
    ) -> Iterator[tuple[str, model.Record]]:
        """`catalogue(ds)` in its order, less the unbuilt records that `keep` (a check
        that never refuses a record the caller looks for) refuses, and, in an unbuilt
        section `only` names, the records not at the positions it gives. A section
        built already is read whole: its records are the ones a match may be."""
        ds = self.ds
        unbuilt = getattr(ds, "unbuilt", None)
        pending = getattr(ds, "pending", None)
        yield from _organisation(ds)
        for section in search.SECTIONS:
            if only is not None and not only.get(section, True) and pending and pending(section):
                continue  # no record of it to look at: left packed
            plain = unbuilt(section) if unbuilt is not None else None
            if plain is None:
                for record in getattr(ds, section):
                    yield section, record
                continue
            cls = search.section_type(model.Dataset, section)
            make = builder(cls)
            positions = sorted(only[section]) if only and section in only else range(len(plain))
            for n in positions:
                data = plain[n]
                if keep is None or keep(section, cls, data):
                    record = self.built.get((section, n))
                    if record is None:
                        record = self.built[section, n] = make(data)
                    yield section, record


def record_id(record: model.Record) -> str:
    return str(getattr(record, "id", "") or "")


def names(section: str, record: model.Record) -> list[str]:
    return _names(section, lambda name: getattr(record, name, None))


def _plain_names(section: str, data: dict[str, Any]) -> list[str]:
    """`names` of the record that plain data builds."""
    return _names(section, data.get)


def _names(section: str, value_of: Callable[[str], Any]) -> list[str]:
    """The names a record of `section` is known by, its fields read by `value_of`."""
    out: list[str] = []
    for name in _NAMES.get(section, ()):
        value = value_of(name)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, tuple | list):  # a record's tuple, plain data's list
            out.extend(v for v in value if isinstance(v, str))
    return out


def label(record: model.Record) -> str:
    if isinstance(record, model.Source):
        return record.title
    return str(getattr(record, record.label_field, "") or getattr(record, "name", ""))


def _date(record: model.Record) -> str | None:
    for name in _DATE_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return None


def _main_text(record: model.Record) -> tuple[str, str]:
    """(field, text) that says what the record is."""
    for name in ("event", "text", "summary", "name", "city", "title", "stands_for", "note"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return name, value
    return record.label_field, label(record)


# ---------------------------------------------------------------- resolving the query


def resolve(
    ds: model.Dataset, query: str, found: _Catalogue | None = None
) -> tuple[list[tuple[str, model.Record]], bool]:
    """(matched records with their sections, ambiguous?) for a name or an id."""
    wanted = query.strip()
    lowered = wanted.casefold()
    terms = set(search.query_terms(wanted))
    holds_terms = search.NamesProbe([terms], [])  # a name that cannot hold them is not split

    def may_match(section: str, cls: type, data: dict[str, Any]) -> bool:
        """Whether the record may match by id, by name, or by the words of a name."""
        if str(data.get("id") or "") == wanted.lower():
            return True
        return any(
            n.casefold() == lowered or (terms and holds_terms(n) and terms <= search.text_terms(n))
            for n in _plain_names(section, data)
        )

    # Where the search index has the records' ids, a section whose records no name
    # names is looked at only where an id is the one asked for.
    ids = search.record_ids(ds)
    only = (
        None
        if ids is None
        else {
            section: {n for n, i in enumerate(known) if i == wanted.lower()}
            for section, known in ids.items()
            if section not in _NAMES
        }
    )
    records = list((found or _Catalogue(ds)).records(may_match, only))
    by_id = [(s, r) for s, r in records if record_id(r) == wanted.lower()]
    if by_id:
        return by_id, False
    exact = [(s, r) for s, r in records if any(n.casefold() == lowered for n in names(s, r))]
    candidates = exact
    if not candidates:
        candidates = [
            (s, r)
            for s, r in records
            if terms and any(terms <= search.text_terms(n) for n in names(s, r))
        ]
    distinct = {label(r).casefold() for _, r in candidates}
    return candidates, len(distinct) > 1


# ---------------------------------------------------------------- related records


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "_$"


def _names_whole(name: str, text: str) -> bool:
    """True if text holds name as a whole word: not inside another word, a number or
    an amount (`EU` in `the EU's`, never in `EUR` or `EU$`); `(?<![\\w$])NAME(?![\\w$])`
    as a regular expression, without the re module's import."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        before = text[at - 1] if at else ""
        after = text[end] if end < len(text) else ""
        if not (before and _word_char(before)) and not (after and _word_char(after)):
            return True
        at = text.find(name, at + 1)
    return False


class _Names:
    """The names of the matched entities, ready to test a record's fields against."""

    def __init__(self, wanted: list[str], prefilter: bool = True) -> None:
        self.long = [search.text_terms(n) for n in wanted if len(n) > 3]
        self.short = [n for n in wanted if len(n) <= 3]
        # A text that cannot hold all the words of one of the names is passed over unsplit.
        self.probe = search.NamesProbe(self.long, self.short) if prefilter else None


def _mentions(section: str, record: model.Record, names: _Names) -> tuple[str, str, str] | None:
    """(field, text, source) of the first field of `record` that names one of `names`."""
    long_names, short = names.long, names.short
    for entry in search.entries(record, section, probe=names.probe):
        if entry.record is not record or not isinstance(entry.text, str):
            continue
        if any(terms and terms <= entry.terms for terms in long_names) or any(
            _names_whole(n, entry.text) for n in short
        ):
            if entry.field == "value":
                continue  # a number never names an entity
            if entry.field.rsplit(".", 1)[-1] not in _TEXT_FIELDS:
                return entry.field, _main_text(record)[1], entry.source  # by, against...
            return entry.field, entry.text, entry.source
    return None


def _citations(record: model.Record, source_id: str) -> str | None:
    """The field by which `record` cites `source_id`, if it does."""
    for spec in fields_of(type(record)):
        if spec.type.semantic not in ("ref", "refs"):
            continue
        value = getattr(record, spec.name)
        if value == source_id or (isinstance(value, tuple) and source_id in value):
            return spec.name
    return None


def _show_record(
    match: str,
    relation: str,
    section: str,
    record: model.Record,
    field: str,
    text: str,
    source: str,
) -> model.ShowRecord:
    return model.ShowRecord(
        match=match,
        relation=relation,
        section=section,
        id=record_id(record),
        name=label(record),
        date=_date(record),
        field=field,
        text=text,
        source=source,
        locator=getattr(record, "locator", None),
    )


def related(
    ds: model.Dataset,
    matches: list[tuple[str, model.Record]],
    found: _Catalogue | None = None,
    *,
    prefilter: bool = True,
) -> list[model.ShowRecord]:
    """Every record related to the matched entities, in dataset order, each once.
    `found` is the catalogue `resolve` read the matches from (the same records)."""
    matched = {id(r) for _, r in matches}
    first = record_id(matches[0][1])
    wanted = [n for s, r in matches for n in names(s, r) if s != "sources"]
    countries = {n.casefold() for s, r in matches if s == "members" for n in names(s, r)}
    source_ids = [record_id(r) for s, r in matches if s == "sources"]
    named = _Names(wanted, prefilter)
    probe = named.probe
    refs: dict[type, list[str]] = {}

    def may_relate(section: str, cls: type, data: dict[str, Any]) -> bool:
        """Whether the record may be related: matched, in a matched country, citing a
        matched source, or holding a text that may name a matched entity."""
        if (section, data.get("id")) in matched_ids:
            return True
        country = data.get("country")
        if isinstance(country, str) and country.casefold() in countries:
            return True
        if source_ids:
            fields = refs.get(cls)
            if fields is None:
                fields = refs[cls] = [
                    f.name for f in fields_of(cls) if f.type.semantic in ("ref", "refs")
                ]
            for name in fields:
                value = data.get(name)
                cited = value if isinstance(value, list) else [value]
                if any(sid in cited for sid in source_ids):
                    return True
        return probe is None or (bool(wanted) and search.may_hold(cls, data, probe))

    matched_ids = {(s, record_id(r)) for s, r in matches}
    only = _pointed(ds, named, countries, found) if prefilter and not source_ids else None
    catalogued = (found or _Catalogue(ds)).records(may_relate if prefilter else None, only)
    out: list[model.ShowRecord] = []
    for section, record in catalogued:
        if id(record) in matched:
            field, text = _main_text(record)
            own = str(getattr(record, "source", "") or record_id(record))
            out.append(_show_record(record_id(record), "self", section, record, field, text, own))
            continue
        country = getattr(record, "country", None)
        if isinstance(country, str) and country.casefold() in countries:
            field, text = _main_text(record)
            own = str(getattr(record, "source", "") or "")
            out.append(_show_record(first, "located-in", section, record, "country", text, own))
            continue
        cited = next(
            ((sid, f) for sid in source_ids if (f := _citations(record, sid)) is not None), None
        )
        if cited is not None:
            _, text = _main_text(record)
            out.append(_show_record(cited[0], "cites", section, record, cited[1], text, cited[0]))
            continue
        if wanted:
            mention = _mentions(section, record, named)
            if mention is not None:
                field, text, source = mention
                source = source or record_id(record)  # a source record stands for itself
                out.append(_show_record(first, "mentions", section, record, field, text, source))
    out.sort(key=lambda r: r.relation != "self")  # the entity itself first; stable otherwise
    return out


def _vocabulary(ds: model.Dataset) -> set[str]:
    """Every name and id `show` resolves, for suggestions: a cached section's read from
    its plain data, with no record built."""
    words: set[str] = set()
    for section, record in _organisation(ds):
        words.update(names(section, record))
        words.add(record_id(record))
    unbuilt = getattr(ds, "unbuilt", None)
    ids = search.record_ids(ds)  # the search index has them: no section unpacked for ids
    for section in search.SECTIONS:
        if ids is not None and section not in _NAMES:
            words.update(ids[section])
            continue
        plain = unbuilt(section) if unbuilt is not None else None
        if plain is None:
            for record in getattr(ds, section):
                words.update(names(section, record))
                words.add(record_id(record))
            continue
        for data in plain:
            words.update(_plain_names(section, data))
            words.add(str(data.get("id") or ""))
    return words


def _pointed(
    ds: model.Dataset, named: _Names, countries: set[str], found: _Catalogue | None
) -> dict[str, set[int]] | None:
    """The positions, section by section, of the records that may relate to the matched
    entities, from the search index: those holding a needle of the names' probe, those
    in a matched country, and the matched records themselves. None without an index."""
    pointed = search.candidates(ds, named.probe) if found is not None else None
    if pointed is None or found is None:
        return None
    only = {section: set(hits) for section, (hits, _) in pointed.items()}
    for section, n in found.built:  # the matched records, and others resolve built
        only.setdefault(section, set()).add(n)
    unbuilt = getattr(ds, "unbuilt", None)
    for section in only:
        cls = search.section_type(model.Dataset, section)
        if countries and unbuilt is not None and any(f.name == "country" for f in fields_of(cls)):
            plain = unbuilt(section) or []
            only[section].update(
                n
                for n, data in enumerate(plain)
                if isinstance(data.get("country"), str) and data["country"].casefold() in countries
            )
    return only


# ---------------------------------------------------------------- the query


def show(ds: model.Dataset, query: str) -> Result:
    found = _Catalogue(ds)
    matches, ambiguous = resolve(ds, query, found)
    shown = [model.ShowMatch(id=record_id(r), section=s, name=label(r)) for s, r in matches]
    records = related(ds, matches, found) if matches and not ambiguous else []
    notice = None
    if not matches:
        from .suggest import closest
        from .text import quote

        near = closest(query, _vocabulary(ds), cutoff=0.6)
        notice = f"No entity or id matches {quote(query)}."
        if near:
            notice += " Did you mean: " + ", ".join(quote(n) for n in near) + "?"
    elif ambiguous:
        from .text import quote

        notice = f"{quote(query)} names {len(shown)} different entities; show one by its id: " + (
            ", ".join(f"{m.id} ({m.name})" for m in shown)
        )
    profile = model.Profile(
        query=query, ambiguous=ambiguous, matches=tuple(shown), records=tuple(records)
    )
    title = ", ".join(dict.fromkeys(m.name for m in shown)) or query
    return make_result(
        ds,
        "show",
        model.Profile,
        [profile],
        f"Everything on {title}",
        caption=f"{len(records)} records in {len({r.section for r in records})} sections.",
        notice=notice,
        exit_code=1 if notice else 0,
        nothing_for_people=bool(notice),
    )
