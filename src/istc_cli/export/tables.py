"""The dataset as relational tables: one per section, link tables for lists.

Every table has the record id as its primary key. A list value (roles, aliases,
see_also, against, attested...) becomes a link table `<table>_<field>` with the
owner's id, the position and the value; a list of source ids and every single source
reference (`source`, `note_source`, `joined_source`, `left_source`) is a foreign key
to `sources.id`, and a field that names records of another section (a meeting's
`attended`, `rotating_seat` and `chair`) a foreign key to that section's table. A list
of claims (`notes`, `events`) becomes a table `<table>_<field>` with a row per claim
and its own source. Column descriptions come from `field_docs.py`, the same documentation the
README's JSON-field table is generated from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import model
from ..field_docs import describe
from ..field_types import FieldSpec, fields_of, sections, serialiser
from ..rows import items

DATE_PATTERN = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"

# The columns of the full-text index: text that states, names or annotates a record
# (by each field's role, declared in the model).
_SEARCHED = (
    model.FieldRole.MAIN, model.FieldRole.NAME, model.FieldRole.NOTE, model.FieldRole.TEXT,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Column:
    """A column of an exported table."""

    name: str
    type: str  # string, integer, number
    description: str
    required: bool
    pattern: str | None = None
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A column that references another table's key."""

    column: str
    table: str
    target: str = "id"


@dataclass(slots=True)
class Table:
    """An exported table: columns, keys and rows."""

    name: str
    title: str
    description: str
    columns: list[Column]
    primary_key: tuple[str, ...]
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    searchable: tuple[str, ...] = ()  # text columns in the full-text index
    link_of: str | None = None  # for a link table, the table whose list it holds
    indexed: tuple[str, ...] = ()  # columns other data joins on (ISO codes, Wikidata ids)
    list_field: str | None = None


def _column(cls: type, spec: FieldSpec) -> Column:
    kind = spec.type
    required = (not kind.nullable and spec.required) or spec.name == "id"
    description = describe(cls, spec.name)
    if kind.kind == "integer":
        return Column(spec.name, "integer", description, required)
    if kind.kind == "number":
        return Column(spec.name, "number", description, required)
    if kind.kind == "choice":
        return Column(spec.name, "string", description, required, enum=kind.choices)
    pattern = DATE_PATTERN if kind.semantic == "date" else None
    return Column(spec.name, "string", description, required, pattern=pattern)


def _records(
    ds: model.Dataset, name: str, parent: str | None
) -> Iterator[tuple[model.Record, str | None]]:
    """The records of a section, each with the id of the record it is nested in: the
    dataset's own (None), or those of each record of the section `parent`."""
    if parent is None:
        for record in _as_tuple(getattr(ds, name)):
            yield record, None
        return
    for holder in _as_tuple(getattr(ds, parent)):
        for record in _as_tuple(getattr(holder, name)):
            yield record, holder.id


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def build(ds: model.Dataset) -> list[Table]:
    """Every table, main tables first, each followed by its link tables."""
    out: list[Table] = []
    for name, cls, parent in sections():
        # Nested records (the organisation's headquarters and sister center) are tables
        # of their own, each row naming the record it is nested in.
        title = str(getattr(cls, "section_title", name))
        description = str(getattr(cls, "section_description", ""))
        specs = [
            s
            for s in fields_of(cls)
            if s.type.kind != "record" and not (s.type.item and s.type.item.kind == "record")
        ]
        scalars = [s for s in specs if s.type.kind != "list"]
        lists = [s for s in specs if s.type.kind == "list"]
        columns = [_column(cls, s) for s in scalars]
        keys = [ForeignKey(s.name, "sources") for s in scalars if s.type.semantic == "ref"]
        keys += [ForeignKey(s.name, t) for s in scalars if (t := _refers(cls, s.name))]
        if parent is not None:
            columns.append(Column(f"{parent}_id", "string", f"the id of its {parent} row", True))
            keys.append(ForeignKey(f"{parent}_id", parent))
        table = Table(
            name,
            title,
            description,
            columns,
            ("id",),
            keys,
            searchable=tuple(
                c.name
                for c in columns
                if c.type == "string" and model.role_of(cls, c.name) in _SEARCHED
            ),
            indexed=tuple(c.name for c in columns if c.name in getattr(cls, "join_fields", ())),
        )
        links = {
            s.name: Table(
                f"{name}_{s.name}",
                f"{title}: {s.name.replace('_', ' ')}",
                f"{describe(cls, s.name).capitalize()}: one row per item, in order.",
                [
                    Column(f"{name}_id", "string", f"the id of the row in {name}", True),
                    Column("position", "integer", "the item's place in the list, from 1", True),
                    Column(*_link_value(cls, s)),
                ],
                (f"{name}_id", "position"),
                [ForeignKey(f"{name}_id", name)]
                + ([ForeignKey("source_id", "sources")] if s.type.semantic == "refs" else [])
                + ([ForeignKey("value", t)] if (t := _refers(cls, s.name)) else []),
                link_of=name,
                list_field=s.name,
            )
            for s in lists
        }
        plain = serialiser(cls)
        for record, holder in _records(ds, name, parent):
            data = plain(record)
            row = {s.name: data[s.name] for s in scalars}
            if parent is not None:
                row[f"{parent}_id"] = holder
            table.rows.append(row)
            for s in lists:
                value_column = links[s.name].columns[2].name
                links[s.name].rows += [
                    {f"{name}_id": row["id"], "position": i, value_column: item}
                    for i, item in enumerate(data[s.name], start=1)
                ]
        claims = [_claims(name, title, cls, c, ds, parent) for c in _claim_lists(cls)]
        out.append(table)
        out.extend(links.values())
        out.extend(claims)
    out.append(_statements(ds))
    return out


