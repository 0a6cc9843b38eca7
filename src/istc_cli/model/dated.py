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

MemberStanding = Literal["party", "signatory", "unknown", "not-party"]
OfficeStanding = Literal["open", "unknown", "closed"]
OfficerStanding = Literal["in-office", "unknown", "not-in-office"]


@dataclass(frozen=True, kw_only=True, slots=True, eq=False, repr=False)
class Evidence(model.Record):
    """A fact that places a record at a date (`--at`): what it is, when, and who says."""

    fact: str  # a span field (joined, left, since, until), attested, absent, an event's
    # kind (signed, in-force, notice, term-end...), established, held-by or also-held-by
    date: str = model.date_field()
    source: str = model.ref_field()
    locator: str | None = None
    derived: bool = False  # worked out from what the source says, not stated by it
    note: str | None = None
    derived_from: tuple[str, ...] = model.refs_field()  # the further documents it rests on
    decision: bool = False  # announced by its document for a later date

    @property
    def label(self) -> str:
        """'joined 1997 (istc-korea)'; a derived date or a decision says so."""
        mark = ", derived" if self.derived else ", decided earlier" if self.decision else ""
        words = f"{self.fact} {self.date}" if self.date else self.fact
        what = f"{words}: {self.note}" if self.note else words
        return f"{what} ({self.source}{mark})"


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
