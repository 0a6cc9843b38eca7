"""Time views and joins (issue 31), through the command users run.

Every expected fact is read from data/istc.yaml (or from a small dataset written here),
never from what istc prints: the series are tidy rows in the machine formats and keep
their nesting in JSON; the chart places points by date; `changes` finds what happened
in a window; `meetings --attendance` and `--party`; `show --at`; the parties' ISO and
Wikidata ids.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from .conftest import BUNDLED, MINIMAL, dump_yaml, invoke, load_yaml, run_json, table

ANSI = re.compile(r"\x1b\[")
TIDY_FIELDS = ["measure", "unit", "date", "value", "qualifier", "source", "locator", "figure"]


@cache
def data() -> Any:
    """The bundled dataset as plain YAML: where the expected facts come from."""
    return load_yaml(BUNDLED.read_text(encoding="utf-8"))


def _members() -> dict[str, dict[str, Any]]:
    return {f"member:{_slug(m['name'])}": m for m in data()["members"]}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _meetings() -> dict[int, dict[str, Any]]:
    return {m["number"]: m for m in data()["meetings"]}


def _dataset(tmp_path: Path, change: Callable[[dict[str, Any]], None], name: str = "d") -> Path:
    """The minimal dataset, changed, written to tmp_path."""
    minimal = load_yaml(MINIMAL.read_text(encoding="utf-8"))
    change(minimal)
    path = tmp_path / f"{name}.yaml"
    path.write_text(dump_yaml(minimal, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _figure(fid: str, value: float, as_of: str | None, **more: Any) -> dict[str, Any]:
    figure = {"id": fid, "name": f"Figure {fid}", "value": value, "unit": "things"}
    figure |= {"qualifier": None, "as_of": as_of, "source": "doc", "measure": "growth"}
    return figure | more


def _ok(*args: str, env: dict[str, str] | None = None) -> str:
    result = invoke(*args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def _csv(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_ok(*args, "-o", "csv"))))


def _words(text: str) -> str:
    """Text with its wrapping undone: one space between words."""
    return " ".join(text.split())


# ---------------------------------------------------------------- series as tidy data


def test_over_time_is_one_row_per_point_in_csv_tsv_and_jsonl() -> None:
    nested = run_json("figures", "--over-time")
    points = [(s["measure"], s["unit"], p) for s in nested for p in s["points"]]
    rows = _csv("figures", "--over-time")
    assert len(rows) == len(points) > 50
    assert list(rows[0])[: len(TIDY_FIELDS)] == TIDY_FIELDS
    tsv = list(csv.DictReader(io.StringIO(_ok("figures", "--over-time", "-o", "tsv")),
                              delimiter="\t"))  # fmt: skip
    jsonl = [json.loads(line) for line in _ok("figures", "--over-time", "-o", "jsonl").splitlines()]
    assert len(tsv) == len(jsonl) == len(points)
    for row, line, (measure, unit, point) in zip(rows, jsonl, points, strict=True):
        assert (row["measure"], row["unit"]) == (line["measure"], line["unit"]) == (measure, unit)
        assert float(row["value"]) == line["value"] == point["value"]
        for name in ("date", "qualifier", "source", "locator", "figure"):
            assert line[name] == point[name], name
            assert row[name] == (point[name] or ""), name
    assert [r["value"] for r in tsv] == [r["value"] for r in rows]


def test_json_keeps_each_series_nested_with_its_points() -> None:
    nested = run_json("figures", "--over-time")
    for series in nested:
        assert set(series) == {"measure", "unit", "points"}
        dates = [p["date"] for p in series["points"]]
        assert dates == sorted(dates), series["measure"]  # date order
    yaml_out = load_yaml(_ok("figures", "--over-time", "-o", "yaml"))
    assert [(s["measure"], s["unit"]) for s in yaml_out] == [
        (s["measure"], s["unit"]) for s in nested
    ]


def test_a_measure_in_two_units_is_two_series_none_dropped() -> None:
    stated = [f for f in data()["figures"] if f.get("measure") == "cumulative-project-funding"]
    units = {f["unit"] for f in stated}
    assert units == {"ECU", "USD"}  # the data's own two units
    series = {(s["measure"], s["unit"]): s for s in run_json("figures", "--over-time")}
    for unit in units:
        drawn = {
            p["figure"]: p["value"] for p in series[("cumulative-project-funding", unit)]["points"]
        }
        assert drawn == {f["id"]: f["value"] for f in stated if f["unit"] == unit and f["as_of"]}


def test_every_dated_figure_of_a_measure_is_a_point_of_its_series() -> None:
    series = run_json("figures", "--over-time")
    found = {p["figure"]: (s["measure"], s["unit"], p) for s in series for p in s["points"]}
    measured = [f for f in data()["figures"] if f.get("measure")]
    assert len(measured) > 30
    for f in measured:
        assert f["as_of"], f["id"]  # the bundled data dates every figure of a measure
        measure, unit, point = found[f["id"]]
        assert (measure, unit) == (f["measure"], f["unit"]), f["id"]
        assert (point["date"], point["value"], point["qualifier"], point["source"]) == (
            f["as_of"], f["value"], f["qualifier"], f["source"]
        ), f["id"]  # fmt: skip


def test_an_undated_figure_of_a_measure_is_named_never_silently_dropped(tmp_path: Path) -> None:
    def two(d: dict[str, Any]) -> None:
        d["figures"] = [_figure("dated", 10, "2000"), _figure("undated", 20, None)]

    path = _dataset(tmp_path, two)
    text = _words(_ok("--data", str(path), "figures", "--over-time", "--format", "table",
                      "--color", "never"))  # fmt: skip
    caption = text.split(" series, ", 1)[1]  # under the table
    assert "undated" in caption and "20 things" in caption


def test_the_boards_approvals_are_series_usd_and_eur_apart() -> None:
    series = {(s["measure"], s["unit"]): s["points"] for s in run_json("figures", "--over-time")}
    for unit, field in (("USD", "approved_usd"), ("EUR", "approved_eur")):
        expected = {m["number"]: m[field] for m in data()["meetings"]
                    if m.get(field) is not None and m.get("date")}  # fmt: skip
        assert expected, unit
        drawn = {p["meeting"]: p["value"] for p in series[("board-approved-funding", unit)]}
        assert drawn == expected, unit  # as stated: never converted, never mixed
    projects = {m["number"]: m["approved_projects"] for m in data()["meetings"]
                if m.get("approved_projects") is not None and m.get("date")}  # fmt: skip
    drawn = {p["meeting"]: p["value"] for p in series[("board-approved-projects", "projects")]}
    assert drawn == projects
    for point in series[("board-approved-projects", "projects")]:
        meeting = _meetings()[point["meeting"]]
        assert (point["date"], point["source"]) == (meeting["date"], meeting["source"])


def test_the_caption_points_to_the_fact_sheets_totals_and_undated_meetings() -> None:
    totals = [f["id"] for f in data()["figures"]
              if f["source"] == "fact-sheet-2018" and f["as_of"] == "2017-12"
              and not f.get("measure")]  # fmt: skip
    assert {"funded-proposals", "funded-proposals-value", "research-grants-paid"} <= set(totals)
    shown = _words(_ok("figures", "--over-time", "--format", "table", "--color", "never"))
    caption = shown.split("series,", 1)[1]
    for fid in totals:
        assert fid in caption, fid
    undated = [m["number"] for m in data()["meetings"]
               if not m.get("date") and m.get("approved_projects") is not None]  # fmt: skip
    for number in undated:
        assert f"Board {number}" in caption


# ---------------------------------------------------------------- --fields with --over-time


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_over_time_fields_value_gives_the_values(fmt: str) -> None:
    out = _ok("figures", "--over-time", "--fields", "value,date", "-o", fmt)
    points = [p for s in run_json("figures", "--over-time") for p in s["points"]]
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
    assert [list(r) for r in rows] == [["value", "date"]] * len(points)
    assert [float(r["value"]) for r in rows] == [p["value"] for p in points]


def test_over_time_fields_in_a_table_and_points_in_json() -> None:
    table = _ok("figures", "--over-time", "--fields", "value", "--format", "table",
                "--color", "never")  # fmt: skip
    assert "value" in table and "4,000" in table
    nested = run_json("figures", "--over-time", "--fields", "points")
    assert all(set(s) == {"points"} and s["points"] for s in nested)
    yaml_out = load_yaml(_ok("figures", "--over-time", "--fields", "measure,points", "-o", "yaml"))
    assert all(set(s) == {"measure", "points"} for s in yaml_out)


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "jsonl", "json", "yaml", "markdown"])
@pytest.mark.parametrize("fields", ["value", "points", "measure,points", "bogus", "date,value"])
def test_over_time_fields_never_end_in_an_internal_error(fmt: str, fields: str) -> None:
    result = invoke("figures", "--over-time", "--fields", fields, "-o", fmt, "--color", "never")
    nested = fmt in ("json", "yaml")
    known = {"measure", "unit", "points"} if nested else {*TIDY_FIELDS, "meeting"}
    valid = set(fields.split(",")) <= known
    assert result.exit_code == (0 if valid else 2), result.output
    assert "Traceback" not in result.output
    if valid:
        assert result.stdout.strip()


@pytest.mark.parametrize(
    "args",
    [
        ("changes", "--from", "2013", "--to", "2014"),
        ("meetings", "--attendance"),
        ("members", "--at", "2012", "--all"),
        ("officers", "--at", "2010"),
    ],
)
def test_fields_of_the_time_views_are_checked_against_what_is_printed(
    args: tuple[str, ...],
) -> None:
    keys = list(run_json(*args)[0])
    for fmt in ("csv", "jsonl", "json", "table"):
        for fields in (keys[-1], ",".join(keys[:3][::-1])):
            result = invoke(*args, "--fields", fields, "-o", fmt, "--color", "never")
            assert result.exit_code == 0, (fmt, fields, result.output)
            if fmt == "csv":
                assert next(csv.reader(io.StringIO(result.stdout))) == fields.split(",")
        for wrong in ("bogus", f"{keys[0]},{keys[0]}"):
            result = invoke(*args, "--fields", wrong, "-o", fmt)
            assert result.exit_code == 2, (fmt, wrong, result.output)
            assert "Traceback" not in result.output


# ---------------------------------------------------------------- the chart on a time axis

_MARK = re.compile(r"[●▲≈▼o^~v]")


def _plot_rows(chart: str, title: str) -> list[str]:
    """The plot rows (scale, tick, points) of one series of a chart, up to its axis."""
    lines = chart.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 1 :]:
        if re.match(r"^\s*[└+]", line):
            break
        rows.append(line)
    return rows


def _marks(rows: list[str]) -> list[tuple[int, int, str]]:
    """(column, row, glyph) of each point drawn, left to right."""
    found = []
    for r, line in enumerate(rows):
        body_at = re.search(r" [┤│|+]", line)  # the scale's tick, after its label
        assert body_at, line
        for m in _MARK.finditer(line, body_at.end()):
            found.append((m.start(), r, m.group()))
    return sorted(found)


def _chart(path: Path, env: dict[str, str] | None = None, *more: str) -> str:
    return _ok("--data", str(path), "figures", "--over-time", "--chart", "--color", "never",
               *more, env={"COLUMNS": "80", **(env or {})})  # fmt: skip


def test_the_chart_places_points_by_their_date(tmp_path: Path) -> None:
    def gap(d: dict[str, Any]) -> None:
        d["figures"] = [_figure("a", 10, "2000"), _figure("b", 20, "2008", qualifier="over"),
                        _figure("c", 30, "2009")]  # fmt: skip

    chart = _chart(_dataset(tmp_path, gap))
    (a, _, _), (b, _, _), (c, _, _) = _marks(_plot_rows(chart, "growth"))
    assert b - a > 5 * (c - b) > 0  # eight years look eight times as long as one


def test_the_chart_has_year_labels_and_shows_a_lower_bound(tmp_path: Path) -> None:
    def gap(d: dict[str, Any]) -> None:
        d["figures"] = [_figure("a", 10, "2000"), _figure("b", 20, "2008", qualifier="over"),
                        _figure("c", 30, "2009")]  # fmt: skip

    chart = _chart(_dataset(tmp_path, gap))
    lines = chart.splitlines()
    axis = next(i for i, line in enumerate(lines) if re.match(r"^\s*[└+][─┬+-]", line))
    years = re.findall(r"\d{4}", lines[axis + 1])
    assert years[0] == "2000" and "2008" in years and years[-1] == "2009"
    marks = _marks(_plot_rows(chart, "growth"))
    glyphs = [g for _, _, g in marks]
    assert glyphs[0] == glyphs[2] != glyphs[1]  # the "over" point is drawn otherwise
    [key] = [line for line in lines[axis + 2 :] if f"{glyphs[1]} " in line]
    # the key says which glyph is a lower bound ("over"), and which a value as stated
    assert "over" in key.split(f"{glyphs[1]} ", 1)[1]
    assert f"{glyphs[0]} " in key


@pytest.mark.parametrize("order", ["exact first", "over first"])
def test_a_qualified_point_is_never_hidden_by_an_exact_one_in_its_cell(
    tmp_path: Path, order: str
) -> None:
    """Two points a day apart share a cell: the glyph drawn is the qualified one
    (`over`), whichever comes first, so the chart never loses a qualifier."""

    def close(d: dict[str, Any]) -> None:
        exact, over = _figure("a", 30, "2009-12-09"), _figure("b", 30, "2009-12", qualifier="over")
        early = _figure("c", 10, "2000")
        d["figures"] = [early, exact, over] if order == "exact first" else [early, over, exact]

    chart = _chart(_dataset(tmp_path, close))
    marks = _marks(_plot_rows(chart, "growth"))
    assert len(marks) == 2  # 2000, and the two in one cell
    lower = next(g for g in ("▲", "^") if f"{g} at least" in chart)  # as the key says
    assert marks[-1][2] == lower, marks


def test_the_chart_keeps_a_negative_value_below_zero(tmp_path: Path) -> None:
    def negative(d: dict[str, Any]) -> None:
        d["figures"] = [_figure("a", -5, "2000"), _figure("b", 20, "2001")]

    rows = _plot_rows(_chart(_dataset(tmp_path, negative)), "growth")
    labels = [line.split("┤")[0].strip() if "┤" in line else "" for line in rows]
    zero, minus = labels.index("0"), labels.index("-5")
    assert zero < minus  # the scale runs below zero
    (_, first_row, _), (_, second_row, _) = _marks(rows)
    assert first_row == minus and second_row < zero


def test_a_chart_of_one_year_and_one_value_says_so(tmp_path: Path) -> None:
    def flat(d: dict[str, Any]) -> None:
        d["figures"] = [_figure("a", 0, "2000-01")]

    chart = _chart(_dataset(tmp_path, flat))
    assert chart.splitlines()[0].endswith(": 2000")  # one year, not "2000-2000"
    rows = _plot_rows(chart, "growth")
    labels = [(i, line.split("┤")[0].strip()) for i, line in enumerate(rows) if "┤" in line]
    [(_, row, _)] = _marks(rows)
    assert labels == [(row, "0")]  # one label, where the value is drawn


def test_the_bar_chart_keeps_a_negative_value_negative(tmp_path: Path) -> None:
    def signs(d: dict[str, Any]) -> None:
        d["figures"] = [_figure("up", 100, "2000", measure=None),
                        _figure("down", -100, "2001", measure=None),
                        _figure("half", -50, "2001", measure=None)]  # fmt: skip

    chart = _ok("--data", str(_dataset(tmp_path, signs)), "figures", "--chart", "--color",
                "never", env={"COLUMNS": "80"})  # fmt: skip
    bars = {}
    for line in chart.splitlines():
        m = re.match(r"\s+([█░#-]+) (-?[\d,]+) things", line)
        if m:
            bars[int(m.group(2).replace(",", ""))] = m.group(1)
    assert set(bars) == {100, -100, -50}
    assert len(bars[-100]) == len(bars[100]) == 2 * len(bars[-50])  # by size
    assert set(bars[100]) != set(bars[-100]) == set(bars[-50])  # the sign is drawn


def test_the_bundled_chart_fits_80_columns_with_colour_off() -> None:
    plain = _ok("figures", "--over-time", "--chart", env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert not ANSI.search(plain)
    assert max(len(line) for line in plain.splitlines()) <= 80
    coloured = _ok("figures", "--over-time", "--chart", "--color", "always",
                   env={"COLUMNS": "80"})  # fmt: skip
    assert ANSI.search(coloured)
    # colour adds nothing the glyphs do not say: the same drawing without it
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured).splitlines() == plain.splitlines()
    series = run_json("figures", "--over-time")
    for s in series:  # every series is drawn, with as many points as it has
        head = f"{s['measure']}, in {s['unit']}: {len(s['points'])} point"
        assert head in plain, head
    marks = _marks(_plot_rows(plain, "cumulative-project-funding, in ECU"))
    assert len(marks) == 2  # two dates far apart: two marks


def test_a_chart_with_nothing_to_draw_never_exits_0() -> None:
    result = invoke("--data", str(MINIMAL), "figures", "--over-time", "--chart", "--color", "never")
    assert result.exit_code == 1
    assert result.stderr.strip() and not result.stdout.strip()


@pytest.mark.parametrize("value", [1e308 * 10, "1e400", "1.0e+400", float("-inf")])
def test_validate_refuses_a_value_that_is_not_finite(tmp_path: Path, value: Any) -> None:
    def huge(d: dict[str, Any]) -> None:
        d["figures"] = [_figure("a", 10, "2000"), _figure("b", 0, "2001")]

    path = _dataset(tmp_path, huge)
    text = path.read_text(encoding="utf-8").replace("value: 0\n", f"value: {value}\n")
    if isinstance(value, float):
        text = path.read_text(encoding="utf-8").replace(
            "value: 0\n", dump_yaml({"value": value}).strip() + "\n"
        )
        assert "inf" in text  # PyYAML writes an infinity as .inf
    path.write_text(text, encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 3, result.output  # README: validate found problems
    assert "figures[1].value" in result.stdout  # each problem, located
    loaded = invoke("--data", str(path), "figures", "--over-time", "--chart")
    assert loaded.exit_code == 3 and not loaded.stdout


def test_the_largest_finite_values_are_drawn(tmp_path: Path) -> None:
    def extreme(d: dict[str, Any]) -> None:
        d["figures"] = [_figure("a", 1.7e308, "2000"), _figure("b", -1.7e308, "2001")]

    path = _dataset(tmp_path, extreme)
    assert invoke("validate", str(path)).exit_code == 0
    marks = _marks(_plot_rows(_chart(path), "growth"))
    assert len(marks) == 2 and marks[0][1] < marks[1][1]


# ---------------------------------------------------------------- changes between two dates


@cache
def _changes_2013_2014() -> tuple[dict[str, Any], ...]:
    return tuple(run_json("changes", "--from", "2013", "--to", "2014"))


def test_changes_from_2013_to_2014_has_canadas_notice_and_leaving() -> None:
    canada = _members()["member:canada"]
    stated = {(e["kind"], e["date"], e["source"]) for e in canada["events"]
              if e["date"][:4] in ("2013", "2014")}  # fmt: skip
    assert {k for k, _, _ in stated} == {"notice", "withdrawal"}
    found = [c for c in _changes_2013_2014() if c["subject"] == "member:canada"]
    dated = {(c["date"], c["source"]) for c in found}
    assert {(d, s) for _, d, s in stated} <= dated
    what = {c["what"] for c in found}
    assert "notice" in what and what & {"left", "withdrawal"}


def test_changes_from_2013_to_2014_has_meetings_57_and_58_with_their_seat() -> None:
    names = {k: m["name"] for k, m in _members().items()}
    held = {int(c["subject"].split(":")[1]): c for c in _changes_2013_2014()
            if c["kind"] == "meeting" and c["what"] == "held"}  # fmt: skip
    expected = {n for n, m in _meetings().items() if (m.get("date") or "")[:4] in ("2013", "2014")}
    assert expected == {57, 58} == set(held)
    for number in expected:
        meeting = _meetings()[number]
        change = held[number]
        assert change["date"] == meeting["date"] and change["source"] == meeting["source"]
        assert meeting["place"] in change["after"]
        assert names[meeting["rotating_seat"]] in change["after"]


def test_every_change_names_its_document() -> None:
    sources = {s["id"] for s in data()["sources"]}
    changes = _changes_2013_2014()
    assert changes
    for change in changes:
        assert change["source"] in sources, change
    table = _words(_ok("changes", "--from", "2013", "--to", "2014", "--sources",
                       "--format", "table", "--color", "never"))  # fmt: skip
    assert table.count("Statement of the 57th Governing Board") >= 2


def test_changes_in_csv_is_the_json_row_for_row() -> None:
    rows = _csv("changes", "--from", "2013", "--to", "2014")
    changes = _changes_2013_2014()
    assert len(rows) == len(changes)
    for row, change in zip(rows, changes, strict=True):
        for name in ("kind", "subject", "what", "date", "source", "summary"):
            assert row[name] == (change[name] or ""), name


def test_a_series_gives_its_first_and_last_value_in_the_window() -> None:
    stated = sorted((f["as_of"], f["value"]) for f in data()["figures"]
                    if f.get("measure") == "cumulative-projects"
                    and "2001" <= f["as_of"][:4] <= "2002")  # fmt: skip
    assert len(stated) >= 2
    [change] = [c for c in run_json("changes", "--from", "2001", "--to", "2002")
                if c["kind"] == "series" and c["subject"] == "cumulative-projects"]  # fmt: skip
    assert (change["first"], change["last"]) == (stated[0][1], stated[-1][1])
    assert change["difference"] == stated[-1][1] - stated[0][1]
    assert change["unit"] == "projects"


def test_a_series_of_each_meetings_own_approvals_gets_no_difference() -> None:
    """Approvals per meeting are no running total: a first-to-last difference would
    read as growth; the meetings' own lines give each one."""
    approved = sorted((m["date"], m["approved_projects"]) for m in data()["meetings"]
                      if m.get("approved_projects") is not None
                      and "2008" <= str(m.get("date", ""))[:4] <= "2010")  # fmt: skip
    assert len(approved) >= 2
    [change] = [c for c in run_json("changes", "--from", "2008", "--to", "2010")
                if c["subject"] == "board-approved-projects"]  # fmt: skip
    assert change["difference"] is None
    assert (change["first"], change["last"]) == (approved[0][1], approved[-1][1])
    assert f"{len(approved)} meetings' own approvals" in change["summary"]


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "2014", "--to", "2013"),
        ("--from", "2013-06-02", "--to", "2013-06-01"),
        ("--from", "2013-13"),
        ("--to", "soon"),
        ("--from", "20133"),
    ],
)
def test_a_window_that_is_not_one_exits_2(args: tuple[str, ...]) -> None:
    for fmt in ("table", "json"):
        result = invoke("changes", *args, "-o", fmt)
        assert result.exit_code == 2, result.output
        assert not result.stdout


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv", "yaml"])
def test_sources_with_a_machine_format_is_a_usage_error_not_ignored(fmt: str) -> None:
    """A machine format holds every source field already; --sources there would change
    nothing, so it says so; tables and Markdown take it."""
    for args in (["members"], ["figures", "--over-time"]):
        result = invoke(*args, "-o", fmt, "--sources")
        assert result.exit_code == 2 and not result.stdout, (args, fmt)
        assert "--sources" in result.stderr
    for fmt_ok in ("table", "markdown"):
        shown = invoke("members", "-o", fmt_ok, "--sources", env={"COLUMNS": "200"})
        assert shown.exit_code == 0 and "What is the ISTC" in shown.stdout


