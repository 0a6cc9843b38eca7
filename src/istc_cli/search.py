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

from . import model
from .records import record_class
from .spec import builder, fields_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, TypeAlias

_ASCII_DIGITS = frozenset("0123456789")


def _letter(c: str) -> bool:
    """A letter as regular expressions read `[^\\W\\d_]`: a word character that is
    not a decimal digit (so also ², ½ and other numeric signs that are not digits)."""
    return c.isalnum() and not c.isdecimal()


def tokens(text: str) -> list[str]:
    """The tokens of text, as `re.findall` with the pattern
    `[0-9]+(?:[.,][0-9]+)*|[^\\W\\d_]+(?:-[^\\W\\d_]+)*` finds them: numbers (4,200
    or 1.2) and words (hyphenated ones whole). Written with string methods, not the
    re module, whose import costs a search more than the search; a test holds it to
    the pattern on random text. Tokens never span whitespace, so each word between
    spaces is read alone, and one made of letters only (most) is taken whole."""
    found: list[str] = []
    for chunk in text.split():
        if chunk.isalpha():
            found.append(chunk)
            continue
        if chunk[:-1].isalpha() and not chunk[-1].isalnum():  # "Astana," "1992."
            found.append(chunk[:-1])
            continue
        i, end = 0, len(chunk)
        while i < end:
            c = chunk[i]
            start = i
            if c in _ASCII_DIGITS:
                i += 1
                while i < end:
                    if chunk[i] in _ASCII_DIGITS:
                        i += 1
                    elif chunk[i] in ".," and i + 1 < end and chunk[i + 1] in _ASCII_DIGITS:
                        i += 2
                    else:
                        break
                found.append(chunk[start:i])
            elif _letter(c):
                i += 1
                while i < end:
                    if _letter(chunk[i]):
                        i += 1
                    elif chunk[i] == "-" and i + 1 < end and _letter(chunk[i + 1]):
                        i += 2
                    else:
                        break
                found.append(chunk[start:i])
            else:
                i += 1
    return found


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


def text_terms(text: str) -> set[str]:
    """The terms of a piece of text: each number as people write it, each word's stem,
    and a hyphenated word's stem whole and each of its parts'."""
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
    return terms


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


_SCALE_WORDS = frozenset({"billion", "million", "thousand"})


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ---------------------------------------------------------------- the index

# Fields that state the record's fact; a hit there ranks before one in a note.
_MAIN = frozenset(
    {"name", "city", "event", "text", "title", "term", "stands_for", "summary", "value"}
)
_LOW = {"note": 2, "locator": 3, "url": 3}


@record_class(frozen=True, slots=True)
class Entry:
    """One searchable value of a record, with its terms."""

    section: str
    record: model.Record
    field: str
    text: str
    source: str
    terms: frozenset[str]
    rank: int  # 0 the fact itself, 1 other fields, 2 notes, 3 locators


class Probe:
    """A cheap test that a text may hold one of the wanted terms, run before the text is
    split into terms: it is never false for a text that holds one (a test holds
    `find` with it equal to `find` without it).

    Stemming and aliases change only a word's end, so a term's first letters stand in
    the text as typed (`industry` <- "industries": "ind"); an alias adds its own form
    (`billion` <- "bn"); a number's integer digits stand in the text once thousands
    separators are dropped ("4,200" holds "4200", "1,2 bn" holds "1").
    """

    def __init__(self, terms: set[str]) -> None:
        self.words: set[str] = set()
        self.digits: set[str] = set()
        # A date's terms are its year, month and day; a number's, its digits and scale
        # words (and its unit's words, probed as text): without such a term wanted,
        # dates and numbers are passed over.
        self.dates = bool(terms & set(MONTHS)) or any(t[:1].isdigit() for t in terms)
        self.numbers = bool(terms & _SCALE_WORDS) or any(t[:1].isdigit() for t in terms)
        for term in terms:
            if term[:1].isdigit():
                self.digits.update(_signs(term))
            else:
                self.words.update(_signs(term))

    def __call__(self, text: str) -> bool:
        low = text.lower()
        for word in self.words:  # a loop, not any(): this runs on every text
            if word in low:
                return True
        return bool(self.digits) and any(d in low.replace(",", "") for d in self.digits)

    def needles(self) -> list[str] | None:
        """Strings one of which every text this probe passes holds, once lower-cased and
        rid of commas (as the search index holds it); None when it passes records for
        other reasons (a date or a number wanted), which the index cannot tell."""
        if self.dates or self.numbers or self.digits:
            return None
        return sorted(w.replace(",", "") for w in self.words)


