"""Rows as people and programs read them, with no output format and no terminal.

Both `output` (machine formats and plain lines) and `render` (Rich tables and
drawings) build on these, and neither calls the other: the fields a format shows,
records as plain rows, one way of flattening, the source of a record as people read
it, and numbers as people write them (`over US$1.2 billion`).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model
from .field_types import field_names, serialiser
from .model import Figure, Record
from .queries import Result

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "yaml", "markdown")
COLORS = ("auto", "always", "never")
HUMAN_FORMATS = frozenset({"table", "plain", "markdown"})
LIST_SEPARATOR = "; "


class FieldsError(ValueError):
    """--fields named a field the command does not have."""


@dataclass(frozen=True, slots=True)
class OutputOptions:
    """How a result is to be written: format, fields, colour, pager, sources."""

    format: str | None = None
    fields: str | None = None
    color: str = "auto"
    sources: bool = False
    pager: bool = True
    view: str | None = None  # a drawing instead of a table: "timeline", "chart"


def parse_fields(record_type: type[Record], requested: str | None) -> tuple[str, ...] | None:
    """--fields as a tuple (None when not given), or FieldsError naming the valid ones."""
    if requested is None:
        return None
    valid = field_names(record_type)
    chosen = tuple(f.strip() for f in requested.split(",") if f.strip())
    twice = [f for i, f in enumerate(chosen) if f in chosen[:i]]
    if twice:
        raise FieldsError(f"field '{twice[0]}' is named twice; name each field once.")
    unknown = [f for f in chosen if f not in valid]
    if unknown or not chosen:
        from .suggest import did_you_mean

        hint = did_you_mean(unknown[0], valid) if unknown else ""
        bad = f"unknown field '{unknown[0]}'." if unknown else "no field given."
        raise FieldsError(f"{bad}{hint} Valid fields: {', '.join(valid)}")
    return chosen


def select_fields(result: Result, fmt: str, requested: str | None) -> tuple[str, ...]:
    """The fields to show: --fields in its order, else the format's default."""
    chosen = parse_fields(result.record_type, requested)
    if chosen is not None:
        return chosen
    valid = field_names(result.record_type)
    if fmt in HUMAN_FORMATS and result.record_type.table_fields and not result.record_type.single:
        return result.record_type.table_fields
    return valid


