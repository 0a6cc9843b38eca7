"""The dataset is written in our own words (issue 32): no text of the bundled dataset
carries a run of ten words in a row from either source document or from a research
note (which quotes the pages it checked). Names, titles and locators are facts and carry
over exactly, so they are exempt; everything else a record says (an event, a summary, a
note, a mission point) is checked, nested records too.

Neither is in the repository: tests/data/seeds.json holds digests of their word runs
(tests/data/make_seed_index.py makes it from ../shared/seeds/ and ../shared/research/)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from istc_cli import model
from istc_cli.field_types import fields_of
from istc_cli.loader import load_path

from .conftest import BUNDLED
from .seeds import copied_runs, says

CHECKED = (
    model.FieldRole.MAIN,
    model.FieldRole.TEXT,
    model.FieldRole.NOTE,
    model.FieldRole.MENTION,
)
"""The roles of our own prose; names, titles, codes and locators are exempt."""


def texts(record: Any, path: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every checked text of `record` and the records nested in it."""
    cls = type(record)
    for spec in fields_of(cls):
        value = getattr(record, spec.name)
        items = value if isinstance(value, tuple) else (value,)
        for i, item in enumerate(items):
            where = f"{path}.{spec.name}" + (f"[{i}]" if isinstance(value, tuple) else "")
            if isinstance(item, model.Record):
                yield from texts(item, where)
            elif isinstance(item, str) and model.role_of(cls, spec.name) in CHECKED:
                yield where, item


def everything() -> Iterator[tuple[str, str]]:
    ds = load_path(str(BUNDLED), bundled=True).dataset
    for spec in fields_of(model.Dataset):
        value = getattr(ds, spec.name)
        for i, record in enumerate(value if isinstance(value, tuple) else (value,)):
            yield from texts(record, f"{spec.name}[{i}]")


def test_the_check_sees_the_documents_and_the_datas_prose() -> None:
    assert says("fact-sheet-2018", "ISTC activities fall in two broad categories")
    assert not copied_runs("In the 25 years the ISTC has been active, over 76,000")
    assert copied_runs(
        "to promote a culture of security with respect to the handling and use of materials"
    )  # a sentence lifted whole is found
    assert copied_runs(  # and one from a research note (its 57th Board row)
        "Canada gave formal notice of withdrawal in May 2013, effective six months later"
    )
    assert sum(1 for _ in everything()) > 300  # the property below is not vacuous


def test_no_text_carries_ten_words_in_a_row_of_either_document() -> None:
    copied = {where: runs for where, text in everything() if (runs := copied_runs(text))}
    assert copied == {}
