"""The records that answer at a date or over time: `--at DATE` and `figures --over-time`.

They are model records like the others (the schema, the output and the field docs read
them the same way), kept in their own module so that only a run that asks for them
pays for making them: each `*At` class re-declares every field of the record it
extends, which would otherwise add to every start-up.
"""

from dataclasses import dataclass
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
    """One dated value of a measure (`figures --over-time`)."""

    date: str = model.date_field()
    value: int | float
    qualifier: model.Qualifier | None = None
    source: str = model.ref_field()
    locator: str | None = None
    figure: str  # the id of the figure


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Series(model.Record):
    """A measure over time: its dated values in date order (`figures --over-time`)."""

    table_fields = ("measure", "unit", "points")
    label_field = "measure"

    measure: str
    unit: str
    points: tuple[Point, ...]
