"""The dataset's records: frozen standard-library dataclasses.

These classes are the single description of the data: the loader validates YAML
against their type hints (read with `typing.get_type_hints`), the output layer takes
their field names as the JSON fields, and `istc schema` derives the JSON Schema from
them. Field metadata marks what a type hint cannot say: partial ISO dates and
references to source ids.

Type hints are kept to a small vocabulary the loader and schema understand: str,
int, float, int | float, bool, Literal[...], X | None, tuple[X, ...] and nested record
classes. The annotations are evaluated when each class is made (no `from __future__
import annotations`): reading them then costs nothing, where evaluating thirty classes'
strings through `typing.get_type_hints` costs more than loading the dataset.
"""

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal, NamedTuple

DATE = {"kind": "date"}
DATES = {"kind": "dates"}
REF = {"kind": "ref"}
REFS = {"kind": "refs"}
ID = {"kind": "id"}
URL = {"kind": "url"}

Role = Literal["party", "founder", "board", "office-host", "hq-host"]
"""`board` is the fact sheet's *permanent* Governing Board membership."""
MemberStatus = Literal["current", "former"]
OfficeKind = Literal["headquarters", "branch"]
InitiativeStatus = Literal["approved", "in-development"]
Qualifier = Literal["over", "more than", "approximately", "nearly"]
SourceKind = Literal["primary", "research"]
TitleKind = Literal["own", "descriptive"]
OfficerRole = Literal[
    "board-chair",
    "alternate-board-chair",
    "executive-director",
    "acting-executive-director",
    "deputy-executive-director",
]
SOLE_OFFICES: dict[str, str] = {
    "board-chair": "board-chair",
    "executive-director": "executive-director",
    "acting-executive-director": "executive-director",
}
"""The offices one person holds at a time, by role: an acting Executive Director holds
the Executive Director's office. A deputy or an alternate chair is not alone."""
MissionPart = Literal["vision", "mission", "objective"]
StrategyArea = Literal["future", "outreach", "eu-cbrn-coe", "region", "engagement"]
StatementPart = Literal["background", "accusation", "context", "rebuttal"]


def date_field(*, optional: bool = False) -> Any:
    """A partial ISO 8601 date ("1992", "1992-11", "1992-11-27")."""
    return field(default=None, metadata=DATE) if optional else field(metadata=DATE)


def ref_field(*, optional: bool = False) -> Any:
    """The id of a record in `sources`."""
    return field(default=None, metadata=REF) if optional else field(metadata=REF)


def refs_field() -> Any:
    """Further source ids that confirm or refine the record."""
    return field(default=(), metadata=REFS)


def dates_field() -> Any:
    """A list of partial ISO dates."""
    return field(default=(), metadata=DATES)


def id_field() -> Any:
    """The record's stable id: given in the file, or derived from its key by the loader
    (see `ids.py`); always present once loaded."""
    return field(default=None, metadata=ID)


# ---------------------------------------------------------------- field roles
#
# The role each field plays, declared once, here: search ranks a hit by it, `show`
# picks a record's text and date by it, tables decide which columns wrap, which never
# cut and which align right, the export picks its full-text columns, and ids keep a
# date or a code as it is and a text as its first words. A field takes its role from
# its name (the model names a field the same wherever it plays the same part), or from
# a "role" in its metadata, which wins.


class FieldRole:
    """The roles a field can play."""

    MAIN = "main"  # the text that states the record's fact (an event, a statement's text)
    NAME = "name"  # what names the record (a name, a title, a city, a term)
    TEXT = "text"  # other prose (a purpose, how it was established)
    MENTION = "mention"  # names other entities (a statement's accusers, a country)
    NOTE = "note"  # a note on the record
    DATE = "date"  # a partial ISO date, or a list of them: when something is, or began
    END = "end"  # a partial ISO date when something ended (until, left)
    CODE = "code"  # a short value from a closed vocabulary, or a unit
    NUMBER = "number"  # an amount or a count
    ID = "id"  # a record id
    ADDRESS = "address"  # a web address
    LOCATOR = "locator"  # where in a document
    SOURCE = "source"  # the id of a source: the record's, a field's own, or a further one


