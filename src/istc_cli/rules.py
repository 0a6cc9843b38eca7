"""Rules across fields and records: one pass over the loaded plain data.

The reader (`validate`) turns YAML into plain data that follows each field's type,
and records where each record and each of its values stood. The rules here read that
data whole, after the reading, and report each problem at the value that breaks it:

- a current member has no `left` date, and no one left before they joined;
- no two records of a section share their key (`name`, `date` and `event`...);
- every record id is unique across the dataset;
- every source reference names a source of the dataset;
- a per-item list (`attested_sources`, `roles_locators`) has one entry per item of its
  list, `derived` names the record's fields, and each of `conflicts` names a field of
  the record and, for a date field, gives a date;
- claims (`model.claims`): no claim is about a date later than its document's own date,
  unless it is worked out or a decision about the future; a worked-out field names the
  documents it rests on (`X_from`); a term or an extension has a positive length;
- joinable ids: a Wikidata id is `Q` and a number; a party's `iso2` and `iso3` are
  codes ISO 3166-1 assigns (pycountry's table), both of one country;
- Board meetings: attendees and the rotating seat's holder are party ids, the holder
  among the attendees of a full list, the chair an officer id; a meeting's totals are
  its figures.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import model
from .field_types import fields_of
from .problems import is_valid_date
from .safe_text import quote
from .suggest import did_you_mean


@dataclass(slots=True)
class Place:
    """Where a record stood: its path, its own line and column, each key's."""

    path: str
    at: tuple[int, int]
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)

    def of(self, key: str) -> tuple[str, tuple[int, int]]:
        """The path and position of one of the record's values (the record's own where
        the key was not written)."""
        return f"{self.path}.{key}" if self.path else key, self.keys.get(key, self.at)


Found = tuple[str, tuple[int, int], str]
"""A problem: the path, the (line, column) and the message."""


def check(data: dict[str, Any], places: dict[int, Place]) -> Iterator[Found]:
    """Every problem of the rules, for data read with `places` (by the id of each
    record's dict)."""
    sources = data.get("sources") or []
    known = [s["id"] for s in sources if isinstance(s, dict) and isinstance(s.get("id"), str)]
    known_set = set(known)
    ids: dict[str, str] = {}
    dates = {
        s["id"]: s.get("date") or s.get("as_of")
        for s in sources
        if isinstance(s, dict) and isinstance(s.get("id"), str)
    }
    yield from _duplicates(model.Dataset, data, places)
    yield from _meetings(data, places)
    for cls, record, place in _records(model.Dataset, data, places):
        yield from _duplicates(cls, record, places)
        yield from _member(cls, record, place)
        yield from _ids(cls, record, place)
        yield from _statements(cls, record, place)
        yield from _claims(cls, record, place, dates)
        for spec in fields_of(cls):
            if spec.type.semantic not in ("ref", "refs"):
                continue
            value = record.get(spec.name)
            cited = value if isinstance(value, list) else [value]
            for n, ref in enumerate(cited):
                if isinstance(ref, str) and ref not in known_set:
                    path, at = place.of(spec.name)
                    if isinstance(value, list):
                        path = f"{path}[{n}]"
                    yield path, at, f"unknown source id {quote(ref)}.{did_you_mean(ref, known)}"
        record_id = record.get("id")
        if isinstance(record_id, str) and "id" in {f.name for f in fields_of(cls)}:
            first = ids.get(record_id)
            if first is None:  # named where the id stands, or by the record that derives it
                ids[record_id] = place.of("id")[0] if "id" in place.keys else place.path
            elif not (getattr(cls, "key", ()) == ("id",) and _same_section(first, place.path)):
                path, at = place.of("id")
                yield path, at, f"duplicate id {quote(record_id)}; {first} has it too"


def _same_section(first: str, path: str) -> bool:
    """Two records of one section (a duplicate key, reported as such)."""
    return first.split("[")[0].split(".")[0] == path.split("[")[0].split(".")[0]


def _holders(cls: type, record: dict[str, Any]) -> Iterator[tuple[type, Any]]:
    """Each value of `record` that holds records (a list of them, or one), with their
    class."""
    for spec in fields_of(cls):
        value = record.get(spec.name)
        item = spec.type.item if spec.type.kind == "list" else spec.type
        if item is not None and item.record is not None and value is not None:
            yield item.record, value


