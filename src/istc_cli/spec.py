"""What each record field is, read once from the record classes' annotations.

The loader validates against these specs, the schema command turns them into JSON
Schema, and the cache rebuilds records through them: one reading of the model.

The model's annotations are strings (`from __future__ import annotations`), and
they are read here as text, in the model's small vocabulary (see `model`), rather
than evaluated through `typing`: importing `typing` costs more start-up time than
a scripted run spends on everything else. A test checks this reading against
`typing.get_type_hints` for every record class.
"""

from __future__ import annotations

import sys

from .records import MISSING, fields, is_record, record_class, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Literal, TypeAlias

Kind: TypeAlias = 'Literal["text", "number", "integer", "boolean", "choice", "list", "record"]'


@record_class(frozen=True, slots=True)
class TypeSpec:
    kind: Kind
    nullable: bool = False
    choices: tuple[str, ...] = ()
    item: TypeSpec | None = None
    record: type | None = None
    semantic: str | None = None  # "date", "ref" or "refs", from field metadata


@record_class(frozen=True, slots=True)
class FieldSpec:
    name: str
    type: TypeSpec
    required: bool
    default: Any


# ---------------------------------------------------------------- reading annotations
#
# The vocabulary: NAME, NAME[ARG, ...], A | B, string literals (in Literal[...])
# and `...`. A NAME is str, int, float, bool or None, or a name of the class's
# module: a record class, or a type alias (a string holding another annotation).

_PUNCTUATION = "[],|"


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif c in _PUNCTUATION:
            out.append(c)
            i += 1
        elif c in "'\"":
            end = text.find(c, i + 1)
            if end < 0:
                raise TypeError(f"unterminated string in annotation {text!r}")
            out.append(text[i : end + 1])
            i = end + 1
        elif text.startswith("...", i):
            out.append("...")
            i += 3
        else:
            j = i
            while j < len(text) and (text[j].isalnum() or text[j] in "_."):
                j += 1
            if j == i:
                raise TypeError(f"unsupported character {c!r} in annotation {text!r}")
            out.append(text[i:j])
            i = j
    return out


_Node: TypeAlias = "tuple[str, str, tuple[Any, ...]]"  # (name or literal, kind, arguments)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def _next(self) -> str:
        if self.at >= len(self.tokens):
            raise TypeError(f"incomplete annotation {self.text!r}")
        token = self.tokens[self.at]
        self.at += 1
        return token

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def union(self) -> list[_Node]:
        members = [self.atom()]
        while self._peek() == "|":
            self._next()
            members.append(self.atom())
        return members

    def atom(self) -> _Node:
        token = self._next()
        if token[0] in "'\"":
            return (token[1:-1], "literal", ())
        if token == "...":
            return (token, "ellipsis", ())
        if token in _PUNCTUATION:
            raise TypeError(f"unexpected {token!r} in annotation {self.text!r}")
        if self._peek() != "[":
            return (token, "name", ())
        self._next()
        args = [tuple(self.union())]
        while self._peek() == ",":
            self._next()
            args.append(tuple(self.union()))
        if self._next() != "]":
            raise TypeError(f"expected ']' in annotation {self.text!r}")
        return (token, "subscript", tuple(args))

    def whole(self) -> list[_Node]:
        members = self.union()
        if self._peek() is not None:
            raise TypeError(f"unexpected {self._peek()!r} in annotation {self.text!r}")
        return members


_BUILTIN = {"str": "text", "bool": "boolean", "int": "integer", "float": "number"}


def _spec_of_union(
    members: list[_Node] | tuple[_Node, ...], namespace: dict[str, Any], semantic: str | None
) -> TypeSpec:
    rest = [m for m in members if m[:2] != ("None", "name")]
    nullable = len(rest) < len(members)
    names = {m[0] for m in rest if m[1] == "name"}
    if len(rest) == 2 and names == {"int", "float"}:
        inner = TypeSpec("number", semantic=semantic)
    elif len(rest) == 1:
        inner = _spec_of(rest[0], namespace, semantic)
    else:
        raise TypeError(f"unsupported union of {len(rest)} types")
    return replace(inner, nullable=True) if nullable else inner


