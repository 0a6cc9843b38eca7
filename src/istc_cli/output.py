"""The one output path: every command's `Result` goes through `emit`.

Machine formats are written here with the standard library only (Rich is never
imported for them, which keeps scripted calls fast). Tables go to `render`.

Formats: table, json, jsonl, csv, tsv, yaml, markdown, and `plain` (the default
when stdout is not a terminal: one record per line, tab-separated, no header).
Flat formats (csv, tsv, plain, markdown) flatten values one documented way:
null is empty, a list is its items joined by "; ", a nested record is
"key=value" pairs joined by ", ".
"""

from __future__ import annotations

import errno
from itertools import chain

from .context import Context
from .queries import Result
from .rows import COLORS as COLORS  # the output path's public names
from .rows import FORMATS as FORMATS
from .rows import HUMAN_FORMATS as HUMAN_FORMATS
from .rows import FieldsError as FieldsError
from .rows import OutputOptions as OutputOptions
from .rows import display_rows, record_source, rows_of, select_fields
from .rows import flatten as flatten
from .rows import parse_fields as parse_fields
from .safe_text import formula_safe, has_unsafe, json_safe, say, visible
from .status import ExitStatus

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, TextIO

SPREADSHEET_FORMATS = frozenset({"csv", "tsv", "plain"})
"""Formats a spreadsheet may open: text cells never start a formula (see `formula_safe`)."""
MIN_TABLE_WIDTH = 20
"""Below this many columns a table cannot show its facts: plain lines are printed instead."""


def _tsv_cell(text: str) -> str:
    """A TSV or plain-line cell: separators spelled out, then nothing unsafe left raw."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return visible(text)


def _csv_cell(text: str) -> str:
    """A CSV cell: tabs and line breaks stay (csv quotes them), the rest is made visible."""
    return visible(text, keep="\t\n\r")


def _flat_cell(value: Any, spreadsheet: bool) -> str:
    """A value flattened for one cell; text (never a number) made formula-safe for the
    tab- and comma-separated formats spreadsheets open."""
    text = flatten(value)
    if spreadsheet and not isinstance(value, int | float):
        return formula_safe(text)
    return text


# In a Markdown cell, HTML's three specials become entities and every character that
# starts Markdown syntax (emphasis, code, links and images, strikethrough, the cell's
# own separator) is escaped with a backslash: a value renders as the text it is, never
# as a tag, a script or a link.
_MARKDOWN_TABLE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: "\\" + c for c in "\\`*_[]|~!"}
)


def _markdown_cell(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(visible(line.translate(_MARKDOWN_TABLE)) for line in lines)


def _plain_facts(
    header: list[str], table: list[list[str]], rows: list[dict[str, Any]]
) -> Iterator[str]:
    """One record as lines, one fact a line, for grep, cut and awk: `field<TAB>value`;
    a list of records (`show`'s related records, `about`'s figures) gives a line per
    record, `field<TAB>` then each of its values in its fields' order, tab-separated."""
    for line, row in zip(table, rows or [{}] * len(table), strict=True):
        for name, cell in zip(header, line, strict=True):
            value = row.get(name)
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                for item in value:
                    cells = [_tsv_cell(flatten(v)) for v in item.values()]
                    yield f"{name}\t" + "\t".join(cells) + "\n"
            else:
                yield f"{name}\t{_tsv_cell(cell)}\n"


def resolve_format(requested: str | None, context: Context) -> str:
    if requested:
        return requested
    return "table" if context.stdout_isatty else "plain"


def to_json(data: Any, *, compact: bool = False, ascii_only: bool = False) -> str:
    """JSON as istc writes it: `json.dumps` (indented by 2, or compact), with every
    unsafe character escaped (`json_safe`): the same data to any JSON reader."""
    import json

    separators = (",", ":") if compact else None
    text = json.dumps(data, indent=None if compact else 2, separators=separators,
                      ensure_ascii=ascii_only)  # fmt: skip
    return json_safe(text)


# Characters libyaml's emitter writes exactly as PyYAML's own does (a test holds the two
# to the same bytes on generated data): tabs, line feeds and the printable characters
# of the Basic Multilingual Plane. Of the rest, NEL is written otherwise; the other C1
# controls, the no-break space, the soft hyphen, the spaces, joiners, marks and
# separators of U+2000-U+200F, U+2028-U+202F and U+205F-U+206F, the surrogates and the
# byte-order mark are left to PyYAML's emitter too, as characters whose treatment
# decides quoting.
_LIBYAML_ALIKE = (
    "[^\t\n\x20-\x7e\xa1-\xac\xae-\u1fff\u2010-\u2027\u2030-\u205e\u2070-\ud7ff"
    "\ue000-\ufefe\uff00-\ufffd]"
)


