"""The claim: the unit of provenance.

A record names the document that states it (`source`) and the place in that document
(`locator`). A claim another document states names its own: field X takes its source
from `X_source` and its place from `X_locator`; an item of a list X takes its source
from `X_sources` (one per item). Three kinds of item carry their claims whole, each
with its own document and place: `notes` (a note a document states), `events` (a dated
event of a kind: signed, in force, accession, notice, withdrawal, appointment, term,
extension, stated absence, attendance, a role) and `conflicts` (another document's
account of a field, kept beside the record's own).

A claim is *worked out* (`derived`) when no document states it as it stands: field X
named in the record's `derived` rests on the documents `X_from` names; an event or a
note marked `derived` rests on its `source` and `derived_from`. A claim is a *decision*
when its document announces it for a later date ("to take up the post on 1 May",
"extended through April 2010"): field X named in `decisions`, or an event marked
`decision`. A document attests only what held when it was written; `validate` refuses a
claim dated after its document unless it is worked out or a decision.

Every view asks `facts` (or `credits_of`, its form for output), never the fields.
"""

from collections.abc import Collection
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from .base import (
    ID,
    EventKind,
    FieldRole,
    Record,
    Role,
    date_field,
    ref_field,
    refs_field,
    role_of,
)


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Conflict(Record):
    """Another document's account of one of a record's facts, kept beside the record's
    own: where sources disagree, both stand, each with its source."""

    field: str  # the field of the record this account disagrees on
    value: str  # what the other document states (a partial ISO date for a date field)
    source: str = ref_field()
    locator: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Note(Record):
    """A note one document states, in our own words: a record whose notes come from
    several documents has one of these for each."""

    text: str
    source: str = ref_field()
    locator: str | None = None
    derived: bool = False  # worked out from what its documents say, not stated
    derived_from: tuple[str, ...] = refs_field()  # the further documents it rests on


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class EventClaim(Record):
    """A dated event of a kind, as one document states it: what drives time (`--at`,
    `changes`). `date` is when it happens (a term's or an appointment's start, an
    extension's decision); `until` where the document gives an end ("extended through
    April 2010"); `months` a term's or an extension's length, whose end is worked out."""

    kind: EventKind
    date: str = date_field()
    until: str | None = date_field(optional=True)
    months: int | None = None
    role: Role | None = None  # for kind `role`: the role held from `date`
    meeting: int | None = None  # for `attendance` and decisions of a Board meeting
    amount: int | float | None = None  # for `budget`: the amount approved
    currency: str | None = None  # its currency, as the document gives it (USD, EUR)
    source: str = ref_field()
    locator: str | None = None
    decision: bool = False  # announced by its document for a later date
    derived: bool = False  # worked out (a date from "notice in May, effective six months later")
    derived_from: tuple[str, ...] = refs_field()  # the further documents it rests on
    note: str | None = None

    @property
    def label(self) -> str:
        """'extension 2008-04-09 through 2010-04': the kind, its date and its span."""
        words = [self.kind.replace("-", " "), self.date]
        if self.role:
            words.insert(1, self.role)
        if self.meeting is not None:
            words.append(f"(Board {self.meeting})")
        if self.until:
            words.append(f"through {self.until}")
        if self.months is not None:
            words.append(f"for {self.months} months")
        return " ".join(words)


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Evidence(Record):
    """A fact that places a record at a date (`--at`): what it is, when, and who says."""

    fact: str  # a span field (joined, left, since, until), attested, absent, an event's
    # kind (signed, in-force, notice, term-end...), established, held-by or also-held-by
    date: str = date_field()
    source: str = ref_field()
    locator: str | None = None
    derived: bool = False  # worked out from what the source says, not stated by it
    note: str | None = None
    derived_from: tuple[str, ...] = refs_field()  # the further documents it rests on
    decision: bool = False  # announced by its document for a later date

    @property
    def label(self) -> str:
        """'joined 1997 (istc-korea)'; a derived date or a decision says so."""
        mark = ", derived" if self.derived else ", decided earlier" if self.decision else ""
        words = f"{self.fact} {self.date}" if self.date else self.fact
        what = f"{words}: {self.note}" if self.note else words
        return f"{what} ({self.source}{mark})"


