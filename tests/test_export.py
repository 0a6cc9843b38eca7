"""`istc export`: SQLite that Datasette serves, a Data Package that frictionless
validates, both round-tripping to the same records as --json, written atomically."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import MINIMAL, invoke, modules_after, run_json

ISTC = Path(sys.executable).with_name("istc")

# A main table and the --json command that lists the same records.
LISTED = {
    "members": ["members", "--all"],
    "offices": ["offices", "--all"],
    "history": ["history"],
    "figures": ["figures"],
    "initiatives": ["initiatives"],
    "programs": ["programs"],
    "regimes": ["regimes"],
    "mission": ["mission"],
    "strategy": ["strategy"],
    "statement": ["statement"],
    "meetings": ["meetings"],
    "officers": ["officers"],
    "glossary": ["glossary"],
    "sources": ["sources"],
}


def _exported(kind: str, path: Path) -> Path:
    result = subprocess.run([str(ISTC), "export", kind, str(path)], capture_output=True)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _exported("sqlite", tmp_path_factory.mktemp("sqlite") / "istc.db")


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _exported("datapackage", tmp_path_factory.mktemp("pkg") / "istc-data")


def _rows(db: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]


def _records_from_sqlite(db: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    """A main table with its link tables folded back into lists."""
    records = {r["id"]: r for r in _rows(db, table)}
    links = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if name.startswith(f"{table}_") and "_fts" not in name
    ]
    for link in links:
        field = link[len(table) + 1 :]
        for record in records.values():
            record.setdefault(field, [])
        for row in _rows(db, link):
            owner = row.pop(f"{table}_id")
            if field in ("notes", "events"):  # a table of claims: a row is one claim
                row.pop("position")
                row["derived_from"] = (
                    (row["derived_from"] or "").split("; ") if row["derived_from"] else []
                )
                for flag in ("derived", "decision"):
                    if flag in row:
                        row[flag] = bool(row[flag])
                records[owner][field].append(row)
                continue
            value = row.get("source_id", row.get("value"))
            records[owner][field].append(value)
    # Other sources' accounts live in the statements table, with their sources.
    for record in records.values():
        record["conflicts"] = []
    for row in db.execute(
        "SELECT s.record_id, s.field, s.value, s.source_id, s.locator FROM statements s "
        "JOIN sources ON sources.id = s.source_id WHERE s.conflict = 1 ORDER BY s.n"
    ):
        if row[0] in records:
            field, value, source, locator = row[1:]
            records[row[0]]["conflicts"].append(
                {"field": field, "value": value, "source": source, "locator": locator}
            )
    return list(records.values())


def test_sqlite_is_sound_and_round_trips_to_the_json_records(database: Path) -> None:
    db = sqlite3.connect(database)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for table, command in LISTED.items():
        expected = {r["id"]: r for r in run_json(*command)}
        got = {r["id"]: r for r in _records_from_sqlite(db, table)}
        assert got.keys() == expected.keys(), table
        for key, want in expected.items():
            for other in want.get("conflicts", []):
                other.pop("note")  # the note explains the account; the statement is the fact
            assert {k: got[key].get(k, []) for k in want} == want, (table, key)


def test_every_source_reference_is_a_declared_foreign_key(database: Path) -> None:
    db = sqlite3.connect(database)
    keys = {
        (table, row[3], row[2])
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        for row in db.execute(f'PRAGMA foreign_key_list("{table}")')
    }
    for table in ("members", "history", "figures", "statement", "meetings", "officers"):
        assert (table, "source", "sources") in keys
    assert ("members", "joined_source", "sources") in keys
    assert ("members_see_also", "source_id", "sources") in keys
    assert ("members_roles", "members_id", "members") in keys
    assert ("sister_center", "organization_id", "organization") in keys
    # A meeting's attendance and seat name parties; its chair an officer; each claim of
    # a list of claims its own source.
    assert ("meetings_attended", "value", "members") in keys
    assert ("meetings", "rotating_seat", "members") in keys
    assert ("meetings", "chair", "officers") in keys
    assert ("members_events", "source", "sources") in keys
    assert ("members_notes", "members_id", "members") in keys


def test_datasette_serves_the_tables_their_descriptions_and_a_working_search(
    database: Path,
) -> None:
    from datasette.app import Datasette

    metadata = json.loads(Path(f"{database}.metadata.json").read_text())

    async def run() -> None:
        ds = Datasette([str(database)], metadata=metadata)
        members = await ds.client.get("/istc/members.json?_shape=array")
        assert members.status_code == 200
        assert {m["name"] for m in members.json()} >= {"Kazakhstan", "Belarus"}
        found = await ds.client.get("/istc/history.json?_search=astana&_shape=array")
        assert found.status_code == 200
        ids = [row["id"] for row in found.json()]
        assert "history:2018-03-01/new-main-office-opens" in ids
        page = await ds.client.get("/istc/members")
        assert page.status_code == 200
        assert "The parties to the ISTC agreement, current and former." in page.text
        assert "the id of the source that states the record" in page.text  # column help
        assert 'name="_search"' in page.text  # the search box

    asyncio.run(run())
    assert metadata["license"] == "MIT" and "What is the ISTC" in metadata["source"]
    tables = metadata["databases"]["istc"]["tables"]
    assert tables["figures"]["columns"]["qualifier"].startswith("`over`")


def test_datasette_and_sqlite_utils_find_the_search_index_with_no_metadata(
    database: Path,
) -> None:
    """Plain `datasette serve istc.db` (no -m) shows the search box and searches, and
    `sqlite-utils search` finds the index: both detect it as sqlite-utils declares it."""
    from datasette.app import Datasette

    async def run() -> None:
        ds = Datasette([str(database)])
        page = await ds.client.get("/istc/history")
        assert page.status_code == 200 and 'name="_search"' in page.text
        found = await ds.client.get("/istc/history.json?_search=astana&_shape=array")
        assert "history:2018-03-01/new-main-office-opens" in [r["id"] for r in found.json()]

    asyncio.run(run())
    import shutil

    sqlite_utils = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent))
    assert sqlite_utils, "the test extra installs sqlite-utils"
    result = subprocess.run(
        [sqlite_utils, "search", str(database), "history", "astana", "--csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all("astana" in row["event"].lower() for row in rows)


def test_the_data_package_is_valid_and_round_trips(package: Path) -> None:
    from frictionless import FrictionlessException, Package

    # What `frictionless.validate(path)` does (read the descriptor, then validate the
    # package), with the package read once: reading 74 resources' metadata is much of
    # frictionless's time. A descriptor it cannot read is a failure here too.
    try:
        loaded = Package(str(package / "datapackage.json"))
    except FrictionlessException as exc:
        pytest.fail(f"frictionless cannot read datapackage.json: {exc}")
    report = loaded.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    members = loaded.get_resource("members").read_rows()
    assert [row["name"] for row in members][:2] == ["Armenia", "European Union"]
    descriptor = json.loads((package / "datapackage.json").read_text())
    resource = next(r for r in descriptor["resources"] if r["name"] == "members")
    assert resource["schema"]["primaryKey"] == ["id"]
    assert {"fields": "source", "reference": {"resource": "sources", "fields": "id"}} in (
        resource["schema"]["foreignKeys"]
    )
    assert descriptor["licenses"][0]["name"] == "MIT" and descriptor["sources"]
    with (package / "figures.csv").open(encoding="utf-8", newline="") as fh:
        figures = {row["id"]: row for row in csv.DictReader(fh)}
    assert figures["research-grants-paid"]["value"] == "569400000"


def test_text_goes_in_exactly_but_package_csv_is_formula_safe(tmp_path: Path) -> None:
    data = yaml.safe_load(MINIMAL.read_text())
    data["programs"][0]["name"] = '=HYPERLINK("http://x")\x1b'
    source = tmp_path / "hostile.yaml"
    source.write_text(yaml.safe_dump(data))
    assert invoke("--data", str(source), "export", "sqlite", str(tmp_path / "h.db")).exit_code == 0
    db = sqlite3.connect(tmp_path / "h.db")
    assert db.execute("SELECT name FROM programs").fetchone()[0] == data["programs"][0]["name"]
    env = {**os.environ, "ISTC_DATA": str(source)}
    done = subprocess.run(
        [str(ISTC), "export", "datapackage", str(tmp_path / "p")], capture_output=True, env=env
    )
    assert done.returncode == 0, done.stderr
    with (tmp_path / "p" / "programs.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.DictReader(fh))["name"] == "'" + data["programs"][0]["name"]


def test_never_overwrites_without_force_and_writes_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = ("--data", str(MINIMAL))  # what is replaced is the point here, not the data
    target = tmp_path / "istc.db"
    target.write_text("precious")
    refused = invoke(*small, "export", "sqlite", str(target))
    assert refused.exit_code == 1 and "exists; add --force" in refused.stderr
    assert target.read_text() == "precious"

    from istc_cli.export import sqlite

    def interrupted(tables: Any, path: str) -> None:
        Path(path).write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(sqlite, "write", interrupted)
    assert invoke(*small, "export", "sqlite", str(target), "--force").exit_code == 130  # Ctrl-C
    assert target.read_text() == "precious"  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["istc.db"]  # no half file left
    monkeypatch.undo()
    assert invoke(*small, "export", "sqlite", str(target), "--force").exit_code == 0
    assert sqlite3.connect(target).execute("SELECT count(*) FROM members").fetchone()[0] == 1

    directory = tmp_path / "pkg"
    directory.mkdir()
    (directory / "keep.txt").write_text("mine")
    refused = invoke(*small, "export", "datapackage", str(directory))
    assert refused.exit_code == 1 and "is not empty; add --force" in refused.stderr
    # --force replaces only a package istc wrote: a directory of the user's own is kept.
    foreign = invoke(*small, "export", "datapackage", str(directory), "--force")
    assert foreign.exit_code == 1 and "not an istc Data Package" in foreign.stderr
    assert (directory / "keep.txt").read_text() == "mine"
    (directory / "keep.txt").unlink()
    assert invoke(*small, "export", "datapackage", str(directory)).exit_code == 0  # empty: allowed
    assert invoke(*small, "export", "datapackage", str(directory), "--force").exit_code == 0
    assert (directory / "datapackage.json").exists()


@pytest.mark.parametrize(
    ("kind", "where", "message"),
    [
        ("sqlite", "missing/dir/istc.db", "does not exist"),
        ("sqlite", ".", "is a directory; give a file name"),
        ("datapackage", "file.txt", "is a file; give a directory name"),
        ("datapackage", "missing/dir/pkg", "does not exist"),
    ],
)
def test_a_bad_path_is_one_clear_line_and_exit_1(
    tmp_path: Path, kind: str, where: str, message: str
) -> None:
    (tmp_path / "file.txt").write_text("x")
    path = tmp_path / where
    # through entry.main; an export's exit 1 from a real process: test_exports_publish
    result = invoke("--data", str(MINIMAL), "export", kind, str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in lines[0]


def test_export_stays_out_of_start_up() -> None:
    loaded = modules_after("members", "--json")
    assert [m for m in loaded if "export" in m or m == "sqlite3"] == []


def test_an_existing_metadata_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "new.db.metadata.json").write_text("{}")
    refused = invoke("export", "sqlite", str(tmp_path / "new.db"))
    assert refused.exit_code == 1 and "metadata.json exists; add --force" in refused.stderr
    assert not (tmp_path / "new.db").exists()


def test_the_docs_name_every_section_table_of_the_export(database: Path) -> None:
    """docs/citations-and-exports.md lists the export's section tables: exactly those,
    none that is not there (a `headquarters` table was listed, long after it went)."""
    import re

    text = (Path(__file__).parent.parent / "docs" / "citations-and-exports.md").read_text()
    listed = text.split("one table per section (", 1)[1].split("), the record id", 1)[0]
    named = set(re.findall(r"`([a-z_]+)`", listed))
    with sqlite3.connect(database) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    sections = {
        t for t in tables
        if t != "statements" and "_fts" not in t
        and not any(t.startswith(f"{o}_") for o in tables if o != t)
    }  # fmt: skip
    assert named == sections
