"""What held at a date: the one function every view asks (`at`).

`members`, `offices`, `officers`, `about`, `show` and `changes` all ask `at(ds, DATE)`
over the same records, so two views cannot disagree about a date. A record that can
hold at a date (a party, an office, an officer) declares its span in the model (`span`:
`joined`/`left`, `since`/`until`) and its words for holding and not (`standing_words`).
Every dated claim about it becomes a piece of evidence with a direction:

- *start*: the start of its span (every account must agree), an accession, an
  agreement in force, an appointment, a term's start, an office opened;
- *present*: a date a document shows it holding (`attested`, attendance at a Board);
- *going*: it still held through a date (a term's worked-out end, an extension);
- *end*: the end of its span, a withdrawal taking effect, an office closed;
- *against*: a document's full list leaves it out (`absent`), or a document says it
  did not hold (`absence`);
- *signed*: a party signed, and nothing was in force for it yet.

A notice of withdrawal decides nothing by itself: the party stays one until the
withdrawal takes effect. It holds at DATE when evidence places it on both sides (begun
on or before DATE, going on or after) and nothing stands against; it does not hold when
it had not begun, had ended, or was left out on or before DATE with nothing since
saying otherwise; a signatory whose agreement is not yet in force is a `signatory`.
Contradicting evidence (an absence, then a later attestation; two holders of an office
one person holds at a time) gives `unknown` and shows both sides. Dates compare at the
precision both give: "2012" is before "2013-05", and "2013" against "2013-05" decides
nothing.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal

from . import base, claims, records
from .claims import Evidence

Order = Literal["<", "=", ">", "?"]

START, PRESENT, GOING, END, AGAINST, SIGNED, NEUTRAL = (
    "start", "present", "going", "end", "against", "signed", "neutral",
)  # fmt: skip
DIRECTION: dict[str, str] = {
    "signed": SIGNED,
    "in-force": START,
    "accession": START,
    "notice": NEUTRAL,
    "withdrawal": END,
    "appointment": START,
    "term": START,
    "extension": GOING,
    "absence": AGAINST,
    "attendance": PRESENT,
    "role": NEUTRAL,
    "opened": START,
    "closed": END,
    "budget": NEUTRAL,
    "accession-intent": NEUTRAL,
    "decision": NEUTRAL,
}
"""How each event kind counts (docs/dataset.md)."""


def compare(a: str, b: str) -> Order:
    """How partial ISO date `a` stands to `b`: before, the same, after, or '?' when one
    is finer and they agree as far as the coarser goes ("2013" and "2013-05")."""
    left, right = a.split("-"), b.split("-")
    for x, y in zip(left, right, strict=False):
        if x != y:
            return "<" if x < y else ">"
    return "=" if len(left) == len(right) else "?"


def add_months(date: str, months: int) -> str:
    """`date` plus `months`, at the date's own precision: "2007-04-16" + 24 is
    "2009-04-16"; a year moves by whole years only ("2006" + 30 is "2008")."""
    parts = date.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year + months // 12:04d}"
    total = year * 12 + int(parts[1]) - 1 + months
    moved = f"{total // 12:04d}-{total % 12 + 1:02d}"
    return moved if len(parts) == 2 else f"{moved}-{parts[2]}"


# ---------------------------------------------------------------- evidence


@dataclass(frozen=True, slots=True)
class Piece:
    """A piece of evidence and the way it points."""

    direction: str
    evidence: Evidence


def _of(record: Any, fact: str, name: str, value: str, item: int | None = None) -> Evidence:
    source, locator = claims.stated_by(record, name, item)
    derived = name in (getattr(record, "derived", ()) or ())
    return Evidence(
        fact=fact,
        date=value,
        source=source,
        locator=locator,
        derived=derived,
        derived_from=claims.worked_from(record, name) if derived else (),
        decision=name in (getattr(record, "decisions", ()) or ()),
    )


def _event(e: claims.EventClaim, fact: str, date: str, derived: bool, note: str | None) -> Evidence:
    return Evidence(
        fact=fact,
        date=date,
        source=e.source,
        locator=e.locator,
        derived=derived,
        derived_from=e.derived_from,
        decision=e.decision,
        note=note,
    )


def attendance(meetings: tuple[records.Meeting, ...]) -> dict[str, list[Evidence]]:
    """What each dated Board meeting shows, by the id of whom it shows: the parties its
    statement names as attending (the rotating seat's holder among them) and the officer
    who chaired, each present on the meeting's date."""
    found: dict[str, list[Evidence]] = {}
    for m in meetings:
        if not m.date:
            continue
        shown = [(rid, "attendance", "attended") for rid in m.attended]
        if m.rotating_seat and m.rotating_seat not in m.attended:
            shown.append((m.rotating_seat, "rotating-seat", "rotating_seat"))
        if m.chair:
            shown.append((m.chair, "chair", "chair"))
        derived = "date" in m.derived
        for rid, fact, name in shown:
            source, locator = claims.stated_by(m, name)
            found.setdefault(rid, []).append(
                Evidence(
                    fact=fact,
                    date=m.date,
                    source=source,
                    locator=locator,
                    derived=derived,
                    derived_from=m.date_from if derived else (),
                    note=f"Board {m.number}",
                )
            )
    return found


DISPUTED = " (disputed)"
"""How a span's start or end that another document gives (a record's `conflicts`) is
marked in its evidence: it counts against certainty, but dates nothing by itself."""


def is_disputed(e: Evidence) -> bool:
    return e.fact.endswith(DISPUTED)


def evidence(record: Any, shown: tuple[Evidence, ...] = ()) -> list[Piece]:
    """Every dated claim about `record` that places it in time, with its direction;
    `shown`: what other records show of it (a Board meeting it attended)."""
    cls = type(record)
    start_name, end_name = cls.span
    out: list[Piece] = []
    for name, direction in ((start_name, START), (end_name, END)):
        value = getattr(record, name, None)
        if value:
            out.append(Piece(direction, _of(record, name, name, value)))
        for other in getattr(record, "conflicts", ()) or ():
            if other.field == name:
                disputed = Evidence(
                    fact=f"{name}{DISPUTED}",
                    date=other.value,
                    source=other.source,
                    locator=other.locator,
                )
                out.append(Piece(direction, disputed))
    for i, d in enumerate(getattr(record, "attested", ()) or ()):
        out.append(Piece(PRESENT, _of(record, "attested", "attested", d, i)))
    for i, d in enumerate(getattr(record, "absent", ()) or ()):
        out.append(Piece(AGAINST, _of(record, "absent", "absent", d, i)))
    out += [Piece(PRESENT, e) for e in shown]
    end: str | None = None  # a term's end so far, which an extension by months moves on
    for e in sorted(getattr(record, "events", ()) or (), key=lambda e: e.date):
        direction = DIRECTION[e.kind]
        meeting = f"Board {e.meeting}" if e.meeting is not None else None
        if direction == NEUTRAL:
            continue
        if e.kind == "term" and e.months is not None:
            out.append(Piece(START, _event(e, "term", e.date, e.derived, meeting)))
            end = e.until or add_months(e.date, e.months)
            out.append(Piece(GOING, _event(e, "term-end", end, e.until is None, None)))
            continue
        if e.kind in ("extension", "appointment") and (e.until or e.months is not None):
            if e.kind == "appointment":
                out.append(Piece(START, _event(e, e.kind, e.date, e.derived, meeting)))
            worked = e.until is None
            base_date = end if end and compare(end, e.date) == ">" else e.date
            end = e.until or add_months(base_date, e.months or 0)
            note = f"decided {e.date}" if e.kind == "extension" else None
            out.append(Piece(GOING, _event(e, f"{e.kind}-through", end, worked, note)))
            continue
        out.append(Piece(direction, _event(e, e.kind, e.date, e.derived, meeting)))
    return out


# ---------------------------------------------------------------- standing


def standing(
    record: Any, at: str, established: Evidence | None = None, shown: tuple[Evidence, ...] = ()
) -> tuple[str, tuple[Evidence, ...]]:
    """The standing of `record` at partial date `at`, and the evidence it rests on.
    `established` is the organisation's own founding, before which nothing holds;
    `shown`, what other records show of it (`attendance`)."""
    holds_word, not_word = type(record).standing_words
    pieces = evidence(record, shown)

    def order(e: Evidence) -> Order:
        return compare(e.date, at)

    def of(direction: str) -> list[Evidence]:
        return [p.evidence for p in pieces if p.direction == direction]

    starts, ends, present = of(START), of(END), of(PRESENT)
    begun = [e for e in present if order(e) in "<="]
    if starts and all(order(e) in "<=" for e in starts):
        begun += starts
    going = [e for e in present + of(GOING) if order(e) in ">="]
    if ends and all(order(e) in ">=" for e in ends):
        going += ends
    against: list[Evidence] = []
    if starts and all(order(e) == ">" for e in starts):
        against += starts
    if ends and all(order(e) == "<" for e in ends):
        against += ends
    for gap in of(AGAINST):  # left out on or before `at`, and nothing since says otherwise
        if order(gap) in "<=" and not [e for e in begun if compare(e.date, gap.date) == ">"]:
            against.append(gap)
    if established is not None and compare(established.date, at) == ">":
        against.append(established)
    holding = bool(begun and going)
    if holding and not against:
        return holds_word, _tidy([_latest(begun), _earliest(going)])
    signed = [e for e in of(SIGNED) if order(e) in "<="] if holds_word == "party" else []
    ended = [e for e in ends if order(e) == "<"]
    before_founding = established is not None and compare(established.date, at) == ">"
    in_force = [e for e in starts if order(e) in "<=?"]  # `?`: maybe in force by then
    if signed and not (holding or ended or in_force or before_founding):
        return "signatory", _tidy(signed + starts)
    if against and not holding:
        return not_word, _tidy(against)
    unsure = [
        p.evidence for p in pieces if p.direction in (PRESENT, AGAINST) and order(p.evidence) == "?"
    ]
    nearest = ([_latest(begun)] if begun else []) + ([_earliest(going)] if going else [])
    return "unknown", _tidy(nearest + against + starts + ends + unsure)


def _latest(found: list[Evidence]) -> Evidence:
    return max(found, key=lambda e: e.date)


def _earliest(found: list[Evidence]) -> Evidence:
    return min(found, key=lambda e: e.date)


def _tidy(found: list[Evidence]) -> tuple[Evidence, ...]:
    """Each piece of evidence once, in date order."""
    unique = {(e.fact, e.date, e.source): e for e in found}
    return tuple(sorted(unique.values(), key=lambda e: (e.date, e.fact)))


def began_before(record: Any, at: str, shown: tuple[Evidence, ...] = ()) -> bool:
    """True when a source places the start of `record`'s span before `at` (its start,
    or a date it is shown holding): a party that is not one at `at` had been one."""
    return any(
        p.direction in (START, PRESENT) and compare(p.evidence.date, at) == "<"
        for p in evidence(record, shown)
    )


def founding(ds: records.Dataset) -> Evidence | None:
    """The organisation's establishment, as evidence: nothing holds before it (where
    the dataset gives it)."""
    org = ds.organization
    if not org.established:
        return None
    return _of(org, "established", "established", org.established)


# ---------------------------------------------------------------- the one function


@dataclass(frozen=True, slots=True)
class Standing:
    """One record as it stood at a date: its standing, the evidence, and (for a party)
    the roles that held then."""

    record: Any
    word: str
    evidence: tuple[Evidence, ...]
    roles: tuple[str, ...] = ()

    @property
    def holds(self) -> bool:
        return bool(self.word == type(self.record).standing_words[0])


@dataclass(frozen=True, slots=True)
class Moment:
    """Everything the dataset places at one date: every party, office and officer."""

    at: str
    members: tuple[Standing, ...]
    offices: tuple[Standing, ...]
    officers: tuple[Standing, ...]
    shown: dict[str, list[Evidence]]  # what the Board meetings show, by record id

    def began_before(self, record: Any) -> bool:
        """True when the sources place `record` holding before the date."""
        return began_before(record, self.at, tuple(self.shown.get(record.id, ())))

    def of(self, record: Any) -> Standing | None:
        """The standing of one record (a party, an office, an officer)."""
        for found in (*self.members, *self.offices, *self.officers):
            if found.record is record:
                return found
        return None

    @property
    def seat(self) -> Standing | None:
        """The headquarters open at the date, when exactly one is."""
        open_seats = [s for s in self.offices if s.record.kind == "headquarters" and s.holds]
        return open_seats[0] if len(open_seats) == 1 else None


_MOMENTS: dict[str, Moment] = {}
# The dataset the moments answer for (held, so its id cannot pass to another dataset
# while its answers are kept), with what every date reads of it: its founding and what
# its Board meetings show.
_MOMENTS_OF: list[tuple[records.Dataset, Evidence | None, dict[str, list[Evidence]]]] = []


def at(ds: records.Dataset, date: str) -> Moment:
    """What held at `date`: the one answer every view reads (remembered per date, for
    one dataset at a time)."""
    if not _MOMENTS_OF or _MOMENTS_OF[0][0] is not ds:
        _MOMENTS.clear()
        _MOMENTS_OF[:] = [(ds, founding(ds), attendance(ds.meetings))]
    known = _MOMENTS.get(date)
    if known is not None:
        return known
    _, founded, shown = _MOMENTS_OF[0]

    def of(record: Any) -> Standing:
        return Standing(record, *standing(record, date, founded, tuple(shown.get(record.id, ()))))

    offices = tuple(of(o) for o in ds.offices)
    officers = tuple(_sole_offices([of(o) for o in ds.officers]))
    members = tuple(_with_roles(of(m), date, offices) for m in ds.members)
    moment = Moment(at=date, members=members, offices=offices, officers=officers, shown=shown)
    _MOMENTS[date] = moment
    return moment


def _with_roles(found: Standing, at: str, offices: tuple[Standing, ...]) -> Standing:
    """The roles a party held at `at`: `party` while it is one; `founder` once it had
    signed; a role an event gives (a permanent Board seat) from that event's date while
    it is a party; hosting an office while an office in it is open."""
    member = found.record
    held: list[str] = []
    if found.word == "party":
        held.append("party")
    signed = [e for e in member.events if e.kind in ("signed", "in-force", "accession")]
    starts = signed or ([] if not member.joined else [member])
    if "founder" in member.roles and any(
        compare(getattr(e, "date", None) or member.joined, at) in "<=" for e in starts
    ):
        held.append("founder")
    if found.word == "party":
        for e in member.events:
            if e.kind == "role" and e.role and compare(e.date, at) in "<=" and e.role not in held:
                held.append(e.role)
        for office in offices:
            if office.holds and office.record.country in (member.name, *member.aliases):
                role = "hq-host" if office.record.kind == "headquarters" else "office-host"
                if role not in held:
                    held.append(role)
    order = typing.get_args(base.Role)
    return Standing(found.record, found.word, found.evidence, tuple(sorted(held, key=order.index)))


def _sole_offices(found: list[Standing]) -> list[Standing]:
    """An office one person holds at a time (`base.SOLE_OFFICES`): two holders known to
    be in it at once are both unknown, each with the other's evidence; a holder of
    unknown standing beside one known to hold it is out of it, with that as evidence."""
    holders: dict[str, list[Standing]] = {}
    for s in found:
        if s.holds and s.record.role in base.SOLE_OFFICES:
            holders.setdefault(base.SOLE_OFFICES[s.record.role], []).append(s)
    out = []
    for s in found:
        office = base.SOLE_OFFICES.get(s.record.role)
        others = [h for h in holders.get(office, []) if h.record is not s.record] if office else []
        if s.holds and others:
            seen = [_also(h, "also-held-by") for h in others]
            out.append(Standing(s.record, "unknown", _tidy([*s.evidence, *seen])))
        elif s.word == "unknown" and len(others) == 1:
            out.append(
                Standing(s.record, s.record.standing_words[1], (_also(others[0], "held-by"),))
            )
        else:
            out.append(s)
    return out


def _also(holder: Standing, fact: str) -> Evidence:
    basis = holder.evidence[0]
    return Evidence(
        fact=fact,
        date=basis.date,
        source=basis.source,
        locator=basis.locator,
        derived=True,
        note=f"{holder.record.name} held the office",
    )
