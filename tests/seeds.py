"""What the two source documents say, asked of the digests in data/seeds.json (the
repository keeps no copy of their text, nor of the research notes'; `data/make_seed_index.py`
makes the digests)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from .data.make_seed_index import LONGEST, digest, words

INDEX = Path(__file__).parent / "data" / "seeds.json"


@functools.cache
def _index() -> Any:
    return json.loads(INDEX.read_text())


def _documents() -> dict[str, dict[str, list[str]]]:
    documents: dict[str, dict[str, list[str]]] = _index()["documents"]
    return documents


@functools.cache
def _copyable_runs() -> frozenset[str]:
    """The digests of every ten-word run of the two documents and the research notes."""
    found: set[str] = set()
    for document in _documents().values():
        found.update(document["runs"])
    for note in _index()["research"].values():
        found.update(note)
    return frozenset(found)


def says(document: str, phrase: str) -> bool:
    """True when the document has the phrase's words in a row (up to ten words)."""
    found = words(phrase)
    assert 0 < len(found) <= LONGEST, phrase
    return digest(found) in set(_documents()[document]["runs"])


def is_line(document: str, text: str) -> bool:
    """True when the document has a line of just these words (a heading)."""
    return digest(words(text)) in set(_documents()[document]["lines"])


def paragraphs(document: str) -> int:
    return len(_documents()[document]["paragraphs"])


def paragraph_says(document: str, number: int, phrase: str) -> bool:
    """True when paragraph `number` (from 1) has the phrase's words (up to four)."""
    paragraph: list[str] = _index()["documents"][document]["paragraphs"][number - 1]
    return digest(words(phrase)) in set(paragraph)


def copied_runs(text: str) -> list[str]:
    """The runs of ten words of `text` that either document or a research note has, word
    for word (the notes quote the public pages they checked)."""
    found = words(text)
    runs = _copyable_runs()
    return [
        " ".join(found[i : i + LONGEST])
        for i in range(len(found) - LONGEST + 1)
        if digest(found[i : i + LONGEST]) in runs
    ]
