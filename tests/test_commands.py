"""Every command's facts, asserted in the table and in the parsed JSON."""

from __future__ import annotations

import pytest

from .conftest import invoke, run_json, table

PARTIES = [
    "Armenia",
    "European Union",
    "Georgia",
    "Japan",
    "Kazakhstan",
    "Kyrgyz Republic",
    "Norway",
    "South Korea",
    "Tajikistan",
    "United States",
]
BOARD = ["European Union", "Japan", "Kazakhstan", "United States"]
BRANCHES = {
    "Yerevan": "Armenia",
    "Tbilisi": "Georgia",
    "Bishkek": "Kyrgyz Republic",
    "Dushanbe": "Tajikistan",
}
APPROVED = [
    "Biosafety & biosecurity",
    "Seismic monitoring & hazard mitigation",
    "Nuclear non-proliferation, security & safety capacity",
    "Radiological source risk mitigation",
    "Clean / renewable energy & energy efficiency /EXPO",
    "Dual-use & export control TI",
    "Southern Africa Nuclear Industry",
]
IN_DEVELOPMENT = ["Water & food security TI", "Technology, device & reporting integration"]
PROGRAMS = [
    "Travel support (Mobility)",
    "Responsible Science",
    "Science Workshops and Seminars",
    "Patenting Support Programs",
    "Japan Workshops",
    "Probiotic & Health TI",
    "Promotion of Innovative Environments",
]
REGIMES = [
    "Disposal of Weapons-Grade Plutonium",
    "Destruction of Chemical Weapons",
    "Support to Comprehensive Test Ban Treaty",
    "Nuclear Material Control & Accounting",
    "Biological and Toxin Weapons Convention",
]
# id: (value, unit, qualifier, as_of)
FIGURES = {
    "funded-proposals": (4200, "proposals", "over", "2017-12"),
    "funded-proposals-value": (1_200_000_000, "USD", "over", "2017-12"),
    "research-grants-paid": (569_400_000, "USD", None, "2017-12"),
    "cis-scientists-with-grants": (76000, "scientists", "over", "2017-12"),
    "experts-engaged": (76000, "experts", "over", None),
    "research-institutes": (800, "institutes", "more than", None),
    "years-active": (25, "years", None, None),
    "countries-associated": (56, "countries", "over", None),
    "funding-russia": (1_500_000_000, "USD", "approximately", None),
}


def test_members_default_is_the_ten_current_parties() -> None:
    members = run_json("members")
    assert [m["name"] for m in members] == PARTIES
    assert {m["status"] for m in members} == {"current"}
    assert all("party" in m["roles"] and m["source"] for m in members)
    out = table("members")
    for name in PARTIES:
        assert name in out
    assert "Russian Federation" not in out


def test_members_board_role_is_the_four_permanent_members() -> None:
    assert [m["name"] for m in run_json("members", "--role", "board")] == BOARD
    out = table("members", "--role", "board")
    assert all(name in out for name in BOARD) and "Norway" not in out


def test_members_all_adds_former_parties_marked_former() -> None:
    members = {m["name"]: m for m in run_json("members", "--all")}
    assert len(members) == 15
    former = [name for name, m in members.items() if m["status"] == "former"]
    assert former == ["Russian Federation", "Canada", "Belarus", "Sweden", "Finland"]
    russia, canada = members["Russian Federation"], members["Canada"]
    assert set(russia["roles"]) == {"party", "founder", "hq-host"}
    # No source states either legal departure date: each `left` is the bound the sources
    # give (Russia's "i.e. 2015"; Canada's notice of May 2013 plus six months), marked
    # derived, never a day.
    assert (russia["left"], canada["left"]) == ("2015", "2013-11")
    assert "left" in russia["derived"] and "left" in canada["derived"]
    assert russia["source"] == "fact-sheet-2018"  # the fact sheet names it a founder
    assert canada["joined"] == "2004-03-04" and canada["joined_source"] == "canada-release-2004"
    assert members["Belarus"]["joined"] == "1994"
    assert members["South Korea"]["joined"] == "1997"
    founders = [m["name"] for m in run_json("members", "--all", "--role", "founder")]
    assert founders == ["European Union", "Japan", "United States", "Russian Federation"]
    out = table("members", "--all")
    assert "former" in out and "Canada" in out


def test_members_office_hosts_match_the_branch_countries() -> None:
    hosts = [m["name"] for m in run_json("members", "--role", "office-host")]
    assert sorted(hosts) == sorted(BRANCHES.values())


