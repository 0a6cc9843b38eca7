"""The Governing Board record (issue 30): every meeting the stored pages document, its
fields claims of its statement, its attendance evidence for `--at`, its totals points
of the series, and validate's checks of what it names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import MINIMAL, REPO, invoke, run_json

ISTC = Path(sys.executable).with_name("istc")


@pytest.fixture(scope="session")
def meetings() -> dict[int, dict[str, Any]]:
    return {m["number"]: m for m in run_json("meetings")}


def test_the_record_runs_from_the_third_board_to_the_78th(meetings: dict[int, Any]) -> None:
    assert {3, 24, 25, 27, 35, 41, 42, 45, 46, 47, 49, 50, 55, 56, 57, 58, 69, 74, 75, 78} <= set(
        meetings
    )
    assert min(meetings) == 3 and max(meetings) == 78
    seat = meetings[46]
    assert seat["rotating_seat"] == "member:belarus" and seat["approved_projects"] == 18
    assert (seat["approved_usd"], seat["approved_usd_qualifier"]) == (766_000, "over")
    assert seat["approved_eur"] == 3_174_000  # kept apart, never converted


def test_every_attendance_resolves_to_a_party_and_every_chair_to_an_officer(
    meetings: dict[int, Any],
) -> None:
    parties = {m["id"] for m in run_json("members", "--all")}
    officers = {o["id"] for o in run_json("officers")}
    named = 0
    for meeting in meetings.values():
        assert set(meeting["attended"]) <= parties, meeting["number"]
        assert meeting["rotating_seat"] in parties | {None}
        assert meeting["chair"] in officers | {None}
        if meeting["attended_scope"] == "all" and meeting["rotating_seat"]:
            assert meeting["rotating_seat"] in meeting["attended"]
        named += len(meeting["attended"])
    assert named > 100


def test_each_structured_claim_is_credited_to_its_statement(meetings: dict[int, Any]) -> None:
    for number in (35, 46, 56):
        shown = run_json("show", f"meeting:{number}")
        facts = {f["field"]: f for f in shown["facts"]}
        meeting = meetings[number]
        for field in ("attended", "rotating_seat", "approved_projects"):
            if meeting[field]:
                assert facts[field]["source"] == meeting["source"], (number, field)
        locator = meeting["approved_locator"]
        if meeting["approved_projects"] and locator:
            assert facts["approved_projects"]["locator"] == locator


def test_the_boards_totals_are_points_of_the_series() -> None:
    series = {(s["measure"], s["unit"]): s for s in run_json("figures", "--over-time")}
    funding = {p["figure"] for p in series[("cumulative-project-funding", "USD")]["points"]}
    figures = {f["id"]: f for f in run_json("figures")}
    from_boards = {i for i, f in figures.items() if f.get("meeting") and i in funding}
    assert {"funding-2001-03", "funding-2006"} <= from_boards


def test_the_coverage_table_is_generated_from_the_data() -> None:
    text = (REPO / "docs" / "dataset.md").read_text()
    table = text.split("<!-- meetings:start (generated) -->\n")[1].split("<!-- meetings:end")[0]
    generated = subprocess.run(
        [sys.executable, "-m", "istc_cli.docs", "meetings"], capture_output=True, check=True
    ).stdout.decode()
    assert table == generated, "run: python -m istc_cli.docs meetings"
    assert table.count("\n") == 82  # a header, a rule and meetings 1 to 80


def _dataset(tmp_path: Path, meetings: str, figures: str = "") -> Path:
    text = MINIMAL.read_text() + "officers:\n  - {name: One, role: board-chair, source: doc}\n"
    text += "meetings:\n" + meetings
    text = text.replace("figures:\n", "figures:\n" + figures, 1)
    path = tmp_path / "data.yaml"
    path.write_text(text)
    return path


BAD_MEETINGS = [
    ("an attendee that is no party", "attended: [member:nowhere]", "attended[0]"),
    ("a seat holder that is no party", "rotating_seat: member:nowhere", "rotating_seat"),
    (
        "a seat holder missing from a full list",
        "attended: [member:alpha]\n    attended_scope: all\n    rotating_seat: member:beta",
        "rotating_seat",
    ),
    ("a chair who is no officer", "chair: officer:nobody/board-chair", "chair"),
]


@pytest.mark.parametrize(("what", "lines", "named"), BAD_MEETINGS, ids=[b[0] for b in BAD_MEETINGS])
def test_validate_refuses_what_a_meeting_cannot_name(
    tmp_path: Path, what: str, lines: str, named: str
) -> None:
    meeting = (
        f'  - number: 7\n    date: "2001"\n    summary: A meeting.\n    source: doc\n    {lines}\n'
    )
    text = MINIMAL.read_text().replace(
        "members:\n",
        "members:\n  - {name: Beta, kind: state, status: current, roles: [party], source: doc}\n",
        1,
    )
    path = tmp_path / "data.yaml"
    path.write_text(text + "meetings:\n" + meeting)
    ran = invoke("validate", str(path))
    assert ran.exit_code == 3 and f"meetings[0].{named}" in ran.output, (what, ran.output)


def test_two_meetings_with_one_number_and_a_falling_total_are_refused(tmp_path: Path) -> None:
    twice = (
        "  - {number: 7, summary: One., source: doc}\n  - {number: 7, summary: Two., source: doc}\n"
    )
    falling = (
        '  - {id: a, name: Total, value: 20, unit: projects, as_of: "2001", source: doc,'
        " measure: cumulative-projects}\n"
        '  - {id: b, name: Total, value: 10, unit: projects, as_of: "2002", source: doc,'
        " measure: cumulative-projects}\n"
    )
    path = _dataset(tmp_path, twice, falling)
    ran = invoke("validate", str(path))
    assert ran.exit_code == 3
    assert "duplicate record: same number '7'" in ran.output
    assert "falls from 20 (2001) to 10 (2002)" in ran.output


def test_a_dataset_of_your_own_needs_only_the_organisations_name(tmp_path: Path) -> None:
    text = (REPO / "docs" / "dataset.md").read_text()
    example = text.split("### Your own dataset")[1].split("```yaml\n")[1].split("```")[0]
    assert example == (REPO / "tests" / "data" / "your-own.yaml").read_text()
    path = tmp_path / "my-istc.yaml"
    path.write_text(example)
    ran = subprocess.run([str(ISTC), "validate", str(path)], capture_output=True, check=False)
    assert ran.returncode == 0, ran.stderr
    for args in (["glossary"], ["about"], ["members", "--at", "2010"], ["search", "center"]):
        listed = invoke("--data", str(path), *args, "--json")
        assert listed.exit_code == 0, (args, listed.stderr)
    name_only = tmp_path / "name.yaml"
    name_only.write_text("organization:\n  name: A Center\n")
    assert invoke("--data", str(name_only), "about", "--json").exit_code == 0
    export = tmp_path / "out.db"
    assert invoke("--data", str(path), "export", "sqlite", str(export)).exit_code == 0
