"""`istc show` and `istc cite`: profiles of any entity, and citations that the real
readers (bibtexparser, rispy, citeproc-py) accept."""

from __future__ import annotations

import copy
import functools
import itertools
import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import MINIMAL, dump_yaml, invoke, load_yaml, modules_after, run_json, table

ISTC = Path(sys.executable).with_name("istc")


def show(*args: str) -> Any:
    result = invoke("show", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---------------------------------------------------------------- show


def test_show_a_member_gathers_its_record_offices_and_mentions() -> None:
    profile = show("kazakhstan")
    assert profile["query"] == "kazakhstan"
    assert profile["matches"] == [
        {"id": "member:kazakhstan", "section": "members", "name": "Kazakhstan"}
    ]
    records = profile["records"]
    assert records[0]["relation"] == "self" and records[0]["id"] == "member:kazakhstan"
    located = {r["id"] for r in records if r["relation"] == "located-in"}
    assert located == {"office:astana"}  # one record of the seat, which offices and about read
    mentioned = {r["id"] for r in records if r["relation"] == "mentions"}
    assert "history:1995/kazakhstan-joins" in mentioned
    assert "strategy:engagement/project-proposals" in mentioned
    assert "statement:rebuttal/mission-in-kazakhstan" in mentioned
    for record in records:
        assert {"section", "id", "text", "source"} <= set(record) and record["source"]
    dated = next(r for r in records if r["id"] == "history:1995/kazakhstan-joins")
    assert dated["date"] == "1995" and dated["source"] == "istc-article-120"


def test_show_a_city_an_alias_an_id_and_a_source() -> None:
    astana = show("astana")
    assert {m["id"] for m in astana["matches"]} == {"office:astana"}
    assert any(r["id"] == "history:2018-03-01/new-main-office-opens" for r in astana["records"])
    russia = show("russia")
    assert russia["matches"][0]["id"] == "member:russian-federation"
    assert any(r["id"] == "statement:accusation" for r in russia["records"])
    armenia = show("member:armenia")
    assert armenia["matches"] == [{"id": "member:armenia", "section": "members", "name": "Armenia"}]
    assert any(r["id"] == "office:yerevan" for r in armenia["records"])
    sheet = show("fact-sheet-2018")
    cites = [r for r in sheet["records"] if r["relation"] == "cites"]
    assert len(cites) > 50
    assert any(r["id"] == "member:russian-federation" and r["field"] == "source" for r in cites)
    assert any(r["field"] == "see_also" for r in cites)  # cited in see_also counts too


def test_show_a_short_name_only_as_a_whole_word_in_its_case() -> None:
    us = show("United States")
    ids = {r["id"] for r in us["records"]}
    assert "funding-russia" not in ids  # "US$1.5 billion" names a currency, not the state


def test_show_finds_each_short_name_whole_and_none_inside_a_word(tmp_path: Path) -> None:
    """An entity with several short names: a text naming any one of them as a word is a
    mention; one holding them only inside longer words, numbers or amounts is not."""
    data = load_yaml(MINIMAL.read_text())
    data["members"][0]["aliases"] = ["AB", "ABC"]
    events = [
        "ABCD and ABE are words.",
        "ABC$ and AB1 are not.",
        "XAB and $ABC neither.",
        "Once ABC, then more.",
        "Then AB.",
    ]
    data["history"] = [{"date": "2000", "event": e, "source": "doc"} for e in events]
    path = tmp_path / "short.yaml"
    path.write_text(dump_yaml(data))
    found = run_json("--data", str(path), "show", "Alpha")
    mentioned = [r["text"] for r in found["records"] if r["section"] == "history"]
    assert mentioned == ["Once ABC, then more.", "Then AB."]


def test_show_an_ambiguous_name_lists_the_candidates_and_exits_1() -> None:
    result = invoke("show", "republic", "--json")
    assert result.exit_code == 1
    profile = json.loads(result.stdout)
    assert profile["ambiguous"] is True and profile["records"] == []
    ids = {m["id"] for m in profile["matches"]}
    assert {"member:kyrgyz-republic", "member:kazakhstan"} <= ids
    assert "member:kyrgyz-republic" in result.stderr


def test_show_without_a_match_exits_1_with_suggestions() -> None:
    result = invoke("show", "kazakhztan")
    assert result.exit_code == 1 and result.stdout == ""
    assert "No entity or id matches 'kazakhztan'" in result.stderr and "Kazakhstan" in result.stderr


def test_show_in_a_terminal_is_a_panel_per_entity_grouped_by_section() -> None:
    text = table("show", "astana")
    # one panel: the seat is one record, an office of kind headquarters
    assert "Astana (offices: office:astana)" in text
    assert "hq:astana" not in text
    # each section under the title its records declare (Event.section_title)
    assert "Chronology" in text and "Facts" in text and "office:astana" in text


def test_show_on_both_paths_and_in_the_schema() -> None:
    fast = subprocess.run([str(ISTC), "show", "russia", "--json"], capture_output=True, check=False)
    assert fast.returncode == 0
    assert fast.stdout.decode() == invoke("show", "russia", "--json").stdout
    schema = json.loads(invoke("schema", "show").stdout)
    assert set(schema["$defs"]["Profile"]["properties"]) >= {"query", "matches", "records"}


# ---------------------------------------------------------------- ids


def test_ids_do_not_change_when_a_record_is_inserted_before_them(tmp_path: Path) -> None:
    from istc_cli import loader

    from .conftest import BUNDLED

    before = {(c, r["name"] if "name" in r else r["id"]): r["id"] for c, r in _records(None)}
    data = load_yaml(BUNDLED.read_text())
    data["members"].insert(0, copy.deepcopy(dict(data["members"][3], name="Atlantis", aliases=[])))
    data["history"].insert(
        0, {"date": "1990", "event": "Something earlier.", "source": "fact-sheet-2018"}
    )
    data["programs"].insert(0, {"name": "A new program", "source": "fact-sheet-2018"})
    data["offices"].reverse()
    path = tmp_path / "inserted.yaml"
    path.write_text(dump_yaml(data, allow_unicode=True), encoding="utf-8")
    assert loader.validate_path(str(path)) == []
    after = {(c, r["name"] if "name" in r else r["id"]): r["id"] for c, r in _records(str(path))}
    assert all(after[key] == value for key, value in before.items())
    assert after[("members", "Atlantis")] == "member:atlantis"


def _records(data: str | None) -> list[tuple[str, dict[str, Any]]]:
    prefix = ["--data", data] if data else []
    out = []
    for command in ("members", "offices", "history", "programs", "meetings", "figures"):
        extra = ["--all"] if command == "members" else []
        result = invoke(*prefix, command, *extra, "--json")
        out += [(command, r) for r in json.loads(result.stdout)]
    return out


def test_a_dataset_may_set_ids_and_duplicates_are_refused_with_a_location(tmp_path: Path) -> None:
    from istc_cli import loader

    data = yaml.safe_load(MINIMAL.read_text())
    data["programs"][0]["id"] = "program:mine"
    data["regimes"][0]["id"] = "program:mine"
    path = tmp_path / "dup.yaml"
    path.write_text(yaml.safe_dump(data))
    problems = loader.validate_path(str(path))
    assert len(problems) == 1
    assert problems[0].path == "regimes[0].id"
    assert "duplicate id 'program:mine'; programs[0].id has it too" in problems[0].message
    data["regimes"][0]["id"] = "Not Valid!"
    path.write_text(yaml.safe_dump(data))
    assert "is not a valid id" in loader.validate_path(str(path))[0].message
    del data["regimes"][0]["id"]
    path.write_text(yaml.safe_dump(data))
    programs = (
        run_json("--data", str(path), "programs")
        if False
        else json.loads(invoke("--data", str(path), "programs", "--json").stdout)
    )
    assert programs[0]["id"] == "program:mine"


# ---------------------------------------------------------------- cite


RECORD = "history:2015-12/continuation-agreement-signed"
PRESS = "statement:rebuttal/funding"
WEB = "history:2017-12-14/continuation-agreement-in-force"


def cite(*args: str) -> str:
    return _cited(args)


@functools.cache
def _cited(args: tuple[str, ...]) -> str:
    """`istc cite ARGS` on the bundled dataset, run once per worker: the readers below
    each read the same `--all` exports (`-o csl-json` three times, `-o bibtex` twice)."""
    result = invoke("cite", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_bibtex_is_read_by_bibtexparser() -> None:
    import bibtexparser

    library = bibtexparser.parse_string(cite(RECORD, "fact-sheet-2018", WEB, "-o", "bibtex"))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    record = entries[RECORD]  # the key is the id itself: letters, digits, `: . / -` stay
    assert record["title"] == "{What} is the {ISTC}"  # capitals protected from sentence case
    assert record["year"] == "2018"
    assert "ISTC's HISTORY / CHRONOLGY" in record["note"] and RECORD in record["note"]
    web = entries[WEB]
    assert web["url"].startswith("https://istc.int/") and web["urldate"] == "2026-11-22"
    everything = bibtexparser.parse_string(cite("--all", "-o", "bibtex"))
    assert not everything.failed_blocks
    assert len(everything.entries) == len(run_json("sources"))


def test_bibtex_keeps_capitals_and_organisations_whole_in_a_standard_style() -> None:
    """pybtex formats the bibliography with its `plain` style (sentence-case titles):
    acronyms and proper nouns keep their capitals, an organisation stays one name,
    a descriptive title is bracketed, and no internal remark reaches the page."""
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    library = parse_string(cite("--all", "-o", "bibtex"), "bibtex")
    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "text")()
    rendered = {
        entry.key: entry.text.render(backend) for entry in style.format_bibliography(library)
    }
    assert rendered["fact-sheet-2018"].startswith(
        "International Science and Technology Center. What is the ISTC."
    )
    assert "[ISTC press release rebutting Russian accusations" in rendered["press-release-2022"]
    assert not any("title descriptive" in text for text in rendered.values())
    for key, entry in library.entries.items():
        (author,) = entry.persons["author"]
        assert not author.first_names, key  # one corporate name, never split
        assert entry.type in ("misc", "online"), key
        assert (entry.type == "online") == ("url" in entry.fields), key


def test_ris_is_read_by_rispy() -> None:
    import rispy

    entries = rispy.loads(cite(PRESS, WEB, "-o", "ris"))
    assert len(entries) == 2
    press, web = entries
    assert press["type_of_reference"] == "RPRT"  # Zotero: a report (GEN: a journal article)
    assert press["title"].startswith("[ISTC press release rebutting")  # descriptive: bracketed
    assert press["year"] == "2022" and "paragraph 3" in press["start_page"]
    assert web["type_of_reference"] == "ELEC" and web["urls"][0].startswith("https://")
    assert len(rispy.loads(cite("--all", "-o", "ris"))) == len(run_json("sources"))
    # an organisation as RIS writes a name with no given part: the trailing comma
    assert press["authors"] == ["International Science and Technology Center,"]


def _pandoc(text: str, fmt: str) -> list[dict[str, Any]]:
    """What pandoc's own reader of `fmt` makes of `text`, as CSL-JSON."""
    import pypandoc

    return list(json.loads(pypandoc.convert_text(text, "csljson", format=fmt)))


@pytest.mark.parametrize(("fmt", "reader"), [("ris", "ris"), ("bibtex", "bibtex"),
                                             ("csl-json", "csljson")])  # fmt: skip
def test_pandoc_reads_every_citation_with_organisations_whole_and_titles_as_written(
    fmt: str, reader: str
) -> None:
    ours = {item["id"]: item for item in json.loads(cite("--all", "-o", "csl-json"))}
    read = _pandoc(cite("--all", "-o", fmt), reader)
    assert {item["id"] for item in read} == set(ours)
    for item in read:
        want = ours[item["id"]]
        [author] = item["author"]  # one author, never split into a person
        name = author.get("literal") or author.get("family")
        assert name == want["author"][0]["literal"] and "given" not in author, author
        # the words as written, brackets included, and every capital kept (a reader may
        # capitalise a subtitle's first word, as pandoc does after a colon in BibTeX)
        assert item["title"].casefold() == want["title"].casefold(), item["id"]
        capitalised = [w for w in want["title"].split() if w != w.lower()]
        assert all(w in item["title"].split() for w in capitalised), item["id"]


def test_csl_json_follows_the_data_model_and_citeproc_reads_it() -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    from istc_cli.cite import style_file

    items = json.loads(cite(RECORD, WEB, "usembassy-kz-2015", "-o", "csl-json"))
    record, web, page = items
    assert record["id"] == RECORD and record["type"] == "document"
    assert record["issued"] == {"date-parts": [[2018, 9]]}
    assert "section: ISTC's HISTORY / CHRONOLGY" in record["note"]  # the pinpoint
    assert "label" not in record and "locator" not in record  # cite-item fields, not item data
    assert web["type"] == "webpage" and web["URL"].startswith("https://")
    assert web["accessed"] == {"date-parts": [[2026, 11, 22]]}
    assert "issued" not in page  # no date is made up for an undated page
    style = CitationStylesStyle(style_file("apa"), validate=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an item field citeproc-py does not know fails here
        source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for one in items:
        bibliography.register(Citation([CitationItem(one["id"])]))
    rendered = [str(e) for e in bibliography.bibliography()]
    assert len(rendered) == 3 and any("What is the ISTC" in r for r in rendered)


_DATES = (None, "2020", "2020-02", "2020-02-29")


def _every_shape_of_source(meta_date: str | None) -> dict[str, Any]:
    """A dataset of your own whose sources take every shape the format allows: an
    address or none, each date (the document's, the page's reading) at every precision
    or absent, and the other optional fields in turn; the dataset itself dated or not."""
    sources = []
    for n, (url, date, accessed) in enumerate(
        itertools.product((None, "https://example.org/page"), _DATES, _DATES)
    ):
        sources.append(
            {
                "id": f"s{n}", "title": f"Title {n}", "publisher": f"Publisher {n}",
                "date": date, "accessed": accessed, "url": url, "kind": "primary",
                "as_of": (None, "2021-03-04")[n % 2],
                "title_kind": ("own", "descriptive")[n // 2 % 2],
                "genre": (None, "web page", "press release")[n % 3],
                "note": (None, "A note.")[n // 4 % 2],
            }
        )  # fmt: skip
    meta = {"meta": {"title": "Mine", "version": "1", "date": meta_date}} if meta_date else {}
    return {**meta, "organization": {"name": "Test Center"}, "sources": sources}


@pytest.mark.parametrize("meta_date", [None, "2026-01-01"])
def test_every_shape_of_source_is_cited_in_every_format(
    meta_date: str | None, tmp_path: Path
) -> None:
    """Each reader reads one entry per source, whatever the source leaves out. A page
    read on no known day (no `accessed`, and a dataset that does not date itself) has
    no access date in any format: BibTeX and RIS failed with an internal error on it,
    and CSL-JSON wrote `accessed: null`, which is not a CSL date."""
    import bibtexparser
    import rispy

    data = _every_shape_of_source(meta_date)
    dataset = tmp_path / "own.yaml"
    dataset.write_text(dump_yaml(data))
    written = {}
    for fmt in ("bibtex", "ris", "csl-json"):
        result = invoke("--data", str(dataset), "cite", "--all", "-o", fmt)
        assert result.exit_code == 0, result.output
        written[fmt] = result.stdout
    sources = {s["id"]: s for s in data["sources"]}
    dated = {key for key, s in sources.items() if s["url"] and (s["accessed"] or meta_date)}
    library = bibtexparser.parse_string(written["bibtex"])
    assert not library.failed_blocks and [e.key for e in library.entries] == list(sources)
    assert {e.key for e in library.entries if "urldate" in e.fields_dict} == dated
    records = rispy.loads(written["ris"])
    assert [r["id"] for r in records] == list(sources)
    assert {r["id"] for r in records if "access_date" in r} == dated
    items = json.loads(written["csl-json"])
    assert [i["id"] for i in items] == list(sources)
    assert {i["id"] for i in items if "accessed" in i} == dated
    assert all(None not in item.values() for item in items)
    assert [i["id"] for i in _pandoc(written["csl-json"], "csljson")] == list(sources)
    # formatted text, through citeproc-py: every fifth source, addressed and not
    shapes = [f"s{n}" for n in range(0, len(sources), 5)]
    text = invoke("--data", str(dataset), "cite", *shapes)
    assert text.exit_code == 0, text.output
    assert text.stdout.count("\n\n") == len(shapes) - 1


@pytest.mark.parametrize(
    "style",
    ["apa", "chicago-author-date", "chicago-notes-bibliography", "harvard-cite-them-right"],
)
def test_text_comes_from_the_csl_processor_with_the_pinpoint(style: str) -> None:
    text = cite(RECORD, PRESS, "--style", style)
    assert "what is the istc" in text.lower()
    assert "ISTC's HISTORY / CHRONOLGY" in text  # the pinpoint
    label = "Note:" if "notes" in style else "In text:"  # a notes style gives the note
    assert "3" in text.split(label)[2]  # paragraph 3 of the press release
    assert f"Record: {RECORD}" in text and ".. Record" not in text


def test_harvard_writes_dates_day_first_as_its_british_style_declares() -> None:
    """Cite Them Right's published style is en-GB (`default-locale`); citeproc-py's copy
    leaves that out, and its dates then came out American (November 23, 2026)."""
    text = cite("istc-gb46", "--style", "harvard-cite-them-right")
    accessed = next(s for s in run_json("sources") if s["id"] == "istc-gb46")["accessed"]
    year, month, day = (int(part) for part in accessed.split("-"))
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    assert f"(Accessed: {day} {months[month - 1]} {year})" in text


def test_apa_names_a_publisher_that_is_the_author_once_and_brackets_descriptive_titles() -> None:
    shaped = _one_source_of_each_shape()
    text = cite(*shaped, "--style", "apa")
    entries = [e for e in text.split("\n\n") if e.strip()]
    assert len(entries) == len(shaped)
    for source in (s for s in run_json("sources") if s["id"] in shaped):
        [entry] = [e for e in entries if source["title"] in e]
        author = source["publisher"]
        assert entry.startswith(author + ".")
        named = entry.replace(source["url"] or "\0", "")  # an address may hold the name
        assert named.count(author) == 1 + source["title"].count(author), entry  # not again
        if source["title_kind"] == "descriptive":
            assert f"[{source['title']}]" in entry


def _one_source_of_each_shape() -> list[str]:
    """A source for each way its citation is built: its CSL type and the variables it
    has, how precisely it is dated, how its title ends, whether the title holds a quote
    or its publisher's name, whether the site is named as the publisher is, whether the
    title is descriptive, and whether it has an address (where punctuation goes and
    what a style names once depend on these, not on the words); the fact sheet among
    them. citeproc-py takes a second or more a style for all the dataset's sources."""
    kinds = {s["id"]: s["title_kind"] for s in run_json("sources")}
    shapes: dict[tuple[object, ...], str] = {}
    for item in json.loads(cite("--all", "-o", "csl-json")):
        title = item["title"]
        author = item["author"][0].get("literal", "")
        shape = (
            item["type"],
            frozenset(item) - {"id", "title", "URL", "note", "citation-key"},
            len(item.get("issued", {}).get("date-parts", [[]])[0]),
            "word" if title[-1].isalnum() else title[-1],
            any(mark in title for mark in "\"'\u2018\u2019\u201c\u201d"),
            bool(author) and author in title,
            item.get("container-title") == author,
            kinds[item["id"]],
            "URL" in item,
        )
        shapes.setdefault(shape, item["id"])
    return sorted({*shapes.values(), "fact-sheet-2018"})


@pytest.mark.parametrize("style", ["chicago-author-date", "chicago-notes-bibliography"])
def test_chicago_puts_the_period_and_the_comma_inside_the_closing_quotes(style: str) -> None:
    # the records' citations as test_text_comes_from_the_csl_processor_with_the_pinpoint
    # asks for them (one run for both): each with its in-text citation or note
    sources = _one_source_of_each_shape()
    assert len(sources) >= 10  # the bundled dataset's sources come in a dozen shapes
    text = cite(*sources, "--style", style) + cite(RECORD, PRESS, "--style", style)
    assert text.count("\n\n") >= len(sources)  # every source cited
    assert "\u201d." not in text and "\u201d," not in text
    assert "\u201cWhat Is the ISTC.\u201d" in text


def test_cite_errors() -> None:
    unknown = invoke("cite", "nonsense:id")
    assert unknown.exit_code == 1 and "unknown reference 'nonsense:id'" in unknown.stderr
    assert invoke("cite").exit_code == 2
    assert invoke("cite", "fact-sheet-2018", "--all").exit_code == 2
    assert invoke("cite", "fact-sheet-2018", "-o", "word").exit_code == 2


def test_only_cite_text_imports_the_csl_processor() -> None:
    for args, expected in (
        (["cite", "fact-sheet-2018"], True),
        (["cite", "fact-sheet-2018", "-o", "bibtex"], False),
        (["show", "russia", "--json"], False),
        (["members", "--json"], False),
    ):
        loaded = any(m.startswith("citeproc") for m in modules_after(*args))
        assert loaded is expected, args


def test_sources_option_shows_the_locator_next_to_the_source() -> None:
    text = invoke("regimes", "--sources").stdout
    assert "What is the ISTC (2018-09), Support to Nonproliferation Regimes" in text
    rows = [r for r in run_json("statement") if r["part"] == "accusation"]
    assert rows[0]["locator"] == "paragraph 2"  # and in every machine format
    assert "paragraph 2" in invoke("statement", "-o", "csv").stdout


def test_show_finds_every_record_that_names_the_person_in_any_form_the_sources_print() -> None:
    profile = run_json("show", "lehman")
    ids = {r["id"] for r in profile["records"]}
    # "Ronald F. Lehman II" (41st Board), "Ronald Lehman" (45th), "Ron Lehman" (49th)
    assert {"meeting:41", "meeting:45", "meeting:49"} <= ids
    assert "officer:victor-alessi/alternate-board-chair" in ids
    assert len(profile["records"]) == len(run_json("search", "lehman"))


def test_show_of_a_figure_gives_its_value_and_qualifier_in_the_singular() -> None:
    ran = invoke("show", "funded-proposals-value", "-o", "table", env={"COLUMNS": "120"})
    text = " ".join(ran.stdout.split())
    assert "value 1,200,000,000 [1]" in text and "qualifier over [1]" in text
    assert "1 record in 1 section." in text
    facts = {f["field"]: f["value"] for f in run_json("show", "funded-proposals-value")["facts"]}
    assert facts["value"] == "1200000000" and facts["qualifier"] == "over"


def test_show_of_a_party_says_current_or_former_with_its_dates_and_their_sources() -> None:
    text = " ".join(table("show", "canada").split())
    assert "status former [" in text and "left 2013-11 [" in text
    assert "(worked out from it, not stated)" in text  # the derived date's note says so
    assert "Statement of the 57th Governing Board" in text


def test_show_sections_carry_the_titles_their_records_declare() -> None:
    """Section titles are declared once, on the records: `show` and the exports agree."""
    from istc_cli import model

    text = table("show", "kazakhstan")
    for cls in (model.Event, model.Meeting, model.Officer, model.Source):
        assert cls.section_title in text
    assert "Meetings " not in text and "History" not in text