_LIBYAML_LONGEST = 100_000
"""Texts up to this long: escaped, six columns a character at most, they stay within
the width `to_yaml` sets, where the two emitters fold a line at different places."""


def _libyaml_alike(data: Any) -> bool:
    """True if the data is JSON-like (texts, numbers, booleans, None, lists, dicts), every
    text one libyaml writes as PyYAML's emitter does and no longer than
    `_LIBYAML_LONGEST`, and every key a name of under 100 characters (the two differ
    on which long keys are simple)."""
    import re

    unlike, name = re.compile(_LIBYAML_ALIKE), re.compile("[A-Za-z_][A-Za-z0-9_]{0,98}")
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if len(value) > _LIBYAML_LONGEST or unlike.search(value):
                return False
        elif isinstance(value, dict):
            for key, item in value.items():
                if not (isinstance(key, str) and name.fullmatch(key)):
                    return False
                pending.append(item)
        elif isinstance(value, list):
            pending.extend(value)
        elif not (value is None or isinstance(value, bool | int | float)):
            return False  # a tuple, say: PyYAML's emitter, as before
    return True


def to_yaml(data: Any, *, unicode: bool) -> str:
    """YAML as istc writes it (block style, keys in order, no line folding), by
    PyYAML's own emitter, or by libyaml's (faster: docs/performance.md) where the two
    write the same bytes (`_libyaml_alike`). libyaml's escapes every character outside the
    Basic Multilingual Plane even with `allow_unicode`, refuses the lone surrogates an
    undecodable argument leaves (`show $'x\\xff' -o yaml`), writes NEL otherwise, and
    folds a line wider than the width, or takes a long key as simple, otherwise: such
    data goes to PyYAML's."""
    import yaml

    dumper: type[Any] = yaml.SafeDumper
    if hasattr(yaml, "CSafeDumper") and isinstance(data, list | dict) and _libyaml_alike(data):
        dumper = yaml.CSafeDumper
    text = yaml.dump(
        data, Dumper=dumper, sort_keys=False, allow_unicode=unicode,
        default_flow_style=False, width=1_000_000,
    )  # fmt: skip
    return str(text)


def render_text(
    result: Result,
    fmt: str,
    fields: tuple[str, ...],
    *,
    ascii_only: bool = False,
    with_sources: bool = False,
) -> str:
    """A machine or plain-text rendering of the result, ending in a newline."""
    rows = rows_of(result, fields)
    if fmt == "json":
        data: Any = rows[0] if result.record_type.single and rows else rows
        return to_json(data, compact=False, ascii_only=ascii_only) + "\n"
    if fmt == "jsonl":
        return "".join(to_json(r, compact=True, ascii_only=ascii_only) + "\n" for r in rows)
    if fmt == "yaml":
        data = rows[0] if result.record_type.single and rows else rows
        text = to_yaml(data, unicode=not ascii_only)
        if has_unsafe(text, allow="\t\n\r"):
            # PyYAML writes some of these raw and reads them back as line breaks:
            # escape everything rather than print something that does not round-trip.
            text = to_yaml(data, unicode=False)
        return text
    header = list(fields)
    spreadsheet = fmt in SPREADSHEET_FORMATS
    if fmt in HUMAN_FORMATS:  # plain lines and markdown: amounts as people write them
        shown = display_rows(result, fields)
        table = [[formula_safe(r[f]) if spreadsheet else r[f] for f in fields] for r in shown]
    else:
        table = [[_flat_cell(r[f], spreadsheet) for f in fields] for r in rows]
    if with_sources and fmt in HUMAN_FORMATS:
        header.append("source_title")
        for line, record in zip(table, result.records, strict=True):
            line.append(record_source(result, record, fields))
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf)  # the excel dialect, RFC 4180: CRLF ends, quotes where needed
        writer.writerow(header)
        writer.writerows([[_csv_cell(cell) for cell in line] for line in table])
        return buf.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_markdown_cell(c) for c in line) + " |" for line in table]
        return "\n".join(lines) + "\n"
    if fmt == "plain" and result.record_type.single:
        return "".join(_plain_facts(header, table, rows))
    lines = ["\t".join(_tsv_cell(c) for c in line) for line in table]
    if fmt == "tsv":
        lines.insert(0, "\t".join(header))
    return "".join(line + "\n" for line in lines)


