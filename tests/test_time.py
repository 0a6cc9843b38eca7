"""Claims and time (issue 28): each claim with its own document, dated events with kinds,
and one function that answers a date for every view.

The cases are the ones an analyst found wrong; the properties run over the whole
bundled dataset: every claim's document is dated no later than what it states (or the
claim says it is a plan or worked out), and every view answers every month from 1990
to 2026 the same way."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from istc_cli import model, overview, queries
from istc_cli.loader import load_path
from istc_cli.model import time

from .conftest import BUNDLED, MINIMAL, invoke, run_json

ISTC = Path(sys.executable).with_name("istc")


@pytest.fixture(scope="session")
def ds() -> model.Dataset:
    dataset: model.Dataset = load_path(str(BUNDLED), bundled=True).dataset
    return dataset


def _at(command: str, at: str, *extra: str) -> dict[str, dict[str, Any]]:
    rows = run_json(command, "--at", at, "--all", *extra)
    return {r.get("name") or r.get("city"): r for r in rows}


# ---------------------------------------------------------------- the claim is the unit


def _dated_claims(ds: model.Dataset) -> list[tuple[str, str, str, bool]]:
    """(record, date, source, exempt) for every claim that states a date: a field of a
    date role or an item of a list of dates, each with its own document, and every
    event's date and end; exempt when worked out or announced as a plan."""
    out = []
    records = [r for name, _ in model_sections() for r in _as_tuple(getattr(ds, name))]
    for record in records:
        cls = type(record)
        derived = set(getattr(record, "derived", ()) or ())
        decided = set(getattr(record, "decisions", ()) or ())
        for fact in model.facts(record):
            role = model.role_of(cls, fact.field)
            if role not in (model.FieldRole.DATE, model.FieldRole.END) or fact.conflict:
                continue
            if cls is model.Figure and fact.field == "as_of":
                continue  # a figure holds as of a date at or before its document's
            exempt = fact.field in derived or fact.field in decided
            out.append((str(record.id), str(fact.value), fact.source, exempt))
        for event in getattr(record, "events", ()) or ():
            for date in (event.date, event.until):
                if date:
                    out.append(
                        (str(record.id), date, event.source, event.decision or event.derived)
                    )
    return out


def model_sections() -> list[tuple[str, type]]:
    from istc_cli.field_types import listed_sections

    return [(n, c) for n, c in listed_sections() if n != "sources"]


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else (value,)


def test_no_document_states_what_happened_after_it_was_written(ds: model.Dataset) -> None:
    written = {s.id: s.date or s.as_of for s in ds.sources}
    claims = _dated_claims(ds)
    assert len(claims) > 150  # the property below is not vacuous
    later = [
        (record, date, source)
        for record, date, source, exempt in claims
        if not exempt and written.get(source) and time.compare(date, written[source]) == ">"
    ]
    assert later == []
    plans = [
        c for c in claims if c[3] and written.get(c[2]) and time.compare(c[1], written[c[2]]) == ">"
    ]
    assert plans  # the plans are there, and say so


def test_claims_once_gathered_under_one_note_have_each_their_own_document() -> None:
    officers = {o["name"]: o for o in run_json("officers")}
    lehman = officers["Ronald F. Lehman II"]
    extensions = {e["until"]: e for e in lehman["events"] if e["kind"] == "extension"}
    assert extensions["2010-04"]["source"] == "istc-gb45-statement"  # not the 2006 statement
    assert extensions["2010-04"]["decision"] is True  # decided in April 2008
    assert extensions["2008-04-01"]["source"] == "istc-gb41-statement"
    attested = dict(zip(lehman["attested"], lehman["attested_sources"], strict=True))
    assert attested["2024-06-05"] == "istc-gb78"
    vdm = {n["source"] for n in officers["Adriaan van der Meer"]["notes"]}
    assert "istc-annual-report-2010" in vdm
    assert officers["Adriaan van der Meer"]["decisions"] == ["since"]  # a plan, not attested
    assert "2008-05-01" not in officers["Adriaan van der Meer"]["attested"]
    gudowski = [
        e["source"] for e in officers["Waclaw Gudowski"]["events"] if e["kind"] == "extension"
    ]
    assert gudowski == ["istc-gb46", "istc-gb49"]  # not the 2006 statement
    kokenov = officers["Rashitdin Kokenov"]
    assert any(n["source"] == "istc-astana-premises-2018" for n in kokenov["notes"])
    members = {m["name"]: m for m in run_json("members", "--all")}
    russia = {n["source"] for n in members["Russian Federation"]["notes"]}
    assert {"istc-gb54-statement", "istc-russia-withdrawal"} <= russia
    assert members["Russian Federation"]["status_locator"] == "paragraphs 4-5"
    assert members["Belarus"]["note"] is None  # its old note mixed four documents
    assert "istc-belarus-branch" in {n["source"] for n in members["Belarus"]["notes"]}


