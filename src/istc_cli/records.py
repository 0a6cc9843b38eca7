"""Frozen records for istc's own classes, without importing `dataclasses` at run time.

`dataclasses` imports `inspect` (and through it `ast`, `dis`, `enum`, `re`...) and
spends most of a class's creation on generality istc does not use: together about
a third of a scripted run's start-up. This module is the subset istc uses, with the
standard library's names and semantics:

- `record_class` takes `frozen`, `slots`, `kw_only`, `eq` and `repr`, like `dataclass`;
- `field(default=..., default_factory=..., metadata=...)`, `fields()`, `replace()`,
  `asdict()`, `is_record()` (`dataclasses.is_dataclass` for instances and classes),
  `MISSING` and `FrozenInstanceError`.

Type checkers are shown the standard library's `dataclass` itself (below, under
TYPE_CHECKING), so mypy checks every constructor call and every field as it would
for a dataclass. At run time a class's first instances have their fields set by a
generic constructor, and the class's own `__init__` is compiled only once it has
been built 32 times (or for a call that does not bind, so that its error is
Python's own): most record types are built a few times a run, and compiling costs
0.1 to 0.2 ms each. A test holds every record class to the behaviour `dataclasses`
gives the same declaration, before and after its constructor is compiled.

Annotations are read as written (modules use `from __future__ import annotations`,
so they are strings): `spec` turns them into types, without `typing`.
"""

from __future__ import annotations

