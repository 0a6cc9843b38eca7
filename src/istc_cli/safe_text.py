"""Untrusted text, made safe for every channel: the bottom of the house.

Everything `istc` prints that it did not write itself (dataset values, file names,
argument values, click's own messages quoting them) passes through here before it
reaches a terminal, a pipe or a spreadsheet:

- `visible` shows control characters (C0, DEL, C1), format characters (Unicode
  category Cf: zero-width spaces and joiners, bidirectional controls, U+FEFF, tag
  characters...), line and paragraph separators and lone surrogates as escapes
  (`\\x1b`, `\\u200b`), so they can neither drive a terminal nor hide in text;
- `json_safe` escapes the same characters inside JSON text (`\\u200b`): still data;
- `quote` bounds a value quoted in a message (a 5 MB value is not echoed whole);
- `formula_safe` keeps a CSV or TSV cell from being run as a spreadsheet formula;
- `say` writes one message line to stderr, escaped and bounded.

Nothing here imports anything of istc: every layer above may use it.
"""

from __future__ import annotations

import sys


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, singular for one: "1 record", "2 records"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


# The characters never written raw. Format characters (Cf) are listed as of Unicode
# 15.1; a test checks this class against `unicodedata` of the running Python.
_UNSAFE_RANGES = (
    (0x00, 0x1F),  # C0 controls
    (0x7F, 0x9F),  # DEL and C1 controls
    (0xAD, 0xAD),  # soft hyphen
    (0x34F, 0x34F),  # combining grapheme joiner (default-ignorable)
    (0x600, 0x605),
    (0x61C, 0x61C),  # Arabic letter mark
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x115F, 0x1160),  # Hangul fillers (default-ignorable)
    (0x17B4, 0x17B5),  # Khmer inherent vowels (default-ignorable)
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner, LRM, RLM
    (0x2028, 0x202E),  # line and paragraph separators, bidirectional embeddings
    (0x2060, 0x206F),  # word joiner, invisible operators, isolates, deprecated formats
    (0x3164, 0x3164),  # Hangul filler (default-ignorable)
    (0xD800, 0xDFFF),  # lone surrogates (undecodable bytes in arguments)
    (0xFE00, 0xFE0F),  # variation selectors (default-ignorable)
    (0xFEFF, 0xFEFF),  # zero-width no-break space (byte-order mark)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler (default-ignorable)
    (0xFFF0, 0xFFFB),  # unassigned specials, interlinear annotation
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0000, 0xE0FFF),  # tags, variation selectors supplement, the rest ignorable
)
"""Every control (Cc), format (Cf), surrogate (Cs) and separator (Zl, Zp) character,
and every Default_Ignorable_Code_Point of Unicode 15.1: all that can drive a terminal
or make two different strings look the same."""

# The unsafe characters that `str.isprintable` calls printable (default-ignorable
# combining marks and letters that show nothing), derived from _UNSAFE_RANGES when
# printable non-ASCII text is first checked.
_PRINTABLE_UNSAFE: list[frozenset[str]] = []


def is_clean(text: str) -> bool:
    """True when text holds nothing to escape: printable, and no default-ignorable
    character hides in it (the common case costs one C call, two for non-ASCII)."""
    if not text.isprintable():
        return False
    if text.isascii():
        return True
    if not _PRINTABLE_UNSAFE:
        _PRINTABLE_UNSAFE.append(
            frozenset(
                chr(code)
                for first, last in _UNSAFE_RANGES
                for code in range(first, last + 1)
                if chr(code).isprintable()
            )
        )
    return _PRINTABLE_UNSAFE[0].isdisjoint(text)