def test_a_drawing_with_nothing_to_draw_is_exit_1_and_one_line(tmp_path: Path) -> None:
    """As `figures --over-time --chart` already was: a chart or a timeline with no
    records prints nothing and says so on stderr, whatever filtered them out."""
    data = load_yaml(MINIMAL.read_bytes())
    data["figures"], data["history"] = [], []
    empty = tmp_path / "empty.yaml"
    empty.write_text(dump_yaml(data), encoding="utf-8")
    for args in (
        ["--data", str(empty), "figures", "--chart"],
        ["--data", str(empty), "history", "--timeline"],
        ["history", "--since", "2030", "--timeline"],
    ):
        result = invoke(*args)
        assert result.exit_code == 1 and result.stdout == "", args
        assert result.stderr.startswith("istc: Nothing to draw") and result.stderr.count("\n") == 1
    assert invoke("--data", str(empty), "figures").exit_code == 0  # a listing may be empty


def test_an_opening_is_dated_by_the_records_own_start_not_a_disputed_account() -> None:
    """Astana opened in 2015-07 by the fact sheet; the premises page's 2014 is another
    document's account (a conflict): listed as such, never the opening's date."""
    rows = [c for c in run_json("changes", "--from", "2010", "--to", "2018")
            if c.get("subject") == "office:astana"]  # fmt: skip
    [opened] = [c for c in rows if c["what"] == "opened"]
    assert (opened["date"], opened["source"]) == ("2015-07", "fact-sheet-2018")
    assert ("since (disputed)", "2014") in {(c["what"], c["date"]) for c in rows}