def _refers(cls: type, name: str) -> str | None:
    """The section whose ids field `name` of `cls` names, if it names records."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            return f.metadata.get("refers")
    return None


def _claim_lists(cls: type) -> list[FieldSpec]:
    """The fields of `cls` that hold claims of their own (notes, events)."""
    return [
        s
        for s in fields_of(cls)
        if s.name in model.CLAIM_ITEMS
        and s.name != "conflicts"  # other accounts are rows of `statements`
        and s.type.item is not None
        and s.type.item.record is not None
    ]


def _claims(
    name: str, title: str, cls: type, spec: FieldSpec, ds: model.Dataset, parent: str | None
) -> Table:
    """A table of one claim list of a section: a row per claim, with its owner's id, its
    place in the list and every field of the claim (a list of source ids joined by
    '; ')."""
    assert spec.type.item is not None
    item_cls = spec.type.item.record
    assert item_cls is not None
    item_specs = fields_of(item_cls)
    columns = [
        Column(f"{name}_id", "string", f"the id of the row in {name}", True),
        Column("position", "integer", "the item's place in the list, from 1", True),
    ]
    for s in item_specs:
        column = _column(item_cls, s)
        if s.type.kind == "list":
            column = Column(s.name, "string", f"{column.description} (ids joined by '; ')", False)
        elif s.type.kind == "boolean":
            column = Column(s.name, "integer", f"1 when {column.description}", True)
        columns.append(column)
    keys = [ForeignKey(f"{name}_id", name)]
    keys += [ForeignKey(s.name, "sources") for s in item_specs if s.type.semantic == "ref"]
    table = Table(
        f"{name}_{spec.name}",
        f"{title}: {spec.name}",
        f"{describe(cls, spec.name).capitalize()}: one row per claim, in order.",
        columns,
        (f"{name}_id", "position"),
        keys,
        searchable=tuple(c.name for c in columns if model.role_of(item_cls, c.name) in _SEARCHED),
        link_of=name,
        list_field=spec.name,
    )
    plain = serialiser(item_cls)
    for record, _holder in _records(ds, name, parent):
        for i, item in enumerate(getattr(record, spec.name), start=1):
            data = plain(item)
            row: dict[str, Any] = {f"{name}_id": getattr(record, "id", None), "position": i}
            for s in item_specs:
                value = data[s.name]
                if s.type.kind == "list":
                    value = "; ".join(value) if value else None
                elif s.type.kind == "boolean":
                    value = int(bool(value))
                row[s.name] = value
            table.rows.append(row)
    return table


STATEMENTS = "statements"


def _statements(ds: model.Dataset) -> Table:
    """Every fact of every record with the source that states it (`model.facts`): the
    record's own source for most, a field's or an item's own where another document
    states it, and each other account a conflict keeps."""
    table = Table(
        STATEMENTS,
        "Statements",
        "Every fact of every record, with the source that states it and the place in it.",
        [
            Column("record_id", "string", "the id of the record the fact belongs to", True),
            Column("n", "integer", "the fact's place among the record's facts, from 1", True),
            Column("section", "string", "the table that holds the record", True),
            Column("field", "string", "the field the fact is about", True),
            Column("position", "integer", "for one item of a list, its place, from 1", False),
            Column(
                "value",
                "string",
                "the value stated (a list's items joined by '; ', each item's backslashes "
                "and semicolons escaped with a backslash)",
                True,
            ),
            Column("source_id", "string", "the id of the source that states it", True),
            Column("locator", "string", "the place in that source, where it has places", False),
            Column("derived", "integer", "1 when worked out from the source, not stated", True),
            Column("conflict", "integer", "1 for another source's disagreeing account", True),
        ],
        ("record_id", "n"),
        [ForeignKey("source_id", "sources")],
        # searched like every other table (Datasette's `_search`, `sqlite-utils search`):
        # what each fact states, and the place in its source
        searchable=("value", "locator"),
    )
    for name, _cls, parent in sections():
        if name == "sources":
            continue
        for record, _holder in _records(ds, name, parent):
            for n, fact in enumerate(model.facts(record), start=1):
                if not fact.source:  # in a dataset of your own, a fact no document states
                    continue
                table.rows.append(
                    {
                        "record_id": getattr(record, "id", None),
                        "n": n,
                        "section": name,
                        "field": fact.field,
                        "position": None if fact.item is None else fact.item + 1,
                        "value": _stated(fact.value),
                        "source_id": fact.source,
                        "locator": fact.locator,
                        "derived": int(fact.derived),
                        "conflict": int(fact.conflict),
                    }
                )
    return table


def _stated(value: Any) -> str:
    """A stated value as one cell: a list flattened as the flat formats flatten it."""
    if isinstance(value, tuple):
        return items(_stated(v) for v in value)
    return model.stated_text(value)


def _link_value(cls: type, spec: FieldSpec) -> tuple[str, str, str, bool, str | None, Any]:
    item = spec.type.item
    assert item is not None
    if spec.type.semantic == "refs":
        return ("source_id", "string", "a source's id", True, None, None)
    pattern = DATE_PATTERN if spec.type.semantic == "dates" else None
    enum = item.choices if item.kind == "choice" else None
    return ("value", "string", describe(cls, spec.name), True, pattern, enum)
