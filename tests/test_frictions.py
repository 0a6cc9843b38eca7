"""Frictions a newcomer met (issue 33): a search hit's id in every view, a source's own
date (or "undated") in `show`, a related figure's value in `show`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import MINIMAL, dump_yaml, invoke, load_yaml, run_json

# ---------------------------------------------------------------- search: ids


def _search(*args: str, width: int) -> str:
    result = invoke("search", "astana", *args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_search_shows_each_hits_id_as_a_table_as_cards_and_as_lines() -> None:
    ids = [hit["id"] for hit in run_json("search", "astana")]
    assert ids and all(ids)
    table = _search("--format", "table", "--color", "never", width=250)
    header = next(line for line in table.splitlines() if "section" in line)
    assert header.split()[:3] == ["section", "record", "id"]  # a table, with its id column
    cards = _search("--format", "table", "--color", "never", width=80)
    assert "section" not in cards  # too narrow for a table: a card per hit
    card_ids = [line.split()[1] for line in cards.splitlines() if line.split()[:1] == ["id"]]
    lines = _search(width=80)  # not a terminal: a line per hit, tab-separated
    line_ids = [line.split("\t")[2] for line in lines.splitlines()]
    assert card_ids == ids and line_ids == ids
    for hit_id in ids:
        assert hit_id in table
    # what a hit shows is what `show` opens
    assert invoke("show", ids[0], "--json").exit_code == 0


def test_search_help_promises_the_id_it_shows() -> None:
    assert "id" in invoke("search", "--help").stdout


# ---------------------------------------------------------------- show: dates and values


@pytest.fixture
def alpha(tmp_path: Path) -> Path:
    """The minimal dataset, with sources and a figure that name its party, Alpha: an
    undated page read on 2026-11-22, a page of 2015 read on 2026-01-02, and an amount."""

    def source(sid: str, title: str, date: str | None, accessed: str) -> dict[str, Any]:
        return {
            "id": sid,
            "title": title,
            "publisher": "A publisher",
            "date": date,
            "as_of": "2010-05",
            "url": f"https://example.org/{sid}",
            "kind": "research",
            "accessed": accessed,
            "note": None,
        }

    data = load_yaml(MINIMAL.read_text(encoding="utf-8"))
    data["sources"] += [
        source("undated-page", "Alpha and the center", None, "2026-11-22"),
        source("dated-page", "Alpha joins the center", "2015", "2026-01-02"),
    ]
    data["figures"].append(
        {
            "id": "alpha-funding",
            "name": "Funding for Alpha",
            "value": 1200000000,
            "unit": "USD",
            "qualifier": "over",
            "as_of": "2017-12",
            "source": "doc",
        }
    )
    path = tmp_path / "alpha.yaml"
    path.write_text(dump_yaml(data, sort_keys=False), encoding="utf-8")
    assert invoke("validate", str(path)).exit_code == 0
    return path


def _panel(path: Path) -> str:
    ran = invoke(
        "--data", str(path), "show", "alpha", "--format", "table", "--color", "never",
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert ran.exit_code == 0, ran.output
    return ran.stdout


def test_show_gives_a_source_its_own_date_or_undated_never_the_day_it_was_read(
    alpha: Path,
) -> None:
    panel = _panel(alpha)
    assert "mentions undated Alpha and the center" in panel
    assert "mentions 2015 Alpha joins the center" in panel
    # the day a page was read is said as such, and only as such
    assert "accessed 2026-11-22" in panel and "accessed 2026-01-02" in panel
    for day in ("2026-11-22", "2026-01-02", "2010-05"):
        assert f"mentions {day}" not in panel
    ran = invoke("--data", str(alpha), "show", "alpha", "--json")
    dates = {r["id"]: r["date"] for r in json.loads(ran.stdout)["records"]}
    assert dates["undated-page"] is None and dates["dated-page"] == "2015"


def test_show_gives_a_related_figure_its_value_as_people_write_it(alpha: Path) -> None:
    panel = _panel(alpha)
    assert "2017-12 Funding for Alpha: over US$1.2 billion" in panel
    ran = invoke("--data", str(alpha), "show", "alpha", "--json")
    amounts = {r["id"]: r["amount"] for r in json.loads(ran.stdout)["records"]}
    assert amounts["alpha-funding"] == "over US$1.2 billion"
    assert {amounts[key] for key in amounts if key != "alpha-funding"} == {None}


def test_show_in_the_real_dataset_never_dates_a_source_by_its_reading() -> None:
    """Every related source in `show` carries its own date, or none."""
    sources = {s["id"]: s for s in run_json("sources")}
    profile = run_json("show", "kazakhstan")
    related = [r for r in profile["records"] if r["section"] == "sources"]
    assert related
    for record in related:
        assert record["date"] == sources[record["id"]]["date"], record["id"]
