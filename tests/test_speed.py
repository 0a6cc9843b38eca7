"""Start-up speed comes from doing without heavy modules; these tests hold the
replacements to what they replace (the standard library as the oracle) and the
scripted runs to the modules they may import."""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from istc_cli import commands, model, records, search, show, spec
from istc_cli.output import to_json
from istc_cli.text import json_safe

from .conftest import modules_after

# ---------------------------------------------------------------- imports of a scripted run

HEAVY = {
    "typing",
    "re",
    "enum",
    "dataclasses",
    "inspect",
    "json",
    "csv",
    "contextlib",
    "collections",
    "functools",
    "hashlib",
    "importlib",
    "yaml",
    "rich",
    "typer",
}

SCRIPTED = [
    ["members", "--json"],
    ["members", "-o", "jsonl"],
    ["history", "--format", "csv"],
    ["history", "-o", "tsv"],
    ["members"],  # piped: plain lines
    ["about", "--json"],
    ["search", "astana"],
    ["show", "russia", "--json"],
    ["figures", "--json"],
    ["sources", "-o", "tsv"],
    ["offices", "--all", "--json"],
]


@pytest.mark.parametrize("args", SCRIPTED, ids=" ".join)
def test_a_cached_scripted_run_imports_no_heavy_module(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISTC_CACHE_DIR", str(tmp_path / "cache"))
    modules_after(*args)  # fills the cache
    loaded = {m.split(".")[0] for m in modules_after(*args)}
    assert loaded & HEAVY == set()


def test_the_first_uncached_run_still_validates_with_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counter-check: the list above is not empty by accident."""
    monkeypatch.setenv("ISTC_CACHE_DIR", str(tmp_path / "cache"))
    assert "yaml" in {m.split(".")[0] for m in modules_after("members", "--json")}


# ---------------------------------------------------------------- records against dataclasses


def _record_classes() -> list[type]:
    import istc_cli.export.tables
    from istc_cli import cite, layout, loader, problems, queries, rows

    found = []
    for module in (model, spec, commands, loader, problems, queries, rows, layout, search, cite):
        found += [c for c in vars(module).values() if isinstance(c, type) and records.is_record(c)]
    found += [
        c
        for c in vars(istc_cli.export.tables).values()
        if isinstance(c, type) and records.is_record(c)
    ]
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


RECORD_CLASSES = _record_classes()


def _twin(cls: type) -> type:
    """The same declaration, made by `dataclasses` (options read back from behaviour)."""
    namespace: dict[str, Any] = {"__annotations__": {}}
    for f in records.fields(cls):
        namespace["__annotations__"][f.name] = f.type
        if f.default_factory is not records.MISSING:
            namespace[f.name] = dataclasses.field(default_factory=f.default_factory)
        elif f.default is not records.MISSING:
            namespace[f.name] = dataclasses.field(default=f.default, metadata=f.metadata)
        elif f.metadata:
            namespace[f.name] = dataclasses.field(metadata=f.metadata)
    frozen = cls.__setattr__ is not object.__setattr__
    made = type(cls.__name__, (), namespace)
    return dataclasses.dataclass(frozen=frozen, kw_only=_kw_only(cls), slots=True)(made)


def _kw_only(cls: type) -> bool:
    try:
        cls(*[None] * len(records.fields(cls)))
    except TypeError as exc:
        return "positional" in str(exc)
    return False


def _signature(init: Any) -> list[tuple[str, Any, bool]]:
    params = list(inspect.signature(init).parameters.values())[1:]
    return [(p.name, p.kind, p.default is not inspect.Parameter.empty) for p in params]


def test_there_are_record_classes_to_check() -> None:
    assert len(RECORD_CLASSES) > 35 and model.Member in RECORD_CLASSES


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda c: c.__qualname__)
def test_a_record_class_behaves_as_the_dataclass_of_its_declaration(cls: type) -> None:
    twin = _twin(cls)
    assert [f.name for f in records.fields(cls)] == [f.name for f in dataclasses.fields(twin)]
    for ours, theirs in zip(records.fields(cls), dataclasses.fields(twin), strict=True):
        assert ours.metadata == theirs.metadata
        assert (ours.default is records.MISSING) == (theirs.default is dataclasses.MISSING)
        if ours.default is not records.MISSING:
            assert ours.default == theirs.default
    required = {f.name: object() for f in records.fields(cls) if _required(f)}
    kw = _kw_only(cls)
    made = cls(**required)
    reference = twin(**required)
    assert all(getattr(made, f.name) == getattr(reference, f.name) for f in records.fields(cls))
    for _ in range(records._COMPILE_AFTER):  # built often enough: its __init__ compiled
        assert cls(**required) == made
    assert _signature(cls.__init__) == _signature(twin.__init__)
    assert made == cls(**required) and made is not cls(**required)
    assert not hasattr(made, "__dict__")  # slots, as declared
    if required and not kw:
        with pytest.raises(TypeError):
            cls()
    for f in records.fields(cls):
        value = getattr(made, f.name)
        if f.default_factory is not records.MISSING:
            assert value == f.default_factory() and value is not getattr(cls(**required), f.name)
        elif f.default is not records.MISSING:
            assert value is f.default
    if cls.__setattr__ is not object.__setattr__:
        name = records.fields(cls)[0].name
        with pytest.raises(AttributeError):
            setattr(made, name, 1)
        with pytest.raises(AttributeError):
            delattr(made, name)
    with pytest.raises(TypeError):
        cls(**required, not_a_field=1)


def _required(f: Any) -> bool:
    return f.default is records.MISSING and f.default_factory is records.MISSING


def test_equality_hash_repr_and_replace_follow_dataclasses() -> None:
    a = spec.TypeSpec("text")
    b = spec.TypeSpec("text")
    assert a == b and hash(a) == hash(b) and a != spec.TypeSpec("text", nullable=True)
    assert repr(a) == (
        "TypeSpec(kind='text', nullable=False, choices=(), item=None, record=None, semantic=None)"
    )
    assert records.replace(a, nullable=True) == spec.TypeSpec("text", nullable=True)
    problem = model.ShowMatch(id="x", section="members", name="X")
    assert records.asdict(problem) == {"id": "x", "section": "members", "name": "X"}
    with pytest.raises(TypeError):
        records.fields(object())


def _outcome(make: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    try:
        made = make(*args, **kwargs)
    except TypeError:
        return TypeError
    return tuple(getattr(made, name) for name in ("a", "b", "c", "d"))


_CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1,), {}),
    ((1, 2), {}),
    ((1, 2, [3], 4), {}),
    ((1,), {"c": [9]}),
    ((), {"a": 1, "d": 4}),
    ((), {"b": 2}),  # a missing
    ((1,), {"a": 1}),  # a twice
    ((1, 2, 3, 4, 5), {}),  # too many
    ((), {"a": 1, "e": 5}),  # no such field
    ((), {"a": 1, "c": records.MISSING}),  # MISSING given: the factory still runs
]


@pytest.mark.parametrize("frozen", [True, False])
@pytest.mark.parametrize("kw_only", [True, False])
def test_the_first_instances_are_built_as_the_compiled_init_builds_them(
    frozen: bool, kw_only: bool
) -> None:
    """A class's first instances get their fields set without compiling its __init__;
    every call, clean or not, comes out as the compiled one and dataclasses make it."""

    def declare(decorator: Any, field: Any) -> Any:
        namespace = {
            "__annotations__": {"a": "int", "b": "int", "c": "list[int]", "d": "int"},
            "b": 0,
            "c": field(default_factory=list),
            "d": field(default=7),
        }
        return decorator(frozen=frozen, kw_only=kw_only, slots=True)(type("R", (), namespace))

    for args, kwargs in _CALLS:
        fresh = declare(records.record_class, records.field)  # its first call: not compiled
        compiled = declare(records.record_class, records.field)
        for _ in range(records._COMPILE_AFTER + 1):
            _outcome(compiled, (1,), {})
        twin = declare(dataclasses.dataclass, dataclasses.field)
        expected = _outcome(twin, args, kwargs)
        if kwargs.get("c") is records.MISSING:  # dataclasses keeps its own MISSING apart
            expected = (1, 0, [], 7)
        assert _outcome(fresh, args, kwargs) == _outcome(compiled, args, kwargs) == expected


def test_a_positional_required_field_after_a_default_is_refused_like_dataclasses() -> None:
    with pytest.raises(TypeError, match="non-default argument"):

        @records.record_class
        class Bad:
            a: int = 1
            b: int


# ---------------------------------------------------------------- annotations read as text

# The reading `spec` did with typing before: the oracle.


def _typing_spec(hint: Any, semantic: str | None) -> spec.TypeSpec:
    import types

    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        inner = (
            spec.TypeSpec("number", semantic=semantic)
            if set(rest) == {int, float}
            else _typing_spec(rest[0], semantic)
        )
        return records.replace(inner, nullable=type(None) in args)
    if origin is Literal:
        return spec.TypeSpec("choice", choices=tuple(str(a) for a in args), semantic=semantic)
    if origin is tuple:
        item_semantic = {"refs": "ref", "dates": "date"}.get(semantic or "")
        return spec.TypeSpec("list", item=_typing_spec(args[0], item_semantic), semantic=semantic)
    simple = {str: "text", bool: "boolean", int: "integer", float: "number"}
    if hint in simple:
        return spec.TypeSpec(simple[hint], semantic=semantic)  # type: ignore[arg-type]
    assert records.is_record(hint)
    return spec.TypeSpec("record", record=hint)


def _evaluated_model_namespace() -> dict[str, Any]:
    namespace: dict[str, Any] = {**vars(model), "Literal": Literal, "Any": Any}
    namespace["ClassVar"] = typing.ClassVar
    for name in model.__annotations__:
        value = getattr(model, name)
        if isinstance(value, str):
            namespace[name] = eval(value, namespace)  # the aliases, as typing reads them
    return namespace


MODEL_CLASSES = [c for c in RECORD_CLASSES if c.__module__ == model.__name__]


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__qualname__)
def test_spec_reads_every_annotation_as_typing_evaluates_it(cls: type) -> None:
    namespace = _evaluated_model_namespace()
    hints = typing.get_type_hints(cls, globalns=namespace)
    for f in spec.fields_of(cls):
        semantic = records.fields(cls)[[g.name for g in records.fields(cls)].index(f.name)]
        assert f.type == _typing_spec(hints[f.name], semantic.metadata.get("kind")), f.name


def test_choice_options_take_the_model_literals() -> None:
    assert commands.literal_values(model.MemberStatus) == ("current", "former")
    assert commands.literal_values(model.OfficerRole)[-1] == "acting-executive-director"
    with pytest.raises(TypeError):
        commands.literal_values(42)


@pytest.mark.parametrize(
    "annotation",
    ["tuple[str]", "dict[str, str]", "str | int", "Literal[1]", "tuple[str, ...", "str]", "a b"],
)
def test_an_annotation_outside_the_vocabulary_is_refused(annotation: str) -> None:
    with pytest.raises(TypeError):
        spec.type_spec(annotation, vars(model))


# ---------------------------------------------------------------- JSON without the json module

_JSON_TEXT = st.text(
    st.one_of(st.characters(), st.sampled_from('\x00\x1b\x7f\x85\u200b\u2028\ufeff\U000e0001"\\'))
)
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | _JSON_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_JSON_TEXT, inner, max_size=4),
    max_leaves=20,
)


@given(_JSON, st.booleans(), st.booleans())
@settings(max_examples=400, deadline=None)
def test_to_json_writes_what_json_dumps_writes(data: Any, compact: bool, ascii_only: bool) -> None:
    if compact:
        expected = json.dumps(data, ensure_ascii=ascii_only, separators=(",", ":"))
    else:
        expected = json.dumps(data, ensure_ascii=ascii_only, indent=2)
    assert to_json(data, compact=compact, ascii_only=ascii_only) == json_safe(expected)


def test_to_json_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        to_json({"a": object()})
    with pytest.raises(TypeError):
        to_json({1: "a"})


# ---------------------------------------------------------------- words without the re module

_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:-[^\W\d_]+)*")
_WORDY = st.text(st.one_of(st.characters(), st.sampled_from("0123456789.,- \n\t_²½٣Ⅻ'aZé")))


@given(_WORDY)
@settings(max_examples=1000, deadline=None)
def test_search_tokens_are_what_the_pattern_finds(text: str) -> None:
    assert search.tokens(text) == _TOKEN.findall(text)


@pytest.mark.parametrize(
    "text",
    ["4,200 scientists", "US$1.2 billion", "non-proliferation", "1992.", "a--b", "x-1", "²a", ""],
)
def test_search_tokens_examples(text: str) -> None:
    assert search.tokens(text) == _TOKEN.findall(text)


@given(st.sampled_from(["EU", "US", "ISTC", "RF", "$"]), _WORDY)
@settings(max_examples=500, deadline=None)
def test_show_finds_a_short_name_as_the_pattern_does(name: str, text: str) -> None:
    pattern = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")
    assert show._names_whole(name, text) == bool(pattern.search(text))


def test_show_short_name_examples() -> None:
    assert show._names_whole("EU", "the EU's members")
    assert not show._names_whole("EU", "EUR 5") and not show._names_whole("US", "US$5")
    assert show._names_whole("US", "USA and US") and not show._names_whole("US", "_US")


@pytest.mark.parametrize("size", [0, 1000, 4 * 1024 * 1024 + 1])
def test_the_dataset_digest_is_sha256_whichever_implementation_computes_it(size: int) -> None:
    import hashlib

    from istc_cli import loader

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    assert loader.sha256_hex(data) == hashlib.sha256(data).hexdigest()
    # fed in parts (a seal's head, then the payload in place): the hash of the whole
    head, view = b"4:fingerprint:digest:", memoryview(data)
    expected = hashlib.sha256(head + data).hexdigest()
    assert loader.sha256_hex(head, view) == loader.sha256_hex(head, view[:7], view[7:]) == expected


def _text_terms_as_written(text: str) -> set[str]:
    """search.text_terms as first written, before its loop was tuned: the oracle."""
    terms: set[str] = set()
    for raw in search.tokens(text.lower()):
        if raw[0].isdigit():
            terms.add(search._number(raw))
            continue
        parts = raw.split("-")
        if len(parts) > 1:
            terms.add(search.stem("".join(parts)))
        terms.update(search.stem(p) for p in parts)
    return terms


@given(st.text(alphabet="aB-–,.1 2éİ\u00b2s'", max_size=40))
@settings(max_examples=400, deadline=None)
def test_text_terms_are_what_the_plain_loop_gives(text: str) -> None:
    assert search.text_terms(text) == _text_terms_as_written(text)


def test_text_terms_examples() -> None:
    text = "Non-proliferation regimes, 4,200 scientists; the US$1,2 bn fund's Nur-Sultan office"
    assert search.text_terms(text) == _text_terms_as_written(text)
    assert {"nonproliferation", "non", "proliferation", "regime", "4200", "1.2"} <= (
        search.text_terms(text)
    )


_ANNOTATION_PARTS = [
    "str",
    "None",
    "int",
    "Member",
    "x1",
    "1x",
    "a.b",
    " ",
    "|",
    "[",
    "]",
    ", ...",
    "tuple",
    ",",
    '"s"',
]


@given(st.lists(st.sampled_from(_ANNOTATION_PARTS), max_size=8).map("".join))
@settings(max_examples=400, deadline=None)
def test_plain_annotations_are_read_as_the_reader_reads_them(text: str) -> None:
    quick = spec._plain_union(text)
    if quick is not None:
        assert quick == spec._Reader(text).whole()


def test_every_model_annotation_takes_the_plain_reading_where_it_can() -> None:
    read = {f.type for cls in RECORD_CLASSES for f in records.fields(cls)}
    plain = {t: q for t in read if (q := spec._plain_union(t)) is not None}
    assert all(q == spec._Reader(t).whole() for t, q in plain.items())
    in_the_model = {
        f.type for cls in RECORD_CLASSES if cls.__module__ == model.__name__
        for f in records.fields(cls)
    }  # fmt: skip
    assert in_the_model <= set(plain)  # every field of the dataset's records
    assert spec._plain_union("tuple[str, ...]") == spec._Reader("tuple[str, ...]").whole()
    assert spec._plain_union("str | None") is not None
    assert spec._plain_union('Literal["a", "b"]') is None  # the reader's
