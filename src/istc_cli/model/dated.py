"""The records that answer at a date or over time: `--at DATE`, `figures --over-time`,
`changes` and `meetings --attendance`.

They are model records like the others (the schema, the output and the field docs read
them the same way), kept in their own module so that only a run that asks for them
pays for making them: each `*At` class re-declares every field of the record it
extends, which would otherwise add to every start-up.
"""

from dataclasses import dataclass, field
from typing import Literal

from . import base as model
from . import records
from .claims import Evidence

MemberStanding = Literal["party", "signatory", "unknown", "not-party"]
OfficeStanding = Literal["open", "unknown", "closed"]
OfficerStanding = Literal["in-office", "unknown", "not-in-office"]


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class MemberAt(records.Member):
    """A party as it stood at a date (`members --at DATE`)."""

    table_fields = ("name", "roles", "standing", "evidence")

    at: str = model.date_field()
    standing: MemberStanding
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class OfficeAt(records.Office):
    """An office as it stood at a date (`offices --at DATE`)."""

    table_fields = ("city", "country", "kind", "standing", "evidence")

    at: str = model.date_field()
    standing: OfficeStanding
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class OfficerAt(records.Officer):
    """An officer as they stood at a date (`officers --at DATE`)."""

    table_fields = ("name", "role", "standing", "evidence")

    at: str = model.date_field()
    standing: OfficerStanding
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Point(model.Record):
    """One dated value of a series (`figures --over-time --json`): a figure's, or what a
    Board meeting approved."""

    date: str = model.date_field()
    value: int | float
    qualifier: model.Qualifier | None = None
    source: str = model.ref_field()
    locator: str | None = None
    figure: str | None = None  # the id of the figure; null for a meeting's approvals
    meeting: int | None = None  # the Board meeting whose statement states it


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Series(model.Record):
    """A measure over time in one unit: its dated values in date order (`figures
    --over-time` in JSON and YAML, and its chart)."""

    table_fields = ("measure", "unit", "points")
    label_field = "measure"

    measure: str
    unit: str
    points: tuple[Point, ...]


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class SeriesPoint(model.Record):
    """One point of a series as a tidy row (`figures --over-time` in tables, CSV, TSV and
    JSON lines): the measure and unit it belongs to, then the point."""

    table_fields = ("measure", "date", "value")  # --sources adds each document and place
    label_field = "measure"

    measure: str
    unit: str
    date: str = model.date_field()
    value: int | float
    qualifier: model.Qualifier | None = None
    source: str = model.ref_field()
    locator: str | None = None
    figure: str | None = None
    meeting: int | None = None


_NUMBER = {"role": model.FieldRole.NUMBER}
ChangeKind = Literal["party", "office", "officer", "meeting", "series"]


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Change(model.Record):
    """One thing that changed between two dates (`istc changes`): a standing that differs
    at the two dates, a dated event in between, a Board meeting held, or a series' first
    and last value; each with the document that states it."""

    table_fields = ("date", "name", "summary")  # --sources adds each document and place
    label_field = "name"

    kind: ChangeKind
    subject: str = field(metadata={"role": model.FieldRole.ID})  # the record's id, or a measure
    name: str
    what: str = field(metadata={"role": model.FieldRole.CODE})
    before: str | None = field(default=None, metadata={"role": model.FieldRole.TEXT})
    after: str | None = field(default=None, metadata={"role": model.FieldRole.TEXT})
    date: str | None = model.date_field(optional=True)
    source: str | None = model.ref_field(optional=True)
    locator: str | None = None
    before_source: str | None = model.ref_field(optional=True)
    before_locator: str | None = None
    worked_out: bool = False  # worked out from what its documents say, not stated
    first: int | float | None = field(
        default=None, metadata=_NUMBER
    )  # a series: its first value in the window
    last: int | float | None = field(default=None, metadata=_NUMBER)  # and its last
    difference: int | float | None = field(
        default=None, metadata=_NUMBER
    )  # last minus first, in the series' one unit
    unit: str | None = None
    summary: str  # the change in words, for people


AttendanceStatus = Literal[
    "attended", "rotating-seat", "not-listed", "not-listed-on-board", "not-named",
    "no-list", "not-party",
]  # fmt: skip


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Attendance(model.Record):
    """One party at one Board meeting (`meetings --attendance`): whether the meeting's
    statement names it as attending, and how far its list reaches."""

    table_fields = ("meeting", "date", "name", "status", "source")
    label_field = "name"

    meeting: int
    date: str | None = model.date_field(optional=True)
    party: str = field(metadata={"role": model.FieldRole.ID})  # the party's id
    name: str
    code: str = field(metadata={"role": model.FieldRole.CODE})  # a short label for a grid
    status: AttendanceStatus
    source: str = model.ref_field()
    locator: str | None = None
