"""Stable record ids, derived from each record type's key and its fields' roles
(declared once, in the model).

An id is `prefix:slug`, such as `member:kazakhstan`, `office:astana`,
`meeting:75` or `officer:ronald-f-lehman-ii/board-chair`: readable, URL-safe and made
only from the record's own key, so adding, removing or reordering other records never
changes it. Sources and figures keep the ids the file gives them. A file may set any
record's `id` explicitly (the bundled dataset does so for events and statements, whose
key is their text, so that a corrected wording keeps its id).
"""

from __future__ import annotations

import re

from .model import FieldRole, role_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._:/-]{0,199}")
"""What an id may be: lower-case ASCII letters and digits first, then also . _ : / -."""

_WORDS = 8  # a text key contributes its first words, enough to tell records apart


def slug(text: str, words: int | None = None) -> str:
    """lower-case ASCII words joined by hyphens: 'Kyrgyz Republic' -> 'kyrgyz-republic'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if words is not None:
        parts = parts[:words]
    out = "-".join(parts)[:80].strip("-")
    if out:
        return out
    import zlib

    return f"x{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}"


def derive(cls: type, data: dict[str, Any]) -> str | None:
    """The id a record of `cls` gets from its key, or None if the key is incomplete."""
    prefix: str = getattr(cls, "id_prefix", "")
    key: tuple[str, ...] = getattr(cls, "key", ())
    if not prefix or not key or data.get(key[0]) is None:
        return None
    parts = []
    for name in key:
        value = data.get(name)
        if value is None:
            continue
        role = role_of(cls, name)
        if role in (FieldRole.DATE, FieldRole.END, FieldRole.NUMBER, FieldRole.CODE):
            parts.append(str(value))  # already an id's characters: kept as it is
        elif role == FieldRole.MAIN:
            parts.append(slug(str(value), _WORDS))  # a text: its first words
        else:
            parts.append(slug(str(value)))
    return f"{prefix}:{'/'.join(parts)}"
