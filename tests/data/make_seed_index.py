"""Make tests/data/seeds.json from the two source documents in ../shared/seeds/ and
the research notes in ../shared/research/.

The tests check the dataset against the documents (its locators are their headings
and paragraphs, its facts their words, its prose never ten of their words in a row),
and must run on any clone, where ../shared/ is absent. So the repository keeps only
digests of the documents' word runs, never their text:

    python tests/data/make_seed_index.py ../shared/seeds ../shared/research \
        > tests/data/seeds.json

A text is normalised to its words (runs of letters and digits, lower case); a run of
N words is digested as the first 12 hex digits of the SHA-256 of its words joined by
single spaces. For each document: the digest of each line (its headings), of each
paragraph's runs (blocks of eight words or more between blank lines, counted as the
press release's locators count them), and of every run of 1 to 10 words. For each
research note (it quotes the public pages it checked, and its own wording is not ours
to copy either): the digest of every run of 10 words only.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

DOCUMENTS = {
    "fact-sheet-2018": "000_a6b9316f61d199e1.txt",
    "press-release-2022": "001_238af227859f91bb.txt",
}
RESEARCH = {
    "research-external-facts": "istc-external-facts.md",
    "research-facts-2010-2025": "istc-facts-2010-2025.md",
}
LONGEST = 10


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def digest(run: list[str]) -> str:
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:12]


def runs(text: str, longest: int = LONGEST, shortest: int = 1) -> list[str]:
    found = words(text)
    return sorted(
        {
            digest(found[i : i + n])
            for n in range(shortest, longest + 1)
            for i in range(len(found) - n + 1)
        }
    )


def index(text: str) -> dict[str, object]:
    lines = [line for line in text.splitlines() if words(line)]
    blocks = [b for b in re.split(r"\n\s*\n", text) if len(b.split()) >= 8]
    return {
        "lines": sorted({digest(words(line)) for line in lines}),
        "paragraphs": [runs(b, 4) for b in blocks],
        "runs": runs(text),
    }


def main(seeds: str, research: str) -> None:
    out = {
        "about": "Digests of the source documents' and research notes' word runs; see "
        "make_seed_index.py.",
        "documents": {
            name: index(Path(seeds, file).read_text(encoding="utf-8"))
            for name, file in DOCUMENTS.items()
        },
        "research": {
            name: runs(Path(research, file).read_text(encoding="utf-8"), shortest=LONGEST)
            for name, file in RESEARCH.items()
        },
    }
    json.dump(out, sys.stdout, sort_keys=True, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(*(sys.argv[1:3] if len(sys.argv) > 2 else ["../shared/seeds", "../shared/research"]))
