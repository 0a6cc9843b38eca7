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

import re

from . import model, search
from .field_types import fields_of
from .queries import Result, make_result
from .rows import human_amount
from .safe_text import counted
from .status import ExitStatus

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from .model import views

# What a record's text is, and which of its fields can name an entity: by role.
_ROLE = model.FieldRole
_TEXT_ROLES = (_ROLE.MAIN, _ROLE.NAME, _ROLE.NOTE, _ROLE.TEXT)


def catalogue(ds: model.Dataset) -> Iterator[tuple[str, model.Record]]:
    """Every record with an id, nested ones included, with the section that holds it."""
    yield from _organisation(ds)
    for section in search.SECTIONS:
        for record in getattr(ds, section):
            yield section, record


def _organisation(ds: model.Dataset) -> Iterator[tuple[str, model.Record]]:
    """The organisation and its sister center: the catalogue's head."""
    org = ds.organization
    yield "about", org
    if org.sister_center is not None:
        yield "sister_center", org.sister_center


def record_id(record: model.Record) -> str:
    return str(getattr(record, "id", "") or "")


def names(section: str, record: model.Record, *, codes: bool = True) -> list[str]:
    """The names a record is known by: its class's `named_by` fields (model), and with
    `codes` its `join_fields` (ISO codes, a Wikidata item), which name it exactly but
    are no name to look for in prose."""
    out: list[str] = []
    cls = type(record)
    for name in (*cls.named_by, *cls.join_fields) if codes else cls.named_by:
        value = getattr(record, name, None)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(v for v in value if isinstance(v, str))
    return out


def label(record: model.Record) -> str:
    if isinstance(record, model.Source):
        return record.title
    return str(getattr(record, record.label_field, "") or getattr(record, "name", ""))


def _date(record: model.Record) -> str | None:
    """The record's first date (by role, in declaration order); a source's own date
    only, never the date it holds as of or the day its page was read: an undated
    source has none."""
    if isinstance(record, model.Source):
        return record.date
    for name in model.fields_with(type(record), _ROLE.DATE):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return None


def _main_text(record: model.Record) -> tuple[str, str]:
    """(field, text) that says what the record is: its main text, else its name, else
    its note."""
    for role in (_ROLE.MAIN, _ROLE.NAME, _ROLE.NOTE):
        for name in model.fields_with(type(record), role):
            value = getattr(record, name, None)
            if isinstance(value, str):
                return name, value
    return record.label_field, label(record)


# ---------------------------------------------------------------- resolving the query


def _spelled(name: str) -> str:
    """A name as `show` compares it whole: in any case, its words apart however they are
    joined ("Nur Sultan" is "Nur-Sultan"), its other characters kept ("S&T")."""
    return " ".join(re.split(r"[\s\-\u2010-\u2015]+", name.casefold().strip()))


def resolve(ds: model.Dataset, query: str) -> tuple[list[tuple[str, model.Record]], bool]:
    """(matched records with their sections, ambiguous?) for a name or an id."""
    wanted = query.strip()
    lowered = _spelled(wanted)
    terms = set(search.query_terms(wanted))
    records = list(catalogue(ds))
    by_id = [(s, r) for s, r in records if record_id(r) == wanted.lower()]
    if by_id:
        return by_id, False
    exact = [(s, r) for s, r in records if any(_spelled(n) == lowered for n in names(s, r))]
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


def _whole_words(names: list[str]) -> re.Pattern[str] | None:
    """A pattern finding any of `names` as a whole word: not inside another word, a
    number or an amount (`EU` in `the EU's`, never in `EUR` or `EU$`). None for none."""
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w$])(?:{alternatives})(?![\w$])")


class _Names:
    """The names of the matched entities, ready to test a record's fields against."""

    def __init__(self, wanted: list[str]) -> None:
        self.long = [search.text_terms(n) for n in wanted if len(n) > 3]
        self.short = _whole_words([n for n in wanted if len(n) <= 3])


