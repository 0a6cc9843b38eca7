"""Drawings, byte for byte, at three widths: each held to a snapshot in tests/snapshots/.

The snapshots are drawn from a small fixture dataset (tests/data/snapshot.yaml), never
from data/istc.yaml: a change to the real data changes no snapshot, so a snapshot that
changes means a drawing did. After a deliberate change to a drawing:

    UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py

and read the diff of tests/snapshots/ before committing it.
"""

from __future__ import annotations

import os

import pytest

from .conftest import HERE, REPO, invoke

SNAPSHOTS = HERE / "snapshots"
DATA = "tests/data/snapshot.yaml"  # relative to the repository: a path the panels may show
WIDTHS = (60, 80, 120)
DRAWINGS = {
    "timeline": ["history", "--timeline"],
    "chart": ["figures", "--chart"],
    "about": ["about", "--format", "table"],
    "about-full": ["about", "--full"],
    "sources": ["sources", "--format", "table"],
    "search": ["search", "astana", "--format", "table"],
    "statement": ["statement", "--format", "table"],
    "members": ["members", "--format", "table"],
}


def _drawn(args: list[str], width: int) -> str:
    result = invoke("--data", DATA, *args, "--color", "never", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_drawings_match_their_snapshots(
    name: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)  # the relative --data path keeps what a panel shows of it stable
    text = _drawn(DRAWINGS[name], width)
    assert max(len(line) for line in text.splitlines()) <= width
    snapshot = SNAPSHOTS / f"{name}-{width}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.write_text(text, encoding="utf-8")
    expected = snapshot.read_text(encoding="utf-8")
    assert text == expected, f"run with UPDATE_SNAPSHOTS=1 if {snapshot.name} is stale"


def test_every_snapshot_belongs_to_a_drawing() -> None:
    """No stale snapshot lingers after a drawing is renamed or dropped."""
    expected = {f"{name}-{width}.txt" for name in DRAWINGS for width in WIDTHS}
    assert {path.name for path in SNAPSHOTS.iterdir()} == expected


def test_snapshots_never_read_the_real_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture dataset is what the panels draw: its own title and version."""
    monkeypatch.chdir(REPO)
    assert "Dataset 0.1.0" in _drawn(["about", "--format", "table"], 80)
