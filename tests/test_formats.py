"""The scripting contract: every command in every format, fields, piping, colour, schema."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from typing import Any

import jsonschema
import pytest
import yaml

from istc_cli.commands import COMMANDS
from istc_cli.output import flatten

from .conftest import invoke, load_yaml, run_json

# Every command, and every filter combination the tests use.
CASES: list[list[str]] = [
    ["about"],
    ["members"],
    ["members", "--all"],
    ["members", "--role", "board"],
    ["members", "--all", "--role", "founder"],
    ["offices"],
    ["offices", "--kind", "branch"],
    ["history"],
    ["history", "--since", "2015"],
    ["history", "--until", "1995"],
    ["history", "--since", "2030"],
    ["initiatives"],
    ["initiatives", "--status", "approved"],
    ["initiatives", "--status", "in-development"],
    ["programs"],
    ["regimes"],
    ["figures"],
    ["mission"],
    ["mission", "--part", "objective"],
    ["strategy"],
    ["strategy", "--area", "region"],
    ["statement"],
    ["statement", "--part", "rebuttal"],
    ["sources"],
    ["sources", "--kind", "primary"],
    ["search", "astana"],
    ["search", "1992"],
    ["search", "private", "sector"],
    ["search", "March 1994"],
    ["meetings"],
    ["officers"],
    ["officers", "--role", "executive-director"],
    ["glossary"],
    ["show", "kazakhstan"],
    ["show", "member:armenia"],
    ["show", "fact-sheet-2018"],
]
# Cases that exit 1 with output (tested on both paths in test_fast_path).
FAILING_CASES: list[list[str]] = [["show", "republic"], ["show", "kazakhztan"], ["search", "zzzz"]]
TSV_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
BOX = re.compile("[\u2500-\u257f]")


SINGLE = {"about", "show"}  # one object, not a list


@functools.cache
def _json_run(args: tuple[str, ...]) -> tuple[int, str, str]:
    """One run of `istc ARGS --json` per process: four tests of each case compare
    another format with the same records (each gets its own copy, parsed anew)."""
    result = invoke(*args, "--json")
    return result.exit_code, result.stdout, result.stderr


def as_json(args: list[str]) -> Any:
    """--json output; `show` exits 1 (with its object) when a name is ambiguous or unknown."""
    exit_code, stdout, stderr = _json_run(tuple(args))
    assert exit_code == (1 if args[0] == "show" and stderr else 0), stdout + stderr
    return json.loads(stdout)


def records(args: list[str]) -> list[dict[str, Any]]:
    data = as_json(args)
    return [data] if isinstance(data, dict) else data


def output(args: list[str], *extra: str) -> str:
    result = invoke(*args, *extra)
    assert result.exit_code == 0, result.output
    return result.stdout


def unescape_tsv(cell: str) -> str:
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        return TSV_ESCAPES[code] if code in TSV_ESCAPES else chr(int(code[1:], 16))

    return re.sub(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[tnr\\])", one, cell)


def _written(value: float, qualifier: str | None, unit: str) -> str:
    """The README's rule, written out independently: billions and millions with up to
    two decimals when exact, else every digit with thousands separators."""
    number = f"{value:,}"
    for size, word in ((10**9, "billion"), (10**6, "million")):
        if value >= size:
            if round(value / size, 2) * size == value:
                number = f"{value / size:g} {word}"
            break
    amount = (
        f"US${number}"
        if unit == "USD"
        else (f"{unit} {number}" if unit.isupper() else f"{number} {unit}")
    )
    return f"{qualifier} {amount}" if qualifier else amount


def _amounts() -> dict[str, str]:
    """How people write each figure: pinned for the fact sheet's, and the rule for all."""
    pinned = {
        "funded-proposals": "over 4,200 proposals",
        "funded-proposals-value": "over US$1.2 billion",
        "research-grants-paid": "US$569.4 million",
        "cis-scientists-with-grants": "over 76,000 scientists",
        "funding-russia": "approximately US$1.5 billion",
        "committed-1997": "ECU 119 million",
        "grant-payments-2016": "US$3,479,231",
        "funding-1998": "nearly ECU 160 million",
    }
    written = {
        f["id"]: _written(f["value"], f["qualifier"], f["unit"]) for f in run_json("figures")
    }
    assert all(written[k] == v for k, v in pinned.items()), written
    return written