CLAIM_ITEMS = ("notes", "events", "conflicts")
"""The list fields whose items are claims of their own, each with its document."""


class Fact(NamedTuple):
    """One claim of a record: a field's value (or one item of a list field), the
    document that states it, the place in it, and how it is held."""

    field: str
    item: int | None  # the item's place in a list field, from 0; None for the whole field
    value: Any
    source: str
    locator: str | None
    derived: bool = False
    conflict: bool = False  # another source's account, kept beside the record's own
    derived_from: tuple[str, ...] = ()  # every document a worked-out claim rests on
    decision: bool = False  # announced by its document for a later date


def stated_by(record: Any, name: str, index: int | None = None) -> tuple[str, str | None]:
    """The source id that states field `name` of `record` (item `index` of a list), and
    the place in it: the field's own where it has one, else the record's."""
    base = str(getattr(record, "source", "") or "")
    own_place = getattr(record, "locator", None)
    if index is not None:
        item_source = _item(record, f"{name}_sources", index)
        item_place = _item(record, f"{name}_locators", index)
        if item_source and item_source != base:
            return item_source, item_place
        if item_place:
            return base, item_place
    prefix = record.places.get(name, name)  # a field stated where its group is
    own = getattr(record, f"{prefix}_source", None)
    place = getattr(record, f"{prefix}_locator", None)
    if own and own != base:
        return str(own), place
    return base, place if place is not None else own_place


def worked_from(record: Any, name: str) -> tuple[str, ...]:
    """The documents a worked-out field `name` rests on (`X_from`), or ()."""
    return tuple(getattr(record, f"{name}_from", ()) or ())


def _item(record: Any, name: str, index: int) -> str | None:
    """Item `index` of the per-item list `name` (`attested_sources`), if it has one."""
    values = getattr(record, name, None) or ()
    return str(values[index]) if index < len(values) and values[index] else None


def stated_elsewhere(cls: type, names: tuple[str, ...]) -> tuple[str, ...]:
    """Those of `names` that a record of `cls` can have stated by another document than
    its own source (an `X_source`, per-item sources or places, claim items or
    `conflicts`): the only fields whose sources a view needs to look up fact by fact."""
    disputed = hasattr(cls, "conflicts")
    return tuple(
        n
        for n in names
        if disputed
        or n in CLAIM_ITEMS
        or n in getattr(cls, "places", {})
        or hasattr(cls, f"{n}_source")
        or per_item(cls, n)
    )


def per_item(cls: type, name: str) -> bool:
    """True when list field `name` of `cls` gives each item its own source or place."""
    return hasattr(cls, f"{name}_sources") or hasattr(cls, f"{name}_locators")


_NOT_FACTS = (FieldRole.ID, FieldRole.SOURCE, FieldRole.LOCATOR)
_NOT_STATED = ("derived", "decisions", "conflicts", "aliases", "remark")  # how it is kept
"""`aliases` are the other names people look a record up by, and a `remark` is ours (what
the sources leave open): neither is a document's claim."""


def states_facts(cls: type, name: str) -> bool:
    """True when field `name` of `cls` holds what a document states, not how the record
    is kept (its id, sources, places, aliases, conflicts and derived marks)."""
    return name not in _NOT_STATED and role_of(cls, name) not in _NOT_FACTS