FIELD_ROLES: dict[str, str] = {
    **dict.fromkeys(("event", "text", "summary", "stands_for"), FieldRole.MAIN),
    **dict.fromkeys(("name", "title", "city", "term", "acronym", "aliases"), FieldRole.NAME),
    **dict.fromkeys(
        ("purpose", "mission_since_2015", "associations", "established_how",
         "activity_categories", "publications", "source_spelling", "amount"),
        FieldRole.TEXT,
    ),
    **dict.fromkeys(
        ("publisher", "place", "headquarters", "country", "by", "against", "founders",
         "signatories", "established_place", "coordinates_efforts_of", "party",
         "party_names", "board_members", "office_hosts", "former_parties", "branch_offices",
         "previous_headquarters", "permanent_board_members", "headquarters_country",
         "sister_center", "dataset_path", "dataset_version", "query", "ambiguous",
         "unknown_parties", "unknown_offices"),
        FieldRole.MENTION,
    ),
    "note": FieldRole.NOTE,
    **dict.fromkeys(
        ("date", "since", "absent", "at", "joined", "as_of", "accessed", "established",
         "operations_began", "agreement_signed", "attested", "data_as_of", "figures_as_of",
         "latest_source_date", "latest_event_date", "headquarters_since"),
        FieldRole.DATE,
    ),
    **dict.fromkeys(("until", "left"), FieldRole.END),
    **dict.fromkeys(
        ("status", "kind", "qualifier", "unit", "part", "area", "role", "roles", "section",
         "relation", "field", "title_kind", "match", "version", "measure", "derived",
         "standing", "fact", "conflict"),
        FieldRole.CODE,
    ),
    **dict.fromkeys(("value", "number", "parties", "source_count", "position"), FieldRole.NUMBER),
    "id": FieldRole.ID,
    "figure": FieldRole.ID,
    "record": FieldRole.ID,  # a search hit's record: its name, date or id, never cut
    "url": FieldRole.ADDRESS,
    "locator": FieldRole.LOCATOR,
    **dict.fromkeys(
        ("source", "see_also", "note_source", "joined_source", "left_source",
         "headquarters_source", "sister_center_source", "former_parties_sources"),
        FieldRole.SOURCE,
    ),
}  # fmt: skip


def role_of(cls: type, name: str) -> str | None:
    """The role of field `name` of record class `cls` (see FIELD_ROLES; a field named
    `X_source`, `X_sources`, `X_locator` or `X_locators` says where X is stated)."""
    for f in fields(cls):
        if f.name == name:
            return f.metadata.get("role") or _role_by_name(name)
    return _role_by_name(name)


def _role_by_name(name: str) -> str | None:
    role = FIELD_ROLES.get(name)
    if role is None and name.endswith(_SOURCE_SUFFIXES):
        return FieldRole.SOURCE
    if role is None and name.endswith(_LOCATOR_SUFFIXES):
        return FieldRole.LOCATOR
    return role


_SOURCE_SUFFIXES = ("_source", "_sources")
_LOCATOR_SUFFIXES = ("_locator", "_locators")


def fields_with(cls: type, *roles: str) -> tuple[str, ...]:
    """The fields of `cls` that play one of `roles`, in declaration order."""
    return tuple(f.name for f in fields(cls) if role_of(cls, f.name) in roles)


# ---------------------------------------------------------------- statements
#
# The statement is the unit of provenance. A record names the source that states it
# (`source`) and the place in that source (`locator`). A fact another document states
# names its own: field X takes its source from `X_source` and its place from
# `X_locator`; an item of a list X takes its source from `X_sources` (one per item).
# Where documents disagree, `conflicts` keeps each other account with its source, and
# `derived` names the fields whose values are worked out from what a source says rather
# than stated by it. Every view asks `facts` or `stated_by`, never the fields.