def flat(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{k: flatten(v) for k, v in row.items()} for row in rows]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_json_jsonl_yaml_hold_the_same_records(args: list[str]) -> None:
    expected = records(args)
    jsonl = [json.loads(line) for line in output(args, "-o", "jsonl").splitlines()]
    assert jsonl == expected
    # libyaml reads it (PyYAML's C loader, as conftest's load_yaml): a reader other than
    # the Python emitter that wrote it, and a tenth of the pure-Python loader's time.
    loaded = load_yaml(output(args, "-o", "yaml"))
    assert ([loaded] if isinstance(loaded, dict) else loaded) == expected


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_csv_and_tsv_hold_the_same_records_flattened(args: list[str]) -> None:
    expected = flat(records(args))
    text = output(args, "-o", "csv")  # CRLF line ends, as RFC 4180 has them
    assert list(csv.DictReader(io.StringIO(text, newline=""))) == expected
    lines = output(args, "-o", "tsv").splitlines()
    header = lines[0].split("\t")
    rows = [
        dict(zip(header, map(unescape_tsv, line.split("\t")), strict=True)) for line in lines[1:]
    ]
    assert rows == expected


def markdown_cells(text: str) -> list[list[str]]:
    """The rows of a Markdown table as markdown-it (CommonMark with tables) reads them:
    each cell's text, a <br> read as a line break; any other HTML or link fails."""
    from markdown_it import MarkdownIt

    rows: list[list[str]] = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type == "html_inline":
                    assert child.content == "<br>", child.content
                    parts.append("\n")
                else:
                    assert child.type in ("text", "softbreak"), child.type
                    parts.append(child.content)
            rows[-1].append("".join(parts))
    return rows


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_markdown_and_plain_hold_the_table_fields(args: list[str]) -> None:
    full = flat(records(args))
    if args[0] == "figures":  # for people an amount reads "over US$1.2 billion"
        amounts = _amounts()
        for row in full:
            row["value"] = amounts[row["id"]]
    # Read by a real Markdown renderer: every cell is the value's own text.
    header, *body = markdown_cells(output(args, "-o", "markdown"))
    assert [dict(zip(header, row, strict=True)) for row in body] == [
        {h: r[h] for h in header} for r in full
    ]
    plain = output(args)  # piped, no format given
    assert not BOX.search(plain) and "\x1b" not in plain
    if args[0] not in SINGLE:
        assert len(plain.splitlines()) == len(full)
        first = header[0]
        assert [line.split("\t")[0] for line in plain.splitlines()] == [r[first] for r in full]


@functools.cache
def _validator(schema_text: str) -> jsonschema.Draft202012Validator:
    """A schema istc printed, checked against the draft's meta-schema, as a validator:
    each schema once per process (the cases of a command print the same schema)."""
    schema = json.loads(schema_text)
    jsonschema.Draft202012Validator.check_schema(schema)  # `jsonschema.validate` would again
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_json_output_matches_its_schema(args: list[str]) -> None:
    _validator(output(["schema", args[0]])).validate(as_json(args))


def test_schema_covers_every_field_of_every_record_type() -> None:
    from dataclasses import fields

    everything = json.loads(output(["schema"]))["commands"]
    for spec in COMMANDS:
        name = spec.record_type.__name__
        properties = everything[spec.name]["$defs"][name]["properties"]
        assert list(properties) == [f.name for f in fields(spec.record_type)]
        assert everything[spec.name]["$defs"][name]["additionalProperties"] is False


def test_json_field_names_are_only_ever_added() -> None:
    """The published contract: tests/data/json_fields.json lists every field published
    (0.1.0 and since); a field is only ever added to it, never taken out."""
    from .conftest import HERE

    published = json.loads((HERE / "data" / "json_fields.json").read_text())
    everything = json.loads(output(["schema"]))["commands"]
    for command, fields in published.items():
        schema = everything[command]
        schema = schema["anyOf"][0] | {"$defs": schema["$defs"]} if "anyOf" in schema else schema
        ref = schema["items"]["$ref"] if "items" in schema else schema["$ref"]
        current = schema["$defs"][ref.rsplit("/", 1)[1]]["properties"]
        missing = [f for f in fields if f not in current]
        assert not missing, f"{command} lost published fields {missing}"


def test_fields_select_and_order_in_every_format() -> None:
    args = ["members", "--fields", "roles,name"]
    assert run_json(*args)[0] == {"roles": ["party", "office-host"], "name": "Armenia"}
    assert output(args, "-o", "csv").splitlines()[:2] == [
        "roles,name",
        "party; office-host,Armenia",
    ]
    assert output(args).splitlines()[0] == "party; office-host\tArmenia"
    assert yaml.safe_load(output(args, "-o", "yaml"))[0] == {
        "roles": ["party", "office-host"],
        "name": "Armenia",
    }
    assert output(args, "-o", "markdown").splitlines()[0] == "| roles | name |"
    table = output(args, "--format", "table")
    assert table.index("roles") < table.index("name")


def test_unknown_field_lists_the_valid_ones() -> None:
    result = invoke("offices", "--fields", "town")
    assert result.exit_code == 2
    assert "city, country, kind, since, note, source, see_also" in result.stderr