def test_history_since_after_until_exits_2_as_a_window_does() -> None:
    for fmt in ("table", "json"):  # a usage error in every format (Typer says it)
        result = invoke("history", "--since", "2015", "--until", "2014", "-o", fmt)
        assert result.exit_code == 2 and not result.stdout, result.output
        assert "--since 2015 is after --until 2014" in result.stderr
    same = invoke("history", "--since", "2015", "--until", "2015", "--json")
    assert same.exit_code == 0 and {e["date"][:4] for e in json.loads(same.stdout)} == {"2015"}


def _noticed(tmp_path: Path) -> Path:
    def notices(d: dict[str, Any]) -> None:
        d["members"][0]["events"] = [
            {"kind": "notice", "date": date, "source": "doc", "note": f"notice {date}"}
            for date in ("2012-12-31", "2013-05", "2014", "2014-12-31", "2015-01-01")
        ]

    return _dataset(tmp_path, notices)


def _dates(path: Path, *window: str) -> list[str]:
    rows = run_json("--data", str(path), "changes", *window)
    return [r["date"] for r in rows if r["what"] == "notice"]


def test_partial_dates_follow_the_at_rules(tmp_path: Path) -> None:
    path = _noticed(tmp_path)
    # from 2013 to 2014 holds 2013-05 and all of 2014
    assert _dates(path, "--from", "2013", "--to", "2014") == ["2013-05", "2014", "2014-12-31"]
    # a month leaves out what came before it; a year matches a date inside it
    assert _dates(path, "--from", "2013-06", "--to", "2014-06") == ["2014"]
    assert _dates(path, "--from", "2012-12-31", "--to", "2013") == ["2012-12-31", "2013-05"]