def rows_of(result: Result, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    plain = serialiser(result.record_type)
    rows = [plain(record) for record in result.records]
    if fields == field_names(result.record_type):
        return rows
    return [{f: row[f] for f in fields} for row in rows]


def escaped(text: str, separators: str) -> str:
    """Text as one part of a flattened value: a backslash, and each of `separators`,
    preceded by a backslash (as TSV writes a tab `\\t`), so that no part can pass for
    two, nor end a part early."""
    if "\\" not in text and not any(s in text for s in separators):
        return text
    return "".join("\\" + c if c == "\\" or c in separators else c for c in text)


def items(parts: Iterable[str]) -> str:
    """Parts joined as a flattened list: `; ` between them, each escaped."""
    return LIST_SEPARATOR.join(escaped(part, ";") for part in parts)


def flatten(value: Any) -> str:
    """A value as one cell of a flat format: null is empty; a list is its items joined
    by `; `, a record its `key=value` pairs joined by `, `; inside each item a
    backslash and `;` are escaped with a backslash, inside each key and value a
    backslash, `,` and `=` (level by level, so a record in a list is escaped twice)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return items(flatten(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{escaped(str(k), ',=')}={escaped(flatten(v), ',=')}"
            for k, v in value.items()
            if v not in (None, [])
        )
    return str(value)


def record_source(result: Result, record: Record, fields: tuple[str, ...] = ()) -> str:
    """The sources of a row's facts for people (the `--sources` column): the record's
    own with the place in it, then each shown field that another document states, by
    name: 'What is the ISTC (2018-09), ISTC's HISTORY / CHRONOLGY; joined: Protocol on
    the establishment... (1994)'. Another source's disagreeing account says so."""
    own = (str(getattr(record, "source", "") or ""), getattr(record, "locator", None))
    parts = [_placed(result, *own)]
    by_field: dict[str, list[str]] = {}
    for fact in model.facts(record):
        if fact.field not in fields or ((fact.source, fact.locator) == own and not fact.derived):
            continue
        name = fact.field + (
            " (disputed)" if fact.conflict else " (derived)" if fact.derived else ""
        )
        placed = _placed(result, fact.source, fact.locator)
        if placed not in by_field.setdefault(name, []):
            by_field[name].append(placed)
    parts += [f"{name}: {' and '.join(placed)}" for name, placed in by_field.items()]
    return items(parts)


def _placed(result: Result, source_id: str, locator: str | None) -> str:
    label = source_label(result, source_id)
    return f"{label}, {locator}" if locator else label


def source_label(result: Result, source_id: str) -> str:
    """A record's source as people read it (the id itself if it is unknown)."""
    src = result.sources.get(source_id)
    return source_id if src is None else src.label


# ---------------------------------------------------------------- numbers as people write them

_CURRENCY = {"USD": "US$", "EUR": "€"}
_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"))


def human_number(value: float) -> str:
    """569400000 -> '569.4 million'; 76000 -> '76,000'; 3479231 -> '3,479,231' (exact)."""
    for size, word in _SCALES:
        if abs(value) >= size:
            if isinstance(value, int):  # integer arithmetic: every digit stays exact
                hundredths, rest = divmod(abs(value) * 100, size)
                if rest == 0:
                    whole, part = divmod(hundredths, 100)
                    fraction = f".{part:02d}".rstrip("0") if part else ""
                    sign = "-" if value < 0 else ""
                    return f"{sign}{whole:,}{fraction} {word}"
                break
            scaled = value / size
            if round(scaled, 2) == scaled:
                return f"{scaled:,.2f}".rstrip("0").rstrip(".") + f" {word}"
            break
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def drawn_points(points: tuple[Any, ...], unit: str) -> str:
    """A measure against time for people: each value in date order, a bar to the
    series' own scale, the value as its source qualifies it, and the source."""
    top = max((abs(p.value) for p in points), default=0) or 1
    lines = []
    for p in points:
        bar = "#" * max(1, round(10 * abs(p.value) / top))
        amount = human_amount(
            Figure(id=p.figure, name="", value=p.value, unit=unit,
                   qualifier=p.qualifier, source=p.source)
        )  # fmt: skip
        lines.append(f"{p.date} {bar} {amount} ({p.source})")
    return items(lines)


def human_amount(figure: Figure) -> str:
    """'over US$1.2 billion', 'US$569.4 million', 'over 76,000 scientists', 'ECU 119 million'."""
    qualifier = f"{figure.qualifier} " if figure.qualifier else ""
    number = human_number(figure.value)
    if figure.unit in _CURRENCY:
        return f"{qualifier}{_CURRENCY[figure.unit]}{number}"
    if figure.unit.isupper():  # another currency code: ECU 119 million
        return f"{qualifier}{figure.unit} {number}"
    return f"{qualifier}{number} {figure.unit}"


def display_rows(result: Result, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows for people (tables, plain lines, markdown): every value flattened, and an
    amount written as people write it. Machine formats use `rows_of`: exact values."""
    rows = rows_of(result, fields)
    out = []
    for record, row in zip(result.records, rows, strict=True):
        shown = {f: flatten(v) for f, v in row.items()}
        dated: Any = record  # a `dated` record: a series' point, or one at a date
        if "value" in shown and isinstance(getattr(record, "unit", None), str):
            shown["value"] = human_amount(dated)  # a figure, or a point of a series
        if "points" in shown:  # `figures --over-time`: the measure drawn against time
            shown["points"] = drawn_points(dated.points, dated.unit)
        if "evidence" in shown:  # `--at`: each piece as a phrase with its source
            shown["evidence"] = items(e.label for e in dated.evidence)
        out.append(shown)
    return out
