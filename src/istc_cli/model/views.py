"""Records the commands build from the dataset rather than read from it: search hits,
the overview (`about`) and the profile (`show`)."""

from dataclasses import dataclass, field
from typing import ClassVar

from .base import ID, FieldRole, Record, date_field, ref_field, refs_field
from .claims import Credit, Evidence
from .records import Figure


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


UNKNOWN_HEADQUARTERS = "unknown"
"""`About.headquarters` when the sources cannot place the headquarters."""

NO_HEADQUARTERS = "none"
"""`About.headquarters` at a date when every headquarters is known not to hold: not yet
(before the founding) or no longer."""

NO_CITY = (UNKNOWN_HEADQUARTERS, NO_HEADQUARTERS)
"""The values of `About.headquarters` that name no city."""


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
    acronym: str | None = None
    kind: str
    status: str
    established: str | None = date_field(optional=True)
    established_place: str | None = None
    established_how: str | None = None
    operations_began: str | None = date_field(optional=True)
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
    source: str | None = ref_field(optional=True)
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
    signatories: tuple[str, ...] = ()  # with --at: signed, and nothing in force for them yet
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
class StandingAt(Record):
    """A matched entity's standing at the date `show --at` asks, with its evidence."""

    label_field = "record"

    record: str = field(metadata=ID)  # the id of the party, office or officer
    standing: str = field(metadata={"role": FieldRole.CODE})
    evidence: tuple[Evidence, ...] = ()


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
    at: str | None = date_field(optional=True)  # `show --at DATE`: the date asked
    standings: tuple[StandingAt, ...] = ()  # with --at: each entity's standing then