def test_from_or_to_alone_leaves_the_window_open(tmp_path: Path) -> None:
    path = _noticed(tmp_path)
    assert _dates(path, "--from", "2014-12-31") == ["2014", "2014-12-31", "2015-01-01"]
    assert _dates(path, "--to", "2013") == ["2012-12-31", "2013-05"]
    assert len(_dates(path)) == 5
    dated = sorted(m["date"] for m in data()["meetings"] if m.get("date"))
    since = run_json("changes", "--from", "2024")
    assert {c["date"] for c in since if c["kind"] == "meeting"} == {d for d in dated if d >= "2024"}
    until = run_json("changes", "--to", "1994")
    assert dated[0] in {c["date"] for c in until}


# ---------------------------------------------------------------- attendance


def test_attendance_is_a_grid_that_fits_80_columns() -> None:
    out = _ok("meetings", "--attendance", "--format", "table", "--color", "never",
              env={"COLUMNS": "80"})  # fmt: skip
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    starts = {int(m.group(1)) for line in lines if (m := re.match(r"\s*(\d+) ", line))}
    assert starts == set(_meetings())  # one row per meeting
    header = next(line for line in lines if line.split()[:2] == ["ARM", "EU"])
    assert len(header.split()) == len(data()["members"])  # one column per party


