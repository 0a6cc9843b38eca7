"""YAML text to validated plain data, with every problem located.

Only PyYAML's safe parser is used (the C one where present): it hands over events
that keep their position, and nothing constructs objects from them but our walker.
The walker converts each node as its events arrive, following the model's field
specs, so no tree of nodes is ever built, and YAML 1.1 surprises (``no`` as false,
unquoted dates as date objects, ``1e3`` as text, ``017`` as octal) are reported
instead of silently accepted. Anchors and aliases are refused, which also makes
alias bombs cost no more than their text.
"""

from __future__ import annotations

import math
import re

import yaml
from yaml import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from . import model
from .ids import ID_PATTERN
from .ids import derive as derive_id
from .problems import MAX_PROBLEMS, YEAR_MAX, YEAR_MIN, Problem, is_valid_date, line_and_column
from .spec import FieldSpec, TypeSpec, fields_of
from .suggest import did_you_mean
from .text import MAX_QUOTE, has_unsafe, quote, visible

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_DECIMAL_RE = re.compile(r"[-+]?(?:0|[1-9]\d{0,29})(?:\.\d{1,30}(?:[eE][-+]?\d{1,3})?)?")
_NUMBERISH_RE = re.compile(r"[-+]?(?:\d[\d_,]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TAG = "tag:yaml.org,2002:"
INT_MAX = 2**63 - 1
INT_MIN = -(2**63)
"""Whole numbers outside SQLite's 64-bit range are refused: no export or format would
keep them exactly."""
_URL_RE = re.compile(r"https?://[!-~\u00a0-\U0010ffff]+")  # no space, control or DEL
_ALIAS_HINT = "anchors and aliases (&name, *name, <<) are not supported; write the value out"


def _hint(text: str) -> str:
    """A value repeated in a hint: escaped and cut short (explicit tags allow any text)."""
    return visible(text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 20] + "…")


class _TooMany(Exception):
    pass


# ---------------------------------------------------------------- where a value is
#
# A path is built only when it is shown: while walking, a value's path is the pair
# (its parent's path, its key or index), with None for the document itself, so
# the million values of a large dataset cost a tuple each and not a string each.


def _path_text(path: Any) -> str:
    """`sources[3].url` for (((None, 'sources'), 3), 'url')."""
    steps: list[str | int] = []
    while path is not None:
        path, step = path
        steps.append(step)
    text = ""
    for step in reversed(steps):
        text = f"{text}[{step}]" if isinstance(step, int) else _join(text, step)
    return text


def _join(path: str, key: str) -> str:
    if len(key) > MAX_QUOTE:  # a path names where a problem is; it does not copy a huge key
        key = f"{key[: MAX_QUOTE - 20]}…"
    return f"{path}.{key}" if path else key


# The tags a dataset's nodes may carry: what YAML resolves plain values to. Any other
# (a custom `!foo`, `!!binary`, `!!set`, `!!omap`, `!!python/...`) is refused.
_ALLOWED_TAGS = frozenset(
    _TAG + t for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp", "merge")
)
_STR, _NULL, _BOOL, _MERGE = _TAG + "str", _TAG + "null", _TAG + "bool", _TAG + "merge"
_MAP_TAG, _SEQ_TAG = _TAG + "map", _TAG + "seq"

MAX_DEPTH = 100
"""Deeper nesting is refused: the dataset needs six levels."""

# A node as the walker sees it: (kind, resolved tag, its first event). A scalar's
# event holds its value, style and position; a collection's, its position, and its
# items follow as the walker asks for them. _END stands for a collection's end.
_SCALAR, _SEQ, _MAP, _ALIAS, _END = "scalar", "seq", "map", "alias", "end"


def _describe(head: tuple[str, str, Any]) -> str:
    kind, tag, event = head
    if kind is _SEQ:
        return "a list"
    if kind is _MAP:
        return "a mapping"
    what = {
        "str": "text",
        "int": "a number",
        "float": "a number",
        "bool": "a boolean",
        "null": "nothing (null)",
        "timestamp": "a date object",
    }.get(tag.removeprefix(_TAG), "a value")
    return f"{what} ({quote(str(event.value))})" if event.value else what


class _Unwalkable(Exception):
    """The document cannot be walked: it has none, a second one, or nesting deeper than
    MAX_DEPTH."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _fields(cls: type) -> tuple[dict[str, tuple[FieldSpec, bool]], str]:
    """A record class's fields by name, each with whether it is plain text (any text
    with no rule: the walker's fast path), and their names for messages; once per class."""
    known = _FIELD_TABLES.get(cls)
    if known is None:
        table = {f.name: (f, _plain_text(f.type)) for f in fields_of(cls)}
        known = _FIELD_TABLES[cls] = (table, ", ".join(table))
    return known


