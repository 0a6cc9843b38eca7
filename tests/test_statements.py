"""The statement is the unit of provenance: over the whole bundled dataset, every fact
another document states than its record's own is credited to that document in every
view people quote from (tables with --sources, search, cite, the export), and `--at`
and `--over-time` answer from the sources' dates.

The expected credit is read from the published JSON (`X_source`, the per-item
`X_sources`, `conflicts`), not from the code that the views share."""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from .conftest import invoke, run_json

LISTINGS = ("members", "offices", "history", "figures", "meetings", "officers", "statement")


def _listing(command: str) -> list[dict[str, Any]]:
    """A listing's published JSON records (read once per worker, parsed afresh)."""
    return json.loads(_listed(command))


@functools.cache
def _listed(command: str) -> str:
    result = invoke(command, *(["--all"] if command in ("members", "offices") else []), "--json")
    assert result.exit_code == 0, result.output
    return result.stdout


def own_credits(record: dict[str, Any]) -> list[tuple[str, int | None, str]]:
    """(field, item, source) of each fact the record credits to a document of its own."""
    out: list[tuple[str, int | None, str]] = []
    for key, value in record.items():
        if key.endswith("_sources") and isinstance(value, list):
            field = key[: -len("_sources")]
            out += [(field, i, s) for i, s in enumerate(value) if s]
        elif key.endswith("_source") and value and record.get(key[: -len("_source")]):
            out.append((key[: -len("_source")], None, value))
    out += [(c["field"], None, c["source"]) for c in record.get("conflicts", [])]
    for field in ("notes", "events"):  # claims of their own, each with its document
        out += [(field, i, c["source"]) for i, c in enumerate(record.get(field) or [])]
    if record.get("ids_source"):  # one table gives a party's ISO codes and Wikidata item
        out += [(f, None, record["ids_source"]) for f in ("iso2", "iso3", "wikidata") if record[f]]
    return [(f, i, s) for f, i, s in out if s != record.get("source")]


def everything() -> list[tuple[str, dict[str, Any]]]:
    return [(command, record) for command in LISTINGS for record in _listing(command)]


def test_the_dataset_has_facts_stated_by_other_documents_than_their_records() -> None:
    credited = [c for _, r in everything() for c in own_credits(r)]
    assert len(credited) > 100  # the property below is not vacuous


def test_every_such_fact_is_a_statement_of_the_export(tmp_path: Path) -> None:
    path = tmp_path / "istc.db"
    assert invoke("export", "sqlite", str(path)).exit_code == 0
    db = sqlite3.connect(path)
    rows = set(db.execute("SELECT record_id, field, position, source_id FROM statements"))
    for _, record in everything():
        for field, item, source in own_credits(record):
            position = None if item is None else item + 1
            assert (record["id"], field, position, source) in rows, (record["id"], field)
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_every_shown_fact_names_its_own_source_in_the_sources_column() -> None:
    titles = {s["id"]: s["title"] for s in run_json("sources")}
    for command in LISTINGS:
        records = _listing(command)
        extra = ["--all"] if command in ("members", "offices") else []
        lines = invoke(command, *extra, "--sources").stdout.splitlines()  # piped: plain lines
        assert len(lines) == len(records)
        shown = _table_fields(command)
        for record, line in zip(records, lines, strict=True):
            column = line.split("\t")[-1]
            assert titles[record["source"]] in column
            for field, _, source in own_credits(record):
                if field in shown:
                    assert f"{field}" in column and titles[source] in column, (
                        record["id"],
                        field,
                        column,
                    )


def _table_fields(command: str) -> set[str]:
    from istc_cli.commands import COMMANDS

    spec = next(c for c in COMMANDS if c.name == command)
    return set(spec.record_type.table_fields)


def test_citing_a_record_cites_every_document_behind_its_facts() -> None:
    for _, record in everything():
        credited = {source for _, _, source in own_credits(record)}
        if not credited:
            continue
        ran = invoke("cite", record["id"], "-o", "csl-json")
        assert ran.exit_code == 0, ran.output
        ids = {item["id"] for item in json.loads(ran.stdout)}
        assert record["id"] in ids
        for source in credited:
            assert f"{record['id']}/{source}" in ids, (record["id"], source)