def test_attendance_is_a_row_per_meeting_and_party_with_its_status() -> None:
    rows = _csv("meetings", "--attendance")
    parties = _members()
    assert len(rows) == len(_meetings()) * len(parties)
    assert rows == [{k: "" if v is None else str(v) for k, v in r.items()}
                    for r in run_json("meetings", "--attendance")]  # fmt: skip
    for row in rows:
        meeting = _meetings()[int(row["meeting"])]
        attended = row["party"] in meeting.get("attended", [])
        assert (row["status"] == "attended") == attended, row
        if not meeting.get("attended") and row["status"] != "not-party":
            assert row["status"] in ("no-list", "rotating-seat"), row
        elif meeting.get("attended_scope") == "all" and not attended:
            assert row["status"] in ("not-listed", "not-party", "rotating-seat"), row
    canada = {int(r["meeting"]): r["status"] for r in rows if r["party"] == "member:canada"}
    assert canada[58] == "not-party"  # it left in 2013-11, before the 58th
    assert canada[57] == "not-listed"  # a party still, missing from a whole list


def test_meetings_party_lists_only_the_meetings_it_attended() -> None:
    expected = {n for n, m in _meetings().items()
                if "member:georgia" in m.get("attended", [])
                or m.get("rotating_seat") == "member:georgia"}  # fmt: skip
    assert {57, 58} <= expected
    listed = {m["number"] for m in run_json("meetings", "--party", "georgia")}
    assert listed == expected
    rows = run_json("meetings", "--attendance", "--party", "GEO")
    assert {r["party"] for r in rows} == {"member:georgia"}
    assert {r["meeting"] for r in rows if r["status"] in ("attended", "rotating-seat")} == expected


