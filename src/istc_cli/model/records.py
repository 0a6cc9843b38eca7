"""The dataset's sections: one record class each, frozen standard-library dataclasses.

A section is a field of `Dataset` and a record class whose fields' names (or metadata)
give their roles (`base.FIELD_ROLES`); each record's claims follow the convention of
`claims`. Search, show, tables, the export, ids and the schema iterate these classes.
"""

from dataclasses import dataclass, field
from typing import ClassVar

from .base import (
    ID,
    URL,
    AttendanceScope,
    Genre,
    InitiativeStatus,
    MeetingFormat,
    MemberStatus,
    MissionPart,
    OfficeKind,
    OfficerRole,
    Qualifier,
    Record,
    Role,
    SourceKind,
    StatementPart,
    StrategyArea,
    TitleKind,
    date_field,
    dates_field,
    id_field,
    ref_field,
    refs_field,
)
from .claims import Conflict, EventClaim, Note


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Meta(Record):
    """The dataset file itself: its title, version and date."""

    title: str = ""
    version: str = ""
    date: str | None = date_field(optional=True)


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
    genre: Genre | None = None  # fact sheet, press release, Board statement...

    @property
    def label(self) -> str:
        """How a source is named for people: its title and date."""
        title = f"[{self.title}]" if self.title_kind == "descriptive" else self.title
        return f"{title} ({self.date})" if self.date else title


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
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Organization(Record):
    """The ISTC itself: one record."""

    # For `about --at`: the facts about the founding hold from it on, whatever their
    # document's date; a fact whose name gives its date holds from that date.
    founding: ClassVar[frozenset[str]] = frozenset(
        ("name", "acronym", "established", "established_place", "established_how",
         "operations_began", "founders", "purpose", "coordinates_efforts_of")
    )  # fmt: skip
    holds_from: ClassVar[dict[str, str]] = {"mission_since_2015": "2015"}

    section_title = "The organisation"
    section_description = "The ISTC itself: one row."
    named_by = ("acronym", "name")
    key = ("name",)  # the one field a dataset must give
    label_field = "acronym"
    id_prefix = "org"
    listed_in = "about"

    name: str  # the one field a dataset must give: everything else is optional
    acronym: str | None = None
    kind: str | None = None
    status: str | None = None
    established: str | None = date_field(optional=True)
    established_place: str | None = None
    established_how: str | None = None
    founders: tuple[str, ...] = ()
    operations_began: str | None = date_field(optional=True)
    activity_categories: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()
    associations: str | None = None
    source: str | None = ref_field(optional=True)
    see_also: tuple[str, ...] = refs_field()
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
    notes: tuple[Note, ...] = ()  # what other documents state of it, each with its source


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Member(Record):
    """A party to the ISTC agreement, current or former."""

    section_title = "Parties"
    section_description = "The parties to the ISTC agreement, current and former."
    named_by = ("name", "aliases")  # and its codes (join_fields), for `show` alone
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
    notes: tuple[Note, ...] = ()  # notes other documents state, each with its own
    remark: str | None = None  # ours, not a document's: what the sources leave open
    events: tuple[EventClaim, ...] = ()  # signed, in force, notice, withdrawal, roles...
    joined_from: tuple[str, ...] = refs_field()  # what a worked-out `joined` rests on
    left_from: tuple[str, ...] = refs_field()
    status_from: tuple[str, ...] = refs_field()
    decisions: tuple[str, ...] = ()  # fields their document announces for a later date
    iso2: str | None = None  # ISO 3166-1 alpha-2
    iso3: str | None = None  # ISO 3166-1 alpha-3
    wikidata: str | None = None  # its Wikidata item (Q...)
    ids_source: str | None = ref_field(optional=True)  # the table that gives the three
    ids_locator: str | None = None  # the table's row

    standing_words = ("party", "not-party")
    join_fields = ("iso2", "iso3", "wikidata")
    places: ClassVar[dict[str, str]] = dict.fromkeys(join_fields, "ids")
    span = ("joined", "left")


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Office(Record):
    """The headquarters or a branch office."""

    section_title = "Offices"
    section_description = "The headquarters and the branch offices."
    named_by = ("city", "aliases")
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
    absent: tuple[str, ...] = dates_field()  # dates a source's full list of offices omits it
    absent_sources: tuple[str, ...] = refs_field()
    absent_locators: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    remark: str | None = None  # ours, not a document's: what the sources leave open
    events: tuple[EventClaim, ...] = ()
    since_from: tuple[str, ...] = refs_field()
    until_from: tuple[str, ...] = refs_field()
    status_from: tuple[str, ...] = refs_field()
    decisions: tuple[str, ...] = ()
    wikidata: str | None = None  # the city's Wikidata item (Q...)
    wikidata_source: str | None = ref_field(optional=True)
    wikidata_locator: str | None = None
    # other names the city goes by, for `show` (how the record is kept, as a party's
    # aliases are; a note with its source says when the city bore the name)
    aliases: tuple[str, ...] = ()

    standing_words = ("open", "closed")
    span = ("since", "until")
    join_fields = ("wikidata",)


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
    conflicts: tuple[Conflict, ...] = ()  # another document's account of the event
    decisions: tuple[str, ...] = ()  # `date` when the event is a plan its document announces


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
    meeting: int | None = None  # the Board meeting whose statement reports it
    notes: tuple[Note, ...] = ()
    remark: str | None = None  # ours, not a document's: what the sources leave open
    conflicts: tuple[Conflict, ...] = ()


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
    """A Governing Board meeting, as its statement records it: each field a claim of
    that statement, at the place in it its `X_locator` gives (the record's `locator`
    where none does). Parties and the rotating seat are party ids (`member:armenia`);
    the chair an officer id. Amounts approved at the meeting are kept in the currency
    the statement gives, US dollars and euros apart, never converted; the cumulative
    totals it reports are figures (`figures`, with `meeting` set)."""

    section_title = "Governing Board meetings"
    section_description = "The meetings the sources record, with what each statement states."
    key = ("number",)
    table_fields = ("number", "date", "place", "rotating_seat", "approved_projects", "summary")
    label_field = "number"
    id_prefix = "meeting"
    listed_in = "meetings"
    places: ClassVar[dict[str, str]] = {
        **dict.fromkeys(
            ("approved_projects", "approved_projects_qualifier", "approved_usd",
             "approved_usd_qualifier", "approved_eur", "approved_eur_qualifier"),
            "approved",
        ),
        **dict.fromkeys(
            ("partner_projects", "partner_projects_qualifier", "partner_usd",
             "partner_usd_qualifier", "partner_eur", "partner_eur_qualifier"),
            "partner",
        ),
        **dict.fromkeys(("attended_scope", "attended_count"), "attended"),
    }  # fmt: skip

    number: int
    date: str | None = date_field(optional=True)
    place: str | None = None
    summary: str  # in our own words
    source: str = ref_field()
    see_also: tuple[str, ...] = refs_field()
    id: str | None = id_field()
    locator: str | None = None
    date_locator: str | None = None
    place_locator: str | None = None
    format: MeetingFormat | None = None
    format_locator: str | None = None
    chair: str | None = field(default=None, metadata={"refers": "officers"})  # an officer id
    chair_locator: str | None = None
    attended: tuple[str, ...] = field(default=(), metadata={"refers": "members"})  # party ids
    attended_scope: AttendanceScope | None = None  # `all` attending, or only the `board`
    attended_count: int | None = None  # how many parties attended, where it counts them
    attended_locator: str | None = None
    rotating_seat: str | None = field(default=None, metadata={"refers": "members"})  # party id
    rotating_seat_locator: str | None = None
    approved_projects: int | None = None  # new projects approved at the meeting
    approved_projects_qualifier: Qualifier | None = None
    approved_usd: int | float | None = None
    approved_usd_qualifier: Qualifier | None = None
    approved_eur: int | float | None = None
    approved_eur_qualifier: Qualifier | None = None
    approved_locator: str | None = None
    partner_projects: int | None = None  # partner projects funded since the last meeting
    partner_projects_qualifier: Qualifier | None = None
    partner_usd: int | float | None = None
    partner_usd_qualifier: Qualifier | None = None
    partner_eur: int | float | None = None
    partner_eur_qualifier: Qualifier | None = None
    partner_locator: str | None = None
    events: tuple[EventClaim, ...] = ()  # its decisions: budgets, accessions welcomed...
    notes: tuple[Note, ...] = ()
    remark: str | None = None  # ours, not a document's: what the sources leave open
    derived: tuple[str, ...] = ()
    date_from: tuple[str, ...] = refs_field()  # what a worked-out date rests on
    conflicts: tuple[Conflict, ...] = ()


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
    since_locator: str | None = None
    until_locator: str | None = None
    attested_locators: tuple[str, ...] = ()
    note_source: str | None = ref_field(optional=True)
    notes: tuple[Note, ...] = ()
    remark: str | None = None  # ours, not a document's: what the sources leave open
    events: tuple[EventClaim, ...] = ()  # appointment, term, extension, stated absence
    since_from: tuple[str, ...] = refs_field()
    until_from: tuple[str, ...] = refs_field()
    decisions: tuple[str, ...] = ()

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

    # Only the organisation is required, and of it only its name: a dataset of your
    # own holds the sections it has (docs/dataset.md starts from such a file).
    meta: Meta = Meta()  # frozen: one shared default, never a factory
    sources: tuple[Source, ...] = ()
    organization: Organization
    members: tuple[Member, ...] = ()
    offices: tuple[Office, ...] = ()
    history: tuple[Event, ...] = ()
    figures: tuple[Figure, ...] = ()
    programs: tuple[Program, ...] = ()
    regimes: tuple[Regime, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    mission: tuple[MissionItem, ...] = ()
    strategy: tuple[StrategyItem, ...] = ()
    statement: tuple[Statement, ...] = ()
    officers: tuple[Officer, ...] = ()
    meetings: tuple[Meeting, ...] = ()  # after the officers and parties its fields name
    glossary: tuple[Term, ...] = ()


# Records the commands build from the dataset rather than read from it.