def _signs(term: str) -> tuple[str, ...]:
    """What a text holding `term` holds, lower-cased (a number's, once thousands
    separators are dropped): one of these."""
    if term[:1].isdigit():
        return (term.split(".")[0],)
    return (
        term[:2] if len(term) <= 3 else term[:3],
        *(k for k, v in _ALIASES.items() if v == term),
    )


class NamesProbe(Probe):
    """A probe for names, run before a text is split into terms: a name is mentioned
    when one field holds every term of it, so a text passes only if it may hold every
    term of one of the names, or one of the short names (matched as typed) lower-cased.
    Never false for a text that holds a name: a test holds `show` to it."""

    def __init__(self, names: list[set[str]], short: list[str]) -> None:
        super().__init__(set().union(*names) if names else set())
        groups = {frozenset(_signs(t) for t in terms) for terms in names if terms}
        # A name whose every term another name has too adds nothing to test: a text
        # that may hold the longer name may hold the shorter one.
        self.groups = [
            [tuple(signs) for signs in group]
            for group in groups
            if not any(other < group for other in groups)
        ]
        self.short = [name.lower() for name in short]

    def __call__(self, text: str) -> bool:
        low = text.lower()
        for name in self.short:
            if name in low:
                return True
        if "," in low:
            low = low.replace(",", "")  # dropped for numbers; words' signs hold no comma
        for group in self.groups:  # loops, not any() and all(): this runs on every text
            for signs in group:
                for sign in signs:
                    if sign in low:
                        break
                else:
                    break  # a term of this name is not there
            else:
                return True
        return False

    def needles(self) -> list[str] | None:
        if super().needles() is None:  # a date or a number wanted
            return None
        # a text that holds a name holds a sign of its first term
        found = {name.replace(",", "") for name in self.short}
        found.update(sign for group in self.groups for sign in group[0])
        return sorted(found)


# How each record type's fields are searched, worked out once per type:
# (field, kind, rank, the attribute holding the field's own source or None).
_Plan = tuple[tuple[str, str, int, str | None], ...]
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    known = _PLANS.get(cls)
    if known is not None:
        return known
    names = {f.name for f in fields_of(cls)}
    steps = []
    for spec in fields_of(cls):
        semantic = spec.type.semantic
        if semantic in ("ref", "refs", "id") or spec.name == "id":
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
        own = f"{spec.name}_source" if f"{spec.name}_source" in names else None
        rank = 0 if spec.name in _MAIN else _LOW.get(spec.name, 1)
        steps.append((spec.name, kind, rank, own))
    plan = _PLANS[cls] = tuple(steps)
    return plan


def entries(
    record: model.Record,
    section: str,
    prefix: str = "",
    probe: Probe | None = None,
) -> Iterator[Entry]:
    """Every searchable value of a record, nested records included; with a probe, the
    texts that cannot hold a wanted term are passed over unsplit. A field's source is
    its own (`note_source`, `joined_source`...) where it has one, else the record's."""
    default_source = str(getattr(record, "source", "") or "")
    for name, kind, rank, own in _plan(type(record)):
        value = getattr(record, name)
        if value is None or value == ():
            continue
        values = value if isinstance(value, tuple) else (value,)
        if kind == "record":
            for item in values:
                yield from entries(item, section, f"{prefix}{name}.", probe)
            continue
        source = (getattr(record, own) if own else None) or default_source
        field = prefix + name
        for item in values:
            if kind == "text":
                if probe is not None and not probe(item):
                    continue
                terms = text_terms(item)
                shown = item
            elif kind == "date":
                if probe is not None and not probe.dates:
                    continue
                terms = date_terms(item)
                shown = item
            else:
                unit = str(getattr(record, "unit", ""))
                if probe is not None and not probe.numbers and not probe(unit):
                    continue
                terms = number_terms(item) | text_terms(unit)
                shown = _plain(item)
            yield Entry(section, record, field, shown, source, frozenset(terms), rank)


def records_by_section(ds: model.Dataset) -> Iterator[tuple[str, model.Record]]:
    """Every listed record with the section that lists it; the organisation is 'about'."""
    yield "about", ds.organization
    for section in SECTIONS:
        for record in getattr(ds, section):
            yield section, record


SECTIONS = (
    "members", "offices", "history", "figures", "programs", "regimes", "initiatives",
    "mission", "strategy", "statement", "meetings", "officers", "glossary", "sources",
)  # fmt: skip
"""The dataset's listed sections, each searched under the command that lists it."""


@record_class(frozen=True, slots=True)
class Match:
    section: str
    record: model.Record  # the record hit (a nested record for organisation fields)
    best: Entry  # the field that shows the hit best (its rank orders the hits)