@pytest.mark.parametrize("extra", [(), ("--attendance",), ("--attendance", "-o", "csv")])
def test_an_unknown_party_exits_2(extra: tuple[str, ...]) -> None:
    result = invoke("meetings", "--party", "atlantis", *extra)
    assert result.exit_code == 2, result.output
    assert not result.stdout


# ---------------------------------------------------------------- show --at


@pytest.mark.parametrize(("at", "standing"), [("2012", "party"), ("2014", "not-party")])
def test_show_at_gives_the_standing_and_its_evidence(at: str, standing: str) -> None:
    canada = _members()["member:canada"]
    assert canada["joined"] < at < canada["left"] or canada["left"] < at
    shown = run_json("show", "canada", "--at", at)
    assert shown["at"] == at
    [found] = shown["standings"]
    assert (found["record"], found["standing"]) == ("member:canada", standing)
    assert found["evidence"]
    sources = {s["id"] for s in data()["sources"]}
    assert all(e["source"] in sources for e in found["evidence"])
    if standing == "not-party":
        assert (canada["left"], canada["left_source"]) in {
            (e["date"], e["source"]) for e in found["evidence"]
        }
    panel = _words(_ok("show", "canada", "--at", at, "--format", "table", "--color", "never"))
    assert f"At {at}" in panel and standing in panel.split(f"At {at}", 1)[1]
    for e in found["evidence"]:
        assert e["date"] in panel.split(f"At {at}", 1)[1]