def test_help_lists_each_commands_fields() -> None:
    folded = " ".join(output(["history", "--help"]).split())
    assert "Fields: date, event, source, see_also, id, locator, conflicts, decisions." in folded


def test_piped_output_is_one_record_per_line_without_truncation() -> None:
    lines = output(["initiatives"]).splitlines()
    water = [line for line in lines if "Water" in line]
    assert water == ["Water & food security TI\tin-development"]
    long_event = max((e["event"] for e in run_json("history")), key=len)
    assert long_event in output(["history"])  # never wrapped or cut


def test_forced_table_draws_a_table_when_piped() -> None:
    text = output(["members"], "--format", "table", "--color", "never")
    assert BOX.search(text) and "\x1b" not in text


def test_lists_stay_arrays_in_json_and_yaml_and_flatten_in_csv() -> None:
    assert run_json("members", "--role", "board")[0]["roles"] == ["party", "founder", "board"]
    row = next(csv.DictReader(io.StringIO(output(["members", "--role", "board"], "-o", "csv"))))
    assert row["roles"] == "party; founder; board"
    assert row["left"] == ""  # null is empty


def test_csv_quotes_commas_and_keeps_embedded_text_exact() -> None:
    text = output(["initiatives"], "-o", "csv")
    assert '"Nuclear non-proliferation, security & safety capacity",approved' in text


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "yaml", "markdown"])
def test_machine_formats_never_colour(fmt: str) -> None:
    text = output(["search", "astana"], "-o", fmt, "--color", "always")
    assert "\x1b" not in text


def test_colour_always_never_and_environment() -> None:
    args = ["members", "--format", "table"]
    assert "\x1b[" in output(args, "--color", "always")
    assert "\x1b[" not in output(args, "--color", "never")
    no_color = invoke(*args, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in no_color.stdout
    dumb = invoke(*args, env={"TERM": "dumb", "FORCE_COLOR": "1"})
    assert "\x1b[" not in dumb.stdout
    forced = invoke(*args, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout


def test_json_flag_conflicts_with_another_format() -> None:
    result = invoke("members", "--json", "--format", "csv")
    assert result.exit_code == 2 and "--json cannot be combined" in result.stderr
    assert run_json("members", "--format", "json")  # the same format is fine


def test_sources_option_adds_title_and_date_column() -> None:
    text = output(["figures"], "--format", "table", "--sources")
    assert "What is the ISTC (2018-09)" in text
    # A title the document does not have is ours, and marked so, in brackets.
    assert "[ISTC press release rebutting" in text


def test_table_caption_names_source_and_as_of_date() -> None:
    text = output(["initiatives"], "--format", "table")
    assert "Source: What is the ISTC (2018-09)" in text
    assert "as of" in output(["figures"], "--format", "table") and "2017-12" in text + output(
        ["figures"], "--format", "table"
    )


def test_version_names_tool_dataset_and_content_hash(tmp_path: Any) -> None:
    from istc_cli import __version__

    from .conftest import BUNDLED, load_yaml

    first = output(["--version"]).splitlines()
    assert first[0] == f"istc {__version__}"
    meta = load_yaml(BUNDLED.read_bytes())["meta"]
    version, date = re.escape(meta["version"]), re.escape(meta["date"])
    assert re.fullmatch(rf"dataset {version} \({date}\) sha256:[0-9a-f]{{16}}", first[1])
    assert first[2].endswith("(bundled)")
    changed = tmp_path / "mine.yaml"
    changed.write_text(BUNDLED.read_text() + "\n# my note\n")
    second = output(["--data", str(changed), "--version"]).splitlines()
    assert second[1] != first[1] and str(changed) in second[2]


@pytest.mark.parametrize("query", ["russia", "astana", "fact-sheet-2018"])
def test_piped_show_is_one_fact_per_line_for_grep_and_cut(query: str) -> None:
    """Piped, `show` gives a line per fact: `field<TAB>value`, and a line per related
    record, its values tab-separated in the record's field order, so cut and awk work."""
    from istc_cli.field_types import field_names
    from istc_cli.model import views

    lines = invoke("show", query).stdout.splitlines()
    profile = json.loads(invoke("show", query, "--json").stdout)
    records = [line.split("\t") for line in lines if line.startswith("records\t")]
    assert len(records) == len(profile["records"]) > 0
    columns = field_names(views.ShowRecord)
    for cells, record in zip(records, profile["records"], strict=True):
        assert len(cells) == 1 + len(columns)
        assert cells[1 + columns.index("id")] == record["id"]
        assert cells[1 + columns.index("relation")] == record["relation"]
    matches = [line for line in lines if line.startswith("matches\t")]
    assert len(matches) == len(profile["matches"])
    assert lines[0] == f"query\t{query}"