def test_a_search_hit_on_a_note_carries_the_notes_own_source_and_no_foreign_place() -> None:
    checked = 0
    for _, record in everything():
        notes = [("note", record.get("note"), record.get("note_source"), None)]
        notes += [
            ("notes.text", n["text"], n["source"], n["locator"]) for n in record.get("notes") or []
        ]
        for field, text, source, locator in notes:
            if not (text and source) or source == record["source"]:
                continue
            words = re.findall(r"[A-Za-z]{4,}", text)[:4]
            hits = run_json("search", *words)
            mine = [h for h in hits if h["id"] == record["id"] and h["field"] == field]
            assert mine, (record["id"], words)
            assert mine[0]["source"] == source
            assert mine[0]["locator"] == locator  # a place in one document, never another's
            checked += 1
    assert checked >= 10


# ---------------------------------------------------------------- --at


def _standing(command: str, at: str, *extra: str) -> dict[str, dict[str, Any]]:
    rows = run_json(command, "--at", at, *extra)
    return {r.get("name") or r.get("city"): r for r in rows}


def test_members_at_2010_places_each_party_from_its_sources() -> None:
    found = _standing("members", "2010", "--all")
    for name in ("Russian Federation", "Canada", "Belarus", "Armenia", "Tajikistan"):
        assert found[name]["standing"] == "party", name
    # funding parties by 1997; no source says when that ended
    assert found["Sweden"]["standing"] == found["Finland"]["standing"] == "unknown"
    for row in found.values():
        assert row["at"] == "2010" and row["evidence"]
        for evidence in row["evidence"]:
            assert {"fact", "date", "source", "derived"} <= evidence.keys()
    russia = found["Russian Federation"]  # shown at the Boards either side of the date
    assert any(
        e["fact"] == "attendance" and e["source"] == "istc-gb50" and e["note"] == "Board 50"
        for e in russia["evidence"]
    )


def test_members_at_a_meetings_date_names_that_meeting_among_the_evidence() -> None:
    meetings = run_json("meetings")
    checked = 0
    for meeting in meetings:
        if not meeting["date"] or not meeting["attended"]:
            continue
        found = {r["id"]: r for r in run_json("members", "--at", meeting["date"], "--all")}
        for party in meeting["attended"]:
            row = found[party]
            assert row["standing"] in ("party", "unknown"), (meeting["number"], party)
            assert (
                any(
                    e["note"] == f"Board {meeting['number']}" and e["source"] == meeting["source"]
                    for e in row["evidence"]
                )
                or row["standing"] == "unknown"
            ), (meeting["number"], party, row["evidence"])
            checked += 1
    assert checked > 100


def test_partial_dates_decide_only_at_the_precision_both_give() -> None:
    korea = "South Korea"
    assert _standing("members", "1996", "--all")[korea]["standing"] == "not-party"
    assert _standing("members", "1997", "--all")[korea]["standing"] == "party"  # joined 1997
    canada = _standing("members", "2013", "--all")["Canada"]  # left "2013-11", derived
    assert canada["standing"] == "unknown"
    assert _standing("members", "2014", "--all")["Canada"]["standing"] == "not-party"
    later = _standing("members", "2013-12", "--all")["Canada"]
    assert later["standing"] == "not-party"
    assert any(e["fact"] == "left" and e["derived"] for e in later["evidence"])
    # nothing held before the organisation was established (1992-11)
    assert all(r["standing"] == "not-party" for r in _standing("members", "1991", "--all").values())


def test_without_all_the_known_non_parties_are_left_out_with_a_hint() -> None:
    ran = invoke("members", "--at", "2020", "--json")
    names = {r["name"] for r in json.loads(ran.stdout)}
    assert "Russian Federation" not in names and "Armenia" in names
    ran = invoke("members", "--at", "1991")
    assert ran.exit_code == 0 and ran.stdout == "" and "--all" in ran.stderr


def test_disputed_dates_leave_the_standing_open_and_name_both_accounts() -> None:
    astana = _standing("offices", "2014-10", "--all")["Astana"]
    assert astana["standing"] == "unknown"
    sources = {e["source"] for e in astana["evidence"]}
    assert {"fact-sheet-2018", "istc-astana-premises-2018"} <= sources
    assert _standing("offices", "2016")["Astana"]["standing"] == "open"


