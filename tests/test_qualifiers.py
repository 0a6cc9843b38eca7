"""Qualifiers as each document words them (issue 32): "more than" is not "over", "some"
is not "approximately". The table cites each document's own words (fact-checked against
the stored pages; the two seed documents' words are checked against their digests)."""

from __future__ import annotations

import pytest

from .conftest import run_json
from .seeds import says

WORDED = {
    # figure id: (qualifier, the document's own words)
    "funded-proposals": ("over", "over 4200 funded proposals"),
    "funded-proposals-value": ("over", "totaling over US $1,2 bn"),
    "research-grants-paid": (None, "$569.4M paid in research grants"),
    "cis-scientists-with-grants": ("over", "Over 76,000 scientists from the CIS"),
    "experts-engaged": ("over", "with over 76,000 experts"),
    "research-institutes": ("more than", "in more than 800 research institutes"),
    "countries-associated": ("over", "over 56 member and non-member countries"),
    "funding-russia": ("approximately", "approximately $1.5 billion of funding"),
    "projects-1998": ("more than", "approved more than 590 projects"),
    "funding-1998": ("nearly", "with a value of nearly ECU 160 million"),
    "scientists-1998": ("some", "providing support to some 20,000 scientists"),
    "belarus-funding-2003": ("exceeded", "has exceeded $24 million"),
    "funding-2001-03": ("surpasses", "now surpasses US$335 million"),
    "funding-2001-10": ("surpasses", "now surpasses US$388 million"),
    "funding-2002": ("surpasses", "now surpasses US$416 million"),
    "funding-2006": ("surpasses", "now surpasses US $740 million"),
    "partner-funding-2006": ("over", "for a total of over $224M"),
    "funding-2009": ("over", "Over US$ 800 million in funding"),
    "projects-2009": ("more than", "supported more than 2,600 research projects"),
    "scientists-2009": ("approximately", "involving approximately 90,000 scientists"),
    "invested-2010": ("more than", "more than 850 million USD have been directly invested"),
    "countries-taking-part-2022": ("nearly", "from nearly 100 countries"),
}
SEEDS = {"fact-sheet-2018", "press-release-2022"}


@pytest.fixture(scope="session")
def figures() -> dict[str, dict[str, object]]:
    return {f["id"]: f for f in run_json("figures")}


@pytest.mark.parametrize("figure_id", sorted(WORDED))
def test_each_figure_keeps_its_documents_qualifier(
    figures: dict[str, dict[str, object]], figure_id: str
) -> None:
    qualifier, words = WORDED[figure_id]
    figure = figures[figure_id]
    assert figure["qualifier"] == qualifier, (figure_id, words)
    if figure["source"] in SEEDS:  # the words are the document's, checked against it
        assert says(str(figure["source"]), words.replace("-", " ")), words
    if qualifier:
        assert qualifier.split()[0].lower() in words.lower()


def test_notes_keep_the_documents_qualifiers_too(figures: dict[str, dict[str, object]]) -> None:
    assert str(figures["committed-1997"]["note"]).startswith("Some ECU 45 million")
    assert "exceeded $24 million" in str(figures["belarus-projects-2003"]["note"])
    assert "around 1.8 million" in str(figures["korea-funding-2008"]["note"])
    korea = {m["name"]: m for m in run_json("members")}["South Korea"]
    assert "around US$1.8 million" in korea["note"]
