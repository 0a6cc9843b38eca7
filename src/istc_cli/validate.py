"""YAML text to validated plain data, with every problem located.

PyYAML's safe composer (the C one where present) reads the text into nodes that keep
their position and the tag YAML resolves for them; nothing constructs objects from
them but the walk below, which follows the model's field specs. So YAML 1.1 surprises
(`no` as false, unquoted dates as date objects, `1e3` as text, `017` as octal) are
reported instead of silently accepted, and tags the schema does not use (`!foo`,
`!!binary`, `!!python/...`) are refused. A node reached a second time was reached
through an alias: anchors and aliases are refused, so an alias bomb costs no more
than its text. Rules across fields and records (`rules`) run once the reading is
done, over the plain data and the places the walk recorded.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from . import model, rules
from .field_types import FieldSpec, TypeSpec, fields_of, to_data
from .ids import ID_PATTERN
from .ids import derive as derive_id
from .problems import MAX_PROBLEMS, YEAR_MAX, YEAR_MIN, Problem, is_valid_date, line_and_column
from .safe_text import MAX_QUOTE, has_unsafe, is_blank, quote, visible
from .suggest import did_you_mean

_DECIMAL_RE = re.compile(r"[-+]?(?:0|[1-9]\d{0,29})(?:\.\d{1,30}(?:[eE][-+]?\d{1,3})?)?")
_NUMBERISH_RE = re.compile(r"[-+]?(?:\d[\d_,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TAG = "tag:yaml.org,2002:"
INT_MAX = 2**63 - 1
INT_MIN = -(2**63)
"""Whole numbers outside SQLite's 64-bit range are refused: no export or format would
keep them exactly."""
_URL_RE = re.compile(r"https?://[!-~\u00a0-\U0010ffff]+")  # no space, control or DEL
_ALIAS_HINT = "anchors and aliases (&name, *name, <<) are not supported; write the value out"

# The tags a dataset's nodes may carry: what YAML resolves plain values to. Any other
# (a custom `!foo`, `!!binary`, `!!set`, `!!omap`, `!!python/...`) is refused.
_ALLOWED_TAGS = frozenset(
    _TAG + t for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp", "merge")
)
_STR, _NULL, _BOOL, _MERGE = _TAG + "str", _TAG + "null", _TAG + "bool", _TAG + "merge"


def _hint(text: str) -> str:
    """A value repeated in a hint: escaped and cut short (explicit tags allow any text)."""
    return visible(text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 20] + "…")


class _TooMany(Exception):
    pass


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if len(key) > MAX_QUOTE:  # a path names where a problem is; it does not copy a huge key
        key = f"{key[: MAX_QUOTE - 20]}…"
    return f"{path}.{key}" if path else key


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    what = {
        "str": "text",
        "int": "a number",
        "float": "a number",
        "bool": "a boolean",
        "null": "nothing (null)",
        "timestamp": "a date object",
    }.get(node.tag.removeprefix(_TAG), "a value")
    return f"{what} ({quote(str(node.value))})" if node.value else what


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Walker:
    """Turns composed nodes into plain data that follows the model's field specs,
    collecting every problem where it stands and every record's place."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.places: dict[int, rules.Place] = {}
        self.seen: set[int] = set()  # nodes read: one met again came through an alias

    def add(self, node: yaml.Node, path: str, message: str) -> None:
        self.add_at(_at(node), path, message)

    def add_at(self, at: tuple[int, int], path: str, message: str) -> None:
        self.problems.append(Problem(self.name, at[0], at[1], path, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany

    def first_visit(self, node: yaml.Node, path: str, near: tuple[int, int] | None = None) -> bool:
        """False, with a problem, for a node met before (an alias: reported `near` where
        it is used, the key or list that holds it, since the composer keeps no place of
        its own for an alias) or with a tag the schema does not use."""
        if id(node) in self.seen:
            self.add_at(near or _at(node), path, _ALIAS_HINT)
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

    def record(self, cls: type, node: yaml.Node, path: str) -> dict[str, Any] | None:
        specs = {f.name: f for f in fields_of(cls)}
        if not isinstance(node, yaml.MappingNode):
            what = "the top level must be a mapping of sections" if not path else (
                "expected a mapping of fields"
            )  # fmt: skip
            self.add(node, path, f"{what} ({', '.join(specs)}), got {_describe(node)}")
            return None
        out: dict[str, Any] = {}
        place = rules.Place(path, _at(node))
        for key_node, value_node in node.value:
            if not self.first_visit(key_node, path):
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                if key_node.tag == _MERGE:
                    self.add(key_node, path, _ALIAS_HINT)
                else:
                    self.add(key_node, path, f"keys must be text, got {_describe(key_node)}")
                continue
            key = key_node.value
            if key in place.keys:
                first = place.keys[key][0]
                self.add(
                    key_node,
                    _join(path, key),
                    f"duplicate key {quote(key)} (first on line {first})",
                )
                continue
            place.keys[key] = _at(value_node)  # where its value stands
            spec = specs.get(key)
            if spec is None:
                hint = did_you_mean(key, specs) or f" Expected one of: {', '.join(specs)}."
                self.add(key_node, _join(path, key), f"unknown key {quote(key)}.{hint}")
                continue
            out[key] = self.value(spec, spec.type, value_node, _join(path, key), _at(key_node))
        for spec in specs.values():
            if spec.name not in place.keys:
                if spec.required:
                    self.add(node, path, f"missing required field '{spec.name}'")
                elif spec.default == ():
                    out[spec.name] = []
                elif isinstance(spec.default, model.Record):  # a whole default record
                    out[spec.name] = to_data(spec.default)
                else:
                    out[spec.name] = spec.default
        if "id" in specs and specs["id"].type.semantic == "id" and out.get("id") is None:
            out["id"] = derive_id(cls, out)
        self.places[id(out)] = place
        return out

    def value(
        self,
        field: FieldSpec,
        spec: TypeSpec,
        node: yaml.Node,
        path: str,
        near: tuple[int, int] | None = None,
    ) -> Any:
        if not self.first_visit(node, path, near):
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            if not spec.nullable:
                self.add(node, path, f"'{field.name}' needs a value")
            return None
        if spec.kind == "list":
            if not isinstance(node, yaml.SequenceNode):
                self.add(node, path, f"expected a list, got {_describe(node)}")
                return None
            item = spec.item
            assert item is not None
            at = _at(node)
            return [
                self.value(field, item, n, _join(path, i), at) for i, n in enumerate(node.value)
            ]
        if spec.kind == "record":
            assert spec.record is not None
            return self.record(spec.record, node, path)
        if not isinstance(node, yaml.ScalarNode):
            self.add(node, path, f"expected {_expected(spec)}, got {_describe(node)}")
            return None
        if spec.kind in ("number", "integer"):
            return self.number(spec, node, path)
        if spec.kind == "boolean":
            if node.tag == _BOOL and node.value in ("true", "false"):
                return node.value == "true"
            self.add(node, path, f"expected true or false, got {_describe(node)}")
            return None
        if node.tag == _STR and is_blank(node.value):
            # no name, title or note is blank: a reader would print, cite or match nothing
            rest = ", or leave it out" if spec.nullable else ""
            self.add(node, path, f"'{field.name}' is blank; write its text{rest}")
            return None
        return self.text(spec, node, path)

    def text(self, spec: TypeSpec, node: yaml.ScalarNode, path: str) -> str | None:
        tag, text = node.tag.removeprefix(_TAG), node.value
        if tag == "bool":
            hint = _hint(text)
            self.add(node, path, f'{quote(text)} is read as a boolean by YAML; quote it: "{hint}"')
            return None
        if tag == "timestamp":
            hint = _hint(text)
            message = f'unquoted date {hint} is read as a date object; quote it: "{hint}"'
            self.add(node, path, message)
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
        if spec.semantic in ("date", "dates") and not is_valid_date(text):
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
        if spec.semantic == "url" and (
            not _URL_RE.fullmatch(text) or has_unsafe(text) or any(c.isspace() for c in text)
        ):
            self.add(
                node,
                path,
                f"{quote(text)} is not a web address; write one that starts with https:// "
                "or http://, with no spaces of any kind or control characters",
            )
            return None
        return str(text)

    def number(self, spec: TypeSpec, node: yaml.ScalarNode, path: str) -> int | float | None:
        tag, text = node.tag.removeprefix(_TAG), node.value
        if tag in ("int", "float") and _DECIMAL_RE.fullmatch(text):
            value = float(text) if ("." in text or "e" in text.lower()) else int(text)
            if isinstance(value, float) and not math.isfinite(value):
                self.add(node, path, f"{quote(text)} is not a finite number")
                return None
            if spec.kind == "integer" and not isinstance(value, int):
                self.add(node, path, f"expected a whole number, got {quote(text)}")
                return None
            if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
                self.add(
                    node,
                    path,
                    f"{quote(text)} is too large a whole number: istc keeps numbers exactly "
                    f"in every format, SQLite included, from {INT_MIN} to {INT_MAX}",
                )
                return None
            return value
        if tag in ("int", "float"):
            message = f"{quote(text)} is not a plain decimal number; write it like 1200000"
        elif tag == "str" and not node.style and _NUMBERISH_RE.fullmatch(text):
            message = (
                f"{quote(text)} is text to YAML 1.1, not a number; write it in plain decimal "
                "like 1000 or 1.5"
            )
        else:
            message = f"expected a number, got {_describe(node)}"
        self.add(node, path, message)
        return None


def _expected(spec: TypeSpec) -> str:
    if spec.kind == "choice":
        return "one of: " + ", ".join(spec.choices)
    return {"text": "text", "number": "a number", "integer": "a whole number"}.get(
        spec.kind, "a value"
    )


def check(source: str | bytes, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Plain data and the problems found in YAML text, or in UTF-8 bytes without a byte
    order mark; the data is only usable without problems.

    A problem that stops the reading (a syntax error, nesting past the parser's limit,
    a second document) is the only one reported. Every problem names a place in the
    text: libyaml puts the end of a stream that does not end with a line break on a
    line of its own, past the text's last line, and a problem there is placed at the
    end of the last line instead.
    """
    data, problems = _check(source, name)
    if problems:
        end = line_and_column(_as_text(source))
        problems = [
            p if (p.line, p.column) <= end else Problem(p.file, *end, p.path, p.message)
            for p in problems
        ]
    return data, problems


def _check(source: str | bytes, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = None
    try:
        loader = loader_cls(source)  # PyYAML's own reader checks the text already here
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        message = "YAML syntax error: " + "; ".join(parts)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(name, line, column, "", message)]
    except yaml.YAMLError as exc:  # the reader's: an offset, not a mark
        position = getattr(exc, "position", 0) or 0
        line, column = _reader_position(source, position, in_utf8=loader_cls is not yaml.SafeLoader)
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        return None, [Problem(name, line, column, "", f"YAML syntax error: {reason}")]
    except RecursionError:  # PyYAML's pure-Python composer, on nesting deeper than it can go
        mark = getattr(loader, "get_mark", lambda: None)() if loader is not None else None
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = "YAML nesting too deep to read; a dataset needs a few levels"
        return None, [Problem(name, line, column, "", message)]
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        return None, [Problem(name, 1, 1, "", "holds no YAML document (only comments?)")]
    walker = _Walker(name)
    data = None
    try:
        if walker.first_visit(root, ""):
            data = walker.record(model.Dataset, root, "")
        if data is not None:
            for path, at, message in rules.check(data, walker.places):
                walker.add_at(at, path, message)
    except _TooMany:
        pass
    problems = sorted(walker.problems, key=lambda p: (p.line, p.column))
    return (None if problems else data), problems[:MAX_PROBLEMS]


def _reader_position(source: str | bytes, offset: int, *, in_utf8: bool) -> tuple[int, int]:
    """Line and column of a reader error's offset into the text or, where `in_utf8`,
    into its UTF-8 bytes: libyaml counts bytes, PyYAML's own reader characters."""
    if in_utf8:
        data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
        return line_and_column(data[:offset].decode("utf-8", "replace"))
    return line_and_column(_as_text(source)[:offset])


def _as_text(source: str | bytes) -> str:
    return source if isinstance(source, str) else source.decode("utf-8", "replace")