def _plain_text(spec: TypeSpec) -> bool:
    """Any text with no rule to check: a str scalar is taken as it is (the fast path)."""
    return spec.kind == "text" and spec.semantic is None


_FIELD_TABLES: dict[type, tuple[dict[str, tuple[FieldSpec, bool]], str]] = {}


class _Walker:
    """Reads the parser's events once, in order, and turns them into plain data that
    follows the model's field specs, collecting every problem where it stands.

    There is no tree of nodes in between: each node is converted (or reported and
    skipped) as its events arrive, so memory holds the data and not a copy of the
    document. Tags are resolved exactly as PyYAML's SafeLoader resolves them.
    """

    __slots__ = (
        "_get",
        "_peek",
        "_resolve",
        "aliases",
        "dates",
        "depth",
        "documents",
        "ids",
        "name",
        "problems",
        "refs",
    )

    def __init__(self, name: str, loader: Any, loader_cls: Any) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.aliases: list[Problem] = []  # one per alias (the first 20), at the alias
        self.refs: list[tuple[str, Any, Any]] = []  # (source id, mark, path)
        self.ids: list[tuple[str, Any, Any, type]] = []  # (id, mark, path, record class)
        self.dates: set[str] = set()  # valid dates seen
        self.depth = 0
        self._get = loader.get_event
        self._peek = loader.peek_event
        self._resolve = _resolver(loader_cls)
        self.documents = 0

    def add(self, mark: Any, path: Any, message: str) -> None:
        where = _path_text(path)
        self.problems.append(Problem(self.name, mark.line + 1, mark.column + 1, where, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany

    # -- reading events

    def node(self) -> tuple[str, str, Any]:
        """The next node (kind, tag, first event), or (_END, "", event) where the
        collection being read ends."""
        event = self._get()
        kind = type(event)
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = self._resolve(event.value) if event.implicit[0] else _STR
            return _SCALAR, tag, event
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            if self.depth >= MAX_DEPTH:
                message = f"nesting deeper than {MAX_DEPTH} levels; a dataset needs a few"
                raise _Unwalkable(self._problem(event.start_mark, message))
            self.depth += 1
            mapping = kind is MappingStartEvent
            tag = event.tag
            if tag is None or tag == "!":
                tag = _MAP_TAG if mapping else _SEQ_TAG
            return (_MAP if mapping else _SEQ), tag, event
        if kind is AliasEvent:
            if len(self.aliases) < 20:
                anchor = visible(str(event.anchor)[:MAX_QUOTE])
                message = f"alias *{anchor}: {_ALIAS_HINT}"
                self.aliases.append(self._problem(event.start_mark, message))
            return _ALIAS, "", event
        self.depth -= 1  # a collection's end (the parser allows nothing else here)
        return _END, "", event

    def skip(self, head: tuple[str, str, Any]) -> None:
        """Reads past a node the walker does not convert (its aliases and depth are
        still checked)."""
        if head[0] is not _MAP and head[0] is not _SEQ:
            return
        depth = self.depth - 1
        while self.depth > depth:
            self.node()

    def root(self) -> tuple[str, str, Any] | None:
        """The document's top node, or None for a stream without one."""
        while True:
            event = self._peek()
            if event is None or type(event) is StreamEndEvent:
                return None
            if not self._frame(event):
                return self.node()

    def finish(self) -> None:
        """Reads the rest of the stream: what is left of a walk cut short, the
        document's end and the stream's end, refusing a second document."""
        while True:
            event = self._peek()
            if event is None or type(event) is StreamEndEvent:
                return
            if not self._frame(event):
                self.node()

    def _frame(self, event: Any) -> bool:
        """Reads `event` if it frames the document (the stream's start, a document's
        start or end): False for a node's event. A second document is refused."""
        kind = type(event)
        if kind is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                message = (
                    "YAML syntax error: expected a single document in the stream; "
                    "but found another document"
                )
                raise _Unwalkable(self._problem(event.start_mark, message))
        elif kind is not DocumentEndEvent and kind is not StreamStartEvent:
            return False
        self._get()
        return True

    def _problem(self, mark: Any, message: str) -> Problem:
        return Problem(self.name, mark.line + 1, mark.column + 1, "", message)

    # -- converting nodes

    def first_visit(self, head: tuple[str, str, Any], path: Any) -> bool:
        """False, with the node read past, for an alias (reported where it stands) and,
        with a problem, for a node with a tag the schema does not use."""
        kind, tag, event = head
        if kind is _ALIAS:
            return False
        if tag not in _ALLOWED_TAGS:
            self.add(
                event.start_mark,
                path,
                f"the YAML tag {quote(tag)} is not supported; remove it and write "
                "the value plainly",
            )
            self.skip(head)
            return False
        return True

    def record(self, cls: type, head: tuple[str, str, Any], path: Any) -> dict[str, Any] | None:
        kind, _, start = head
        specs, names = _fields(cls)
        if kind is not _MAP:
            what = (
                "the top level must be a mapping of sections"
                if path is None
                else "expected a mapping of fields"
            )
            self.add(start.start_mark, path, f"{what} ({names}), got {_describe(head)}")
            self.skip(head)
            return None
        node, value = self.node, self.value
        member = cls is model.Member  # a current member cannot have left: checked here
        left: Any = None
        out: dict[str, Any] = {}
        keys: dict[str, Any] = {}  # key -> its event
        while True:
            key_head = node()
            key_kind, key_tag, key_event = key_head
            if key_kind is _SCALAR and key_tag == _STR:
                key = key_event.value
            elif key_kind is _END:
                break
            else:
                if self.first_visit(key_head, path):
                    if key_tag == _MERGE:
                        self.add(key_event.start_mark, path, _ALIAS_HINT)
                    else:
                        message = f"keys must be text, got {_describe(key_head)}"
                        self.add(key_event.start_mark, path, message)
                    self.skip(key_head)
                self.skip(node())  # its value
                continue
            if key in keys:
                first = keys[key].start_mark.line + 1
                message = f"duplicate key {quote(key)} (first on line {first})"
                self.add(key_event.start_mark, (path, key), message)
                self.skip(node())
                continue
            keys[key] = key_event
            known = specs.get(key)
            if known is None:
                hint = did_you_mean(key, specs) or f" Expected one of: {names}."
                self.add(key_event.start_mark, (path, key), f"unknown key {quote(key)}.{hint}")
                self.skip(node())
                continue
            spec, plain = known
            value_head = node()
            if member and key == "left":
                left = value_head[2]
            if plain and value_head[0] is _SCALAR and value_head[1] == _STR:
                out[key] = value_head[2].value  # any text, no rule: the common case
            else:
                out[key] = value(spec, spec.type, value_head, (path, key))
        if len(out) < len(specs):  # (out holds a value for each known key read)
            for spec, _ in specs.values():
                if spec.name not in keys:
                    if spec.required:
                        self.add(start.start_mark, path, f"missing required field '{spec.name}'")
                    else:
                        out[spec.name] = [] if spec.default == () else spec.default
        if "id" in specs and specs["id"][0].type.semantic == "id":
            if out.get("id") is None:
                out["id"] = derive_id(cls, out)
            if isinstance(out.get("id"), str):
                where = keys.get("id")
                mark = (where or start).start_mark
                self.ids.append((out["id"], mark, (path, "id") if where else path, cls))
        if cls is model.Member and out.get("status") == "current" and out.get("left"):
            message = "a current member cannot have a 'left' date"
            self.add(left.start_mark, (path, "left"), message)
        return out

    def value(self, field: FieldSpec, spec: TypeSpec, head: tuple[str, str, Any], path: Any) -> Any:
        if not self.first_visit(head, path):
            return None
        kind, tag, event = head
        if kind is _SCALAR and tag == _NULL:
            if not spec.nullable:
                self.add(event.start_mark, path, f"'{field.name}' needs a value")
            return None
        if spec.kind == "list":
            if kind is not _SEQ:
                self.add(event.start_mark, path, f"expected a list, got {_describe(head)}")
                self.skip(head)
                return None
            item = spec.item
            assert item is not None
            records = item.kind == "record"
            plain = _plain_text(item)
            items: list[Any] = []
            marks: list[Any] = []
            node, value = self.node, self.value
            while True:
                item_head = node()
                if item_head[0] is _END:
                    break
                if records:
                    marks.append(item_head[2].start_mark)
                if plain and item_head[0] is _SCALAR and item_head[1] == _STR:
                    items.append(item_head[2].value)
                else:
                    items.append(value(field, item, item_head, (path, len(items))))
            if records:
                self.check_unique(item, marks, items, path)
            return items
        if spec.kind == "record":
            assert spec.record is not None
            return self.record(spec.record, head, path)
        if kind is not _SCALAR:
            self.add(event.start_mark, path, f"expected {_expected(spec)}, got {_describe(head)}")
            self.skip(head)
            return None
        if spec.kind in ("number", "integer"):
            return self.number(spec, head, path)
        if spec.kind == "boolean":
            if tag == _BOOL and event.value in ("true", "false"):
                return event.value == "true"
            self.add(event.start_mark, path, f"expected true or false, got {_describe(head)}")
            return None
        return self.text(spec, head, path)

    def text(self, spec: TypeSpec, head: tuple[str, str, Any], path: Any) -> str | None:
        _, tag, event = head
        tag, text, mark = tag.removeprefix(_TAG), event.value, event.start_mark
        if tag == "bool":
            hint = _hint(text)
            self.add(mark, path, f'{quote(text)} is read as a boolean by YAML; quote it: "{hint}"')
            return None
        if tag == "timestamp":
            hint = _hint(text)
            self.add(
                mark,
                path,
                f'unquoted date {_hint(text)} is read as a date object; quote it: "{hint}"',
            )
            return None
        if tag != "str":
            self.add(mark, path, f"expected {_expected(spec)}, got {_describe(head)}; quote it")
            return None
        if spec.kind == "choice" and text not in spec.choices:
            hint = did_you_mean(text, spec.choices)
            self.add(
                mark,
                path,
                f"unknown value {quote(text)}; expected one of: {', '.join(spec.choices)}.{hint}",
            )
            return None
        if spec.semantic == "date" and text not in self.dates and not is_valid_date(text):
            self.add(
                mark,
                path,
                f"{quote(text)} is not a valid date; write YYYY, YYYY-MM or YYYY-MM-DD "
                f"in ASCII digits, with a real month and day and a year from {YEAR_MIN} "
                f"to {YEAR_MAX}",
            )
            return None
        if spec.semantic == "date" and len(self.dates) < _MEMO:
            self.dates.add(text)  # a few thousand real dates at most, checked once each
        if spec.semantic == "id" and not ID_PATTERN.fullmatch(text):
            self.add(
                mark,
                path,
                f"{quote(text)} is not a valid id; use lower-case letters and digits, then "
                "also . _ : / - (at most 200 characters), e.g. member:kazakhstan",
            )
            return None
        if spec.semantic == "url" and (
            not _URL_RE.fullmatch(text) or has_unsafe(text) or any(c.isspace() for c in text)
        ):
            self.add(
                mark,
                path,
                f"{quote(text)} is not a web address; write one that starts with https:// "
                "or http://, with no spaces of any kind or control characters",
            )
            return None
        if spec.semantic == "ref":
            self.refs.append((text, mark, path))
        return str(text)

    def number(self, spec: TypeSpec, head: tuple[str, str, Any], path: Any) -> int | float | None:
        _, tag, event = head
        tag, text, mark = tag.removeprefix(_TAG), event.value, event.start_mark
        if tag in ("int", "float") and _DECIMAL_RE.fullmatch(text):
            value = float(text) if ("." in text or "e" in text.lower()) else int(text)
            if isinstance(value, float) and not math.isfinite(value):
                self.add(mark, path, f"{quote(text)} is not a finite number")
                return None
            if spec.kind == "integer" and not isinstance(value, int):
                self.add(mark, path, f"expected a whole number, got {quote(text)}")
                return None
            if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
                self.add(
                    mark,
                    path,
                    f"{quote(text)} is too large a whole number: istc keeps numbers exactly "
                    f"in every format, SQLite included, from {INT_MIN} to {INT_MAX}",
                )
                return None
            return value
        if tag in ("int", "float"):
            self.add(
                mark, path, f"{quote(text)} is not a plain decimal number; write it like 1200000"
            )
        elif tag == "str" and not event.style and _NUMBERISH_RE.fullmatch(text):
            self.add(
                mark,
                path,
                f"{quote(text)} is text to YAML 1.1, not a number; write it in plain decimal "
                "like 1000 or 1.5",
            )
        else:
            self.add(mark, path, f"expected a number, got {_describe(head)}")
        return None

    def check_unique(self, spec: TypeSpec, marks: list[Any], items: list[Any], path: Any) -> None:
        record = spec.record
        assert record is not None
        key_fields: tuple[str, ...] = getattr(record, "key", ())
        if not key_fields:
            return
        first: dict[tuple[Any, ...], int] = {}
        for i, (mark, item) in enumerate(zip(marks, items, strict=True)):
            if not isinstance(item, dict) or any(item.get(k) is None for k in key_fields):
                continue
            key = tuple(item[k] for k in key_fields)
            if key in first:
                pairs = zip(key_fields, key, strict=True)
                what = ", ".join(f"{k} {quote(str(v))}" for k, v in pairs)
                where = _path_text(path)
                self.add(mark, (path, i), f"duplicate record: same {what} as {where}[{first[key]}]")
            else:
                first[key] = i


def _expected(spec: TypeSpec) -> str:
    if spec.kind == "choice":
        return "one of: " + ", ".join(spec.choices)
    return {"text": "text", "number": "a number", "integer": "a whole number"}.get(
        spec.kind, "a value"
    )


def _resolver(loader_cls: Any) -> Any:
    """The tag PyYAML's resolver gives a plain scalar (its implicit resolvers, in its
    order), with the resolvers for each first character gathered once. A dataset
    repeats its keys and many values, so the first _MEMO answers are kept."""
    table = loader_cls.yaml_implicit_resolvers
    wildcard = list(table.get(None, []))
    by_first: dict[str, list[Any]] = {}
    memo: dict[str, str] = {}

    def resolve(value: str) -> str:
        known = memo.get(value)
        if known is not None:
            return known
        first = value[:1]
        candidates = by_first.get(first)
        if candidates is None:
            candidates = by_first[first] = list(table.get(first, [])) + wildcard
        tag = _STR
        for resolver_tag, regexp in candidates:
            if regexp.match(value):
                tag = str(resolver_tag)
                break
        if len(memo) < _MEMO:
            memo[value] = tag
        return tag

    return resolve


_MEMO = 50_000


def check(source: str | bytes, name: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Plain data and the problems found in YAML text, or in UTF-8 bytes without a byte
    order mark; the data is only usable without problems.

    The document is read once, by the walker, from PyYAML's safe parser (the C one
    where present). A problem that stops the reading (a syntax error, nesting beyond
    MAX_DEPTH, a second document) is the only one reported, wherever in the file it
    is: the walk goes on to the end of the stream even after MAX_PROBLEMS to find it.

    Every problem names a place in the text: libyaml puts the end of a stream that
    does not end with a line break on a line of its own, past the text's last line,
    and a problem there is placed at the end of the last line instead.
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
    try:
        loader = loader_cls(source)
        try:
            walker = _Walker(name, loader, loader_cls)
            data = _walk(walker)
        finally:
            loader.dispose()
    except _Unwalkable as exc:
        return None, [exc.problem]
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
    problems = walker.problems
    if walker.aliases:  # `<<` and aliases: each alias is named where it stands
        problems = [p for p in problems if p.message != _ALIAS_HINT] + walker.aliases
    problems.sort(key=lambda p: (p.line, p.column))
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


def _walk(walker: _Walker) -> dict[str, Any] | None:
    """The document's data, read to the end of the stream (None when its top is not a
    mapping)."""
    root = walker.root()
    if root is None:
        message = "holds no YAML document (only comments?)"
        raise _Unwalkable(Problem(walker.name, 1, 1, "", message))
    data: dict[str, Any] | None = None
    complete = False
    try:
        if walker.first_visit(root, None):
            data = walker.record(model.Dataset, root, None)
        complete = True
    except _TooMany:
        pass
    walker.finish()
    if complete and data is not None:
        try:
            _check_references(walker, data)
            _check_ids(walker)
        except _TooMany:
            pass
    return data


def _check_references(walker: _Walker, data: dict[str, Any]) -> None:
    sources = data.get("sources") or []
    known = [s["id"] for s in sources if isinstance(s, dict) and isinstance(s.get("id"), str)]
    known_set = set(known)
    for ref, mark, path in walker.refs:
        if ref not in known_set:
            walker.add(mark, path, f"unknown source id {quote(ref)}.{did_you_mean(ref, known)}")


def _check_ids(walker: _Walker) -> None:
    """Ids are unique across the whole dataset (a duplicate record within one section
    is already reported as such)."""
    first: dict[str, tuple[Any, type]] = {}
    for record_id, mark, path, cls in walker.ids:
        seen = first.get(record_id)
        if seen is None:
            first[record_id] = (path, cls)
        elif not (seen[1] is cls and getattr(cls, "key", ()) == ("id",)):
            where = _path_text(seen[0])
            walker.add(mark, path, f"duplicate id {quote(record_id)}; {where} has it too")