__all__ = [
    "MISSING",
    "Field",
    "FrozenInstanceError",
    "asdict",
    "field",
    "fields",
    "is_record",
    "record_class",
    "replace",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import MISSING as MISSING
    from dataclasses import Field as Field
    from dataclasses import FrozenInstanceError as FrozenInstanceError
    from dataclasses import asdict as asdict
    from dataclasses import dataclass as record_class
    from dataclasses import field as field
    from dataclasses import fields as fields
    from dataclasses import is_dataclass as is_record
    from dataclasses import replace as replace
else:

    class _Missing:
        __slots__ = ()

        def __repr__(self) -> str:
            return "MISSING"

    MISSING = _Missing()

    class FrozenInstanceError(AttributeError):
        """Assigning to a field of a frozen record (as `dataclasses` raises it)."""

    class Field:
        __slots__ = ("default", "default_factory", "metadata", "name", "type")

        def __init__(self, default=MISSING, default_factory=MISSING, metadata=None):
            if default is not MISSING and default_factory is not MISSING:
                raise ValueError("cannot specify both default and default_factory")
            self.name = ""
            self.type = None
            self.default = default
            self.default_factory = default_factory
            self.metadata = {} if metadata is None else metadata

        def __repr__(self):
            return f"Field(name={self.name!r}, type={self.type!r}, default={self.default!r})"

    def field(*, default=MISSING, default_factory=MISSING, metadata=None):
        return Field(default, default_factory, metadata)

    def record_class(cls=None, /, *, frozen=False, slots=False, kw_only=False, eq=True, repr=True):
        def wrap(cls):
            return _process(cls, frozen=frozen, slots=slots, kw_only=kw_only, eq=eq, rep=repr)

        return wrap if cls is None else wrap(cls)

    def is_record(obj):
        return hasattr(obj, "__record_fields__")

    def fields(obj):
        try:
            return tuple(obj.__record_fields__.values())
        except AttributeError:
            raise TypeError("must be called with a record type or instance") from None

    def replace(obj, /, **changes):
        for f in fields(obj):
            if f.name not in changes:
                changes[f.name] = getattr(obj, f.name)
        return type(obj)(**changes)

    def asdict(obj):
        if not is_record(obj) or isinstance(obj, type):
            raise TypeError("asdict() should be called on record instances")
        return _plain(obj)

    def _plain(value):
        if is_record(value) and not isinstance(value, type):
            return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, list | tuple):
            return type(value)(_plain(v) for v in value)
        if isinstance(value, dict):
            return {_plain(k): _plain(v) for k, v in value.items()}
        return value

    def _is_classvar(annotation):
        if isinstance(annotation, str):
            return annotation.startswith(("ClassVar", "typing.ClassVar"))
        return repr(annotation).startswith("typing.ClassVar")

    def _process(cls, *, frozen, slots, kw_only, eq, rep):
        every = {}
        for base in reversed(cls.__mro__[1:]):
            every.update(getattr(base, "__record_fields__", {}))
        own = []
        annotations = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (no inspect)
        for name, annotation in annotations.items():
            if _is_classvar(annotation):
                continue
            value = cls.__dict__.get(name, MISSING)
            f = value if isinstance(value, Field) else Field(default=value)
            f.name, f.type = name, annotation
            every[name] = f
            own.append(name)
        if not kw_only:
            seen_default = False
            for f in every.values():
                if f.default is not MISSING or f.default_factory is not MISSING:
                    seen_default = True
                elif seen_default:
                    raise TypeError(f"non-default argument {f.name!r} follows default argument")
        namespace = dict(cls.__dict__)
        for name in own:
            namespace.pop(name, None)  # defaults live in __init__, not on the class
        namespace.pop("__dict__", None)
        namespace.pop("__weakref__", None)
        if slots:
            namespace["__slots__"] = tuple(own)
        namespace["__record_fields__"] = every
        namespace["__init__"] = _deferred_init(kw_only, frozen)
        if frozen:
            namespace["__setattr__"] = _frozen_setattr
            namespace["__delattr__"] = _frozen_delattr
        if rep:
            namespace["__repr__"] = _repr
        if eq:
            namespace["__eq__"] = _eq
            namespace["__hash__"] = _hash if frozen else None
        return type(cls)(cls.__name__, cls.__bases__, namespace)

    def _deferred_init(kw_only, frozen):
        """An __init__ that sets the fields itself for a class's first instances, and
        compiles the class's own, faster one when the class turns out to be built many
        times (or for any call that does not bind cleanly, whose error that one raises).
        Most classes are built a few times a run: compiling costs 0.1 to 0.2 ms each."""
        calls = [0]

        def __init__(self, *args, **kwargs):
            owner = next(c for c in type(self).__mro__ if c.__dict__.get("__init__") is __init__)
            calls[0] += 1
            if calls[0] <= _COMPILE_AFTER and _bind(owner, self, args, kwargs, kw_only, frozen):
                return
            owner.__init__ = _compile_init(owner, kw_only, frozen)
            owner.__init__(self, *args, **kwargs)

        return __init__

    _COMPILE_AFTER = 32  # instances of a class built before its __init__ is compiled

    def _bind(cls, self, args, kwargs, kw_only, frozen):
        """What the compiled __init__ does, for a call whose arguments bind cleanly: every
        field set in order, from its argument, its default or its factory. False, with
        nothing set, for any other call."""
        every = cls.__record_fields__
        if (args and kw_only) or len(args) > len(every):
            return False
        given = dict(zip(every, args, strict=False))  # more args than fields: refused above
        for name in kwargs:
            if name in given or name not in every:
                return False
            given[name] = kwargs[name]
        for name, f in every.items():
            if name not in given and f.default is MISSING and f.default_factory is MISSING:
                return False  # a required argument missing
        for name, f in every.items():
            value = given.get(name, f.default)
            if value is MISSING and f.default_factory is not MISSING:
                value = f.default_factory()
            if frozen:
                object.__setattr__(self, name, value)
            else:
                setattr(self, name, value)
        return True

    def _compile_init(cls, kw_only, frozen):
        params, body = [], []
        names = {"MISSING": MISSING, "setter": object.__setattr__}
        for n, f in enumerate(cls.__record_fields__.values()):
            if f.default_factory is not MISSING:
                names[f"factory{n}"] = f.default_factory
                params.append(f"{f.name}=MISSING")
                value = f"factory{n}() if {f.name} is MISSING else {f.name}"
            else:
                if f.default is not MISSING:
                    names[f"default{n}"] = f.default
                    params.append(f"{f.name}=default{n}")
                else:
                    params.append(f.name)
                value = f.name
            body.append(
                f"    setter(self, {f.name!r}, {value})"
                if frozen
                else f"    self.{f.name} = {value}"
            )
        star = ["*"] if kw_only and params else []
        source = (
            f"def __init__(self, {', '.join([*star, *params])}):\n"
            + ("\n".join(body) or "    pass")
            + "\n"
        )
        exec(compile(source, f"<record {cls.__qualname__}>", "exec"), names)
        init = names["__init__"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        return init

    def _frozen_setattr(self, name, value):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def _frozen_delattr(self, name):
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _values(self):
        return tuple(getattr(self, name) for name in self.__record_fields__)

    def _repr(self):
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_fields__)
        return f"{type(self).__qualname__}({inner})"

    def _eq(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self) == _values(other)

    def _hash(self):
        return hash(_values(self))