def _mentions(record: model.Record, names: _Names) -> tuple[str, str, str] | None:
    """(field, text, source) of the first field of `record` that names one of `names`."""
    long_names, short = names.long, names.short
    for value in search.values(record):  # its source is only worked out for a mention
        if value.record is not record or value.field == "value":
            continue  # a number never names an entity
        text = value.shown()
        held = value.terms() if long_names else frozenset()
        if any(terms and terms <= held for terms in long_names) or (
            short is not None and short.search(text) is not None
        ):
            source = value.stated()[0]
            if model.role_of(type(record), value.name) not in _TEXT_ROLES:
                return value.field, _main_text(record)[1], source  # by, against...
            return value.field, text, source
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
) -> views.ShowRecord:
    from .model import views  # made by `show` only: `cite` reads the catalogue here

    return views.ShowRecord(
        match=match,
        relation=relation,
        section=section,
        id=record_id(record),
        name=label(record),
        date=_date(record),
        field=field,
        text=text,
        source=source,
        locator=_place(record, field, source),
        amount=human_amount(record) if isinstance(record, model.Figure) else None,
    )


def _place(record: model.Record, field: str, source: str) -> str | None:
    """The place in `source` of the fact a related record shows: the field's own where
    that source states it, the record's where it is the record's source, else none (a
    place in one document is never shown against another)."""
    stated, place = model.stated_by(record, field.rsplit(".", 1)[-1])
    if stated == source:
        return place
    return getattr(record, "locator", None) if source == getattr(record, "source", None) else None


def related(ds: model.Dataset, matches: list[tuple[str, model.Record]]) -> list[views.ShowRecord]:
    """Every record related to the matched entities, in dataset order, each once."""
    matched = {id(r) for _, r in matches}
    first = record_id(matches[0][1])
    wanted = [n for s, r in matches for n in names(s, r, codes=False) if s != "sources"]
    countries = {
        n.casefold() for s, r in matches if s == "members" for n in names(s, r, codes=False)
    }
    source_ids = [record_id(r) for s, r in matches if s == "sources"]
    named = _Names(wanted)
    out: list[views.ShowRecord] = []
    for section, record in catalogue(ds):
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
            mention = _mentions(record, named)
            if mention is not None:
                field, text, source = mention
                source = source or record_id(record)  # a source record stands for itself
                out.append(_show_record(first, "mentions", section, record, field, text, source))
    out.sort(key=lambda r: r.relation != "self")  # the entity itself first; stable otherwise
    return out


def _vocabulary(ds: model.Dataset) -> set[str]:
    """Every name and id `show` resolves, for suggestions."""
    words: set[str] = set()
    for section, record in catalogue(ds):
        words.update(names(section, record))
        words.add(record_id(record))
    return words


# ---------------------------------------------------------------- the query


def show(ds: model.Dataset, query: str, at: str | None = None) -> Result:
    from .model import views

    matches, ambiguous = resolve(ds, query)
    shown = [views.ShowMatch(id=record_id(r), section=s, name=label(r)) for s, r in matches]
    records = related(ds, matches) if matches and not ambiguous else []
    notice = None
    if not matches:
        from .safe_text import quote
        from .suggest import closest

        near = closest(query, _vocabulary(ds), cutoff=0.6)
        notice = f"No entity or id matches {quote(query)}."
        if near:
            notice += " Did you mean: " + ", ".join(quote(n) for n in near) + "?"
    elif ambiguous:
        from .safe_text import quote

        notice = f"{quote(query)} names {len(shown)} different entities; show one by its id: " + (
            ", ".join(f"{m.id} ({m.name})" for m in shown)
        )
    facts = [c for _, r in matches for c in model.credits_of(r)] if records else []
    standings: list[views.StandingAt] = []
    if at is not None and records:  # what held then, as every view answers it
        from .model import time

        moment = time.at(ds, at)
        for _, record in matches:
            found = moment.of(record)
            if found is not None:
                standings.append(
                    views.StandingAt(
                        record=record_id(record), standing=found.word, evidence=found.evidence
                    )
                )
    profile = views.Profile(
        query=query,
        ambiguous=ambiguous,
        matches=tuple(shown),
        records=tuple(records),
        facts=tuple(facts),
        at=at,
        standings=tuple(standings),
    )
    title = ", ".join(dict.fromkeys(m.name for m in shown)) or query
    return make_result(
        ds,
        "show",
        views.Profile,
        [profile],
        f"Everything on {title}",
        caption=f"{counted(len(records), 'record')} in "
        f"{counted(len({r.section for r in records}), 'section')}.",
        notice=notice,
        exit_code=ExitStatus.FAILED if notice else ExitStatus.OK,
        nothing_for_people=bool(notice),
    )