def test_show_without_at_has_no_standing() -> None:
    shown = run_json("show", "canada")
    assert shown["standings"] == [] and shown["at"] is None
    assert "At " not in _ok("show", "canada", "--format", "table", "--color", "never")


# ---------------------------------------------------------------- joinable identifiers


def test_members_carry_their_iso_codes_and_wikidata_ids() -> None:
    stated = {m["name"]: m for m in data()["members"]}
    assert (stated["Kazakhstan"]["iso2"], stated["Kazakhstan"]["iso3"]) == ("KZ", "KAZ")
    assert stated["Kazakhstan"]["wikidata"] == "Q232"
    listed = {m["name"]: m for m in run_json("members", "--all")}
    assert set(listed) == set(stated)
    for name, member in listed.items():
        for field in ("iso2", "iso3", "wikidata"):
            assert member[field] == stated[name].get(field), (name, field)
        assert re.fullmatch(r"Q[1-9]\d*", member["wikidata"]), name
    eu = listed["European Union"]
    assert eu["iso2"] is None and eu["iso3"] is None and eu["wikidata"]
    rows = {r["name"]: r for r in _csv("members", "--all")}
    assert (rows["Kazakhstan"]["iso2"], rows["Kazakhstan"]["wikidata"]) == ("KZ", "Q232")
    assert rows["European Union"]["iso2"] == ""