def escape_char(char: str) -> str:
    """`\\x1b`, `\\u200b` or `\\U000e0001`: the character's code, as Python writes it."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _json_escape(code: int) -> str:
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells characters outside the BMP as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


# Escaping is str.translate with a table built on first need (most text is printable
# and never needs one): no regular expressions, whose import costs start-up time.
_TABLES: dict[str, dict[int, str]] = {}


def _table(keep: str = "") -> dict[int, str]:
    table = _TABLES.get(keep)
    if table is None:
        table = _TABLES[keep] = {
            code: escape_char(chr(code))
            for first, last in _UNSAFE_RANGES
            for code in range(first, last + 1)
            if chr(code) not in keep
        }
    return table


_JSON_TABLE: dict[int, str] = {}


def is_unsafe(char: str) -> bool:
    """True for one character `visible` escapes."""
    return ord(char) in _table()


def is_blank(text: str) -> bool:
    """True when text shows nothing: empty, spaces of any kind, or only characters that
    are shown escaped or dropped (a zero-width space, a soft hyphen, a control)."""
    if not text.strip():
        return True
    if is_clean(text):  # the common case, without building the escaping table
        return False
    return all(char.isspace() or is_unsafe(char) for char in text)


def unsafe_in(text: str) -> list[str]:
    """Every character of text that `visible` would escape, in order."""
    if is_clean(text):
        return []
    table = _table()
    return [c for c in text if ord(c) in table]


def visible(text: str, keep: str = "") -> str:
    """Text with every control, format and separator character shown as an escape
    (but those in `keep`, such as the line breaks a CSV cell may hold), and a run of
    combining marks cut to MAX_MARKS, the rest of the run shown as escapes."""
    if is_clean(text):  # C speed for the common case: nothing to escape
        return capped(text)
    return capped(text.translate(_table(keep)))


MAX_MARKS = 4
"""Combining marks drawn on one letter, at most: no common writing system stacks more
(Vietnamese two, Hebrew with cantillation four), and a flood of them draws over the
lines around it in a terminal."""

_MARKS: dict[str, bool] = {}


def _is_mark(char: str) -> bool:
    """A non-spacing or enclosing combining mark (Unicode Mn, Me): drawn over or around
    the letter before it, taking no column of its own."""
    mark = _MARKS.get(char)
    if mark is None:
        import unicodedata

        mark = _MARKS[char] = unicodedata.category(char) in ("Mn", "Me")
    return mark


def capped(text: str) -> str:
    """Text with every combining mark after the MAX_MARKS-th of a run shown as its
    escape (`\\u0301`): what a letter carries stays drawn, a flood cannot spill."""
    if text.isascii() or max(text) < "\u0300":  # no combining mark below U+0300
        return text
    out: list[str] | None = None
    run = 0
    for i, char in enumerate(text):
        if char >= "\u0300" and _is_mark(char):
            run += 1
            if run > MAX_MARKS:
                if out is None:
                    out = list(text[:i])
                out.append(escape_char(char))
                continue
        else:
            run = 0
        if out is not None:
            out.append(char)
    return text if out is None else "".join(out)


def visible_lines(text: str) -> str:
    """Like `visible`, but line breaks stay line breaks (multi-line messages)."""
    return "\n".join(visible(line) for line in text.split("\n"))


def json_safe(text: str) -> str:
    """JSON text (whose C0 controls the encoder already escapes) with the other unsafe
    characters escaped too (`\\u200b`): the same string to any JSON reader."""
    if text.isascii() and "\x7f" not in text:
        return text
    if not _JSON_TABLE:
        _JSON_TABLE.update(
            (code, _json_escape(code))
            for first, last in _UNSAFE_RANGES
            if last >= 0x7F
            for code in range(first, last + 1)
        )
    return text.translate(_JSON_TABLE)


def has_unsafe(text: str, *, allow: str = "") -> bool:
    """True if text holds a character `visible` would escape (other than `allow`)."""
    if is_clean(text):
        return False
    return text.translate(_table(allow)) != text


# ---------------------------------------------------------------- quoting in messages

MAX_QUOTE = 80
"""A value quoted in a message is cut to this many characters, and its length given."""


def quote(value: str, limit: int = MAX_QUOTE) -> str:
    """'value' for a message: escaped, and bounded with its length when long."""
    if len(value) <= limit:
        return f"'{visible(value)}'"
    return f"'{visible(value[: limit - 20])}…' ({len(value):,} characters)"


MAX_PATH = 160
"""A longer path in a message keeps its start and its end (the file's name) around an
ellipsis, with its length: whatever the message says after it is never cut."""


def path_shown(path: str, limit: int = MAX_PATH) -> str:
    """A path for a message: escaped, and bounded in its middle when long."""
    if len(path) <= limit:
        return visible(path)
    part = (limit - 40) // 2
    return f"{visible(path[:part])}…{visible(path[-part:])} ({len(path):,} characters)"


MAX_LINE = 1000
"""No message line is longer than this: whatever it quotes is shortened first."""


def bounded(line: str, limit: int = MAX_LINE) -> str:
    if len(line) <= limit:
        return line
    return f"{line[: limit - 40]}… ({len(line):,} characters in all)"


# ---------------------------------------------------------------- spreadsheets

_FORMULA_START = frozenset("=+-@\t\r")


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _plain_number(cell: str) -> bool:
    """-5, +12, 3.25: a number as a spreadsheet reads it (ASCII digits only)."""
    whole, dot, fraction = (cell[1:] if cell[0] in "+-" else cell).partition(".")
    return _digits(whole) and (not dot or _digits(fraction))


def formula_safe(cell: str) -> str:
    """A CSV/TSV text cell that no spreadsheet runs as a formula (OWASP CSV injection).

    A cell starting with =, +, -, @, tab or carriage return gets a leading
    apostrophe, which spreadsheets show as text; a plain number ("-5") is left as it
    is, since it is read as a number, never a formula.
    """
    if cell and cell[0] in _FORMULA_START and not _plain_number(cell):
        return "'" + cell
    return cell


# ---------------------------------------------------------------- stderr


def say(message: str, *, prefix: str = "istc: ") -> None:
    """A message to stderr, each line escaped and bounded; never raises.

    With stderr closed there is nowhere to say it: the message is dropped, never
    written to stdout in its place.
    """
    stream = sys.stderr
    if stream is None:
        return
    lines = visible_lines(message.rstrip("\n")).split("\n")
    text = prefix + "".join(f"{bounded(line)}\n" for line in lines)
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):
        pass