def test_offices_headquarters_and_four_branches() -> None:
    offices = run_json("offices")
    hq = [o for o in offices if o["kind"] == "headquarters"]
    assert [(o["city"], o["country"], o["since"]) for o in hq] == [
        ("Astana", "Kazakhstan", "2015-07")
    ]
    branches = {o["city"]: o["country"] for o in offices if o["kind"] == "branch"}
    assert branches == BRANCHES
    assert [o["city"] for o in run_json("offices", "--kind", "branch")] == list(BRANCHES)
    out = table("offices")
    assert all(city in out and country in out for city, country in BRANCHES.items())


def test_history_is_in_chronological_order_with_source_precision() -> None:
    events = run_json("history")
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    assert dates[0] == "1991" and dates[-1] == "2025-08-27"
    by_date = {e["date"]: e["event"] for e in events if e["date"] != "2015-07"}
    assert "Moscow" in by_date["1992-11-27"]
    assert any("Astana" in e["event"] for e in events if e["date"] == "2015-07")
    assert "initialed" in by_date["2015-06-22"]
    assert "signed in Astana" in by_date["2015-12-09"]
    assert "enters into force" in by_date["2017-12-14"]
    assert "Nur-Sultan" in by_date["2019-03-23"]
    assert "1994-03" in dates  # operations began, at the month the fact sheet gives


def test_history_since_and_until_filter_by_year() -> None:
    since = run_json("history", "--since", "2015")
    assert since and all(int(e["date"][:4]) >= 2015 for e in since)
    until = run_json("history", "--until", "1995")
    assert until and all(int(e["date"][:4]) <= 1995 for e in until)
    assert run_json("history", "--since", "2030") == []
    out = table("history", "--since", "2019")
    assert "2019-03-23" in out and "1992" not in out


def test_initiatives_seven_approved_two_in_development() -> None:
    initiatives = run_json("initiatives")
    assert [i["name"] for i in initiatives if i["status"] == "approved"] == APPROVED
    assert [i["name"] for i in initiatives if i["status"] == "in-development"] == IN_DEVELOPMENT
    names = [i["name"] for i in run_json("initiatives", "--status", "in-development")]
    assert names == IN_DEVELOPMENT
    out = table("initiatives", "--status", "approved")
    assert all(name in out for name in APPROVED) and "Water" not in out


def test_programs_and_regimes() -> None:
    assert [p["name"] for p in run_json("programs")] == PROGRAMS
    assert [r["name"] for r in run_json("regimes")] == REGIMES
    assert all(name in table("programs") for name in PROGRAMS)
    assert all(name in table("regimes") for name in REGIMES)


def test_every_figure_with_value_unit_qualifier_and_as_of_date() -> None:
    figures = {f["id"]: f for f in run_json("figures")}
    assert set(FIGURES) <= set(figures)
    for fid, (value, unit, qualifier, as_of) in FIGURES.items():
        got = figures[fid]
        assert (got["value"], got["unit"], got["qualifier"], got["as_of"]) == (
            value,
            unit,
            qualifier,
            as_of,
        ), fid
    assert figures["funding-russia"]["source"] == "press-release-2022"
    assert figures["funded-proposals-value"]["source"] == "fact-sheet-2018"
    out = table("figures")  # amounts as people write them; JSON keeps the exact numbers
    assert "US$569.4 million" in out and "2017-12" in out
    assert "over US$1.2 billion" in out and "approximately US$1.5 billion" in out
    assert "over 76,000 scientists" in out and "ECU 119 million" in out


def test_mission_vision_points_and_objectives() -> None:
    parts = [m["part"] for m in run_json("mission")]
    assert parts.count("vision") == 1
    assert parts.count("mission") == 5
    assert parts.count("objective") == 5
    objectives = run_json("mission", "--part", "objective")
    assert any("market economies" in o["text"] for o in objectives)


def test_strategy_regions_and_eu_cbrn_coe_cooperation() -> None:
    regions = [s["text"] for s in run_json("strategy", "--area", "region")]
    assert regions == ["Caucasus", "Central Asia", "Middle East", "Africa"]
    assert len(run_json("strategy", "--area", "eu-cbrn-coe")) == 4
    assert len(run_json("strategy", "--area", "future")) == 3
    assert len(run_json("strategy", "--area", "outreach")) == 3


def test_statement_accusation_and_rebuttal() -> None:
    parts = run_json("statement")
    accusation = [p for p in parts if p["part"] == "accusation"]
    assert len(accusation) == 1
    assert accusation[0]["by"] == "Russian Federation"
    assert accusation[0]["against"] == ["ISTC", "STCU"]
    assert "biological weapons" in accusation[0]["text"]
    rebuttals = run_json("statement", "--part", "rebuttal")
    assert len(rebuttals) == 5
    assert [p["part"] for p in parts].count("background") == 1
    assert any("1.5 billion" in r["text"] for r in rebuttals)
    assert any("approved" in r["text"] for r in rebuttals)
    assert all(p["source"] == "press-release-2022" for p in parts)
    assert "Russian Federation" in table("statement")