def test_about_and_officers_at_2010() -> None:
    about = run_json("about", "--at", "2010")
    assert about["headquarters"] == "Moscow" and about["at"] == "2010"
    assert "Russian Federation" in about["party_names"]
    assert about["unknown_parties"] == ["Sweden", "Finland"]
    officers = _standing("officers", "2010", "--all")
    assert officers["Ronald F. Lehman II"]["standing"] == "in-office"
    assert officers["Adriaan van der Meer"]["standing"] == "in-office"
    assert officers["Norbert Jousten"]["standing"] == "not-in-office"
    # one Executive Director at a time: van der Meer's office leaves Cleave out of it
    assert officers["David Cleave"]["standing"] == "not-in-office"


@pytest.mark.parametrize(
    "bad", ["2010-13", "20100", "٢٠١٠", "1899", "2101", "2010-02-30", "soon", "", "2010-1"]
)
def test_at_takes_only_real_dates_from_1900_to_2100(bad: str) -> None:
    for command in ("members", "offices", "officers", "about"):
        ran = invoke(command, "--at", bad)
        assert ran.exit_code == 2, (command, bad)
        assert "YYYY-MM-DD" in ran.stderr


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "json", "markdown"])
def test_at_and_over_time_work_in_every_format(fmt: str) -> None:
    for args in (("members", "--at", "2010"), ("figures", "--over-time")):
        ran = invoke(*args, "-o", fmt)
        assert ran.exit_code == 0 and ran.stdout.strip(), (args, fmt, ran.stderr)


def test_figures_over_time_in_date_order_with_qualifier_and_source() -> None:
    series = run_json("figures", "--over-time")
    measures = {s["measure"]: s for s in series}
    assert {"cumulative-projects", "cumulative-project-funding"} <= set(measures)
    figures = {f["id"]: f for f in run_json("figures")}
    for one in series:
        dates = [p["date"] for p in one["points"]]
        assert dates == sorted(dates) and dates
        for point in one["points"]:
            if point["figure"] is None:  # a Board meeting's approvals (tests/test_views.py)
                continue
            figure = figures[point["figure"]]
            assert (point["value"], point["qualifier"], point["source"]) == (
                figure["value"], figure["qualifier"], figure["source"]
            )  # fmt: skip
            assert figure["unit"] == one["unit"] and figure["as_of"] == point["date"]


def test_the_schema_lists_the_new_outputs() -> None:
    schema = json.loads(invoke("schema").stdout)["commands"]
    members = schema["members"]
    assert "MemberAt" in members["$defs"]
    assert {"at", "standing", "evidence"} <= members["$defs"]["MemberAt"]["properties"].keys()
    assert "Series" in schema["figures"]["$defs"]


def test_about_at_a_date_counts_as_former_only_those_known_to_have_been_parties() -> None:
    later = run_json("about", "--at", "2020")
    # Sweden and Finland: parties by 1997 (no join date), not on the 2018 list
    assert {"Sweden", "Finland", "Belarus"} <= set(later["former_parties"])
    early = run_json("about", "--at", "1991")  # before the ISTC: nobody had been a party
    assert early["former_parties"] == [] and early["parties"] == 0


# ---------------------------------------------------------------- show and about