class Fact(NamedTuple):
    """One statement of a record: a field's value (or one item of a list field), the
    source that states it, the place in that source, and whether it is derived."""

    field: str
    item: int | None  # the item's place in a list field, from 0; None for the whole field
    value: Any
    source: str
    locator: str | None
    derived: bool = False
    conflict: bool = False  # another source's account, kept beside the record's own


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
    own = getattr(record, f"{name}_source", None)
    place = getattr(record, f"{name}_locator", None)
    if own and own != base:
        return str(own), place
    return base, place if place is not None else own_place


def _item(record: Any, name: str, index: int) -> str | None:
    """Item `index` of the per-item list `name` (`attested_sources`), if it has one."""
    values = getattr(record, name, ())
    return str(values[index]) if index < len(values) and values[index] else None


def stated_elsewhere(cls: type, names: tuple[str, ...]) -> tuple[str, ...]:
    """Those of `names` that a record of `cls` can have stated by another document than
    its own source (an `X_source`, per-item sources or places, or `conflicts`): the only
    fields whose sources a view needs to look up fact by fact."""
    disputed = hasattr(cls, "conflicts")
    return tuple(n for n in names if disputed or hasattr(cls, f"{n}_source") or per_item(cls, n))


def per_item(cls: type, name: str) -> bool:
    """True when list field `name` of `cls` gives each item its own source or place."""
    return hasattr(cls, f"{name}_sources") or hasattr(cls, f"{name}_locators")


_NOT_FACTS = (FieldRole.ID, FieldRole.SOURCE, FieldRole.LOCATOR)
_NOT_STATED = ("derived", "conflicts", "aliases")  # how the record is kept, not facts
"""`aliases` are the other names people look a record up by, not a document's claim."""


def states_facts(cls: type, name: str) -> bool:
    """True when field `name` of `cls` holds what a document states, not how the record
    is kept (its id, sources, places, aliases, conflicts and derived marks)."""
    return name not in _NOT_STATED and role_of(cls, name) not in _NOT_FACTS


def facts(record: Any) -> tuple[Fact, ...]:
    """Every statement of `record`, each with its own source and place: its fields in
    declaration order (each item of a list with per-item sources), then the other
    accounts its `conflicts` keep. Nested records state their own facts."""
    cls = type(record)
    derived = set(getattr(record, "derived", ()) or ())
    out: list[Fact] = []
    for f in fields(cls):
        name = f.name
        if not states_facts(cls, name):
            continue
        value = getattr(record, name)
        if value is None or value == () or isinstance(value, Record):
            continue
        if isinstance(value, tuple) and isinstance(value[0], Record):
            continue
        if isinstance(value, tuple) and per_item(cls, name):
            for i, item in enumerate(value):
                source, place = stated_by(record, name, i)
                out.append(Fact(name, i, item, source, place, name in derived))
            continue
        source, place = stated_by(record, name)
        out.append(Fact(name, None, value, source, place, name in derived))
    for other in getattr(record, "conflicts", ()) or ():
        out.append(Fact(other.field, None, other.value, other.source, other.locator, False, True))
    return tuple(out)