def test_sources_list_both_documents_and_every_address() -> None:
    sources = {s["id"]: s for s in run_json("sources")}
    assert sources["fact-sheet-2018"]["date"] == "2018-09"
    assert sources["fact-sheet-2018"]["as_of"] == "2017-12"
    assert sources["press-release-2022"]["date"] == "2022"
    research = [s for s in sources.values() if s["kind"] == "research"]
    assert research and all(s["url"].startswith("http") for s in research)
    assert [s["id"] for s in run_json("sources", "--kind", "primary")] == [
        "fact-sheet-2018",
        "press-release-2022",
    ]


def test_about_is_one_object_with_the_key_facts() -> None:
    about = run_json("about")
    assert isinstance(about, dict)
    assert about["acronym"] == "ISTC"
    assert about["established"] == "1992-11"
    assert about["operations_began"] == "1994-03"
    assert about["headquarters"] == "Astana"
    # The fact sheet says only "originally" located in Moscow: no start date is made up.
    assert about["previous_headquarters"] == ["Moscow (1992-11 to 2015-07)"]
    assert about["parties"] == 10
    assert about["party_names"] == PARTIES
    assert about["board_members"] == about["permanent_board_members"] == BOARD
    assert about["figures_as_of"] == "2017-12"
    assert about["latest_event_date"] == "2025-08-27"
    assert about["data_as_of"] == about["latest_source_date"] == "2024-06-08"
    assert about["dataset_path"].endswith("istc.yaml")
    assert len(about["headline_figures"]) == 4
    assert about["established_how"] == "by international agreement"
    assert about["publications"] == ["Annual Reports"]
    assert len(about["activity_categories"]) == 2
    assert "over 56 countries worldwide, members and non-members" in about["associations"]
    out = table("about")
    assert "Astana" in out and "diplomatic status" in out and "2017-12" in out


def test_search_finds_across_sections_case_insensitively() -> None:
    hits = run_json("search", "ASTANA")
    sections = {h["section"] for h in hits}
    assert {"offices", "history", "meetings"} <= sections
    assert all("astana" in h["text"].lower() for h in hits)
    assert all({"section", "record", "field", "text", "source"} <= set(h) for h in hits)
    assert any(h["section"] == "offices" and h["record"] == "Astana" for h in hits)


def test_search_without_a_hit_exits_1_with_a_suggestion_on_stderr() -> None:
    result = invoke("search", "astanna")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "No match for 'astanna'" in result.stderr
    assert "Astana" in result.stderr  # did you mean
    as_json = invoke("search", "zzzz", "--json")
    assert as_json.exit_code == 1 and as_json.stdout.strip() == "[]"


def test_search_table_highlights_the_match() -> None:
    result = invoke("search", "tbilisi", "--format", "table", "--color", "always")
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout  # the match is styled


@pytest.mark.parametrize(
    ("args", "valid"),
    [
        (["initiatives", "--status", "maybe"], "approved, in-development"),
        (["members", "--role", "boss"], "party, founder, board, office-host, hq-host"),
        (["history", "--since", "abc"], "four digits"),
        (["offices", "--kind", "regional"], "headquarters, branch"),
        (["members", "--format", "xml"], "table, json, jsonl, csv, tsv, yaml, markdown"),
        (["members", "--fields", "name,rolez"], "Did you mean 'roles'?"),
    ],
)
def test_bad_option_values_exit_2_and_name_the_valid_values(args: list[str], valid: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert valid in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_misspelt_option_value_gets_a_suggestion() -> None:
    result = invoke("initiatives", "--status", "aproved")
    assert result.exit_code == 2 and "Did you mean 'approved'?" in result.stderr


def test_misspelt_command_gets_a_suggestion() -> None:
    result = invoke("membres")
    assert result.exit_code == 2 and "Did you mean 'members'?" in result.stderr


def test_every_command_has_examples_in_its_help() -> None:
    for name in [
        "about",
        "members",
        "offices",
        "history",
        "initiatives",
        "programs",
        "regimes",
        "figures",
        "mission",
        "strategy",
        "statement",
        "sources",
        "search",
        "validate",
        "schema",
    ]:
        result = invoke(name, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.stdout and f"istc {name}" in result.stdout, name


def test_no_arguments_shows_the_overview_and_command_list() -> None:
    result = invoke()
    assert result.exit_code == 0
    assert "International Science and Technology Center" in result.stdout
    assert "members" in result.stdout and "search" in result.stdout