def test_pycountry_agrees_with_every_code() -> None:
    import pycountry  # a test dependency (pyproject.toml): ISO 3166-1 as published

    for member in run_json("members", "--all"):
        if member["iso2"] is None:
            continue
        country = pycountry.countries.get(alpha_2=member["iso2"])
        assert country is not None, member["name"]
        assert country.alpha_3 == member["iso3"], member["name"]


def test_show_finds_the_headquarters_by_the_name_the_press_release_gives_its_city() -> None:
    """The 2022 release puts the headquarters in Nur-Sultan: that name opens the office,
    not the source on the city's renaming that also holds it."""
    for name in ("Nur-Sultan", "Nur Sultan", "nur sultan"):  # joined however it is typed
        shown = run_json("show", name)
        assert [m["id"] for m in shown["matches"]] == ["office:astana"], name


def test_a_partys_codes_name_it_but_are_not_sought_as_its_mentions() -> None:
    """`show AM` opens Armenia, yet meeting 77's project "AM-2803" does not mention
    Armenia: ISO codes and Wikidata items name a record exactly, never in prose."""
    assert [m["id"] for m in run_json("show", "AM")["matches"]] == ["member:armenia"]
    mentions = {r["id"] for r in run_json("show", "member:armenia")["records"]}
    assert "meeting:77" not in mentions and "meeting:78" in mentions


@pytest.mark.parametrize("code", ["Q232", "KAZ", "KZ", "kz"])
def test_show_finds_a_party_by_its_wikidata_id_or_iso_codes(code: str) -> None:
    """Its codes name it exactly, before any id that merely holds them as a word (the
    sources `usembassy-kz-2015`, `sn-kz-gb60`...)."""
    shown = run_json("show", code)
    assert [m["id"] for m in shown["matches"]] == ["member:kazakhstan"]
    assert shown["ambiguous"] is False


def test_an_open_window_is_worded_as_asked_in_title_and_caption() -> None:
    result = invoke("changes", "--from", "2024", "--json")
    assert result.exit_code == 0
    drawn = table("changes", "--from", "2024")
    assert "Changes since 2024" in drawn and "Since 2024: " in drawn
    assert "2100" not in drawn
