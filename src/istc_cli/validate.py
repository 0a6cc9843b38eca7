"""YAML text to validated plain data, with every problem located.

Only PyYAML's safe composer is used (the C one where present): it builds nodes that
keep their position and never constructs arbitrary objects. Our walker converts the
nodes following the model's field specs, so YAML 1.1 surprises (``no`` as false,
unquoted dates as date objects, ``1e3`` as text, ``017`` as octal) are reported
instead of silently accepted. Anchors and aliases are refused, which also makes
alias bombs cost no more than their text.
"""

from __future__ import annotations

import math
import re

from . import model
from .ids import ID_PATTERN
from .ids import derive as derive_id
from .problems import MAX_PROBLEMS, YEAR_MAX, YEAR_MIN, Problem, is_valid_date
from .spec import FieldSpec, TypeSpec, fields_of
from .suggest import did_you_mean
from .text import MAX_QUOTE, has_unsafe, quote, visible

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_DECIMAL_RE = re.compile(r"[-+]?(?:0|[1-9]\d{0,29})(?:\.\d{1,30}(?:[eE][-+]?\d{1,3})?)?")
_NUMBERISH_RE = re.compile(r"[-+]?(?:\d[\d_,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TAG = "tag:yaml.org,2002:"
_URL_RE = re.compile(r"https?://[!-~\u00a0-\U0010ffff]+")  # no space, control or DEL
_ALIAS_HINT = "anchors and aliases (&name, *name, <<) are not supported; write the value out"


def _hint(text: str) -> str:
    """A value repeated in a hint: escaped and cut short (explicit tags allow any text)."""
    return visible(text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 20] + "…")


class _TooMany(Exception):
    pass


def _join(path: str, key: str) -> str:
    if len(key) > MAX_QUOTE:  # a path names where a problem is; it does not copy a huge key
        key = f"{key[: MAX_QUOTE - 20]}…"
    return f"{path}.{key}" if path else key


# The tags a dataset's nodes may carry: what YAML resolves plain values to. Any other
# (a custom `!foo`, `!!binary`, `!!set`, `!!omap`, `!!python/...`) is refused.
_ALLOWED_TAGS = frozenset(
    _TAG + t for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp", "merge")
)


def _describe(node: Any) -> str:
    if node.kind is _SEQ:
        return "a list"
    if node.kind is _MAP:
        return "a mapping"
    kind = {
        "str": "text",
        "int": "a number",
        "float": "a number",
        "bool": "a boolean",
        "null": "nothing (null)",
        "timestamp": "a date object",
    }.get(node.tag.removeprefix(_TAG), "a value")
    return f"{kind} ({quote(str(node.value))})" if node.value else kind