def _flat(drawing: str) -> str:
    """A drawing's words in order, its borders gone: wrapped lines join again."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", drawing).split())


def _expected_sources(record: dict[str, Any]) -> dict[tuple[str, int | None], str]:
    """(field, position from 1) -> the source the published JSON gives that fact."""
    accounts = {(c["field"], c["source"]) for c in record.get("conflicts", [])}
    return {
        (field, None if item is None else item + 1): source
        for field, item, source in own_credits(record)
        if item is not None or (field, source) not in accounts
    }


def test_show_gives_each_fact_of_every_record_with_its_own_source() -> None:
    titles = {s["id"]: s["title"] for s in run_json("sources")}
    checked = 0
    for _, record in everything():
        profile = run_json("show", record["id"])
        facts = [f for f in profile["facts"] if f["record"] == record["id"]]
        assert facts, record["id"]
        expected = _expected_sources(record)
        for fact in facts:
            if fact["conflict"]:
                accounts = [c for c in record["conflicts"] if c["field"] == fact["field"]]
                assert fact["source"] in {c["source"] for c in accounts}
                continue
            key = (fact["field"], fact["position"])
            whole = (fact["field"], None)
            want = expected.get(key) or expected.get(whole) or record["source"]
            assert fact["source"] == want, (record["id"], key, fact["source"], want)
        credited = {(f["field"], f["position"], f["source"]) for f in facts}
        for (field, position), source in expected.items():
            assert (field, position, source) in credited, (record["id"], field, position)
            checked += 1
        # the drawing prints each of those documents, under the facts they state
        drawn = _flat(invoke("show", record["id"], "-o", "table", env={"COLUMNS": "200"}).stdout)
        for source in {record["source"], *expected.values()}:
            assert " ".join(titles[source].split()) in drawn, (record["id"], source)
    assert checked > 100


def test_about_credits_each_line_to_the_records_it_gathers() -> None:
    about = run_json("about")
    members = {m["name"]: m for m in run_json("members", "--all")}
    offices = {o["city"]: o for o in run_json("offices")}
    figures = {f["id"]: f for f in run_json("figures")}

    def credited(field: str, position: int | None = None) -> list[dict[str, Any]]:
        return [f for f in about["facts"] if f["field"] == field and f["position"] == position]

    for i, name in enumerate(about["party_names"], start=1):
        member = members[name]
        [fact] = credited("party_names", i)
        assert fact["record"] == member["id"]
        assert fact["source"] == (member.get("status_source") or member["source"])
    for i, label in enumerate(about["branch_offices"], start=1):
        office = offices[label.split(" (")[0]]
        assert {f["source"] for f in credited("branch_offices", i)} == {office["source"]}
    for i, figure in enumerate(about["headline_figures"], start=1):
        [fact] = credited("headline_figures", i)
        assert fact["source"] == figures[figure["id"]]["source"]
    for i, label in enumerate(about["former_parties"], start=1):
        member = members[label.split(" (")[0]]
        own = {member.get("status_source") or member["source"]}
        own |= {member.get("left_source") or member["source"]} if member.get("left") else set()
        assert {f["source"] for f in credited("former_parties", i)} == own
        # the list of their sources names what makes each former, not its whole record's
        assert about["former_parties_sources"][i - 1] == (
            member.get("status_source") or member["source"]
        )
    since = credited("headquarters_since")  # the fact sheet's July 2015, the premises' 2014
    assert {(f["value"], f["conflict"]) for f in since} == {("2015-07", False), ("2014", True)}
    # the panel names every one of those documents
    titles = {s["id"]: s["title"] for s in run_json("sources")}
    drawn = _flat(invoke("about", "--full", "-o", "table", env={"COLUMNS": "200"}).stdout)
    undrawn = {"name", "acronym", "coordinates_efforts_of", "purpose", "mission_since_2015"}
    for fact in about["facts"]:
        if fact["field"] in undrawn:
            continue  # the title, and the prose --full leaves to the JSON
        assert " ".join(titles[fact["source"]].split()) in drawn, fact


def test_about_at_a_date_credits_each_party_to_the_evidence_of_its_standing() -> None:
    later = run_json("about", "--at", "2016")
    then = {m["name"]: m for m in run_json("members", "--at", "2016", "--all")}
    for i, label in enumerate(later["former_parties"]):  # what members --at says shows it
        member = then[label.split(" (")[0]]
        assert member["standing"] == "not-party"
        assert later["former_parties_sources"][i] == member["evidence"][0]["source"], label
    about = run_json("about", "--at", "2010")
    standing = _standing("members", "2010", "--all")
    for i, name in enumerate(about["party_names"], start=1):
        facts = [f for f in about["facts"] if f["field"] == "party_names" and f["position"] == i]
        evidence = {e["source"] for e in standing[name]["evidence"]}
        assert facts and {f["source"] for f in facts} == evidence, name


def test_about_at_a_date_claims_no_role_only_the_2018_fact_sheet_gives() -> None:
    then = run_json("about", "--at", "2010")
    assert then["board_members"] == [] and then["office_hosts"] == []
    assert not [f for f in then["facts"] if f["field"] in ("board_members", "office_hosts")]
    now = run_json("about")
    assert now["office_hosts"] == ["Armenia", "Georgia", "Kyrgyz Republic", "Tajikistan"]
