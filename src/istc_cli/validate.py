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
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
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
        self.seen: set[int] = set()
        self.refs: list[tuple[str, Any, str]] = []
        self.ids: list[tuple[str, Any, str, type]] = []  # (id, node, path, record class)
        self.aliased = False

    def add(self, node: Any, path: str, message: str, mark: Any = None) -> None:
        m = mark or node.start_mark
        self.problems.append(Problem(self.name, m.line + 1, m.column + 1, path, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany

    def first_visit(self, node: Any, path: str) -> bool:
        """False (with a problem) for a node seen before (an alias) or with a tag the
        schema does not use."""
        if id(node) in self.seen:
            self.aliased = True
            self.add(node, path, _ALIAS_HINT)
            return False
        self.seen.add(id(node))
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
        import yaml

        if not isinstance(node, yaml.MappingNode):
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
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _TAG + "str":
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
        import yaml

        if not self.first_visit(node, path):
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null":
            if not spec.nullable:
                self.add(node, path, f"'{field.name}' needs a value")
            return None
        if spec.kind == "list":
            if not isinstance(node, yaml.SequenceNode):
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
        if not isinstance(node, yaml.ScalarNode):
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
"""Deeper nesting is refused: the dataset needs six levels, and PyYAML's C composer
recurses without a limit (it crashes the process somewhere past 20,000 levels)."""

_SAFE_BOUND = 10_000


def _too_deep(text: str, name: str, loader_cls: Any) -> list[Problem]:
    """A problem if the YAML nests deeper than MAX_DEPTH, found without recursion.

    Cheap first: every level of nesting needs a "[" or "{", or one more column on
    its line, so brackets plus the longest line bound the depth. Only when that
    bound is high (large files) are the parser's events counted, which is exact.
    """
    import yaml

    bound = text.count("[") + text.count("{") + max(map(len, text.splitlines()), default=0)
    if bound <= _SAFE_BOUND:
        return []
    depth = 0
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                m = event.start_mark
                line, column = (m.line + 1, m.column + 1) if m else (1, 1)
                message = f"nesting deeper than {MAX_DEPTH} levels; a dataset needs a few"
                return [Problem(name, line, column, "", message)]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return []


def _compose(text: str, name: str) -> tuple[Any, list[Problem]]:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        deep = _too_deep(text, name, loader_cls)
        if deep:
            return None, deep
        loader = loader_cls(text)
        try:
            return loader.get_single_node(), []
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        message = "YAML syntax error: " + "; ".join(parts)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(name, line, column, "", message)]
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        return None, [Problem(name, line, column, "", f"YAML syntax error: {reason}")]
    except RecursionError:
        return None, [Problem(name, 1, 1, "", "nesting is too deep to be a dataset")]


def check(text: str, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Plain data and the problems found; the data is only usable without problems."""
    root, problems = _compose(text, name)
    if problems:
        return None, problems
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
    except RecursionError:
        walker.add(root, "", "nesting is too deep to be a dataset")
    problems = walker.problems
    if walker.aliased:
        problems = [p for p in problems if p.message != _ALIAS_HINT] + _alias_problems(text, name)
    problems.sort(key=lambda p: (p.line, p.column))
    return (None if problems else data), problems[:MAX_PROBLEMS]


def _alias_problems(text: str, name: str) -> list[Problem]:
    """One problem per alias, at the alias itself (the walker only sees the anchor)."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found = []
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, yaml.AliasEvent):
            m = event.start_mark
            line, column = (m.line + 1, m.column + 1) if m else (1, 1)
            anchor = visible(str(event.anchor)[:MAX_QUOTE])
            found.append(Problem(name, line, column, "", f"alias *{anchor}: {_ALIAS_HINT}"))
            if len(found) >= 20:
                break
    return found


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