def _records(
    cls: type, record: dict[str, Any], places: dict[int, Place]
) -> Iterator[tuple[type, dict[str, Any], Place]]:
    """Every record below `record` (itself included, unless it is the dataset), with
    its class and place."""
    place = places.get(id(record))
    if place is not None and cls is not model.Dataset:
        yield cls, record, place
    for item_cls, value in _holders(cls, record):
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, dict):
                yield from _records(item_cls, entry, places)


def _duplicates(cls: type, record: dict[str, Any], places: dict[int, Place]) -> Iterator[Found]:
    """Records of one list of `record` that share their key (`key` on the model), at
    the later one."""
    for item_cls, value in _holders(cls, record):
        key_fields: tuple[str, ...] = getattr(item_cls, "key", ())
        if not key_fields or not isinstance(value, list):
            continue
        first: dict[tuple[Any, ...], str] = {}
        for entry in value:
            place = places.get(id(entry)) if isinstance(entry, dict) else None
            if place is None or any(entry.get(k) is None for k in key_fields):
                continue
            key = tuple(entry[k] for k in key_fields)
            if key in first:
                what = ", ".join(
                    f"{k} {quote(str(v))}" for k, v in zip(key_fields, key, strict=True)
                )
                yield place.path, place.at, f"duplicate record: same {what} as {first[key]}"
            else:
                first[key] = place.path


def _member(cls: type, record: dict[str, Any], place: Place) -> Iterator[Found]:
    if cls is not model.Member:
        return
    left, joined = record.get("left"), record.get("joined")
    if record.get("status") == "current" and left:
        path, at = place.of("left")
        yield path, at, "a current member cannot have a 'left' date"
    if isinstance(left, str) and isinstance(joined, str) and before(left, joined):
        path, at = place.of("left")
        yield path, at, f"left ({left}) before it joined ({joined})"


_WIKIDATA = re.compile(r"Q[1-9][0-9]*\Z")
_ISO = {"iso2": re.compile(r"[A-Z]{2}\Z"), "iso3": re.compile(r"[A-Z]{3}\Z")}


def _ids(cls: type, record: dict[str, Any], place: Place) -> Iterator[Found]:
    """A Wikidata id of the form Q123; ISO 3166-1 codes the standard assigns, the
    alpha-2 and alpha-3 of one country."""
    wikidata = record.get("wikidata")
    if isinstance(wikidata, str) and not _WIKIDATA.match(wikidata):
        path, at = place.of("wikidata")
        yield path, at, f"{quote(wikidata)} is not a Wikidata id: Q and a number, e.g. Q232."
    if cls is not model.Member:
        return
    countries: dict[str, Any] = {}
    for key, kind in (("iso2", "alpha_2"), ("iso3", "alpha_3")):
        code = record.get(key)
        if not isinstance(code, str):
            continue
        path, at = place.of(key)
        if not _ISO[key].match(code):
            yield path, at, f"{quote(code)} is not an ISO 3166-1 {kind.replace('_', '-')} code."
            continue
        import pycountry  # only for a dataset that has codes to check

        country = (
            pycountry.countries.get(alpha_2=code)
            if key == "iso2"
            else pycountry.countries.get(alpha_3=code)
        )
        if country is None:
            yield path, at, f"{quote(code)} is not assigned by ISO 3166-1 (pycountry's table)."
        else:
            countries[key] = country
    if len(countries) == 2 and countries["iso2"].alpha_3 != countries["iso3"].alpha_3:
        path, at = place.of("iso3")
        yield (
            path,
            at,
            (
                f"{quote(record['iso3'])} is not the alpha-3 code of {quote(record['iso2'])} "
                f"(that is {countries['iso2'].alpha_3})."
            ),
        )