def _spec_of(node: _Node, namespace: dict[str, Any], semantic: str | None) -> TypeSpec:
    name, kind, args = node
    if kind == "subscript" and name in ("Literal", "typing.Literal"):
        if not all(len(a) == 1 and a[0][1] == "literal" for a in args):
            raise TypeError("Literal takes string values only")
        return TypeSpec("choice", choices=tuple(a[0][0] for a in args), semantic=semantic)
    if kind == "subscript" and name == "tuple":
        if len(args) != 2 or args[1] != (("...", "ellipsis", ()),):
            raise TypeError("only tuple[X, ...] is supported")
        item_semantic = {"refs": "ref", "dates": "date"}.get(semantic or "")
        item = _spec_of_union(args[0], namespace, item_semantic)
        return TypeSpec("list", item=item, semantic=semantic)
    if kind != "name":
        raise TypeError(f"unsupported type {name!r}")
    if name in _BUILTIN:
        return TypeSpec(_BUILTIN[name], semantic=semantic)  # type: ignore[arg-type]
    value = namespace.get(name)
    if isinstance(value, str):  # a type alias, itself an annotation
        return _spec_of_union(_Reader(value).whole(), namespace, semantic)
    if isinstance(value, type) and is_record(value):
        return TypeSpec("record", record=value)
    raise TypeError(f"unsupported type {name!r}")


def type_spec(annotation: str, namespace: dict[str, Any], semantic: str | None = None) -> TypeSpec:
    """The spec of one annotation, its names looked up in `namespace` (a module's)."""
    key = (annotation, semantic, id(namespace))
    known = _TYPE_SPECS.get(key)
    if known is None:  # most annotations repeat (`str | None`): each is read once
        members = _plain_union(annotation)
        if members is None:
            members = _Reader(annotation).whole()
        known = _TYPE_SPECS[key] = _spec_of_union(members, namespace, semantic)
    return known


def _plain_union(text: str) -> list[_Node] | None:
    """What `_Reader(text).whole()` reads, for the annotations nearly every field has
    (`NAME`, `NAME | NAME`, `tuple[NAME, ...]`), without tokenizing; None for any
    other text. A test holds the two readings equal."""
    if "[" not in text:
        names = [part.strip() for part in text.split("|")]
        if all(name.isidentifier() for name in names):
            return [(name, "name", ()) for name in names]
        return None
    if text.startswith("tuple[") and text.endswith(", ...]"):
        inner = _plain_union(text[6:-6])
        if inner is not None:
            return [("tuple", "subscript", (tuple(inner), (("...", "ellipsis", ()),)))]
    return None


_TYPE_SPECS: dict[tuple[str, str | None, int], TypeSpec] = {}


def choices(alias: str, namespace: dict[str, Any]) -> tuple[str, ...]:
    """The values of a Literal type alias (given as its string value)."""
    spec = type_spec(alias, namespace)
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
    # Names in annotations are the declaring module's (a subclass such as the
    # loader's LazyDataset lives elsewhere).
    declared = next(c for c in cls.__mro__ if "__record_fields__" in c.__dict__)
    namespace = vars(sys.modules[declared.__module__])
    specs = []
    for f in fields(cls):
        if f.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: a record read from data has no factories")
        semantic = f.metadata.get("kind")
        has_default = f.default is not MISSING
        annotation = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        specs.append(
            FieldSpec(
                name=f.name,
                type=type_spec(annotation, namespace, semantic),
                required=not has_default,
                default=f.default if has_default else None,
            )
        )
    return tuple(specs)


def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


# Building records from plain data and back runs once per record, so each class
# gets a compiled plan: only the fields that need converting (lists, nested
# records) are touched, scalars pass straight through.

Convert: TypeAlias = "Callable[[Any], Any]"
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
    # The record is filled in as its __init__ would (object.__setattr__, field by
    # field, defaults for what the data leaves out), without calling it: __init__ is
    # compiled on a class's first use, and a cached run builds records of most classes.
    new, setter = object.__new__, object.__setattr__
    plan = [
        (f.name, MISSING if f.required else f.default, _converter(f.type, builder, tuple))
        for f in fields_of(cls)
    ]

    def make(data: dict[str, Any]) -> Any:
        record = new(cls)
        for name, default, convert in plan:
            value = data.get(name, default)
            if value is MISSING:
                raise TypeError(f"{cls.__name__} needs a value for {name!r}")
            if convert is not None and value is not None:
                value = convert(value)
            setter(record, name, value)
        return record

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
    if is_record(value) and not isinstance(value, type):
        return serialiser(type(value))(value)
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    return value
