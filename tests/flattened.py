"""Flattened cells read back as docs/formats.md says to read them: the one reader the
tests and the flatten fuzz harness (fuzz/fuzz_flatten.py) hold istc's output to."""

from __future__ import annotations

import re


def split(text: str, separator: str) -> list[str]:
    """Split at each separator not escaped by a backslash; escapes stay for the next
    level."""
    parts, part, i = [], "", 0
    while i < len(text):
        if text[i] == "\\":
            part += text[i : i + 2]
            i += 2
        elif text.startswith(separator, i):
            parts.append(part)
            part, i = "", i + len(separator)
        else:
            part += text[i]
            i += 1
    return [*parts, part]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def read_list(cell: str) -> list[str]:
    """A flattened list, read back as docs/formats.md says to."""
    return [unescape(item) for item in split(cell, "; ")] if cell else []


def read_record(text: str) -> dict[str, str]:
    out = {}
    for pair in split(text, ", "):
        key, value = split(pair, "=")[0], "=".join(split(pair, "=")[1:])
        out[unescape(key)] = unescape(value)
    return out


_TSV = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def untsv(cell: str) -> str:
    """A TSV cell with its escapes undone."""
    return re.sub(r"\\([\\tnr])", lambda m: _TSV[m[1]], cell)


def unmarkdown(cell: str) -> str:
    """A Markdown table cell with its escapes undone."""
    cell = re.sub(r"\\([\\`*_\[\]|~!])", r"\1", cell).replace("<br>", "\n")
    return cell.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