def _statements(cls: type, record: dict[str, Any], place: Place) -> Iterator[Found]:
    """The statement conventions of the model (`model.facts`): per-item lists as long as
    their list, `derived` and `conflicts` naming real fields."""
    specs = {spec.name: spec for spec in fields_of(cls)}
    for name in specs:
        for suffix in ("_sources", "_locators"):
            if not name.endswith(suffix):
                continue
            items, per_item = record.get(name[: -len(suffix)]), record.get(name)
            if (
                isinstance(items, list)
                and isinstance(per_item, list)
                and per_item
                and len(per_item) != len(items)
            ):
                path, at = place.of(name)
                yield (
                    path,
                    at,
                    (
                        f"{len(per_item)} entries for {len(items)} items of "
                        f"{quote(name[: -len(suffix)])}; give one per item"
                    ),
                )
    derived = record.get("derived")
    for n, name in enumerate(derived if isinstance(derived, list) else []):
        if isinstance(name, str) and name not in specs:
            path, at = place.of("derived")
            yield f"{path}[{n}]", at, f"{quote(name)} is not a field of this record"
    conflicts = record.get("conflicts")
    for n, other in enumerate(conflicts if isinstance(conflicts, list) else []):
        if not isinstance(other, dict) or not isinstance(other.get("field"), str):
            continue
        path, at = place.of("conflicts")
        spec = specs.get(other["field"])
        if spec is None or not model.states_facts(cls, other["field"]):
            names = [k for k in specs if model.states_facts(cls, k)]
            yield (
                f"{path}[{n}].field",
                at,
                (
                    f"{quote(other['field'])} is not a field of this record."
                    f"{did_you_mean(other['field'], names)}"
                ),
            )
        elif spec.type.semantic == "date" and not (
            isinstance(other.get("value"), str) and is_valid_date(other["value"])
        ):
            yield (
                f"{path}[{n}].value",
                at,
                (
                    f"{quote(str(other.get('value')))} is not a date (YYYY, YYYY-MM or "
                    "YYYY-MM-DD), as the field it disputes"
                ),
            )


class _Plain:
    """A record's plain data read as the model reads a record (`model.stated_by`)."""

    __slots__ = ("_data", "places")

    def __init__(self, cls: type, data: dict[str, Any]) -> None:
        self._data = data
        self.places: dict[str, str] = getattr(cls, "places", {})

    def __getattr__(self, name: str) -> Any:
        return self._data.get(name)


def _claims(
    cls: type, record: dict[str, Any], place: Place, dates: dict[str, Any]
) -> Iterator[Found]:
    """A document attests only what held when it was written: no dated claim later than
    its document's own date, unless worked out or a decision (a plan it announces). A
    worked-out field names what it rests on; a term or extension has a length."""
    if cls in (model.Source, model.Meta, model.Dataset):
        return
    if cls is model.EventClaim:
        yield from _event(record, place, dates)
        return
    specs = fields_of(cls)
    derived = set(_names(record.get("derived")))
    decided = set(_names(record.get("decisions")))
    plain = _Plain(cls, record)
    for n, name in enumerate(_names(record.get("decisions"))):
        if name not in {s.name for s in specs}:
            path, at = place.of("decisions")
            yield f"{path}[{n}]", at, f"{quote(name)} is not a field of this record"
    for name in sorted(derived):
        if any(s.name == f"{name}_from" for s in specs) and not record.get(f"{name}_from"):
            path, at = place.of("derived")
            yield (
                path,
                at,
                (
                    f"{quote(name)} is worked out but names no document it rests on; list them "
                    f"in {quote(name + '_from')}"
                ),
            )
    for spec in specs:
        if spec.type.semantic not in ("date", "dates") or spec.name in derived | decided:
            continue
        if cls is model.Figure and spec.name == "as_of":
            continue  # a figure holds as of a date its document gives, at or before it
        value = record.get(spec.name)
        values = value if isinstance(value, list) else [value]
        for i, date in enumerate(values):
            if not isinstance(date, str) or not is_valid_date(date):
                continue
            source, _ = model.stated_by(plain, spec.name, i if isinstance(value, list) else None)
            written = dates.get(source)
            if isinstance(written, str) and before(written, date):
                path, at = place.of(spec.name)
                where = f"{path}[{i}]" if isinstance(value, list) else path
                yield where, at, _later(date, source, written, spec.name)


def _later(date: str, source: str, written: str, name: str) -> str:
    return (
        f"{date} is later than its document {quote(source)} ({written}): a document attests "
        f"only what held when it was written; mark a plan it announces as a decision "
        f"(`decisions: [{name}]`, or `decision: true` on an event) or a worked-out value "
        f"as derived"
    )


