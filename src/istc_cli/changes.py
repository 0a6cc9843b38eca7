"""What changed between two dates (`istc changes --from DATE --to DATE`).

Worked out from the dated claims, never on its own: the one function that answers a
date (`time.at`) at both ends gives each party's, office's and officer's standing,
and a standing that differs is a change, dated and credited by the evidence of the
later standing (a standing unknown at either end is none: the evidence ran out);
every dated claim in between that starts, ends or bounds a span (an
accession, a withdrawal, an office opened, a term's end, a notice) is a change of its
own; so is each Board meeting held in between, with its rotating seat, its approvals
and its decisions; and each series gives its first and last value in between, with
the difference (a series has one unit, so nothing is converted). A date counts as in
between when neither end is after it nor it after the other end, at the precision
both give: from 2013 to 2014 holds 2013-05 and all of 2014.
"""

from __future__ import annotations

import math
from typing import Any

from . import model
from .model import time
from .model.dated import Change, ChangeKind
from .safe_text import counted
from .series import APPROVED_FUNDING, APPROVED_PROJECTS, amount, series_of

_KIND_ORDER = ("party", "office", "officer", "meeting", "series")
_TURNS = {  # (held before, held after) -> what a party, office or officer did
    "party": ("joined", "left"),
    "office": ("opened", "closed"),
    "officer": ("took-office", "left-office"),
}


def within(date: str, start: str, end: str) -> bool:
    """True when `date` falls between `start` and `end`, both included, at the precision
    each pair gives."""
    return time.compare(date, start) != "<" and time.compare(date, end) != ">"


def changes(
    ds: model.Dataset, start: str, end: str, window: str | None = None
) -> tuple[list[Change], str]:
    """Every change from `start` to `end`, in date order, and a caption that counts them
    (`window` words the dates as asked: `Since 2024` for a window left open)."""
    before, after = time.at(ds, start), time.at(ds, end)
    found: list[Change] = []
    ends: tuple[tuple[ChangeKind, tuple[time.Standing, ...], tuple[time.Standing, ...]], ...] = (
        ("party", before.members, after.members),
        ("office", before.offices, after.offices),
        ("officer", before.officers, after.officers),
    )
    for kind, then, now in ends:
        for was, became in zip(then, now, strict=True):
            found += _standing(kind, was, became, start, end, after.shown)
    undated: list[str] = []
    for meeting in ds.meetings:
        if not meeting.date:
            undated.append(str(meeting.number))
        elif within(meeting.date, start, end):
            found += _meeting(ds, meeting)
    for one in series_of(ds).series:
        points = [p for p in one.points if within(p.date, start, end)]
        if points:
            found.append(_moved(one.measure, one.unit, points[0], points[-1], len(points)))
    found.sort(key=lambda c: (c.date is None, c.date or "", _KIND_ORDER.index(c.kind)))
    counts = {k: sum(1 for c in found if c.kind == k) for k in _KIND_ORDER}
    listed = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
    caption = (
        f"{window or f'From {start} to {end}'}: {counted(len(found), 'change')} "
        f"({listed or 'none'}). "
        "Standings are "
        "those `--at` gives at each end (one that is unknown at either end is not a "
        "change); dates compare at the precision both give."
    )
    if undated:
        caption += f" Board meetings no source dates are not placed: {', '.join(undated)}."
    return found, caption


def _name(kind: str, record: Any) -> str:
    if kind == "office":
        return f"{record.city} ({record.kind})"
    if kind == "officer":
        return f"{record.name}, {record.role.replace('-', ' ')}"
    return str(record.name)


def _standing(
    kind: ChangeKind,
    was: time.Standing,
    became: time.Standing,
    start: str,
    end: str,
    shown: dict[str, list[model.Evidence]],
) -> list[Change]:
    """A standing that differs at the two dates, and the dated claims in between."""
    record = became.record
    name = _name(kind, record)
    out: list[Change] = []
    decided: set[tuple[str, str]] = set()
    placed = time.evidence(record, tuple(shown.get(record.id, ())))
    # From or to `unknown` is not a change: the evidence ran out (or resumed), nothing
    # says the standing moved.
    if was.word != became.word and "unknown" not in (was.word, became.word):
        holds, holds_not = type(record).standing_words
        began, ended = _TURNS[kind]
        what = (
            began if became.word == holds and was.word != "unknown"
            else ended if was.word == holds and became.word == holds_not
            else "signed" if became.word == "signatory"
            else "standing"
        )  # fmt: skip
        basis = _basis(what, began, ended, placed, became, start, end)
        earlier = max(was.evidence, key=lambda e: e.date) if was.evidence else None
        derived = bool(basis and basis.derived)
        out.append(
            Change(
                kind=kind,
                subject=str(record.id),
                name=name,
                what=what,
                before=was.word,
                after=became.word,
                date=basis.date if basis else None,
                source=basis.source if basis else None,
                locator=basis.locator if basis else None,
                before_source=earlier.source if earlier else None,
                before_locator=earlier.locator if earlier else None,
                worked_out=derived,
                summary=_said(f"{what} (from {was.word} to {became.word})", derived),
            )
        )
        if basis is not None:
            decided.add((basis.date, basis.source))
    pieces = [p.evidence for p in placed if p.direction != time.PRESENT]  # not attendance
    pieces += [  # what counts for nothing by itself: a notice, a role
        _claimed(e) for e in record.events if time.DIRECTION[e.kind] == time.NEUTRAL
    ]
    for e in sorted(pieces, key=lambda e: e.date):
        if not within(e.date, start, end) or (e.date, e.source) in decided:
            continue
        decided.add((e.date, e.source))
        out.append(_dated(kind, str(record.id), name, e.fact, e))
    return out