def find(
    ds: model.Dataset, terms: list[str], phrase: str = "", *, prefilter: bool = True
) -> list[Match]:
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
    probe = Probe(wanted) if prefilter else None
    ranked: list[tuple[tuple[int, int, int, int], Match]] = []
    for order, section, top in _candidates(ds, probe):
        groups: dict[int, list[Entry]] = {}  # nested records (headquarters...) stand alone
        for entry in entries(top, section, probe=probe):
            groups.setdefault(id(entry.record), []).append(entry)
        for pool in groups.values():
            found: set[str] = set()
            for entry in pool:
                found |= entry.terms & wanted
            if found != wanted:
                continue
            if months and years and not any(e.terms & months and e.terms & years for e in pool):
                continue
            best = min(pool, key=lambda e: (-len(e.terms & wanted), e.rank))
            whole = 0 if best.terms >= wanted else 1  # every word in one field first
            exact = 0 if phrase and phrase in best.text.lower() else 1
            key = (whole, best.rank, exact, order)
            ranked.append((key, Match(section, best.record, best)))
    ranked.sort(key=lambda pair: pair[0])
    return [match for _, match in ranked]


def _candidates(ds: model.Dataset, probe: Probe | None) -> Iterator[tuple[int, str, model.Record]]:
    """(order, section, record) as `records_by_section` numbers them, leaving out the
    records of a section not built yet whose plain data no probe can pass: their
    entries would all be passed over, so they cannot match, and they are never built.
    With the search index, only the records it points at are looked at."""
    order = 0
    yield order, "about", ds.organization
    unbuilt = getattr(ds, "unbuilt", None) if probe is not None else None
    pointed = candidates(ds, probe) if probe is not None else None
    for section in SECTIONS:
        hits = pointed.get(section) if pointed is not None else None
        if hits is not None and not hits[0]:
            order += hits[1]  # not one record of the section holds a needle
            continue
        plain = unbuilt(section) if unbuilt is not None else None
        if plain is None:
            for record in getattr(ds, section):
                order += 1
                yield order, section, record
            continue
        assert probe is not None
        cls = section_type(model.Dataset, section)
        make = builder(cls)
        if hits is not None and hits[1] == len(plain):
            for n in hits[0]:
                if may_hold(cls, plain[n], probe):
                    yield order + n + 1, section, make(plain[n])
            order += len(plain)
            continue
        for data in plain:
            order += 1
            if may_hold(cls, data, probe):
                yield order, section, make(data)


# ---------------------------------------------------------------- the index

_Index: TypeAlias = "dict[str, tuple[str, list[int], list[str]]]"
_INDEXED: list[tuple[object, _Index | None]] = []  # the last dataset's, for this run


def candidates(ds: model.Dataset, probe: Probe | None) -> dict[str, tuple[list[int], int]] | None:
    """For each section, (the positions of the records that may pass the probe, the
    number of records), read from the search index; None when there is no index (a
    dataset built in memory) or the probe cannot use one. The records left out hold
    none of the probe's needles in any text it looks at, so it passes none of them."""
    needles = probe.needles() if probe is not None else None
    if needles is None:
        return None
    sections = search_index(ds)
    if sections is None:
        return None
    from bisect import bisect_right

    found: dict[str, tuple[list[int], int]] = {}
    for section, (hay, starts, _) in sections.items():
        hits: set[int] = set()
        for needle in needles:
            at = hay.find(needle)
            while at >= 0:
                n = bisect_right(starts, at) - 1
                hits.add(n)
                following = starts[n + 1] if n + 1 < len(starts) else len(hay)
                at = hay.find(needle, max(following, at + 1))
        found[section] = (sorted(hits), len(starts))
    return found


def record_ids(ds: model.Dataset) -> dict[str, list[str]] | None:
    """Each section's record ids, in order ("" for a record without one), from the
    search index; None without one."""
    sections = search_index(ds)
    return None if sections is None else {s: ids for s, (_, _, ids) in sections.items()}


def search_index(ds: model.Dataset) -> _Index | None:
    """The dataset's search index: for each section, the lower-cased texts a probe
    looks at, without commas, a record's joined by NUL and each record's starting at
    its position in the list; and the records' ids. Kept in the cache beside the
    dataset's entry and sealed to the same bytes and to this module's code; built the
    first time it is asked for, from the plain data, before any record of the dataset
    is built. None for a dataset in memory, with no cache, with a section built, or
    smaller than INDEX_FROM."""
    for known, index in _INDEXED:
        if known is ds:
            return index
    file_size = getattr(ds, "file_size", None)
    size = file_size() if file_size is not None else None
    if size is not None and size < INDEX_FROM:
        return None  # a small dataset's plain data is checked faster than an index is read
    derived = getattr(ds, "derived", None)
    unbuilt = getattr(ds, "unbuilt", None)
    index = None
    if derived is not None and unbuilt is not None:
        try:
            blob = derived("search", _code(), lambda: _build_index(unbuilt))
        except _Unindexable:
            blob = None
        index = None if blob is None else _unpack_index(blob)
    _INDEXED[:] = [(ds, index)]
    return index


