"""Figures over time: every measure's series, one per unit, and what the Board approved
at each meeting (`figures --over-time`, its chart, and the series part of `changes`).

A series is every dated figure of one measure in one unit, in date order: a measure
stated in two units (ECU and US dollars) is two series, and no value is converted or
dropped. The projects and funding each Board meeting approved are series of their own
(`board-approved-projects`; `board-approved-funding` in US dollars and in euros, apart),
each point dated by its meeting and credited to its statement at `approved_locator`.
What cannot be placed in a series is named, never silently left out: a meeting with
approvals but no date, a figure of a measure with no date, and a running total with no
measure (the fact sheet's totals "since inception").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import model
from .model.dated import Point, Series, SeriesPoint
from .safe_text import counted

APPROVED_PROJECTS = "board-approved-projects"
APPROVED_FUNDING = "board-approved-funding"
_APPROVALS = (
    # (measure, unit, the meeting's field, the field of its qualifier)
    (APPROVED_PROJECTS, "projects", "approved_projects", "approved_projects_qualifier"),
    (APPROVED_FUNDING, "USD", "approved_usd", "approved_usd_qualifier"),
    (APPROVED_FUNDING, "EUR", "approved_eur", "approved_eur_qualifier"),
)
_RUNNING_TOTAL = re.compile(r"\b(since inception|in total)\b", re.IGNORECASE)
"""A figure whose name says it counts from the start: it reads like a measure's value."""


@dataclass(frozen=True, slots=True)
class Found:
    """Every series, and what could not be placed in one (one sentence each)."""

    series: tuple[Series, ...]
    left_out: tuple[str, ...]


def series_of(ds: model.Dataset) -> Found:
    """Every series of the dataset, figures' first, then the Board's approvals."""
    groups: dict[tuple[str, str], list[Point]] = {}
    for f in ds.figures:
        if f.measure and f.as_of:
            point = Point(date=f.as_of, value=f.value, qualifier=f.qualifier, source=f.source,
                          locator=f.locator, figure=f.id, meeting=f.meeting)  # fmt: skip
            groups.setdefault((f.measure, f.unit), []).append(point)
    undated: list[str] = []
    for m in ds.meetings:
        source, locator = model.stated_by(m, "approved_projects")
        for measure, unit, name, qualifier in _APPROVALS:
            value = getattr(m, name)
            if value is None:
                continue
            if not m.date:
                undated.append(f"Board {m.number}")
                continue
            point = Point(date=m.date, value=value, qualifier=getattr(m, qualifier),
                          source=source, locator=locator, meeting=m.number)  # fmt: skip
            groups.setdefault((measure, unit), []).append(point)
    series = tuple(
        Series(measure=measure, unit=unit, points=tuple(sorted(points, key=_when)))
        for (measure, unit), points in groups.items()
    )
    left_out = []
    totals = [f for f in ds.figures if not f.measure and f.as_of and _RUNNING_TOTAL.search(f.name)]
    if totals:
        named = "; ".join(f"{f.id} ({amount(f.value, f.unit, f.qualifier)}, {f.as_of})"
                          for f in totals)  # fmt: skip
        left_out.append(
            f"Running totals in no series (no measure groups them with other dates): {named}."
        )
    for where in dict.fromkeys(undated):
        left_out.append(f"{where} approved projects, but no source dates it: not in a series.")
    no_date = [f for f in ds.figures if f.measure and not f.as_of]
    if no_date:
        named = "; ".join(f"{f.id} ({f.measure}, {amount(f.value, f.unit, f.qualifier)})"
                          for f in no_date)  # fmt: skip
        left_out.append(f"Figures of a measure that no source dates, not in its series: {named}.")
    return Found(series, tuple(left_out))


def amount(value: float, unit: str, qualifier: str | None = None) -> str:
    """A value exactly, as its source qualifies it: 'surpasses 335,000,000 USD'."""
    return " ".join(w for w in (qualifier, f"{value:,}", unit) if w)


def _when(point: Point) -> tuple[str, int]:
    """Date order, a coarser date before the finer ones it holds ("2009-12" before
    "2009-12-09"), and a meeting's points in its number's order."""
    return (point.date, point.meeting or 0)


def tidy(series: tuple[Series, ...]) -> tuple[SeriesPoint, ...]:
    """Each point of each series as a row of its own, with its measure and unit."""
    return tuple(
        SeriesPoint(
            measure=s.measure,
            unit=s.unit,
            date=p.date,
            value=p.value,
            qualifier=p.qualifier,
            source=p.source,
            locator=p.locator,
            figure=p.figure,
            meeting=p.meeting,
        )
        for s in series
        for p in s.points
    )


def caption(found: Found) -> str:
    """What the series are, and what was left out of them."""
    points = sum(len(s.points) for s in found.series)
    ids = {p.source for s in found.series for p in s.points}
    text = (
        f"{counted(len(found.series), 'series', 'series')}, {counted(points, 'point', 'points')}: "
        "every dated figure of a measure, one series per unit, and what each Board meeting "
        "approved (US dollars and euros apart, never converted); each value as its source "
        f"qualifies it. Sources: {len(ids)} (`istc figures --over-time --sources` names each)."
    )
    return " ".join((text, *found.left_out))