def _basis(
    what: str,
    began: str,
    ended: str,
    placed: list[time.Piece],
    became: time.Standing,
    start: str,
    end: str,
) -> model.Evidence | None:
    """The claim that dates a change of standing: for a start (joined, opened, took
    office) the earliest start in between, for an end the earliest end in between (the
    record's own before another document's disputed account), else the latest evidence
    of the later standing in between, or its first."""
    wanted = {began: (time.START, time.PRESENT), ended: (time.END, time.AGAINST)}.get(what)
    for direction in wanted or ():
        inside = [p.evidence for p in placed
                  if p.direction == direction and within(p.evidence.date, start, end)]  # fmt: skip
        if inside:
            own = [e for e in inside if not time.is_disputed(e)]
            return min(own or inside, key=lambda e: e.date)
    inside = [e for e in became.evidence if within(e.date, start, end)]
    if inside:
        return max(inside, key=lambda e: e.date)
    return became.evidence[0] if became.evidence else None


def _claimed(e: model.EventClaim) -> model.Evidence:
    """An event that places nothing by itself (a notice, a role), as a dated claim."""
    what = f"{e.kind} {e.role}" if e.role else e.kind
    return model.Evidence(fact=what, date=e.date, source=e.source, locator=e.locator,
                          derived=e.derived, derived_from=e.derived_from,
                          decision=e.decision, note=e.note)  # fmt: skip


def _dated(kind: ChangeKind, subject: str, name: str, what: str, e: Any) -> Change:
    """A dated claim in the window (an `Evidence` or a meeting's `EventClaim`), as a change
    of its own."""
    return Change(
        kind=kind,
        subject=subject,
        name=name,
        what=what,
        after=e.note,
        date=e.date,
        source=e.source,
        locator=e.locator,
        worked_out=e.derived,
        summary=_said(f"{what}: {e.note}" if e.note else what, e.derived),
    )


def _said(text: str, derived: bool) -> str:
    """The change in words; one worked out from what its documents say says so."""
    return f"{text} (worked out)" if derived else text


def _meeting(ds: model.Dataset, m: model.Meeting) -> list[Change]:
    """A Board meeting held: where, the rotating seat, what it approved; then each of
    its decisions."""
    names = {p.id: p.name for p in ds.members}
    told = [m.place or ""]
    if m.rotating_seat:
        told.append(f"rotating seat: {names.get(m.rotating_seat, m.rotating_seat)}")
    approved = [
        amount(value, unit, qualifier)
        for value, unit, qualifier in (
            (m.approved_projects, "projects", m.approved_projects_qualifier),
            (m.approved_usd, "USD", m.approved_usd_qualifier),
            (m.approved_eur, "EUR", m.approved_eur_qualifier),
        )
        if value is not None
    ]
    if approved:
        told.append("approved " + ", ".join(approved))
    source, locator = model.stated_by(m, "date")
    name = f"Board {m.number}"
    held = "; ".join(t for t in told if t) or None
    out = [
        Change(
            kind="meeting",
            subject=str(m.id),
            name=name,
            what="held",
            after=held,
            date=m.date,
            source=source,
            locator=locator,
            worked_out="date" in m.derived,
            summary=f"held: {held}" if held else "held",
        )
    ]
    for e in m.events:
        out.append(_dated("meeting", str(m.id), name, e.kind, e))
    return out


def _moved(measure: str, unit: str, first: Any, last: Any, count: int) -> Change:
    """A series' first and last value in between, and the difference in its one unit;
    a series of each Board meeting's own approvals is no running total, so it gets
    no difference (the meetings' lines give each one)."""
    one = first is last
    per_meeting = measure in (APPROVED_PROJECTS, APPROVED_FUNDING)
    difference = None
    if not one and not per_meeting:
        difference = last.value - first.value
        if isinstance(difference, float) and not math.isfinite(difference):
            difference = None  # beyond what a float holds: no difference to give
    was = f"{amount(first.value, unit, first.qualifier)} ({first.date})"
    now = f"{amount(last.value, unit, last.qualifier)} ({last.date})"
    if one:
        said = f"one value: {now}"
    elif per_meeting:
        said = f"{count} meetings' own approvals, the first {was}, the last {now}"
    else:
        by = "" if difference is None else f", a difference of {difference:+,}"
        said = f"from {was} to {now}{by}"
    return Change(
        kind="series",
        subject=measure,
        name=f"{measure.replace('-', ' ')} ({unit})",  # words that wrap; the id is `subject`
        what="value" if one else "values",
        before=None if one else was,
        after=now,
        date=last.date,
        source=last.source,
        locator=last.locator,
        before_source=None if one else first.source,
        before_locator=None if one else first.locator,
        first=first.value,
        last=last.value,
        difference=difference,
        unit=unit,
        summary=said,
    )
