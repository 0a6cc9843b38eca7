"""The dataset's content: attribution, nothing over-claimed, nothing missing, and every
fact findable the way the sources word it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from istc_cli import ids

from .conftest import BUNDLED, invoke, load_yaml, run_json
from .seeds import is_line, paragraph_says, paragraphs, says

LISTINGS = (
    "members", "offices", "history", "figures", "programs", "regimes", "initiatives",
    "mission", "strategy", "statement", "meetings", "officers", "glossary", "sources",
)  # fmt: skip


def everything() -> list[tuple[str, dict[str, Any]]]:
    """(command, record) for every record of every listing command, former parties too."""
    return [(c, r) for c in LISTINGS for r in run_json(*([c, "--all"] if c == "members" else [c]))]


def by(command: str, key: str, *extra: str) -> dict[str, dict[str, Any]]:
    return {r[key]: r for r in run_json(command, *extra)}


# ---------------------------------------------------------------- attribution


def test_every_note_names_its_own_source_where_another_page_states_it() -> None:
    members = by("members", "name", "--all")
    assert members["Armenia"]["note_source"] == "cordis-commission-support-1997"
    assert members["Norway"]["note_source"] == "cordis-istc-third-year"
    # A record whose notes come from several documents has one note per document.
    eu = {n["source"] for n in members["European Union"]["notes"]}
    assert eu == {"cordis-protocol-1992", "cordis-agreement-1992"}
    russia = {n["text"]: n["source"] for n in members["Russian Federation"]["notes"]}
    [note] = [t for t in russia if "13 July 2011" in t]
    assert russia[note] == "istc-gb54-statement"  # not the withdrawal page, which lacks it
    about = run_json("about")
    assert about["sister_center_source"] == "stcu-about"
    assert about["headquarters_source"] == "fact-sheet-2018"
    hits = run_json("search", "Nur-Sultan", "March", "2019")
    assert any(h["field"] == "notes.text" and h["source"] == "tass-astana-rename" for h in hits)
    moscow = [
        h for h in run_json("search", "Moscow", "office", "stops") if h["field"].endswith("text")
    ]
    assert moscow and all(h["source"] == "istc-russia-withdrawal" for h in moscow)


def test_the_datasets_date_is_no_earlier_than_any_source_was_read() -> None:
    """`istc --version` prints the dataset's date: a source read after it would make the
    date claim the data older than it is."""
    data = load_yaml(BUNDLED.read_bytes())
    read = max(s["accessed"] for s in data["sources"] if s.get("accessed"))
    assert data["meta"]["date"] >= read


def test_tajikistans_board_representative_is_the_ministrys_notice() -> None:
    """A research fact of high confidence, with the ISTC page that states it."""
    [member] = [m for m in run_json("members") if m["name"] == "Tajikistan"]
    [note] = [n for n in member["notes"] if "Khushvakhtzoda Kobiljon Khushvakht" in n["text"]]
    assert note["source"] == "istc-tajikistan-board-member"
    assert "National Academy of Sciences" in note["text"]


def test_the_advisory_committees_size_is_the_ministers_meeting_page() -> None:
    """A research fact of high confidence, stated of the organisation by its own page."""
    shown = run_json("show", "org:istc")
    [note] = [f for f in shown["facts"] if f["field"] == "notes" and "six members" in f["value"]]
    assert note["source"] == "istc-minister-meeting" and note["locator"] == "paragraph 3"


def test_russia_is_a_founder_because_the_fact_sheet_says_so() -> None:
    russia = by("members", "name", "--all")["Russian Federation"]
    assert "founder" in russia["roles"] and russia["source"] == "fact-sheet-2018"
    assert is_line("fact-sheet-2018", "Founded in 1992 by the EU, Japan, USA, and Russia")


def test_the_continuation_agreement_signature_cites_a_page_that_states_it() -> None:
    events = run_json("history")
    signed = [e for e in events if e["date"] == "2015-12-09"]
    assert signed[0]["source"] == "kz-ratification-law-2016"  # "signed in Astana on December 9"
    own = [e for e in events if e["date"] == "2015-12"]
    assert own[0]["source"] == "fact-sheet-2018" and "signed" in own[0]["event"]
    assert own[0]["locator"] == "ISTC's HISTORY / CHRONOLGY"
    initialed = next(e for e in events if e["date"] == "2015-06-22")
    assert "initialed" in initialed["event"]


def test_no_record_rests_on_a_source_that_does_not_exist_or_postdates_it() -> None:
    sources = by("sources", "id")
    fact_sheet_records = [
        r for c, r in everything() if c != "sources" and r.get("source") == "fact-sheet-2018"
    ]
    for record in fact_sheet_records:  # a 2018 document cannot state a later date
        for key in ("date", "since", "until", "joined", "left", "as_of"):
            value = record.get(key)
            assert value is None or value <= "2018-09", (record, key)
    for _, record in everything():
        for key in ("source", "note_source", "joined_source", "left_source"):
            if record.get(key):
                assert record[key] in sources, record


# ---------------------------------------------------------------- nothing over-claimed


def test_dates_no_source_states_are_bounds_marked_derived_never_days() -> None:
    members = by("members", "name", "--all")
    # Notice in May 2013, effective six months later: a month worked out, marked derived.
    assert members["Canada"]["left"] == "2013-11" and members["Canada"]["derived"] == ["left"]
    assert members["Canada"]["left_from"] == ["istc-gb57-statement"]
    # The founders were parties once the Protocol took effect: worked out from it.
    assert members["Russian Federation"]["derived"] == ["joined", "left"]
    assert members["Russian Federation"]["decisions"] == ["left"]  # 2015, announced before
    for name in ("Belarus", "Sweden", "Finland"):  # no source says when they left
        assert members[name]["left"] is None and members[name]["derived"] == ["status"]
        assert "fact-sheet-2018" in members[name]["status_from"]
    about = run_json("about")
    assert about["previous_headquarters"] == ["Moscow (1992-11 to 2015-07)"]
    assert about["latest_event_date"] != about["data_as_of"]
    assert about["data_as_of"] == about["latest_source_date"]


def test_the_permanent_board_is_named_as_such() -> None:
    about = run_json("about")
    assert about["permanent_board_members"] == [
        "European Union", "Japan", "Kazakhstan", "United States"
    ]  # fmt: skip
    assert says("fact-sheet-2018", "Governing Board includes as permanent members")


def test_descriptive_titles_are_marked_and_own_titles_are_the_documents() -> None:
    sources = by("sources", "id")
    assert sources["fact-sheet-2018"]["title"] == "What is the ISTC"
    assert sources["fact-sheet-2018"]["title_kind"] == "own"
    assert is_line("fact-sheet-2018", "What is the ISTC")
    assert sources["press-release-2022"]["title_kind"] == "descriptive"
    table = invoke("figures", "--sources", "--format", "table").stdout
    assert "[ISTC press release" in table


# ---------------------------------------------------------------- nothing missing


def test_whose_efforts_the_center_coordinates() -> None:
    about = run_json("about")
    assert about["coordinates_efforts_of"] == [
        "numerous governments", "international organizations", "private sector industries"
    ]  # fmt: skip


def test_sustainable_peaceful_employment_from_both_sources() -> None:
    hits = run_json("search", "sustainable", "peaceful", "employment")
    sources = {h["source"] for h in hits}
    assert {"fact-sheet-2018", "press-release-2022"} <= sources


@pytest.mark.parametrize(
    ("term", "long_form"),
    [
        ("CBRN", "chemical, biological, radiological and nuclear"),
        ("FWS", "former weapons scientists"),
        ("CIS", "Commonwealth of Independent States"),
        ("TI", "Targeted Initiative"),
        ("STCU", "Science and Technology Center in Ukraine"),
    ],
)
def test_the_long_forms_of_abbreviations(term: str, long_form: str) -> None:
    glossary = by("glossary", "term")
    assert glossary[term]["stands_for"] == long_form
    document = glossary[term]["source"]
    assert says(document, long_form) or says(document, long_form.replace(" and ", " ")), term


def test_paraphrases_keep_their_meaning() -> None:
    mission = " ".join(m["text"] for m in run_json("mission"))
    assert "design, development, safety & safeguards, production or use" in mission
    assert "inter alia" in mission
    assert "basic and applied" in mission
    statement = " ".join(s["text"] for s in run_json("statement"))
    assert "basic and applied peaceful scientific research" in statement


def test_every_party_the_center_has_had() -> None:
    members = by("members", "name", "--all")
    assert {m for m, r in members.items() if r["status"] == "current"} == {
        "Armenia", "European Union", "Georgia", "Japan", "Kazakhstan", "Kyrgyz Republic",
        "Norway", "South Korea", "Tajikistan", "United States",
    }  # fmt: skip
    assert {m for m, r in members.items() if r["status"] == "former"} == {
        "Russian Federation", "Canada", "Belarus", "Sweden", "Finland"
    }  # fmt: skip


def test_chair_and_executive_director_with_attested_dates() -> None:
    officers = {(o["name"], o["role"]): o for o in run_json("officers")}
    lehman = officers[("Ronald F. Lehman II", "board-chair")]
    assert "2024-06-05" in lehman["attested"] and "2006-12-07" in lehman["attested"]
    assert officers[("Adriaan van der Meer", "executive-director")]["since"] == "2008-05-01"
    cleave = officers[("David Cleave", "executive-director")]
    assert cleave["since"] is None and "2024-09-10" in cleave["attested"]
    assert [o["name"] for o in run_json("officers", "--role", "alternate-board-chair")] == [
        "Victor Alessi"
    ]


def test_board_meetings_up_to_the_latest_recorded() -> None:
    meetings = by("meetings", "number")
    assert max(meetings) == 78 and meetings[78]["date"] == "2024-06-05"
    assert meetings[75]["date"] == "2022-12-07" and meetings[53]["date"] is None
    assert meetings[47]["source"] == "istc-gb47-statement"  # the Board's own statement
    assert meetings[47]["date"] == "2008-12-11"


def test_newer_figures_keep_their_own_dates_beside_the_2017_ones() -> None:
    figures = by("figures", "id")
    assert figures["funded-proposals"]["as_of"] == "2017-12"
    assert figures["ongoing-projects-2023"]["value"] == 49
    assert figures["ongoing-projects-2023"]["as_of"] == "2023-12-06"
    assert figures["funding-2006"]["value"] == 740_000_000
    about = run_json("about")
    assert {f["id"] for f in about["headline_figures"]} <= {
        "funded-proposals", "funded-proposals-value", "research-grants-paid",
        "cis-scientists-with-grants",
    }  # fmt: skip


# ---------------------------------------------------------------- findable as the sources word it


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (["founded"], "founded by the EU, Japan, the USA and Russia"),
        (["nonproliferation"], "non-proliferation"),
        (["Caucuses"], "Caucasus"),
        (["Targeted"], "Targeted Initiative"),
        (["regimes"], "Support to Nonproliferation Regimes"),
        (["regions"], "region"),
        (["March 1994"], "1994-03"),
        (["569.4"], "569400000"),
        (["1.2 bn"], "1200000000"),
        (["1,2", "bn"], "1200000000"),
        (["4,200"], "4200"),
        (["76,000"], "76000"),
        (["private", "sector"], "private sector"),
        (["private sector"], "private sector"),
        (["US$569.4", "million"], "569400000"),
        (["1.2", "billion"], "1200000000"),
        (["July", "2015"], "2015-07"),
    ],
)
def test_search_finds_what_the_sources_say_as_they_word_it(query: list[str], expected: str) -> None:
    result = invoke("search", *query, "--json")
    assert result.exit_code == 0, (query, result.stderr)
    import json

    hits = json.loads(result.stdout)
    assert any(expected.lower() in h["text"].lower() for h in hits[:5]), (query, hits[:5])


def test_a_written_date_does_not_match_a_month_and_a_year_in_different_fields() -> None:
    hits = run_json("search", "July", "2015")
    assert all(
        "2015-07" in h["text"] or ("July" in h["text"] and "2015" in h["text"]) for h in hits
    ), hits


def test_the_record_that_states_a_fact_ranks_before_notes_that_mention_it() -> None:
    hits = run_json("search", "Canada")
    fields = [h["field"] for h in hits]
    first_note = min((i for i, f in enumerate(fields) if f.endswith("note")), default=len(fields))
    assert all(not f.endswith(("note", "locator")) for f in fields[:first_note])
    assert hits[0]["field"] in ("name", "event", "text", "summary")


def test_every_hit_reports_its_record_id_and_its_fields_own_source() -> None:
    hits = run_json("search", "astana")
    assert all(h["id"] for h in hits)
    seat = [h for h in hits if h["field"] == "city" and h["section"] == "offices"]
    assert seat and seat[0]["id"] == "office:astana"


def test_search_without_quotes_takes_every_word_on_both_paths() -> None:
    import subprocess
    import sys

    istc = Path(sys.executable).with_name("istc")
    fast = subprocess.run(
        [str(istc), "search", "private", "sector", "--json"], capture_output=True, check=False
    )
    typer_path = invoke("search", "private", "sector", "--json")
    assert fast.returncode == 0 and fast.stdout.decode() == typer_path.stdout
    usage = invoke("search", "--help").stdout
    assert "TEXT..." in usage and "{text}" not in usage


# ---------------------------------------------------------------- ids and locators


def test_every_fact_sheet_locator_is_a_heading_of_the_fact_sheet() -> None:
    seen = set()
    for _, record in everything():
        if record.get("source") == "fact-sheet-2018":
            assert record.get("locator"), record
            assert is_line("fact-sheet-2018", record["locator"]), record["locator"]
            seen.add(record["locator"])
    assert "Activities and Operations (as of December 2017)" in seen
    assert "Targeted Initiative (TI) Program Pipeline" in seen


def test_every_press_release_locator_is_a_paragraph_that_says_it() -> None:
    count = paragraphs("press-release-2022")
    for _, record in everything():
        if record.get("source") == "press-release-2022":
            match = re.fullmatch(r"paragraphs? ([0-9]+)(?:-([0-9]+))?", record.get("locator") or "")
            assert match, record
            assert 1 <= int(match[1]) <= int(match[2] or match[1]) <= count
    statements = {s["id"]: s for s in run_json("statement")}
    number = int(statements["statement:rebuttal/funding"]["locator"].split()[1])
    assert paragraph_says("press-release-2022", number, "1.5 billion")


def test_ids_are_unique_url_safe_and_on_every_record() -> None:
    seen: dict[str, str] = {}
    for command, record in everything():
        record_id = record["id"]
        assert ids.ID_PATTERN.fullmatch(record_id), record_id
        assert record_id not in seen, (record_id, command, seen.get(record_id))
        seen[record_id] = command
    assert seen["member:kazakhstan"] == "members"
    assert seen["office:astana"] == "offices"
    assert seen["meeting:75"] == "meetings"
    assert seen["fact-sheet-2018"] == "sources" and seen["funded-proposals"] == "figures"


# ---------------------------------------------------------------- the search pre-check

_WORDS = [
    "industries",
    "industry",
    "cries",
    "founded",
    "found",
    "planned",
    "regimes",
    "Caucuses",
    "Caucasus",
    "non-proliferation",
    "nonproliferation",
    "Nur-Sultan",
    "bn",
    "billion",
    "m",
    "million",
    "USD",
    "US$1.2",
    "1,2",
    "4,200",
    "4200",
    "569.4",
    "Mar",
    "March",
    "Sept",
    "1994-03",
    "1992",
    "November",
    "Nov",
    "10",
    "things",
    "thing",
    "Straße",
    "İstanbul",
    "ÉTÉ",
    "naïve",
    "x",
    "ab",
    "abc",
    "Targeted",
    "ties",
]
# A few texts of those words: the records a pre-check is tried on.
_TEXTS = st.lists(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6).map(" ".join),
    min_size=1,
    max_size=4,
)
