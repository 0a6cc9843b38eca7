"""The model's ground: field kinds and roles, and the base every record shares.

The record classes (`records`, `views`) are the single description of the data: the
loader validates YAML against their type hints, the output layer takes their field
names as the JSON fields, and `istc schema` derives the JSON Schema from them. Field
metadata marks what a type hint cannot say: partial ISO dates and references to
source ids. Type hints keep to a small vocabulary the loader and schema understand:
str, int, float, int | float, bool, Literal[...], X | None, tuple[X, ...] and nested
record classes. The annotations are evaluated when each class is made (no `from
__future__ import annotations`), which costs nothing then.
"""

from dataclasses import field, fields
from functools import cache
from typing import Any, ClassVar, Literal

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
Qualifier = Literal[
    "over", "more than", "surpasses", "exceeded",  # at least: a lower bound
    "approximately", "about", "around", "some",  # close to it, either side
    "nearly",  # just under it
]  # fmt: skip
"""As each document words it: "more than" is not "over", "some" is not "about"."""
LOWER_BOUNDS = ("over", "more than", "surpasses", "exceeded")
MeetingFormat = Literal["in person", "hybrid", "online"]
AttendanceScope = Literal["all", "board"]
"""`all`: the statement names every party attending; `board`: only those on the Board."""
SourceKind = Literal["primary", "research"]
Genre = Literal[
    "data table",
    "fact sheet",
    "press release",
    "board statement",
    "news article",
    "legal act",
    "government release",
    "report",
    "web page",
]
"""What kind of document a source is, as data: citations take it, never guess it."""
EventKind = Literal[
    "signed",  # a party or an office's agreement signed: not yet in force
    "in-force",  # the agreement (or its provisional application) in force for it
    "accession",  # a party joins
    "notice",  # notice of withdrawal given: it stays a party until it takes effect
    "withdrawal",  # a withdrawal takes effect: no longer a party
    "appointment",  # an officer takes up a post (`until` where the document gives it)
    "term",  # a term of `months` from `date`: its end is worked out
    "extension",  # a post extended, `until` a date or by `months`
    "absence",  # a document says it did not hold then ("not an ISTC officer")
    "attendance",  # present at a Board meeting (`meeting`): it held then
    "role",  # a party holds `role` from `date` (a permanent Board seat)
    "opened",  # an office opens
    "closed",  # an office stops its work
    "budget",  # a Board approves a budget (`amount`, `currency`)
    "accession-intent",  # a Board welcomes a state's stated intention to accede
    "decision",  # another decision of a Board (its `note` says what)
]
"""The kinds of dated event that drive time; docs/dataset.md says how each counts."""
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
    **dict.fromkeys(("note", "notes", "remark"), FieldRole.NOTE),
    **dict.fromkeys(
        ("date", "since", "absent", "at", "joined", "as_of", "accessed", "established",
         "operations_began", "agreement_signed", "attested", "data_as_of", "figures_as_of",
         "latest_source_date", "latest_event_date", "headquarters_since"),
        FieldRole.DATE,
    ),
    **dict.fromkeys(("until", "left"), FieldRole.END),
    **dict.fromkeys(
        ("status", "kind", "qualifier", "unit", "part", "area", "role", "roles", "section",
         "genre", "decisions", "decision", "format", "currency", "attended_scope", "iso2",
         "wikidata", "attended", "rotating_seat", "chair",
         "iso3", "approved_projects_qualifier", "approved_usd_qualifier",
         "approved_eur_qualifier", "partner_projects_qualifier", "partner_usd_qualifier",
         "partner_eur_qualifier",
         "relation", "field", "title_kind", "match", "version", "measure", "derived", "worked_out",
         "standing", "fact", "conflict"),
        FieldRole.CODE,
    ),
    **dict.fromkeys(
        ("value", "number", "parties", "source_count", "position", "months", "meeting",
         "amount", "attended_count", "approved_projects", "approved_usd", "approved_eur",
         "partner_projects", "partner_usd", "partner_eur"),
        FieldRole.NUMBER,
    ),
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
    roles = _roles(cls)
    return roles[name] if name in roles else _role_by_name(name)


@cache
def _roles(cls: type) -> dict[str, str | None]:
    """Each field's role, worked out once per class (views ask field by field)."""
    return {f.name: f.metadata.get("role") or _role_by_name(f.name) for f in fields(cls)}


def _role_by_name(name: str) -> str | None:
    role = FIELD_ROLES.get(name)
    if role is None and name.endswith(_SOURCE_SUFFIXES):
        return FieldRole.SOURCE
    if role is None and name.endswith(_LOCATOR_SUFFIXES):
        return FieldRole.LOCATOR
    return role


_SOURCE_SUFFIXES = ("_source", "_sources", "_from")  # `X_from`: what a worked-out X rests on
_LOCATOR_SUFFIXES = ("_locator", "_locators")


def fields_with(cls: type, *roles: str) -> tuple[str, ...]:
    """The fields of `cls` that play one of `roles`, in declaration order."""
    return tuple(f.name for f in fields(cls) if role_of(cls, f.name) in roles)


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
    # ...and `join_fields` (below) name it too, exactly (`show KZ`, `show Q232`), but
    # are never sought in prose as its mentions: "AM-2803" is a project, not Armenia
    section_title: ClassVar[str] = ""  # the section's title, as an export names its table
    join_fields: ClassVar[tuple[str, ...]] = ()  # ids other data joins on (ISO, Wikidata)
    section_description: ClassVar[str] = ""  # what the section holds
    # For records that hold at a date (`--at`, `standing.py`): the fields that start and
    # end their span, and the words for holding and not holding.
    span: ClassVar[tuple[str, ...]] = ()
    standing_words: ClassVar[tuple[str, ...]] = ()
    # Fields stated together by one group's source and place: `approved_usd` is stated
    # by `approved_source` (the record's where none) at `approved_locator`.
    places: ClassVar[dict[str, str]] = {}
