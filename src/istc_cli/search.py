"""Search: find a fact the way the sources and people word it.

Every searchable value of a record is turned into *terms* once, in a single pass:

- words are lower-cased and reduced to a simple stem, so plurals and past forms meet
  ("regimes" finds "regime", "founded" finds "found", "Targeted" finds "target");
- hyphenated words also count as one word ("nonproliferation" finds
  "non-proliferation", "nur-sultan" finds "Nur-Sultan");
- the sources' own spellings are aliases of the corrected ones ("Caucuses" finds
  "Caucasus");
- dates count as people write them: "1994-03" is also "March 1994";
- numbers count as people write them: 1200000000 is also "1.2 billion" and "1.2 bn",
  569400000 is "569.4 million", "4,200" is 4200, "1,2" (a decimal comma) is 1.2.

A query is split into terms the same way, and a record is a hit when it holds every
term, in any of its fields. Hits are ranked: a record whose main field states the
fact comes before one whose note or locator only mentions it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import model
from .field_types import fields_of, listed_sections

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from collections.abc import Set as AbstractSet
    from typing import Any

_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:-[^\W\d_]+)*")


def tokens(text: str) -> list[str]:
    """The tokens of text: numbers (4,200 or 1.2) and words (hyphenated ones whole)."""
    return _TOKEN.findall(text)


MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_ALIASES = {
    # the sources' own spellings, kept as aliases of the corrected ones
    "caucuses": "caucasus",
    # abbreviations people write
    "bn": "billion",
    "m": "million",
    "mn": "million",
    "usd": "us",
    **{m[:3]: m for m in MONTHS},
    "sept": "september",
}


def stem(word: str) -> str:
    """A light stem: enough for the plural and past forms of English words (each word
    worked out once per run: a text's words repeat across a dataset)."""
    known = _STEMS.get(word)
    if known is None:
        known = _STEMS[word] = _stem(word)
    return known


_STEMS: dict[str, str] = {}


def _stem(word: str) -> str:
    word = _ALIASES.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if word.endswith("ed") and len(word) > 4:
        base = word[:-2]
        if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "aeiouls":
            base = base[:-1]  # planned -> plan
        return base
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    return word


def _number(token: str) -> str:
    """'4,200' -> '4200' (thousands); '1,2' -> '1.2' (a decimal comma); '569.40' kept."""
    if "," in token:
        head, *groups = token.split(",")
        if all(len(g) == 3 for g in groups):
            token = head + "".join(groups)
        elif len(groups) == 1:
            token = f"{head}.{groups[0]}"
    return token


@functools.lru_cache(maxsize=8192)
def text_terms(text: str) -> frozenset[str]:
    """The terms of a piece of text: each number as people write it, each word's stem,
    and a hyphenated word's stem whole and each of its parts'. Remembered: `show` and
    `search` look into the same texts again and again."""
    terms: set[str] = set()
    add, known = terms.add, _STEMS
    for raw in tokens(text.lower()):  # (this runs on every text a search looks into)
        if raw[0].isdigit():
            add(_number(raw))
        elif "-" not in raw:
            found = known.get(raw)
            add(stem(raw) if found is None else found)
        else:
            parts = raw.split("-")
            add(stem("".join(parts)))
            for part in parts:
                add(stem(part))
    return frozenset(terms)


def query_terms(text: str) -> list[str]:
    """The terms a query asks for, in order; a hyphenated word is one term."""
    terms: dict[str, None] = {}  # ordered and without repeats, in linear time
    for raw in tokens(text.lower()):
        terms[_number(raw) if raw[0].isdigit() else stem(raw.replace("-", ""))] = None
    return list(terms)


def date_terms(date: str) -> set[str]:
    """'1994-03-02' -> the terms of '2 March 1994'."""
    parts = date.split("-")
    terms = {parts[0]}
    if len(parts) > 1 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        terms.add(MONTHS[int(parts[1]) - 1])
    if len(parts) > 2 and parts[2].isdigit():
        terms.add(str(int(parts[2])))
    return terms


def number_terms(value: float) -> set[str]:
    """1200000000 -> {'1200000000', '1.2', 'billion'}: the value as people write it."""
    terms = {_plain(value)}
    for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if abs(value) >= size:
            scaled = value / size
            if round(scaled, 3) == scaled:
                terms.update((_plain(scaled), word))
            break
    return terms


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ---------------------------------------------------------------- the index

# How a hit ranks, by the role of its field (see model.FIELD_ROLES): the fact itself
# (its main text, what names it, its amount) first, notes after other fields, and
# where-to-find-it (locators, addresses) last.
_RANKS = {
    model.FieldRole.MAIN: 0,
    model.FieldRole.NAME: 0,
    model.FieldRole.NUMBER: 0,
    model.FieldRole.NOTE: 2,
    model.FieldRole.LOCATOR: 3,
    model.FieldRole.ADDRESS: 3,
}


@dataclass(slots=True)
class Entry:
    """One searchable value of a record, with its terms. Made for every value of every
    record on each search and never changed, so not frozen: a frozen dataclass sets
    each field through `object.__setattr__`, which costs more than the rest of making
    one."""

    section: str
    record: model.Record
    field: str
    text: str
    source: str
    terms: AbstractSet[str]  # the set `text_terms` made, not copied
    rank: int  # 0 the fact itself, 1 other fields, 2 notes, 3 locators
    locator: str | None = None  # the place in `source` (the fact's own, `model.stated_by`)


# How each record type's fields are searched, worked out once per type:
# (field, kind, rank, whether each item of the list has its own source).
_Plan = tuple[tuple[str, str, int, bool], ...]
_PLANS: dict[type, _Plan] = {}


def plan(cls: type) -> _Plan:
    known = _PLANS.get(cls)
    if known is not None:
        return known
    steps = []
    for spec in fields_of(cls):
        semantic = spec.type.semantic
        role = model.role_of(cls, spec.name)
        if role in (model.FieldRole.SOURCE, model.FieldRole.ID):
            continue  # source ids and record ids would match everything; show finds ids
        item = spec.type.item if spec.type.kind == "list" else spec.type
        assert item is not None
        if item.kind == "boolean":
            continue
        if item.kind == "record":
            kind = "record"
        elif semantic in ("date", "dates"):
            kind = "date"
        elif item.kind in ("number", "integer"):
            kind = "number"
        else:
            kind = "text"
        rank = _RANKS.get(role or "", 1)
        steps.append((spec.name, kind, rank, model.per_item(cls, spec.name)))
    plan = _PLANS[cls] = tuple(steps)
    return plan


@dataclass(slots=True)
class Value:
    """One searchable value of a record, before its terms and source are worked out."""

    record: model.Record  # the record it counts for (an id-less part's owner)
    holder: model.Record  # the record whose field holds it
    name: str  # that field
    field: str  # its path from the top record ("headquarters.city")
    index: int | None  # its place in a list whose items have their own sources
    item: Any
    kind: str  # text, date or number
    rank: int

    def stated(self) -> tuple[str, str | None]:
        """The source that states it, and the place in that source."""
        return model.stated_by(self.holder, self.name, self.index)

    def terms(self) -> AbstractSet[str]:
        if self.kind == "text":
            return text_terms(self.item)
        if self.kind == "date":
            return date_terms(self.item)
        return number_terms(self.item) | text_terms(str(getattr(self.holder, "unit", "")))

    def shown(self) -> str:
        return self.item if self.kind in ("text", "date") else _plain(self.item)


def values(record: model.Record, prefix: str = "") -> Iterator[Value]:
    """Every searchable value of a record, nested records included, in field order."""
    for name, kind, rank, per_item in plan(type(record)):
        value = getattr(record, name)
        if value is None or value == ():
            continue
        items = value if isinstance(value, tuple) else (value,)
        if kind == "record":
            for item in items:
                for found in values(item, f"{prefix}{name}."):
                    # A part without an id (a note, an event, another source's account)
                    # is its owner's, and ranks no higher than the field that holds it.
                    if not getattr(item, "id", None):
                        found.record, found.rank = record, max(found.rank, rank)
                    yield found
            continue
        for index, item in enumerate(items):
            yield Value(
                record, record, name, prefix + name, index if per_item else None, item, kind, rank
            )


def entry(value: Value, section: str, terms: AbstractSet[str] | None = None) -> Entry:
    """The value with its terms, the source that states it and the place in that
    source (`model.stated_by`)."""
    source, locator = value.stated()
    terms = value.terms() if terms is None else terms
    return Entry(
        section, value.record, value.field, value.shown(), source, terms, value.rank, locator
    )


def entries(record: model.Record, section: str) -> Iterator[Entry]:
    """Every searchable value of a record, nested records included, as `entry`."""
    for value in values(record):
        yield entry(value, section)


def records_by_section(ds: model.Dataset) -> Iterator[tuple[str, model.Record]]:
    """Every listed record with the section that lists it; the organisation is 'about'."""
    yield "about", ds.organization
    for section in SECTIONS:
        for record in getattr(ds, section):
            yield section, record


SECTIONS = tuple(
    sorted((name for name, _ in listed_sections()), key=lambda name: name == "sources")
)
"""The dataset's listed sections, each searched under the command that lists it: in
the file's order, the sources last (a document comes after the facts it states)."""


@dataclass(slots=True)
class Match:
    """A record a search matched, with its best field."""

    section: str
    record: model.Record  # the record hit (a nested record for organisation fields)
    best: Entry  # the field that shows the hit best (its rank orders the hits)


def find(ds: model.Dataset, terms: list[str], phrase: str = "") -> list[Match]:
    """Records holding every term (in any of their fields), best first; one pass.

    A month asked for with a year ("March 1994") must be found with that year in one
    field (a date), not a month in one field and the year in another.
    """
    if not terms:  # only punctuation ("&", "[/"): the text itself, case-insensitively
        return _substring(ds, phrase.lower())
    wanted = set(terms)
    months = wanted & set(MONTHS)
    years = {t for t in wanted if len(t) == 4 and t.isdigit()}
    phrase = phrase.lower()
    ranked: list[tuple[tuple[int, int, int, int], Match]] = []
    for order, (section, top) in enumerate(records_by_section(ds)):
        # nested records (headquarters...) stand alone; a value's source and shown text
        # are worked out only for the one that shows a hit (`entry`)
        groups: dict[int, list[tuple[Value, AbstractSet[str]]]] = {}
        for value in values(top):
            groups.setdefault(id(value.record), []).append((value, value.terms()))
        for pool in groups.values():
            found: set[str] = set()
            for _, terms_of in pool:
                found |= terms_of & wanted
            if found != wanted:
                continue
            if months and years and not any(t & months and t & years for _, t in pool):
                continue
            chosen, chosen_terms = min(pool, key=lambda p: (-len(p[1] & wanted), p[0].rank))
            best = entry(chosen, section, chosen_terms)
            whole = 0 if best.terms >= wanted else 1  # every word in one field first
            exact = 0 if phrase and phrase in best.text.lower() else 1
            key = (whole, best.rank, exact, order)
            ranked.append((key, Match(section, best.record, best)))
    ranked.sort(key=lambda pair: pair[0])
    return [match for _, match in ranked]


def _substring(ds: model.Dataset, needle: str) -> list[Match]:
    if not needle.strip():
        return []
    found = []
    for section, top in records_by_section(ds):
        seen: set[int] = set()
        for entry in entries(top, section):
            if id(entry.record) not in seen and needle in entry.text.lower():
                seen.add(id(entry.record))
                found.append(Match(section, entry.record, entry))
    return found


def vocabulary(ds: model.Dataset) -> set[str]:
    """Every word of the dataset's searchable text (for suggestions, when a search
    finds nothing)."""
    word_pattern = re.compile(r"[^\W\d_][\w'-]*")
    words: set[str] = set()
    for section, record in records_by_section(ds):
        for entry in entries(record, section):
            words.update(w for w in word_pattern.findall(entry.text) if len(w) > 2)
    return words