class _Walker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.refs: list[tuple[str, Any, str]] = []
        self.ids: list[tuple[str, Any, str, type]] = []  # (id, node, path, record class)

    def add(self, node: Any, path: str, message: str, mark: Any = None) -> None:
        m = mark or node.start_mark
        self.problems.append(Problem(self.name, m.line + 1, m.column + 1, path, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany

    def first_visit(self, node: _Node, path: str) -> bool:
        """False for an alias (the composer reported it) and, with a problem, for a node
        with a tag the schema does not use."""
        if node.kind is _ALIAS:
            return False
        if node.tag not in _ALLOWED_TAGS:
            self.add(
                node,
                path,
                f"the YAML tag {quote(node.tag)} is not supported; remove it and write "
                "the value plainly",
            )
            return False
        return True

    # -- records and values

    def record(self, cls: type, node: Any, path: str) -> dict[str, Any] | None:
        if node.kind is not _MAP:
            names = ", ".join(f.name for f in fields_of(cls))
            what = (
                "the top level must be a mapping of sections"
                if not path
                else "expected a mapping of fields"
            )
            self.add(node, path, f"{what} ({names}), got {_describe(node)}")
            return None
        specs = {f.name: f for f in fields_of(cls)}
        out: dict[str, Any] = {}
        keys: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not self.first_visit(key_node, path):
                continue
            if key_node.kind is not _SCALAR or key_node.tag != _TAG + "str":
                if key_node.tag == _TAG + "merge":
                    self.add(key_node, path, _ALIAS_HINT)
                else:
                    self.add(key_node, path, f"keys must be text, got {_describe(key_node)}")
                continue
            key = key_node.value
            key_path = _join(path, key)
            if key in keys:
                first = keys[key].start_mark.line + 1
                self.add(key_node, key_path, f"duplicate key {quote(key)} (first on line {first})")
                continue
            keys[key] = key_node
            spec = specs.get(key)
            if spec is None:
                hint = did_you_mean(key, specs) or f" Expected one of: {', '.join(specs)}."
                self.add(key_node, key_path, f"unknown key {quote(key)}.{hint}")
                continue
            out[key] = self.value(spec, spec.type, value_node, key_path)
        for spec in specs.values():
            if spec.name not in keys:
                if spec.required:
                    self.add(node, path, f"missing required field '{spec.name}'")
                else:
                    out[spec.name] = [] if spec.default == () else spec.default
        id_spec = specs.get("id")
        if id_spec is not None and id_spec.type.semantic == "id":
            if out.get("id") is None:
                out["id"] = derive_id(cls, out)
            if isinstance(out.get("id"), str):
                where = keys.get("id")
                self.ids.append(
                    (out["id"], where or node, _join(path, "id") if where else path, cls)
                )
        return out

    def value(self, field: FieldSpec, spec: TypeSpec, node: Any, path: str) -> Any:
        if not self.first_visit(node, path):
            return None
        if node.kind is _SCALAR and node.tag == _TAG + "null":
            if not spec.nullable:
                self.add(node, path, f"'{field.name}' needs a value")
            return None
        if spec.kind == "list":
            if node.kind is not _SEQ:
                self.add(node, path, f"expected a list, got {_describe(node)}")
                return None
            assert spec.item is not None
            items = [
                self.value(field, spec.item, item, f"{path}[{i}]")
                for i, item in enumerate(node.value)
            ]
            if spec.item.kind == "record":
                self.check_unique(spec.item, node.value, items, path)
            return items
        if spec.kind == "record":
            assert spec.record is not None
            return self.record(spec.record, node, path)
        if node.kind is not _SCALAR:
            self.add(node, path, f"expected {_expected(spec)}, got {_describe(node)}")
            return None
        if spec.kind in ("number", "integer"):
            return self.number(spec, node, path)
        if spec.kind == "boolean":
            if node.tag == _TAG + "bool" and node.value in ("true", "false"):
                return node.value == "true"
            self.add(node, path, f"expected true or false, got {_describe(node)}")
            return None
        return self.text(spec, node, path)

    def text(self, spec: TypeSpec, node: Any, path: str) -> str | None:
        tag, text = node.tag.removeprefix(_TAG), node.value
        if tag == "bool":
            hint = _hint(text)
            self.add(node, path, f'{quote(text)} is read as a boolean by YAML; quote it: "{hint}"')
            return None
        if tag == "timestamp":
            hint = _hint(text)
            self.add(
                node,
                path,
                f'unquoted date {_hint(text)} is read as a date object; quote it: "{hint}"',
            )
            return None
        if tag != "str":
            self.add(node, path, f"expected {_expected(spec)}, got {_describe(node)}; quote it")
            return None
        if spec.kind == "choice" and text not in spec.choices:
            hint = did_you_mean(text, spec.choices)
            self.add(
                node,
                path,
                f"unknown value {quote(text)}; expected one of: {', '.join(spec.choices)}.{hint}",
            )
            return None
        if spec.semantic == "date" and not is_valid_date(text):
            self.add(
                node,
                path,
                f"{quote(text)} is not a valid date; write YYYY, YYYY-MM or YYYY-MM-DD "
                f"in ASCII digits, with a real month and day and a year from {YEAR_MIN} "
                f"to {YEAR_MAX}",
            )
            return None
        if spec.semantic == "id" and not ID_PATTERN.fullmatch(text):
            self.add(
                node,
                path,
                f"{quote(text)} is not a valid id; use lower-case letters and digits, then "
                "also . _ : / - (at most 200 characters), e.g. member:kazakhstan",
            )
            return None
        if spec.semantic == "url" and (not _URL_RE.fullmatch(text) or has_unsafe(text)):
            self.add(
                node,
                path,
                f"{quote(text)} is not a web address; write one that starts with https:// "
                "or http://, with no spaces or control characters",
            )
            return None
        if spec.semantic == "ref":
            self.refs.append((text, node, path))
        return str(text)

    def number(self, spec: TypeSpec, node: Any, path: str) -> int | float | None:
        tag, text = node.tag.removeprefix(_TAG), node.value
        if tag in ("int", "float") and _DECIMAL_RE.fullmatch(text):
            value = float(text) if ("." in text or "e" in text.lower()) else int(text)
            if isinstance(value, float) and not math.isfinite(value):
                self.add(node, path, f"{quote(text)} is not a finite number")
                return None
            if spec.kind == "integer" and not isinstance(value, int):
                self.add(node, path, f"expected a whole number, got {quote(text)}")
                return None
            return value
        if tag in ("int", "float"):
            self.add(
                node, path, f"{quote(text)} is not a plain decimal number; write it like 1200000"
            )
        elif tag == "str" and not node.style and _NUMBERISH_RE.fullmatch(text):
            self.add(
                node,
                path,
                f"{quote(text)} is text to YAML 1.1, not a number; write it in plain decimal "
                "like 1000 or 1.5",
            )
        else:
            self.add(node, path, f"expected a number, got {_describe(node)}")
        return None

    def check_unique(self, spec: TypeSpec, nodes: list[Any], items: list[Any], path: str) -> None:
        record = spec.record
        assert record is not None
        key_fields: tuple[str, ...] = getattr(record, "key", ())
        if not key_fields:
            return
        first: dict[tuple[Any, ...], int] = {}
        for i, (node, item) in enumerate(zip(nodes, items, strict=True)):
            if not isinstance(item, dict) or any(item.get(k) is None for k in key_fields):
                continue
            key = tuple(item[k] for k in key_fields)
            if key in first:
                pairs = zip(key_fields, key, strict=True)
                what = ", ".join(f"{k} {quote(str(v))}" for k, v in pairs)
                self.add(
                    node, f"{path}[{i}]", f"duplicate record: same {what} as {path}[{first[key]}]"
                )
            else:
                first[key] = i


def _expected(spec: TypeSpec) -> str:
    if spec.kind == "choice":
        return "one of: " + ", ".join(spec.choices)
    return {"text": "text", "number": "a number", "integer": "a whole number"}.get(
        spec.kind, "a value"
    )


MAX_DEPTH = 100
"""Deeper nesting is refused: the dataset needs six levels (and the walker recurses
once per level)."""

_SCALAR, _SEQ, _MAP, _ALIAS = "scalar", "seq", "map", "alias"


class _Node:
    """A YAML node as the walker needs it: kind, resolved tag, value (text, a list of
    nodes, or a list of key and value pairs), where it starts, and a scalar's style."""

    __slots__ = ("kind", "start_mark", "style", "tag", "value")

    def __init__(self, kind: str, tag: str, value: Any, start_mark: Any, style: Any) -> None:
        self.kind = kind
        self.tag = tag
        self.value = value
        self.start_mark = start_mark
        self.style = style


class _Composed:
    def __init__(self) -> None:
        self.root: _Node | None = None
        self.problems: list[Problem] = []  # the document cannot be walked
        self.aliases: list[Problem] = []  # one per alias, at the alias


def _resolver(loader_cls: Any) -> Any:
    """The tag PyYAML's resolver gives a plain scalar (its implicit resolvers, in its
    order), with the resolvers for each first character gathered once."""
    table = loader_cls.yaml_implicit_resolvers
    wildcard = list(table.get(None, []))
    by_first: dict[str, list[Any]] = {}
    default = _TAG + "str"

    def resolve(value: str) -> str:
        first = value[:1]
        candidates = by_first.get(first)
        if candidates is None:
            candidates = by_first[first] = list(table.get(first, [])) + wildcard
        for tag, regexp in candidates:
            if regexp.match(value):
                return str(tag)
        return default

    return resolve


def _compose(text: str, name: str) -> _Composed:
    """The document's nodes, composed from the parser's events in one pass.

    PyYAML's own composer builds a Python node through its Python resolver for every
    value, recurses without a depth limit, and expands aliases; this one keeps only
    what the walker reads, refuses nesting deeper than MAX_DEPTH where it starts,
    and reports each alias where it stands instead of expanding it. Tags are resolved
    exactly as PyYAML's SafeLoader resolves them.
    """
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    composed = _Composed()
    try:
        loader = loader_cls(text)
        try:
            _compose_events(loader, loader_cls, name, composed)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        message = "YAML syntax error: " + "; ".join(parts)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        composed.problems = [Problem(name, line, column, "", message)]
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        composed.problems = [Problem(name, line, column, "", f"YAML syntax error: {reason}")]
    return composed


def _compose_events(loader: Any, loader_cls: Any, name: str, composed: _Composed) -> None:
    import yaml

    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    resolve = _resolver(loader_cls)
    str_tag, map_tag, seq_tag = _TAG + "str", _TAG + "map", _TAG + "seq"
    get_event = loader.get_event
    stack: list[list[Any]] = []  # open collections: [node, key waiting for its value]
    documents = 0
    while True:
        event = get_event()
        if event is None:  # past the end (never after StreamEndEvent, but never loop)
            return
        kind = type(event)
        if kind is scalar_event:
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(event.value) if event.implicit[0] else str_tag
            node = _Node(_SCALAR, tag, event.value, event.start_mark, event.style)
        elif kind is mapping_start or kind is sequence_start:
            if len(stack) >= MAX_DEPTH:
                m = event.start_mark
                message = f"nesting deeper than {MAX_DEPTH} levels; a dataset needs a few"
                composed.problems = [Problem(name, m.line + 1, m.column + 1, "", message)]
                return
            tag = event.tag
            if tag is None or tag == "!":
                tag = map_tag if kind is mapping_start else seq_tag
            node = _Node(_MAP if kind is mapping_start else _SEQ, tag, [], event.start_mark, None)
            stack.append([node, None])
            continue
        elif kind is mapping_end or kind is sequence_end:
            node = stack.pop()[0]
        elif kind is alias_event:
            if len(composed.aliases) < 20:
                m = event.start_mark
                anchor = visible(str(event.anchor)[:MAX_QUOTE])
                message = f"alias *{anchor}: {_ALIAS_HINT}"
                composed.aliases.append(Problem(name, m.line + 1, m.column + 1, "", message))
            node = _Node(_ALIAS, "", None, event.start_mark, None)
        elif kind is document_start:
            documents += 1
            if documents > 1:
                m = event.start_mark
                message = (
                    "YAML syntax error: expected a single document in the stream; "
                    "but found another document"
                )
                composed.problems = [Problem(name, m.line + 1, m.column + 1, "", message)]
                return
            continue
        elif kind is stream_end:
            return
        else:
            continue  # the stream's start, a document's end
        if not stack:
            composed.root = node
            continue
        top = stack[-1]
        parent = top[0]
        if parent.kind is _SEQ:
            parent.value.append(node)
        elif top[1] is None:
            top[1] = node
        else:
            parent.value.append((top[1], node))
            top[1] = None


def check(text: str, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Plain data and the problems found; the data is only usable without problems."""
    composed = _compose(text, name)
    if composed.problems:
        return None, composed.problems
    root = composed.root
    if root is None:
        return None, [Problem(name, 1, 1, "", "holds no YAML document (only comments?)")]
    walker = _Walker(name)
    data: dict[str, Any] | None = None
    try:
        data = walker.record(model.Dataset, root, "") if walker.first_visit(root, "") else None
        if data is not None:
            _check_references(walker, data)
            _check_ids(walker)
            _check_members(walker, data, root)
    except _TooMany:
        pass
    problems = walker.problems
    if composed.aliases:  # `<<` and aliases: each alias is named where it stands
        problems = [p for p in problems if p.message != _ALIAS_HINT] + composed.aliases
    problems.sort(key=lambda p: (p.line, p.column))
    return (None if problems else data), problems[:MAX_PROBLEMS]


def _check_references(walker: _Walker, data: dict[str, Any]) -> None:
    sources = data.get("sources") or []
    known = [s["id"] for s in sources if isinstance(s, dict) and isinstance(s.get("id"), str)]
    known_set = set(known)
    for ref, node, path in walker.refs:
        if ref not in known_set:
            walker.add(node, path, f"unknown source id {quote(ref)}.{did_you_mean(ref, known)}")


def _check_ids(walker: _Walker) -> None:
    """Ids are unique across the whole dataset (a duplicate record within one section
    is already reported as such)."""
    first: dict[str, tuple[str, type]] = {}
    for record_id, node, path, cls in walker.ids:
        seen = first.get(record_id)
        if seen is None:
            first[record_id] = (path, cls)
        elif not (seen[1] is cls and getattr(cls, "key", ()) == ("id",)):
            walker.add(node, path, f"duplicate id {quote(record_id)}; {seen[0]} has it too")


def _check_members(walker: _Walker, data: dict[str, Any], root: Any) -> None:
    members = data.get("members") or []
    for i, member in enumerate(members):
        if isinstance(member, dict) and member.get("status") == "current" and member.get("left"):
            node = _find(root, ("members", i, "left"))
            walker.add(node, f"members[{i}].left", "a current member cannot have a 'left' date")


def _find(node: Any, path: tuple[str | int, ...]) -> Any:
    """The node at a path (for locating problems found after the walk)."""
    for step in path:
        if isinstance(step, int):
            node = node.value[step]
        else:
            node = next(v for k, v in node.value if getattr(k, "value", None) == step)
    return node