def test_former_parties_no_list_names_are_credited_as_worked_out() -> None:
    about = run_json("about")
    former = [f for f in about["facts"] if f["field"] == "former_parties"]
    by_position = {}
    for fact in former:
        by_position.setdefault(fact["position"], []).append(fact)
    names = about["former_parties"]
    for i, name in enumerate(names, start=1):
        if name.split(" (")[0] in ("Belarus", "Sweden", "Finland"):
            [fact] = by_position[i]
            assert fact["derived"] is True and "fact-sheet-2018" in fact["derived_from"], fact


def test_about_before_the_founding_has_no_headquarters_as_offices_says() -> None:
    """Before November 1992 `offices --at` knows every headquarters did not hold yet:
    `about --at` says `none`, not that the sources cannot tell."""
    offices = _at("offices", "1990")
    seats = [o for o in offices.values() if o["kind"] == "headquarters"]
    assert seats and {o["standing"] for o in seats} == {"closed"}
    about = run_json("about", "--at", "1990")
    assert about["headquarters"] == "none"
    credited = {(f["record"], f["source"]) for f in about["facts"] if f["field"] == "headquarters"}
    evidence = {(o["id"], e["source"]) for o in seats for e in o["evidence"]}
    assert credited == evidence  # `none` rests on what places each seat later
    assert run_json("about", "--at", "1993")["headquarters"] == "Moscow"


# ---------------------------------------------------------------- events with kinds


def test_a_signature_is_not_membership_until_the_protocol_took_effect() -> None:
    found = _at("members", "1993-06-01")
    for name in ("European Union", "Japan", "United States", "Russian Federation"):
        assert found[name]["standing"] == "signatory", name
        assert any(e["fact"] == "signed" for e in found[name]["evidence"])
    assert _at("members", "1994-03-02")["Japan"]["standing"] == "party"
    # a year or a month that holds the day the Protocol took effect cannot be placed
    # against it: no definite "signatory" while Georgia is already a party in 1994
    for at in ("1994", "1994-03"):
        then = _at("members", at)
        assert {then[n]["standing"] for n in ("European Union", "Japan")} == {"unknown"}, at
    about = run_json("about", "--at", "1993-06-01")
    assert about["parties"] == 0 and "Japan" in about["signatories"]


def test_terms_and_stated_absences_are_facts() -> None:
    officers = _at("officers", "2009-01-01")
    assert officers["Sergey Vorobyov"]["standing"] == "in-office"  # two years from 2007-04-16
    assert officers["Yasuhiro Yukimatsu"]["standing"] == "in-office"  # from 2008-07-07
    assert any(
        e["fact"] == "term-end" and e["derived"] for e in officers["Sergey Vorobyov"]["evidence"]
    )
    kokenov = _at("officers", "2018-03-01")["Rashitdin Kokenov"]
    assert kokenov["standing"] == "not-in-office"
    assert kokenov["evidence"][0]["fact"] == "absence"


def test_roles_hold_from_the_dates_their_sources_give() -> None:
    hosts = run_json("members", "--at", "2000", "--role", "hq-host")
    assert [m["name"] for m in hosts] == ["Russian Federation"]  # Kazakhstan only from 2015
    assert invoke("members", "--at", "1997", "--role", "board", "--json").stdout.strip() == "[]"
    board = {m["name"] for m in run_json("members", "--at", "2018-09", "--role", "board")}
    assert board == {"European Union", "Japan", "Kazakhstan", "United States"}
    russia_2000 = _at("members", "2000")["Russian Federation"]
    assert "board" not in russia_2000["roles"] and "hq-host" in russia_2000["roles"]


# ---------------------------------------------------------------- one answer per date