class Record:
    """Base of every record: what identifies it, and which fields a table shows.

    Equality, hashing and repr are defined once here, over the dataclass fields, and
    each record class is declared with `eq=False, repr=False`: `dataclasses` would
    otherwise compile three more functions for each of the thirty classes, a third of
    the time the model takes to import.
    """

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))  # type: ignore[arg-type]
        return f"{type(self).__name__}({inner})"

    key: ClassVar[tuple[str, ...]] = ()
    table_fields: ClassVar[tuple[str, ...]] = ()
    label_field: ClassVar[str] = "name"
    single: ClassVar[bool] = False  # output is one object, not a list
    id_prefix: ClassVar[str] = ""  # "member" gives ids like member:kazakhstan
    listed_in: ClassVar[str] = ""  # the dataset section (and command) that lists the record
    named_by: ClassVar[tuple[str, ...]] = ()  # the fields people name the record by (`show`)
    section_title: ClassVar[str] = ""  # the section's title, as an export names its table
    section_description: ClassVar[str] = ""  # what the section holds
    # For records that hold at a date (`--at`, `standing.py`): the fields that start and
    # end their span, and the words for holding and not holding.
    span: ClassVar[tuple[str, ...]] = ()
    standing_words: ClassVar[tuple[str, ...]] = ()


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Meta(Record):
    """The dataset file itself: its title, version and date."""

    title: str
    version: str
    date: str = date_field()


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Source(Record):
    """A document the dataset cites: one of the two ISTC documents, or a checked page."""

    section_title = "Sources"
    section_description = "Every source the dataset cites, with its address."
    named_by = ("id", "title")
    key = ("id",)
    table_fields = ("id", "title", "publisher", "date", "url")
    label_field = "id"
    listed_in = "sources"

    id: str = field(metadata=ID)
    title: str
    publisher: str
    date: str | None = date_field(optional=True)
    as_of: str | None = date_field(optional=True)
    url: str | None = field(default=None, metadata=URL)  # http or https only
    kind: SourceKind
    note: str | None = None
    title_kind: TitleKind = "own"  # "descriptive": the document has no title; ours says what it is
    accessed: str | None = date_field(optional=True)  # when an outside page was read

    @property
    def label(self) -> str:
        """How a source is named for people: its title and date."""
        title = f"[{self.title}]" if self.title_kind == "descriptive" else self.title
        return f"{title} ({self.date})" if self.date else title


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
class Headquarters(Record):
    """A seat of the ISTC, with the dates it held."""

    section_title = "Headquarters"
    section_description = "Where the ISTC has had its seat."
    named_by = ("city",)
    key = ("city", "since")
    label_field = "city"
    id_prefix = "hq"
    listed_in = "headquarters"

    city: str
    country: str
    since: str | None = date_field(optional=True)
    until: str | None = date_field(optional=True)
    note: str | None = None
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    note_source: str | None = ref_field(optional=True)  # the source of `note`, if not `source`
    id: str | None = id_field()
    locator: str | None = None
    since_source: str | None = ref_field(optional=True)
    since_locator: str | None = None
    until_source: str | None = ref_field(optional=True)
    until_locator: str | None = None
    derived: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    standing_words = ("open", "closed")
    span = ("since", "until")


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class SisterCenter(Record):
    """The STCU, the ISTC's sister center in Ukraine."""

    section_title = "Sister center"
    section_description = "The STCU, the ISTC's sister center."
    named_by = ("acronym", "name")
    key = ("acronym",)
    label_field = "acronym"
    id_prefix = "sister"
    listed_in = "sister_center"

    name: str
    acronym: str
    headquarters: str
    agreement_signed: str | None = date_field(optional=True)
    signatories: tuple[str, ...] = ()
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    id: str | None = id_field()
    locator: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Organization(Record):
    """The ISTC itself: one record."""

    section_title = "The organisation"
    section_description = "The ISTC itself: one row."
    named_by = ("acronym", "name")
    key = ("acronym",)
    label_field = "acronym"
    id_prefix = "org"
    listed_in = "about"

    name: str
    acronym: str
    kind: str
    status: str
    established: str = date_field()
    established_place: str
    established_how: str
    founders: tuple[str, ...]
    operations_began: str = date_field()
    activity_categories: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()
    associations: str | None = None
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    headquarters: tuple[Headquarters, ...]
    sister_center: SisterCenter | None = None
    coordinates_efforts_of: tuple[str, ...] = ()
    purpose: str | None = None
    mission_since_2015: str | None = None
    id: str | None = id_field()
    locator: str | None = None
    kind_locator: str | None = None
    status_locator: str | None = None
    founders_locator: str | None = None
    operations_began_locator: str | None = None
    operations_began_source: str | None = ref_field(optional=True)
    publications_locator: str | None = None
    associations_locator: str | None = None
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Member(Record):
    """A party to the ISTC agreement, current or former."""

    section_title = "Parties"
    section_description = "The parties to the ISTC agreement, current and former."
    named_by = ("name", "aliases")
    key = ("name",)
    table_fields: ClassVar[tuple[str, ...]] = ("name", "status", "roles", "joined", "left")
    id_prefix = "member"
    listed_in = "members"

    name: str
    aliases: tuple[str, ...] = ()
    kind: str
    status: MemberStatus
    roles: tuple[Role, ...]
    joined: str | None = date_field(optional=True)
    joined_source: str | None = ref_field(optional=True)
    left: str | None = date_field(optional=True)
    left_source: str | None = ref_field(optional=True)
    note: str | None = None
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    note_source: str | None = ref_field(optional=True)
    id: str | None = id_field()
    locator: str | None = None
    status_source: str | None = ref_field(optional=True)
    status_locator: str | None = None
    roles_locators: tuple[str, ...] = ()  # where the record's source states each role
    attested: tuple[str, ...] = dates_field()  # dates a source shows it a party
    attested_sources: tuple[str, ...] = refs_field()  # the source of each attested date
    absent: tuple[str, ...] = dates_field()  # dates a source's full list of parties omits it
    absent_sources: tuple[str, ...] = refs_field()
    absent_locators: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    standing_words = ("party", "not-party")
    span = ("joined", "left")


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Office(Record):
    """The headquarters or a branch office."""

    section_title = "Offices"
    section_description = "The headquarters and the branch offices."
    named_by = ("city",)
    key = ("city",)
    table_fields: ClassVar[tuple[str, ...]] = (
        "city",
        "country",
        "kind",
        "status",
        "since",
        "until",
    )
    label_field = "city"
    id_prefix = "office"
    listed_in = "offices"

    city: str
    country: str
    kind: OfficeKind
    since: str | None = date_field(optional=True)
    note: str | None = None
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    note_source: str | None = ref_field(optional=True)
    id: str | None = id_field()
    locator: str | None = None
    status: MemberStatus = "current"  # `offices --all` adds former headquarters
    until: str | None = date_field(optional=True)
    since_source: str | None = ref_field(optional=True)
    since_locator: str | None = None
    until_source: str | None = ref_field(optional=True)
    until_locator: str | None = None
    attested: tuple[str, ...] = dates_field()  # dates a source shows the office open
    attested_sources: tuple[str, ...] = refs_field()
    derived: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    standing_words = ("open", "closed")
    span = ("since", "until")


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Event(Record):
    """A dated event of the chronology."""

    section_title = "Chronology"
    section_description = "Events, each dated as precisely as its source."
    key = ("date", "event")
    table_fields = ("date", "event")
    label_field = "date"
    id_prefix = "history"
    listed_in = "history"

    date: str = date_field()
    event: str
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    id: str | None = id_field()
    locator: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Figure(Record):
    """An activity figure: a value with its unit, qualifier and as-of date."""

    section_title = "Figures"
    section_description = "Activity figures with qualifier, unit and as-of date."
    key = ("id",)
    table_fields = ("name", "value", "as_of")  # for people, value reads "over US$1.2 billion"
    listed_in = "figures"

    id: str = field(metadata=ID)
    name: str
    value: int | float
    unit: str
    qualifier: Qualifier | None = None
    as_of: str | None = date_field(optional=True)
    note: str | None = None
    source: str = ref_field()
    note_source: str | None = ref_field(optional=True)
    locator: str | None = None
    measure: str | None = None  # what it measures, shared by the same measure at other dates


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Program(Record):
    """A supporting program."""

    section_title = "Supporting programs"
    section_description = "The supporting programs."
    key = ("name",)
    table_fields = ("name",)
    id_prefix = "program"
    listed_in = "programs"

    name: str
    source: str = ref_field()
    id: str | None = id_field()
    locator: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Regime(Record):
    """A non-proliferation regime the ISTC supports."""

    section_title = "Regimes"
    section_description = "The non-proliferation regimes the ISTC supports."
    key = ("name",)
    table_fields = ("name",)
    id_prefix = "regime"
    listed_in = "regimes"

    name: str
    source: str = ref_field()
    id: str | None = id_field()
    locator: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Initiative(Record):
    """A Targeted Initiative."""

    section_title = "Targeted Initiatives"
    section_description = "The Targeted Initiative pipeline."
    key = ("name",)
    table_fields = ("name", "status")
    id_prefix = "initiative"
    listed_in = "initiatives"

    name: str
    status: InitiativeStatus
    source: str = ref_field()
    id: str | None = id_field()
    locator: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class MissionItem(Record):
    """The vision, a mission point or an objective."""

    section_title = "Mission"
    section_description = "Vision, mission points and objectives."
    key = ("part", "text")
    table_fields = ("part", "text")
    label_field = "part"
    id_prefix = "mission"
    listed_in = "mission"

    part: MissionPart
    text: str
    source: str = ref_field()
    id: str | None = id_field()
    locator: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class StrategyItem(Record):
    """A line of the strategy: future plans, outreach, regions, engagement."""

    section_title = "Strategy"
    section_description = "Future plans, outreach, regions, engagement."
    key = ("area", "text")
    table_fields = ("area", "text")
    label_field = "area"
    id_prefix = "strategy"
    listed_in = "strategy"

    area: StrategyArea
    text: str
    source: str = ref_field()
    id: str | None = id_field()
    locator: str | None = None
    source_spelling: str | None = None  # how the source spells it, where we corrected it


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Statement(Record):
    """A part of the 2022 press release: the accusation, its context or a rebuttal."""

    section_title = "Press release 2022"
    section_description = "The accusation and each rebuttal."
    key = ("part", "text")
    table_fields = ("part", "by", "against", "text")
    label_field = "part"
    id_prefix = "statement"
    listed_in = "statement"

    part: StatementPart
    by: str
    against: tuple[str, ...] = ()
    text: str
    source: str = ref_field()
    id: str | None = id_field()
    locator: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Meeting(Record):
    """A Governing Board meeting."""

    section_title = "Governing Board meetings"
    section_description = "The meetings the sources record."
    key = ("number",)
    table_fields = ("number", "date", "place", "summary")
    label_field = "number"
    id_prefix = "meeting"
    listed_in = "meetings"

    number: int
    date: str | None = date_field(optional=True)
    place: str | None = None
    summary: str
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    id: str | None = id_field()
    locator: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Officer(Record):
    """A Governing Board chair or an Executive Director."""

    section_title = "Officers"
    section_description = "Board chairs and Executive Directors."
    named_by = ("name", "aliases")
    key = ("name", "role")
    table_fields: ClassVar[tuple[str, ...]] = ("name", "role", "since", "until", "attested")
    id_prefix = "officer"
    listed_in = "officers"

    name: str
    aliases: tuple[str, ...] = ()  # the other forms of the name the sources print
    role: OfficerRole
    party: str | None = None
    since: str | None = date_field(optional=True)
    until: str | None = date_field(optional=True)
    attested: tuple[str, ...] = dates_field()  # dates a source shows them in office
    note: str | None = None
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    id: str | None = id_field()
    locator: str | None = None
    attested_sources: tuple[str, ...] = refs_field()  # the source of each attested date
    since_source: str | None = ref_field(optional=True)
    until_source: str | None = ref_field(optional=True)
    derived: tuple[str, ...] = ()

    standing_words = ("in-office", "not-in-office")
    span = ("since", "until")


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Term(Record):
    """An abbreviation the sources use."""

    section_title = "Glossary"
    section_description = "The abbreviations the sources use."
    named_by = ("term", "stands_for")
    key = ("term",)
    table_fields = ("term", "stands_for")
    label_field = "term"
    id_prefix = "term"
    listed_in = "glossary"

    term: str
    stands_for: str
    source: str = ref_field()
    id: str | None = id_field()
    locator: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Dataset(Record):
    """The whole file. Its fields are the YAML file's top-level sections."""

    meta: Meta
    sources: tuple[Source, ...]
    organization: Organization
    members: tuple[Member, ...]
    offices: tuple[Office, ...]
    history: tuple[Event, ...]
    figures: tuple[Figure, ...]
    programs: tuple[Program, ...]
    regimes: tuple[Regime, ...]
    initiatives: tuple[Initiative, ...]
    mission: tuple[MissionItem, ...]
    strategy: tuple[StrategyItem, ...]
    statement: tuple[Statement, ...]
    meetings: tuple[Meeting, ...] = ()
    officers: tuple[Officer, ...] = ()
    glossary: tuple[Term, ...] = ()


