"""What each record field is, read once from the record classes' type hints.

The loader validates against these specs, the schema command turns them into JSON
Schema, and records are built from validated plain data through them: one reading of
the model, through `typing.get_type_hints`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields, is_dataclass
from typing import Any, Literal

from . import model

Kind = Literal["text", "number", "integer", "boolean", "choice", "list", "record"]


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """What one field holds, in the model's small vocabulary."""

    kind: Kind
    nullable: bool = False
    choices: tuple[str, ...] = ()
    item: TypeSpec | None = None
    record: type | None = None
    semantic: str | None = None  # "date", "ref" or "refs", from field metadata


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a record class: its name, type and default."""

    name: str
    type: TypeSpec
    required: bool
    default: Any


_SCALARS: dict[Any, Kind] = {str: "text", int: "integer", float: "number", bool: "boolean"}


def type_spec(hint: Any, semantic: str | None = None) -> TypeSpec:
    """The spec of one type hint, in the model's vocabulary; TypeError outside it."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(hint)
        rest = [m for m in members if m is not type(None)]
        nullable = len(rest) < len(members)
        if set(rest) == {int, float}:
            return TypeSpec("number", nullable=nullable, semantic=semantic)
        if len(rest) != 1:
            raise TypeError(f"a union the model does not use: {hint!r}")
        inner = type_spec(rest[0], semantic)
        return TypeSpec(
            inner.kind, True if nullable else inner.nullable, inner.choices, inner.item,
            inner.record, inner.semantic,
        )  # fmt: skip
    if origin is Literal:
        values = typing.get_args(hint)
        if not all(isinstance(v, str) for v in values):
            raise TypeError(f"a Literal of other than text: {hint!r}")
        return TypeSpec("choice", choices=tuple(values), semantic=semantic)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) != 2 or args[1] is not Ellipsis:
            raise TypeError(f"a tuple the model does not use: {hint!r}")
        return TypeSpec("list", item=type_spec(args[0], semantic), semantic=semantic)
    if hint in _SCALARS:
        return TypeSpec(_SCALARS[hint], semantic=semantic)
    if isinstance(hint, type) and is_dataclass(hint):
        return TypeSpec("record", record=hint, semantic=semantic)
    raise TypeError(f"a type the model does not use: {hint!r}")


def choices(alias: Any) -> tuple[str, ...]:
    """The values of a Literal type alias."""
    spec = type_spec(alias)
    if spec.kind != "choice":
        raise TypeError(f"{alias!r} is not a Literal")
    return spec.choices


_FIELDS: dict[type, tuple[FieldSpec, ...]] = {}


def fields_of(cls: type) -> tuple[FieldSpec, ...]:
    """The fields of a record class, in declaration order (read once per class)."""
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = _read_fields(cls)
    return known


def _read_fields(cls: type) -> tuple[FieldSpec, ...]:
    declared = fields(cls)
    # The model's annotations are objects already; a class declared under
    # `from __future__ import annotations` has strings, which typing evaluates.
    if any(isinstance(f.type, str) for f in declared):
        hints = typing.get_type_hints(cls)
    else:
        hints = {f.name: f.type for f in declared}
    specs = []
    for f in declared:
        if f.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: a record read from data has no factories")
        has_default = f.default is not MISSING
        specs.append(
            FieldSpec(
                name=f.name,
                type=type_spec(hints[f.name], f.metadata.get("kind")),
                required=not has_default,
                default=f.default if has_default else None,
            )
        )
    return tuple(specs)


def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


Convert = Callable[[Any], Any]


def _converter(spec: TypeSpec, record: Callable[[type], Convert], sequence: type) -> Convert | None:
    """What converts a value of this type (None: it passes as it is): nested records
    through `record(cls)`, lists into `sequence` (tuples in the model, lists in JSON)."""
    if spec.kind == "record":
        assert spec.record is not None
        return record(spec.record)
    if spec.kind == "list":
        assert spec.item is not None
        inner = _converter(spec.item, record, sequence)
        if inner is None:
            return sequence
        return lambda items: sequence(inner(v) for v in items)
    return None


_BUILDERS: dict[type, Callable[[dict[str, Any]], Any]] = {}


def builder(cls: type[Any]) -> Callable[[dict[str, Any]], Any]:
    """A function from already-validated plain data to a record of `cls`, through the
    class's own constructor."""
    known = _BUILDERS.get(cls)
    if known is not None:
        return known
    plan = [(f.name, _converter(f.type, builder, tuple)) for f in fields_of(cls)]

    def make(data: dict[str, Any]) -> Any:
        values = {}
        for name, convert in plan:
            if name in data:
                value = data[name]
                values[name] = value if convert is None or value is None else convert(value)
        return cls(**values)

    _BUILDERS[cls] = make
    return make


def build(cls: type[Any], data: dict[str, Any]) -> Any:
    """A record from already-validated plain data (the inverse of `to_data`)."""
    return builder(cls)(data)


_SERIALISERS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def serialiser(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    """A function from a record of `cls` to plain, JSON-ready data."""
    known = _SERIALISERS.get(cls)
    if known is not None:
        return known
    plan = [(f.name, _converter(f.type, serialiser, list)) for f in fields_of(cls)]

    def plain(record: Any) -> dict[str, Any]:
        out = {}
        for name, convert in plan:
            value = getattr(record, name)
            out[name] = value if convert is None or value is None else convert(value)
        return out

    _SERIALISERS[cls] = plain
    return plain


def to_data(value: Any) -> Any:
    """Plain JSON-ready data: records become dicts, tuples become lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return serialiser(type(value))(value)
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    return value


def sections(cls: type | None = None) -> tuple[tuple[str, type, str | None], ...]:
    """Every section of the dataset, in the file's order, with its record class and the
    section it is nested in (None at the top): the top-level ones, each followed by the
    records nested in it (the organisation's headquarters and sister center). Declared
    once, by the model's Dataset."""
    found: list[tuple[str, type, str | None]] = []
    for f in fields_of(cls or model.Dataset):
        spec = f.type.item if f.type.kind == "list" else f.type
        if spec is None or spec.record is None or spec.record is model.Meta:
            continue
        found.append((f.name, spec.record, None))
        if cls is None:
            found += [
                (inner, record, f.name)
                for inner, record, _ in sections(spec.record)
                if getattr(record, "listed_in", "") == inner  # a record, not a field's parts
            ]
    return tuple(found)


def listed_sections() -> tuple[tuple[str, type], ...]:
    """The top-level sections a command lists (`istc members`...), in the file's order."""
    return tuple(
        (name, cls)
        for name, cls, _ in sections(model.Dataset)
        if getattr(cls, "listed_in", "") == name
    )