def _event(record: dict[str, Any], place: Place, dates: dict[str, Any]) -> Iterator[Found]:
    kind, months = record.get("kind"), record.get("months")
    if isinstance(months, int) and months <= 0:
        path, at = place.of("months")
        yield path, at, f"a length of {months} months; give a positive number of months"
    if kind == "term" and months is None and not record.get("until"):
        path, at = place.of("kind")
        yield path, at, "a term needs its length (`months`) or its end (`until`)"
    if record.get("decision") or record.get("derived"):
        return
    written = dates.get(str(record.get("source")))
    for name in ("date", "until"):
        date = record.get(name)
        if isinstance(date, str) and isinstance(written, str) and before(written, date):
            path, at = place.of(name)
            yield path, at, _later(date, str(record.get("source")), written, name)


def _names(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _meetings(data: dict[str, Any], places: dict[int, Place]) -> Iterator[Found]:
    """Board meetings name parties and officers by id; the rotating seat's holder is
    among the attendees of a full list; a figure names a meeting that is recorded."""
    parties = {m.get("id") for m in data.get("members") or [] if isinstance(m, dict)}
    officers = {o.get("id") for o in data.get("officers") or [] if isinstance(o, dict)}
    numbers = set()
    for meeting in data.get("meetings") or []:
        place = places.get(id(meeting)) if isinstance(meeting, dict) else None
        if place is None:
            continue
        numbers.add(meeting.get("number"))
        attended = _names(meeting.get("attended"))
        for n, rid in enumerate(attended):
            if rid not in parties:
                path, at = place.of("attended")
                yield f"{path}[{n}]", at, _unknown(rid, "party", parties)
        seat = meeting.get("rotating_seat")
        if isinstance(seat, str) and seat not in parties:
            path, at = place.of("rotating_seat")
            yield path, at, _unknown(seat, "party", parties)
        elif (
            isinstance(seat, str)
            and meeting.get("attended_scope") == "all"
            and seat not in attended
        ):
            path, at = place.of("rotating_seat")
            yield (
                path,
                at,
                (f"{quote(seat)} holds the rotating seat but is not in the full attendance list"),
            )
        chair = meeting.get("chair")
        if isinstance(chair, str) and chair not in officers:
            path, at = place.of("chair")
            yield path, at, _unknown(chair, "officer", officers)
    for figure in data.get("figures") or []:
        place = places.get(id(figure)) if isinstance(figure, dict) else None
        number = figure.get("meeting") if place is not None else None
        if place is not None and isinstance(number, int) and number not in numbers:
            path, at = place.of("meeting")
            yield path, at, f"no meeting numbered {number} is recorded in `meetings`"
    yield from _totals(data, places)


CUMULATIVE = "cumulative-"
"""A measure named so counts a running total, which does not fall without a reason."""


def _totals(data: dict[str, Any], places: dict[int, Place]) -> Iterator[Found]:
    """A running total (a `cumulative-...` measure, in one unit) that falls from one
    date to the next needs a note or remark saying why."""
    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for figure in data.get("figures") or []:
        if not isinstance(figure, dict) or places.get(id(figure)) is None:
            continue
        measure, date, value = figure.get("measure"), figure.get("as_of"), figure.get("value")
        if (
            isinstance(measure, str)
            and measure.startswith(CUMULATIVE)
            and isinstance(date, str)
            and isinstance(value, int | float)
        ):
            series.setdefault((measure, str(figure.get("unit"))), []).append(figure)
    for figures in series.values():
        figures.sort(key=lambda f: str(f["as_of"]))
        for earlier, later in itertools.pairwise(figures):
            explained = later.get("note") or later.get("remark") or later.get("notes")
            falls = later["value"] < earlier["value"]
            if falls and before(earlier["as_of"], later["as_of"]) and not explained:
                path, at = places[id(later)].of("value")
                yield (
                    path,
                    at,
                    (
                        f"a running total that falls from {earlier['value']} "
                        f"({earlier['as_of']}) to {later['value']} ({later['as_of']}); "
                        "say why in a note"
                    ),
                )


def _unknown(rid: str, what: str, known: set[Any]) -> str:
    names = sorted(k for k in known if isinstance(k, str))
    return f"{quote(rid)} is not the id of a {what}.{did_you_mean(rid, names)}"


def before(a: str, b: str) -> bool:
    """True when partial date `a` is surely before `b`: at the precision both give
    ("2012" is before "2013-05"; "2013" is not before "2013-05", nor after it)."""
    common = min(len(a), len(b))
    return a[:common] < b[:common]