# Records the commands build from the dataset rather than read from it.


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class SearchHit(Record):
    """A record a search found, with the field that holds the words."""

    # the id too, in every view: it is what `istc show` and `istc cite` take
    table_fields = ("section", "record", "id", "field", "text")
    label_field = "record"

    section: str
    record: str
    field: str
    text: str
    source: str = ref_field()
    id: str | None = None  # the id of the record hit
    locator: str | None = None


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
    for fact in facts(record):
        if name is not None and fact.field != name:
            continue
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


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class About(Record):
    """The overview `istc about` shows."""

    single = True
    table_fields = (
        "name",
        "kind",
        "status",
        "established",
        "operations_began",
        "headquarters",
        "parties",
        "data_as_of",
    )
    lines: ClassVar[dict[str, tuple[str, ...]]] = {
        "established": ("established", "established_place", "established_how"),
        "headquarters": ("headquarters", "headquarters_country", "headquarters_since"),
    }  # the panel's lines that draw several fields, and the fields whose facts they show

    name: str
    acronym: str
    kind: str
    status: str
    established: str = date_field()
    established_place: str
    established_how: str
    operations_began: str = date_field()
    activity_categories: tuple[str, ...]
    publications: tuple[str, ...]
    associations: str | None = None
    headquarters: str
    headquarters_country: str
    headquarters_since: str | None = date_field(optional=True)
    previous_headquarters: tuple[str, ...]
    parties: int
    party_names: tuple[str, ...]
    founders: tuple[str, ...]
    board_members: tuple[str, ...]
    office_hosts: tuple[str, ...]
    former_parties: tuple[str, ...]
    branch_offices: tuple[str, ...]
    sister_center: str | None = None
    headline_figures: tuple[Figure, ...]
    figures_as_of: str | None = date_field(optional=True)
    data_as_of: str | None = date_field(optional=True)
    dataset_version: str
    source_count: int
    dataset_path: str
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    permanent_board_members: tuple[str, ...] = ()
    coordinates_efforts_of: tuple[str, ...] = ()
    purpose: str | None = None
    mission_since_2015: str | None = None
    headquarters_source: str | None = ref_field(optional=True)
    sister_center_source: str | None = ref_field(optional=True)
    former_parties_sources: tuple[str, ...] = refs_field()
    latest_source_date: str | None = date_field(optional=True)
    latest_event_date: str | None = date_field(optional=True)
    id: str | None = None
    locator: str | None = None
    at: str | None = date_field(optional=True)  # `about --at DATE`: the date asked
    unknown_parties: tuple[str, ...] = ()  # with --at: those the sources cannot place
    unknown_offices: tuple[str, ...] = ()  # with --at: headquarters the sources cannot place
    facts: tuple[Credit, ...] = ()  # the facts behind each field, with their sources


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class ShowMatch(Record):
    """An entity `istc show` matched: a record and the section that lists it."""

    id: str
    section: str
    name: str


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class ShowRecord(Record):
    """A record related to a matched entity, and how it relates."""

    match: str  # the id of the matched entity it relates to
    relation: str  # self, located-in, mentions or cites
    section: str
    id: str
    name: str
    date: str | None = date_field(optional=True)
    field: str  # the field that makes the relation (the one that mentions or cites)
    text: str
    source: str
    locator: str | None = None
    # a related figure's value as people write it ('over 4,200 proposals'), else None
    amount: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Profile(Record):
    """Everything the dataset says about one entity: `istc show NAME|ID`."""

    single = True
    table_fields = ("query", "matches", "records")

    query: str
    ambiguous: bool = False  # the name matched several different entities: pick an id
    matches: tuple[ShowMatch, ...]
    records: tuple[ShowRecord, ...]
    facts: tuple[Credit, ...] = ()  # each matched entity's facts, with their sources
