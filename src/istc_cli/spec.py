"""What each record field is, read once from the dataclasses' type hints.

The loader validates against these specs, the schema command turns them into JSON
Schema, and the cache rebuilds records through them: one reading of the model.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "number", "integer", "boolean", "choice", "list", "record"]


@dataclass(frozen=True, slots=True)
class TypeSpec:
    kind: Kind
    nullable: bool = False
    choices: tuple[str, ...] = ()
    item: TypeSpec | None = None
    record: type | None = None
    semantic: str | None = None  # "date", "ref" or "refs", from field metadata


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    type: TypeSpec
    required: bool
    default: Any


def _type_spec(hint: Any, semantic: str | None) -> TypeSpec:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if set(rest) == {int, float}:
            inner = TypeSpec("number", semantic=semantic)
        elif len(rest) == 1:
            inner = _type_spec(rest[0], semantic)
        else:
            raise TypeError(f"unsupported union {hint!r}")
        return dataclasses.replace(inner, nullable=type(None) in args)
    if origin is Literal:
        return TypeSpec("choice", choices=tuple(str(a) for a in args), semantic=semantic)
    if origin is tuple:
        item_semantic = {"refs": "ref", "dates": "date"}.get(semantic or "")
        return TypeSpec("list", item=_type_spec(args[0], item_semantic), semantic=semantic)
    if hint is str:
        return TypeSpec("text", semantic=semantic)
    if hint is bool:  # only in records the commands build (never read from a dataset)
        return TypeSpec("boolean", semantic=semantic)
    if hint is int:
        return TypeSpec("integer", semantic=semantic)
    if hint is float:
        return TypeSpec("number", semantic=semantic)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return TypeSpec("record", record=hint)
    raise TypeError(f"unsupported type {hint!r}")


_FIELDS: dict[type, tuple[FieldSpec, ...]] = {}


def fields_of(cls: type) -> tuple[FieldSpec, ...]:
    """The fields of a record class, in declaration order (read once per class)."""
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = _read_fields(cls)
    return known


def _read_fields(cls: type) -> tuple[FieldSpec, ...]:
    # model.py does not use string annotations, so f.type is the real type:
    # no typing.get_type_hints (and its eval) on the start-up path.
    specs = []
    for f in dataclasses.fields(cls):
        semantic = f.metadata.get("kind")
        has_default = f.default is not dataclasses.MISSING
        specs.append(
            FieldSpec(
                name=f.name,
                type=_type_spec(f.type, semantic),
                required=not has_default,
                default=f.default if has_default else None,
            )
        )
    return tuple(specs)


def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


# Building records from plain data and back runs once per record, so each class
# gets a compiled plan: only the fields that need converting (lists, nested
# records) are touched, scalars pass straight through.

Convert = Callable[[Any], Any]
_BUILDERS: dict[type, Callable[[dict[str, Any]], Any]] = {}
_SERIALISERS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _converter(
    spec: TypeSpec,
    record: Callable[[type], Convert],
    sequence: type[tuple[Any, ...]] | type[list[Any]],
) -> Convert | None:
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


def builder(cls: type[Any]) -> Callable[[dict[str, Any]], Any]:
    """A function from already-validated plain data to a record of `cls`."""
    known = _BUILDERS.get(cls)
    if known is not None:
        return known
    names = {f.name for f in fields_of(cls)}
    steps = [
        (f.name, c) for f in fields_of(cls) if (c := _converter(f.type, builder, tuple)) is not None
    ]

    def make(data: dict[str, Any]) -> Any:
        kwargs = {k: v for k, v in data.items() if k in names}
        for name, convert in steps:
            value = kwargs.get(name)
            if value is not None:
                kwargs[name] = convert(value)
        return cls(**kwargs)

    _BUILDERS[cls] = make
    return make


def field_builder(cls: type[Any], name: str) -> Convert:
    """A function from validated plain data to the value of one field of `cls`."""
    spec = next(f for f in fields_of(cls) if f.name == name)
    convert = _converter(spec.type, builder, tuple)
    return (lambda value: value) if convert is None else convert


def build(cls: type[Any], data: dict[str, Any]) -> Any:
    """A record from already-validated plain data (the inverse of `to_data`)."""
    return builder(cls)(data)


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
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return serialiser(type(value))(value)
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    return value