EXACT_FORMATS = frozenset({"csv", "tsv", "markdown", "bibtex", "ris"})
"""Formats with no escape of their own for a character the output's encoding cannot
hold (JSON, YAML and CSL-JSON escape it in their own syntax; tables and lines are for
people): refused rather than altered."""


def refuse_unencodable(text: str, fmt: str, context: Context) -> None:
    """Data in an EXACT_FORMATS format must reach its reader as it is: where stdout's
    encoding cannot hold a character of `text`, escaping it would change the data (and
    `\\u` is a command to BibTeX), so the write is refused with an OSError that
    `entry.main` reports as exit 1."""
    if fmt not in EXACT_FORMATS or context.utf8:
        return
    try:
        text.encode(context.encoding)
    except UnicodeEncodeError as exc:
        code = ord(exc.object[exc.start])
        raise OSError(
            errno.EILSEQ,
            f"the output's encoding ({context.encoding}) cannot hold U+{code:04X}; "
            "use a UTF-8 locale or PYTHONIOENCODING=utf-8",
        ) from None
    except LookupError:  # an encoding Python does not know: the write will tell
        return


def emit(result: Result, options: OutputOptions, context: Context) -> int:
    """Write the result in the chosen format to the context's stdout; return the exit
    code it calls for."""
    out = context.stdout
    fmt = "table" if options.view else resolve_format(options.format, context)
    if fmt == "table" and context.width is not None and context.width < MIN_TABLE_WIDTH:
        fmt = "plain"  # too narrow to draw: every fact still printed, one per line
    fields = select_fields(result, fmt, options.fields)
    if options.view and not result.records:  # a drawing never ends empty with exit 0
        say(
            result.empty_message
            or f"Nothing to draw: istc {result.command} has no records to show."
        )
        return max(result.empty_exit, ExitStatus.FAILED)
    if not result.records and result.empty_message:
        say(result.empty_message)
    if result.notice:
        say(result.notice)
    text = ""
    if fmt == "table" and (result.records or not result.empty_exit):
        from .render import render_parts

        parts = render_parts(result, fields, options, context)
        text = next(parts, "")
        if text.strip() and not (options.pager and context.stdout_isatty):
            _write_each(chain((text,), parts), out)  # no pager to choose: stream at once
            return result.empty_exit if not result.records else result.exit_code
        following = next(parts, None)
        if following is not None:  # a long table, drawn a chunk at a time: stream it
            chunks = chain((text, following), parts)
            if not (options.pager and _page_parts(chunks, context)):
                _write_each(chunks, out)
            return result.exit_code
        if result.records and not text.strip() and not result.nothing_for_people:
            fmt = "plain"
    if fmt != "table" and (result.records or fmt in ("json", "yaml", "csv", "tsv", "markdown")):
        text = render_text(
            result, fmt, fields, ascii_only=not context.utf8, with_sources=options.sources
        )
    if result.nothing_for_people and fmt in HUMAN_FORMATS:
        text = ""
    refuse_unencodable(text, fmt, context)
    if not (options.pager and _page(text, context)):
        out.write(text)
    out.flush()
    return result.empty_exit if not result.records else result.exit_code


def _write_each(parts: Iterator[str], out: TextIO) -> None:
    """Write each part as soon as it is drawn."""
    for part in parts:
        out.write(part)
        out.flush()


def _page(text: str, context: Context) -> bool:
    """Show text through the pager when stdout is a terminal it does not fit; True if
    paged."""
    return _page_parts(iter([text]), context, lines=text.count("\n"))


def _page_parts(parts: Iterator[str], context: Context, lines: int | None = None) -> bool:
    """Feed parts to the pager as they come, when stdout is a terminal the output does
    not fit (`lines` known, or a long table); True if paged, False if nothing was
    written."""
    if not context.stdout_isatty or context.height is None:
        return False
    command = context.pager
    if command is None or (lines is not None and lines < context.height):
        return False
    if context.dumb:
        return False  # a dumb terminal (or none named) cannot run a pager: less would ask
    import shlex
    import signal
    import subprocess

    try:
        pager = subprocess.Popen(
            shlex.split(command),
            stdin=subprocess.PIPE,
            encoding=context.encoding,
            errors="backslashreplace",
        )
    except (OSError, ValueError):
        return False  # no such pager: print directly
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the pager
    try:
        assert pager.stdin is not None
        for part in parts:
            pager.stdin.write(part)
            pager.stdin.flush()
        pager.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early
    finally:
        pager.wait()
        signal.signal(signal.SIGINT, previous)
    return True