def test_about_and_offices_read_one_seat(ds: model.Dataset) -> None:
    about = run_json("about", "--at", "2018-09")
    offices = _at("offices", "2018-09")
    assert (
        about["headquarters"]
        == "Astana"
        == next(
            n for n, o in offices.items() if o["kind"] == "headquarters" and o["standing"] == "open"
        )
    )
    assert run_json("about", "--at", "1980")["previous_headquarters"] == []
    assert run_json("about", "--at", "2016")["previous_headquarters"] == [
        "Moscow (1992-11 to 2015-07)"
    ]


def test_about_leaves_out_facts_first_stated_for_a_later_date() -> None:
    then = run_json("about", "--at", "2010")
    assert then["associations"] is None  # "over 56 countries" is the 2018 fact sheet's
    assert then["mission_since_2015"] is None
    assert then["established"] == "1992-11"  # about the founding: holds from it on
    assert not [f for f in then["facts"] if f["field"] == "associations"]
    assert run_json("about", "--at", "2018-09")["associations"]


def _months() -> list[str]:
    return [f"{y}-{m:02d}" for y in range(1990, 2027) for m in range(1, 13)]


def _seat(standings: dict[str, str]) -> str:
    """What `about` names as the headquarters, from each headquarters' standing: the one
    open, `none` when every one is known closed (or not yet open), else `unknown`."""
    open_ = [city for city, standing in standings.items() if standing == "open"]
    if len(open_) == 1:
        return open_[0]
    return "none" if set(standings.values()) == {"closed"} else "unknown"


def test_every_view_answers_every_month_alike(ds: model.Dataset) -> None:
    by_id = {r.id: r for r in (*ds.members, *ds.offices, *ds.officers)}  # looked up once
    for at in _months():
        moment = time.at(ds, at)
        about = overview.about(ds, path="x", at=at).records[0]
        offices = queries.offices(ds, include_former=True, at=at).records
        members = queries.members(ds, include_former=True, at=at).records
        officers = queries.officers(ds, include_former=True, at=at).records
        seats = {o.city: o.standing for o in offices if o.kind == "headquarters"}
        assert about.headquarters == _seat(seats), at
        both = sum(standing == "open" for standing in seats.values()) > 1  # a move's month
        assert list(about.unknown_offices) == [
            city for city, standing in seats.items()
            if standing == "unknown" or (both and standing == "open")
        ], at  # fmt: skip
        assert list(about.party_names) == [m.name for m in members if m.standing == "party"], at
        assert list(about.unknown_parties) == [m.name for m in members if m.standing == "unknown"]
        branches = [
            f"{o.city} ({o.country})"
            for o in offices
            if o.kind == "branch" and o.standing == "open"
        ]
        assert list(about.branch_offices) == branches, at
        for found in (*members, *offices, *officers):
            answer = moment.of(by_id[found.id])  # type: ignore[union-attr]
            assert found.standing == answer.word, (at, found.id)  # type: ignore[union-attr]
            assert found.evidence == answer.evidence  # type: ignore[union-attr]


@pytest.mark.parametrize("at", ["1993-06", "2001-10-22", "2010", "2013-06-26", "2018-09", "2024"])
def test_the_published_json_of_every_view_agrees_at_a_date(at: str) -> None:
    about = run_json("about", "--at", at)
    members = _at("members", at)
    offices = _at("offices", at)
    assert about["party_names"] == [n for n, m in members.items() if m["standing"] == "party"]
    seats = {n: o["standing"] for n, o in offices.items() if o["kind"] == "headquarters"}
    assert about["headquarters"] == _seat(seats)
    for name, member in members.items():
        shown = run_json("show", member["id"], "--at", at)
        [standing] = shown["standings"]
        assert standing["standing"] == member["standing"], (at, name)
        assert standing["evidence"] == member["evidence"]


# ---------------------------------------------------------------- contradictions


def _dataset(tmp_path: Path, members: str = "", officers: str = "") -> Path:
    text = MINIMAL.read_text()
    text = text.replace("members:\n", "members:\n" + members, 1)
    if officers:
        text += "officers:\n" + officers
    path = tmp_path / "data.yaml"
    path.write_text(text)
    return path


def test_an_absence_then_a_later_attestation_is_unknown_with_both_sides(tmp_path: Path) -> None:
    data = _dataset(
        tmp_path,
        members=(
            "  - name: Beta\n    kind: state\n    status: current\n    roles: [party]\n"
            "    source: doc\n"
            '    attested: ["1998", "2012"]\n'
            '    absent: ["2005"]\n'
        ),
    )
    between = run_json("--data", str(data), "members", "--at", "2008", "--all")
    [beta] = [m for m in between if m["name"] == "Beta"]
    assert beta["standing"] == "unknown"
    assert {e["fact"] for e in beta["evidence"]} >= {"absent", "attested"}
    after = run_json("--data", str(data), "members", "--at", "2013", "--all")
    [beta] = [m for m in after if m["name"] == "Beta"]
    assert beta["standing"] != "not-party"
    assert "2012" in {e["date"] for e in beta["evidence"]}  # the last attestation is kept


