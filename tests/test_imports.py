"""What a scripted run may import, how the model's type hints are read, and JSON as
istc writes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from istc_cli import field_types, model, options

from .conftest import examples, modules_after, run_counting_modules

# ---------------------------------------------------------------- imports of a scripted run

# A scripted run on a cached dataset never imports these: Typer and Rich are for
# help, errors and tables; PyYAML only parses a dataset the cache does not hold.
HEAVY = {"yaml", "rich", "typer", "click"}

SCRIPTED = [
    ["members", "--json"],
    ["members", "-o", "jsonl"],
    ["history", "--format", "csv"],
    ["history", "-o", "tsv"],
    ["members"],  # piped: plain lines
    ["about", "--json"],
    ["search", "astana"],
    ["show", "russia", "--json"],
    ["figures", "--json"],
    ["sources", "-o", "tsv"],
    ["offices", "--all", "--json"],
]


@pytest.fixture(scope="session")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """A real run of `istc members --json` on an empty cache directory, which it fills
    with the bundled dataset: the directory, and the top-level modules the run imported."""
    where = tmp_path_factory.mktemp("scripted") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ISTC_CACHE_DIR", str(where))
        loaded = {m.split(".")[0] for m in modules_after("members", "--json")}
    assert where.is_dir() and any(where.iterdir())
    return where, loaded


# The runs below share the one first run.
@pytest.mark.parametrize("args", SCRIPTED, ids=" ".join)
def test_a_cached_scripted_run_imports_no_heavy_module(
    args: list[str], first_run: tuple[Path, set[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ISTC_CACHE_DIR", str(first_run[0]))
    modules = set(modules_after(*args))
    assert {m.split(".")[0] for m in modules} & HEAVY == set()
    # the records that only `about`, `show` and `search` build, and those of a date,
    # are made only by a run that asks for them
    assert ("istc_cli.model.views" in modules) == (args[0] in ("about", "show", "search"))
    assert "istc_cli.model.dated" not in modules


@pytest.mark.parametrize(
    "args", [["cite", "fact-sheet-2018", "-o", "bibtex"], ["export", "sqlite"]], ids=" ".join
)
def test_cite_and_export_make_none_of_the_records_of_show(
    args: list[str], tmp_path: Path, first_run: tuple[Path, set[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """`cite` reads `show`'s catalogue and the export describes every field; neither
    makes what only `about`, `show` and `search` build."""
    monkeypatch.setenv("ISTC_CACHE_DIR", str(first_run[0]))
    if args[0] == "export":
        args = [*args, str(tmp_path / "istc.db")]
    done, modules = run_counting_modules(*args)
    assert done.returncode == 0, done.stderr
    assert "istc_cli.model.views" not in modules


def test_the_first_uncached_run_still_validates_with_yaml(
    first_run: tuple[Path, set[str]],
) -> None:
    """The counter-check: the list above is not empty by accident. The run that filled
    the cache above is the first, uncached run."""
    assert "yaml" in first_run[1]


# ---------------------------------------------------------------- the model's type hints


def test_choice_options_take_the_model_literals() -> None:
    assert options.literal_values(model.MemberStatus) == ("current", "former")
    assert options.literal_values(model.OfficerRole)[-1] == "deputy-executive-director"
    with pytest.raises(TypeError):
        options.literal_values(str)


@pytest.mark.parametrize(
    "hint", [tuple[str], dict[str, str], str | int, Literal[1], list[str], Any, bytes]
)
def test_a_type_hint_outside_the_vocabulary_is_refused(hint: Any) -> None:
    with pytest.raises(TypeError):
        field_types.type_spec(hint)


def test_every_model_field_is_read() -> None:
    member = {f.name: f for f in field_types.fields_of(model.Member)}
    assert member["roles"].type.kind == "list" and member["roles"].type.item is not None
    assert member["roles"].type.item.choices[0] == "party"
    assert member["joined"].type.nullable and member["joined"].type.semantic == "date"
    assert field_types.fields_of(model.Figure)[2].type.kind == "number"
    assert field_types.fields_of(model.Meeting)[0].type.kind == "integer"


# ---------------------------------------------------------------- JSON as istc writes it

_JSON_TEXT = st.text(
    st.one_of(st.characters(), st.sampled_from('\x00\x1b\x7f\x85\u200b\u2028\ufeff\U000e0001"\\'))
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _JSON_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_JSON_TEXT, inner, max_size=4),
    max_leaves=20,
)


@given(_JSON, st.booleans(), st.booleans())
@settings(max_examples=examples(100), deadline=None)
def test_json_reads_back_to_the_data_with_nothing_unsafe_raw(
    data: Any, compact: bool, ascii_only: bool
) -> None:
    from istc_cli.output import to_json
    from istc_cli.safe_text import unsafe_in

    written = to_json(data, compact=compact, ascii_only=ascii_only)
    assert json.loads(written) == data
    assert [c for c in unsafe_in(written) if c != "\n"] == []  # indentation's line breaks
