"""Every relative link in README.md and docs/*.md reaches a file, and every anchor a
heading of that file, with the anchors GitHub makes from headings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REPO

DOCUMENTS = sorted([REPO / "README.md", *(REPO / "docs").glob("*.md")])

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def _prose(text: str) -> str:
    """The text without fenced code blocks (where a bracket is not a link)."""
    return _FENCE.sub("", text)


def links(text: str) -> list[str]:
    """The targets of inline and reference links and images, outside code."""
    prose = _CODE_SPAN.sub("", _prose(text))
    return _INLINE_LINK.findall(prose) + _REFERENCE.findall(prose)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text as shown (no code ticks, emphasis
    or link syntax), lower-cased, without punctuation but hyphens and underscores,
    spaces made hyphens."""
    shown = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
    shown = re.sub(r"<[^>]+>", "", shown)  # inline HTML shows nothing of its tags
    shown = shown.replace("`", "").replace("*", "")
    shown = re.sub(r"(?<!\w)_+|_+(?!\w)", "", shown)  # _emphasis_, not snake_case
    return re.sub(r"[^\w\- ]", "", shown.lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor of a Markdown file: a heading's slug, numbered from -1 when repeated."""
    seen: dict[str, int] = {}
    out = set()
    for _, heading in _HEADING.findall(_prose(text)):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.add(base if count == 0 else f"{base}-{count}")
    return out


def test_slugs_are_githubs() -> None:
    assert slug("Install and run") == "install-and-run"
    assert slug("At a date: `--at`") == "at-a-date---at"
    assert slug("Start-up (`benchmarks/startup.py`)") == "start-up-benchmarksstartuppy"
    assert slug("A new section and its listing command: the real diff") == (
        "a-new-section-and-its-listing-command-the-real-diff"
    )
    assert slug("The dataset, and your own") == "the-dataset-and-your-own"
    assert anchors("# A\n## A\n```\n# not a heading\n```\n## A\n") == {"a", "a-1", "a-2"}


def test_links_are_found_outside_code_only() -> None:
    text = "See [a](a.md#x) and `[b](b.md)`.\n\n```\n[c](c.md)\n```\n[d]: d.md#y\n"
    assert links(text) == ["a.md#x", "d.md#y"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_and_anchor_resolves(document: Path) -> None:
    broken = []
    for target in links(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ... not ours to check
            continue
        path, _, anchor = target.partition("#")
        where = (document.parent / path).resolve() if path else document
        if not where.exists():
            broken.append(f"{target}: no such file")
        elif anchor and where.suffix == ".md" and anchor not in anchors(where.read_text()):
            broken.append(f"{target}: no heading makes #{anchor} in {where.name}")
    assert not broken, f"{document.relative_to(REPO)}: " + "; ".join(broken)


def test_the_documents_link_to_one_another() -> None:
    """The README reaches every document in docs/; none is an orphan."""
    readme = links((REPO / "README.md").read_text(encoding="utf-8"))
    linked = {target.partition("#")[0] for target in readme}
    for document in sorted((REPO / "docs").glob("*.md")):
        assert f"docs/{document.name}" in linked, document.name
