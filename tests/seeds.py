"""What the two source documents say, asked of the digests in data/seeds.json (the
repository keeps no copy of their text; `data/make_seed_index.py` makes the digests)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from .data.make_seed_index import LONGEST, digest, words

INDEX = Path(__file__).parent / "data" / "seeds.json"


@functools.cache
def _documents() -> dict[str, dict[str, object]]:
    documents: dict[str, dict[str, object]] = json.loads(INDEX.read_text())["documents"]
    return documents


def says(document: str, phrase: str) -> bool:
    """True when the document has the phrase's words in a row (up to ten words)."""
    found = words(phrase)
    assert 0 < len(found) <= LONGEST, phrase
    return digest(found) in set(_documents()[document]["runs"])  # type: ignore[arg-type]


def is_line(document: str, text: str) -> bool:
    """True when the document has a line of just these words (a heading)."""
    return digest(words(text)) in set(_documents()[document]["lines"])  # type: ignore[arg-type]


def paragraphs(document: str) -> int:
    return len(_documents()[document]["paragraphs"])  # type: ignore[arg-type]


def paragraph_says(document: str, number: int, phrase: str) -> bool:
    """True when paragraph `number` (from 1) has the phrase's words (up to four)."""
    runs = _documents()[document]["paragraphs"][number - 1]  # type: ignore[index]
    return digest(words(phrase)) in set(runs)


def copied_runs(text: str) -> list[str]:
    """The runs of ten words of `text` that either document has, word for word."""
    found = words(text)
    runs = set(_documents()["fact-sheet-2018"]["runs"]) | set(  # type: ignore[arg-type]
        _documents()["press-release-2022"]["runs"]  # type: ignore[arg-type]
    )
    return [
        " ".join(found[i : i + LONGEST])
        for i in range(len(found) - LONGEST + 1)
        if digest(found[i : i + LONGEST]) in runs
    ]