def facts(record: Any, only: Collection[str] | None = None) -> tuple[Fact, ...]:
    """Every claim of `record`, each with its own document and place: its fields in
    declaration order (each item of a list with per-item sources, each note and event
    as a claim of its own), then the other accounts its `conflicts` keep. Nested
    records of other kinds state their own facts. `only`: the claims of these fields."""
    cls = type(record)
    derived = set(getattr(record, "derived", ()) or ())
    decided = set(getattr(record, "decisions", ()) or ())
    out: list[Fact] = []
    for f in fields(cls):
        name = f.name
        if (only is not None and name not in only) or not states_facts(cls, name):
            continue
        value = getattr(record, name)
        if value is None or value == () or isinstance(value, Record):
            continue
        if isinstance(value, tuple) and isinstance(value[0], Note | EventClaim):
            out += [_claim_item(name, i, item) for i, item in enumerate(value)]
            continue
        if isinstance(value, tuple) and isinstance(value[0], Record):
            continue
        if isinstance(value, tuple) and per_item(cls, name):
            for i, item in enumerate(value):
                source, place = stated_by(record, name, i)
                out.append(Fact(name, i, item, source, place, name in derived))
            continue
        source, place = stated_by(record, name)
        rests_on = worked_from(record, name) if name in derived else ()
        out.append(
            Fact(name, None, value, source, place, name in derived, False, rests_on,
                 name in decided)
        )  # fmt: skip
    for other in getattr(record, "conflicts", ()) or ():
        if only is None or other.field in only:
            out.append(
                Fact(other.field, None, other.value, other.source, other.locator, False, True)
            )
    return tuple(out)


def _claim_item(name: str, index: int, item: "Note | EventClaim") -> Fact:
    value = item.text if isinstance(item, Note) else item.label
    decision = bool(getattr(item, "decision", False))
    return Fact(name, index, value, item.source, item.locator, item.derived, False,
                item.derived_from, decision)  # fmt: skip


def claim_sources(record: Any) -> tuple[str, ...]:
    """Every document `record`'s claims rest on, in the order they first appear."""
    found: dict[str, None] = {}
    for fact in facts(record):
        for sid in (fact.source, *fact.derived_from):
            if sid:
                found[sid] = None
    return tuple(found)


def _prose() -> Any:
    """A field of text, whatever its name says (a credit's `value` is not a number)."""
    return field(metadata={"role": FieldRole.TEXT})


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Credit(Record):
    """One fact a view shows, with the document that states it and the place in it:
    `show` lists the matched entity's facts, `about` the facts behind each of its lines
    (`field` is then the overview's field, `record` the record that states it)."""

    label_field = "field"

    record: str = field(metadata=ID)  # the id of the record that holds the fact
    field: str  # the field shown: the record's own (show) or the overview's (about)
    position: int | None = None  # for one item of a list, its place, from 1
    value: str = _prose()  # the value, as text
    source: str = ref_field()
    locator: str | None = None
    derived: bool = False  # worked out from what the source says, not stated by it
    conflict: bool = False  # another document's account, kept beside the record's own
    derived_from: tuple[str, ...] = refs_field()  # every document a worked-out fact rests on
    decision: bool = False  # announced by its document for a later date


def credits_of(
    record: Record,
    name: str | None = None,
    *,
    index: int | None = None,
    shown_as: str | None = None,
    position: int | None = None,
) -> tuple[Credit, ...]:
    """The facts of `record` as credits: all of them, or those of field `name` (item
    `index` of a list, from 0) with the other accounts its conflicts keep, shown as
    field `shown_as` (item `position`, from 1) of a view."""
    rid = str(getattr(record, "id", "") or "")
    out: list[Credit] = []
    for fact in facts(record, None if name is None else (name,)):
        value = fact.value
        item = fact.item
        if index is not None and not fact.conflict:
            if item is None and isinstance(value, tuple) and index < len(value):
                value, item = value[index], index
            elif item != index:
                continue
        out.append(
            Credit(
                record=rid,
                field=shown_as or fact.field,
                position=position if shown_as else (None if item is None else item + 1),
                value=stated_text(value),
                source=fact.source,
                locator=fact.locator,
                derived=fact.derived,
                conflict=fact.conflict,
                derived_from=fact.derived_from,
                decision=fact.decision,
            )
        )
    return tuple(out)


def stated_text(value: Any) -> str:
    """A stated value as text: a list's items joined by '; ', a flag as true or false."""
    if isinstance(value, tuple):
        return "; ".join(stated_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