class _Unindexable(Exception):
    """A section is built already: its plain data is gone, and no index is built."""


def _build_index(unbuilt: Any) -> bytes:
    import marshal

    sections = {}
    for section in SECTIONS:
        plain = unbuilt(section)
        if plain is None:
            raise _Unindexable(section)
        cls = section_type(model.Dataset, section)
        parts, starts, at = [], [], 0
        for data in plain:
            starts.append(at)
            part = "\0".join(t.lower().replace(",", "") for t in probe_texts(cls, data)) + "\1"
            parts.append(part)
            at += len(part)
        ids = [str(data.get("id") or "") for data in plain]
        sections[section] = ("".join(parts), starts, ids)
    return marshal.dumps(sections)


def _unpack_index(blob: bytes | memoryview) -> _Index | None:
    import marshal

    try:
        sections = marshal.loads(blob)  # sealed with the dataset's entry: never foreign bytes
    except (ValueError, EOFError, TypeError):
        return None
    if not (isinstance(sections, dict) and set(sections) == set(SECTIONS)):
        return None
    return sections


def _code() -> str:
    """This module's source: the index is sealed to it, so a change to how texts are
    probed makes a new one."""
    try:
        with open(__file__, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return f"search:{_INDEX_FORMAT}"


_INDEX_FORMAT = "2"  # 2: with the records' ids
INDEX_FROM = 256 * 1024
"""The size of a dataset file from which searches use an index: on the real dataset
(72 KB) reading one cost 0.5 to 0.8 ms of a `show`, more than it saved."""


def probe_texts(cls: type, data: dict[str, Any], *, units: bool = True) -> Iterator[str]:
    """The texts of a record's plain data that a probe looks at (see `may_hold`): each
    text field's values, a number's unit (unless not `units`: then the texts of its
    entries that hold words), and those of nested records."""
    for name, kind, _, _ in _plan(cls):
        value = data.get(name)
        if value is None or value == []:
            continue
        if kind == "text":
            if isinstance(value, str):
                yield value
            else:
                yield from value
        elif kind == "record":
            nested = section_type(cls, name)
            for item in value if isinstance(value, list) else (value,):
                yield from probe_texts(nested, item, units=units)
        elif kind == "number" and units:
            yield str(data.get("unit", ""))


def section_type(cls: type, name: str) -> type:
    """The record type of a field of `cls` that holds records (a dataset's section)."""
    spec = next(f.type for f in fields_of(cls) if f.name == name)
    record = (spec.item if spec.kind == "list" else spec).record  # type: ignore[union-attr]
    assert record is not None
    return record


def may_hold(cls: type, data: dict[str, Any], probe: Probe) -> bool:
    """Whether `entries` with this probe would yield anything for the record that
    `data` builds: the same tests, on the plain data."""
    for name, kind, _, _ in _plan(cls):
        value = data.get(name)
        if value is None or value == []:
            continue
        if kind == "text":  # the common case first, in loops: this runs on every record
            if isinstance(value, str):
                if probe(value):
                    return True
                continue
            for item in value:
                if probe(item):
                    return True
            continue
        values = value if isinstance(value, list) else (value,)
        if kind == "record":
            nested = section_type(cls, name)
            if any(may_hold(nested, item, probe) for item in values):
                return True
        elif kind == "date":
            if probe.dates:
                return True
        elif probe.numbers or probe(str(data.get("unit", ""))):
            return True
    return False


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
    finds nothing: the only time a search needs the re module)."""
    import re

    word_pattern = re.compile(r"[^\W\d_][\w'-]*")
    words: set[str] = set()
    unbuilt = getattr(ds, "unbuilt", None)
    for entry in entries(ds.organization, "about"):
        words.update(w for w in word_pattern.findall(entry.text) if len(w) > 2)
    for section in SECTIONS:
        plain = unbuilt(section) if unbuilt is not None else None
        if plain is None:
            texts: Iterator[str] = (
                entry.text for record in getattr(ds, section) for entry in entries(record, section)
            )
        else:  # a cached section's words, read from its plain data: no record is built
            cls = section_type(model.Dataset, section)
            texts = (t for data in plain for t in probe_texts(cls, data, units=False))
        for text in texts:
            words.update(w for w in word_pattern.findall(text) if len(w) > 2)
    return words