def test_two_holders_of_one_office_leave_both_unknown(tmp_path: Path) -> None:
    officers = "".join(
        f"  - name: {name}\n    role: executive-director\n    source: doc\n"
        '    attested: ["2001", "2003"]\n'
        for name in ("One", "Two")
    )
    data = _dataset(tmp_path, officers=officers)
    found = {
        o["name"]: o for o in run_json("--data", str(data), "officers", "--at", "2002", "--all")
    }
    assert found["One"]["standing"] == found["Two"]["standing"] == "unknown"
    assert any(e["fact"] == "also-held-by" for e in found["One"]["evidence"])


# ---------------------------------------------------------------- fields, genres, bad input


def test_fields_know_the_at_fields_in_a_real_process() -> None:
    ran = subprocess.run(
        [str(ISTC), "members", "--at", "2010", "--all", "-o", "csv", "--fields", "name,standing"],
        capture_output=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.decode().splitlines()
    assert lines[0] == "name,standing" and "Russian Federation,party" in lines


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "[Press release]"),
        ("bibtex", "howpublished = {Press release}"),
        ("ris", "M3  - Press release"),
        ("csl-json", '"genre": "Press release"'),
    ],
)
def test_a_source_cites_its_own_genre(fmt: str, expected: str) -> None:
    ran = invoke("cite", "istc-gb75-press-release", "--format", fmt)
    assert ran.exit_code == 0 and expected in ran.stdout
    assert "Fact sheet" not in ran.stdout


BAD_CLAIMS = [
    ("a note without a source", "    notes:\n      - text: Said somewhere.\n", "notes[0]"),
    (
        "an unknown event kind",
        '    events:\n      - {kind: rumour, date: "2000", source: doc}\n',
        "kind",
    ),
    (
        "a negative term",
        '    events:\n      - {kind: term, date: "2000", months: -3, source: doc}\n',
        "months",
    ),
    ("worked out from nothing", '    joined: "1999"\n    derived: [joined]\n', "joined_from"),
    ("after its document", '    attested: ["2021"]\n', "attested[0]"),
]


@pytest.fixture(scope="session")
def validated_claims(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Path], subprocess.CompletedProcess[bytes]]:
    """Each bad claim in a file of its own, and one run of the installed `istc validate`
    over all the files (it checks each file it is given, and says which: one process
    rather than one per file)."""
    member = (
        "  - name: Beta\n    kind: state\n    status: current\n    roles: [party]\n"
        "    source: doc\n"
    )
    files = {
        what: _dataset(tmp_path_factory.mktemp("claim"), members=member + lines)
        for what, lines, _ in BAD_CLAIMS
    }
    ran = subprocess.run(
        [str(ISTC), "validate", *map(str, files.values())], capture_output=True, check=False
    )
    return files, ran


@pytest.mark.parametrize(("what", "lines", "named"), BAD_CLAIMS, ids=[c[0] for c in BAD_CLAIMS])
def test_validate_names_each_bad_claim_in_its_file(
    validated_claims: tuple[dict[str, Path], subprocess.CompletedProcess[bytes]],
    what: str,
    lines: str,
    named: str,
) -> None:
    files, ran = validated_claims
    data = files[what]
    assert ran.returncode == 3, (what, ran.stderr)
    # this file's own problems: each of its lines names it; and the summary counts them
    own = [line for line in ran.stdout.decode().splitlines() if line.startswith(f"{data}:")]
    assert own and any(named in line for line in own), (what, ran.stdout)
    assert re.search(rf"istc: \d+ problems? in {re.escape(str(data))}$", ran.stderr.decode(), re.M)
    assert f"{data} is valid" not in ran.stderr.decode(), what


def test_an_unknown_genre_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace(
        "    kind: primary\n", "    kind: primary\n    genre: rumour\n", 1
    )
    path = tmp_path / "data.yaml"
    path.write_text(text)
    ran = json.loads(invoke("validate", str(path), "--json").stdout)
    assert ran and "genre" in json.dumps(ran)
