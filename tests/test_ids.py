"""Joinable ids (issue 31, 6): `validate` checks each party's ISO 3166-1 codes against
the standard (pycountry's table) and the form of every Wikidata id, and the SQLite
export indexes the columns other data joins on."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from .conftest import BUNDLED, dump_yaml, invoke, load_yaml


def _with_kazakhstan(tmp_path: Path, **changes: str) -> Path:
    data: dict[str, Any] = copy.deepcopy(load_yaml(BUNDLED.read_bytes()))
    (party,) = [m for m in data["members"] if m.get("iso2") == "KZ"]
    party.update(changes)
    path = tmp_path / "changed.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"iso2": "XX"}, "iso2"),  # the form of a code, but no country has it
        ({"iso2": "kz"}, "iso2"),  # codes are upper case
        ({"iso3": "KA"}, "iso3"),
        ({"iso3": "ARM"}, "iso3"),  # a real code, of another country than KZ
        ({"wikidata": "232"}, "wikidata"),
        ({"wikidata": "Q0232"}, "wikidata"),
    ],
)
def test_validate_refuses_a_code_iso_3166_does_not_assign_or_a_malformed_qid(
    tmp_path: Path, changes: dict[str, str], field: str
) -> None:
    path = _with_kazakhstan(tmp_path, **changes)
    result = invoke("validate", str(path))
    assert result.exit_code == 3
    problems = result.stdout.splitlines()
    assert len(problems) == 1
    assert f".{field}: " in problems[0] and problems[0].startswith(f"{path}:")


def test_the_bundled_codes_are_valid_and_of_one_country_each(tmp_path: Path) -> None:
    import pycountry

    data = load_yaml(BUNDLED.read_bytes())
    coded = [m for m in data["members"] if m.get("iso2")]
    assert len(coded) >= 14
    for party in coded:
        country = pycountry.countries.get(alpha_2=party["iso2"])
        assert country is not None and country.alpha_3 == party["iso3"], party["name"]
    assert invoke("validate", str(BUNDLED)).exit_code == 0


def test_the_sqlite_export_indexes_the_join_columns(tmp_path: Path) -> None:
    database = tmp_path / "istc.db"
    assert invoke("export", "sqlite", str(database)).exit_code == 0
    db = sqlite3.connect(database)
    indexed = {
        (table, column)
        for (name, table) in db.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"
        )
        for (_, _, column) in db.execute(f"PRAGMA index_info('{name}')")
    }
    assert {("members", "iso2"), ("members", "iso3"), ("members", "wikidata")} <= indexed
    assert ("offices", "wikidata") in indexed
    plan = " ".join(
        str(row)
        for row in db.execute("EXPLAIN QUERY PLAN SELECT name FROM members WHERE iso3 = 'KAZ'")
    )
    assert "idx_members_iso3" in plan
    (name,) = db.execute("SELECT name FROM members WHERE wikidata = 'Q232'").fetchone()
    assert name == "Kazakhstan"
