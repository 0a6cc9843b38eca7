"""What held at a date (`--at DATE`): three-valued, and honest about partial dates.

A record that can hold at a date (a party, an office, an officer) declares its span in
the model (`span`: `joined`/`left`, `since`/`until`) and the words for holding and not
(`standing_words`). The sources give four kinds of dated fact about it, each with its
own source (`model.stated_by`):

- the start of its span, and the end, each perhaps disputed (`conflicts`): every
  account must agree before a start or an end decides anything;
- `attested`: a date a source shows it holding; `absent` (parties only): a date a
  source's full list of parties leaves it out.

It holds at DATE when the sources place DATE inside the span: it began on or before
DATE (the start, or an attestation, on or before it) and had not ended (the end, or an
attestation, on or after it). It does not hold when it began after DATE, ended before
it, was left out of a full list on or before DATE after it had begun, or when DATE is
before the organisation was established. Anything else, including a contradiction, is
`unknown`. Dates compare at the precision both give: "2012" is before "2013-05", and
"2013" against "2013-05" is neither before nor after, so it decides nothing. A
membership is taken to be one unbroken span.
"""

from __future__ import annotations

from typing import Any, Literal

from . import model
from .dated import Evidence

Order = Literal["<", "=", ">", "?"]


def compare(a: str, b: str) -> Order:
    """How partial ISO date `a` stands to `b`: before, the same, after, or '?' when one
    is finer and they agree as far as the coarser goes ("2013" and "2013-05")."""
    left, right = a.split("-"), b.split("-")
    for x, y in zip(left, right, strict=False):
        if x != y:
            return "<" if x < y else ">"
    return "=" if len(left) == len(right) else "?"


def _evidence(record: Any, fact: str, name: str, value: str, item: int | None = None) -> Any:
    source, locator = model.stated_by(record, name, item)
    derived = name in (getattr(record, "derived", ()) or ())
    return Evidence(fact=fact, date=value, source=source, locator=locator, derived=derived)


def _accounts(record: Any, name: str, fact: str) -> list[Any]:
    """Every account of span field `name`: the record's own, then other documents'."""
    out = []
    value = getattr(record, name, None)
    if value:
        out.append(_evidence(record, fact, name, value))
    for other in getattr(record, "conflicts", ()) or ():
        if other.field == name:
            out.append(
                Evidence(
                    fact=f"{fact} (disputed)",
                    date=other.value,
                    source=other.source,
                    locator=other.locator,
                )
            )
    return out


def _items(record: Any, name: str, fact: str) -> list[Any]:
    return [_evidence(record, fact, name, d, i) for i, d in enumerate(getattr(record, name, ()))]


def standing(record: Any, at: str, established: Any | None = None) -> tuple[str, tuple[Any, ...]]:
    """The standing of `record` at partial date `at`, and the evidence it rests on.
    `established` is the organisation's own founding (an Evidence), before which nothing
    holds."""
    holds_word, not_word = type(record).standing_words
    start_name, end_name = type(record).span
    starts = _accounts(record, start_name, start_name)
    ends = _accounts(record, end_name, end_name)
    present = _items(record, "attested", "attested")
    absent = _items(record, "absent", "absent") if hasattr(record, "absent") else []

    def order(e: Any) -> Order:
        return compare(e.date, at)

    begun = [e for e in present if order(e) in "<="]
    if starts and all(order(e) in "<=" for e in starts):
        begun += starts
    going = [e for e in present if order(e) in ">="]
    if ends and all(order(e) in ">=" for e in ends):
        going += ends
    against = []
    if starts and all(order(e) == ">" for e in starts):
        against += starts
    if ends and all(order(e) == "<" for e in ends):
        against += ends
    for gap in absent:  # left out of a full list on or before `at`, having begun before it
        earlier = [e for e in starts + present if compare(e.date, gap.date) == "<"]
        if order(gap) in "<=" and earlier:
            against += [earlier[-1], gap]
    if established is not None and compare(established.date, at) == ">":
        against.append(established)
    holding = begun and going
    if holding and not against:
        return holds_word, _tidy([_latest(begun), _earliest(going)])
    if against and not holding:
        return not_word, _tidy(against)
    unsure = [e for e in present + absent if order(e) == "?"]
    nearest = ([_latest(begun)] if begun else []) + ([_earliest(going)] if going else [])
    return "unknown", _tidy(nearest + against + starts + ends + unsure)


def _latest(found: list[Any]) -> Any:
    return max(found, key=lambda e: e.date)


def _earliest(found: list[Any]) -> Any:
    return min(found, key=lambda e: e.date)


def _tidy(found: list[Any]) -> tuple[Any, ...]:
    """Each piece of evidence once, in date order."""
    unique = {(e.fact, e.date, e.source): e for e in found}
    return tuple(sorted(unique.values(), key=lambda e: (e.date, e.fact)))


def began_before(record: Any, at: str) -> bool:
    """True when a source places the start of `record`'s span before `at` (its start,
    or a date it is attested holding): a party that is not one at `at` had been one."""
    start = getattr(record, type(record).span[0], None)
    dates = ([start] if start else []) + list(getattr(record, "attested", ()))
    return any(compare(d, at) == "<" for d in dates)


def founding(ds: model.Dataset) -> Any:
    """The organisation's establishment, as evidence: nothing holds before it."""
    org = ds.organization
    return _evidence(org, "established", "established", org.established)


def officers_at(officers: tuple[Any, ...], at: str, established: Any) -> list[tuple[Any, str, Any]]:
    """Each officer with their standing at `at`. An office one person holds at a time
    (`model.SOLE_OFFICES`) held by someone known to be in it leaves another holder of
    unknown standing out of it, with that as the evidence."""
    found = [(o, *standing(o, at, established)) for o in officers]
    holders = {
        model.SOLE_OFFICES[o.role]: (o, evidence)
        for o, word, evidence in found
        if word == o.standing_words[0] and o.role in model.SOLE_OFFICES
    }
    out = []
    for officer, word, evidence in found:
        office = model.SOLE_OFFICES.get(officer.role)
        holder = holders.get(office) if office else None
        if word == "unknown" and holder is not None and holder[0] is not officer:
            other, other_evidence = holder
            basis = other_evidence[0]
            evidence = (
                Evidence(
                    fact="held-by",
                    date=basis.date,
                    source=basis.source,
                    locator=basis.locator,
                    derived=True,
                    note=f"{other.name} held the office",
                ),
            )
            word = officer.standing_words[1]
        out.append((officer, word, evidence))
    return out
