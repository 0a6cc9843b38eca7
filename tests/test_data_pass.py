"""Data, fourth pass (issue 32): each fact on the page that states it, summaries that
say no more than their page, sources dated as they date themselves, plans as decisions,
and every disagreement kept as two accounts, each with its document."""

from __future__ import annotations

from typing import Any

from .conftest import run_json


def _by(command: str, key: str, *extra: str) -> dict[Any, dict[str, Any]]:
    return {r[key]: r for r in run_json(command, *extra)}


def test_true_facts_on_the_page_that_states_them() -> None:
    history = _by("history", "id")
    assert history["history:1995/kazakhstan-joins"]["source"] == "istc-article-120"
    assert _by("members", "name")["Kazakhstan"]["joined_source"] == "istc-article-120"
    signed = history["history:2015-12-09/continuation-agreement-signed-in-astana"]
    assert signed["source"] == "kz-ratification-law-2016"
    protocol = history["history:1993-12-27/protocol-signed"]
    assert protocol["source"] == "eurlex-oj-2017" and protocol["locator"] == "preamble"


def test_summaries_say_no_more_than_their_page() -> None:
    meetings = _by("meetings", "number")
    assert "new funders" not in meetings[25]["summary"]
    assert "Norway" in meetings[25]["summary"]  # one of five that gave new funding
    assert "last Board" not in meetings[56]["summary"]
    history = _by("history", "id")
    founding = history["history:1992-11-27/founding-agreement-signed"]["event"]
    assert "European Communities" in founding and "one party" not in founding
    canada = history["history:2004-03-04/canada-accedes"]["event"]
    assert "part in the Science Advisory Committee" in canada
    assert "seat on the Governing Board and on the Science" not in canada


def test_sources_dated_as_they_date_themselves() -> None:
    sources = _by("sources", "id")
    assert sources["istc-article-7532"]["date"] == "2009-12-10"
    assert sources["istc-gb55-statement"]["date"] == "2012-06-27"
    assert sources["tass-astana-rename"]["date"] == "2022-09-19"
    assert run_json("about")["latest_source_date"] == max(
        (s["date"] for s in sources.values() if s["date"]), key=lambda d: (d, len(d))
    )


def test_plans_are_decisions_not_attestations() -> None:
    officers = _by("officers", "name")
    vdm = officers["Adriaan van der Meer"]
    assert vdm["decisions"] == ["since"] and "2008-05-01" not in vdm["attested"]
    [appointment] = vdm["events"]
    assert appointment["kind"] == "appointment" and appointment["decision"] is True


def test_every_disagreement_is_kept_with_both_documents() -> None:
    history = _by("history", "id")
    seat = history["history:2002-03/belarus-cis-seat"]
    assert seat["source"] == "istc-belarus-branch"
    assert [c["source"] for c in seat["conflicts"]] == ["istc-gb27-statement"]
    stcu = history["history:1993-10/stcu-agreement-signed"]
    assert stcu["date"] == "1993-10-15" and stcu["conflicts"][0]["value"] == "1993-10-25"
    sister = run_json("about")["facts"]
    assert any(f["field"] == "sister_center" for f in sister)
    years = _by("figures", "id")["years-active"]
    assert {n["source"] for n in years["notes"]} >= {"hesc-gb69", "istc-article-7532"}


def test_two_counts_of_the_same_thing_are_one_series_that_shows_the_fall() -> None:
    series = {(s["measure"], s["unit"]): s for s in run_json("figures", "--over-time")}
    points = series[("scientists-involved", "scientists")]["points"]
    values = {p["figure"]: p["value"] for p in points}
    assert values["scientists-2009"] == 90_000
    assert values["cis-scientists-with-grants"] == 76_000  # 2017-12: lower, and shown
    dates = [p["date"] for p in points]
    assert dates == sorted(dates)
