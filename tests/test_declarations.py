"""One declaration per concept: the sections and each field's role are declared once, on
the model, and every consumer (search, show, tables, export, ids, schema, the commands)
iterates that declaration; no module keeps a list of its own."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from istc_cli import field_types, ids, model, search, show
from istc_cli.commands import COMMANDS
from istc_cli.export import tables
from istc_cli.model import dated, views
from istc_cli.render import tables as table_drawer

SRC = Path(__file__).resolve().parent.parent / "src" / "istc_cli"
RECORDS = list(
    dict.fromkeys(  # each once: `views` and `dated` hold classes of `model` they import
        c
        for module in (model, views, dated)
        for c in vars(module).values()
        if isinstance(c, type) and dataclasses.is_dataclass(c) and issubclass(c, model.Record)
    )
)
FIELD_NAMES = {f.name for cls in RECORDS for f in dataclasses.fields(cls)}


def test_every_field_of_the_model_has_a_role() -> None:
    missing = [
        f"{cls.__name__}.{f.name}"
        for cls in RECORDS
        if cls is not model.Dataset
        for f in dataclasses.fields(cls)
        if model.role_of(cls, f.name) is None and not _holds_records(f.type)
    ]
    assert missing == []


def test_no_module_keeps_a_list_of_the_models_field_names() -> None:
    """A set, tuple or list literal naming three fields or more is a second declaration
    (the model package declares; field_docs.py documents each field)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.parent.name == "model" or path.name == "field_docs.py":
            continue
        tree = ast.parse(path.read_text())
        literal_args = {
            id(node.slice) for node in ast.walk(tree) if isinstance(node, ast.Subscript)
        }  # Literal[...] names values, not fields
        for node in ast.walk(tree):
            if isinstance(node, ast.Set | ast.Tuple | ast.List) and id(node) not in literal_args:
                named = [
                    e.value
                    for e in node.elts
                    if isinstance(e, ast.Constant) and e.value in FIELD_NAMES
                ]
                if len(named) >= 3:
                    found.append((path.name, node.lineno, named))
    assert found == []


def test_the_sections_are_the_datasets_fields() -> None:
    names = [f.name for f in dataclasses.fields(model.Dataset) if f.name != "meta"]
    top = [name for name, _, parent in field_types.sections() if parent is None]
    assert top == names
    nested = {(name, parent) for name, _, parent in field_types.sections() if parent is not None}
    assert nested == {("sister_center", "organization")}


def test_every_listed_section_is_a_command_searched_shown_and_exported() -> None:
    listed = dict(field_types.listed_sections())
    assert set(search.SECTIONS) == set(listed)
    commands = {c.name: c.record_type for c in COMMANDS}
    for name, cls in listed.items():
        assert commands[name] is cls, name
    ds = _dataset()
    catalogued = {section for section, _ in show.catalogue(ds)}
    assert set(listed) <= catalogued
    exported = [t.name for t in tables.build(ds) if t.link_of is None]
    assert exported == [*(name for name, _, _ in field_types.sections()), tables.STATEMENTS]


def test_every_exported_table_has_its_title_and_description_from_the_model() -> None:
    by_name = {name: cls for name, cls, _ in field_types.sections()}
    for table in tables.build(_dataset()):
        if table.link_of is None and table.name != tables.STATEMENTS:
            cls: Any = by_name[table.name]
            assert (table.title, table.description) == (
                cls.section_title,
                cls.section_description,
            )
            assert table.title and table.description


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_tables_take_each_columns_kind_from_its_role(cls: type) -> None:
    for f in dataclasses.fields(cls):
        whole, _, text, numeric = table_drawer.column_kinds(cls, f.name)
        role = model.role_of(cls, f.name)
        assert numeric == (role == model.FieldRole.NUMBER)
        if role in (model.FieldRole.ID, model.FieldRole.ADDRESS):
            assert whole, f.name  # never cut
        if role in (model.FieldRole.MAIN, model.FieldRole.NOTE):
            assert text and not whole, f.name  # wraps, and gets the room


def test_a_role_in_a_fields_metadata_wins_over_its_name() -> None:
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Extra(model.Record):
        name: str
        remark: str = dataclasses.field(default="", metadata={"role": model.FieldRole.NOTE})
        since: str = dataclasses.field(default="", metadata={"role": model.FieldRole.MAIN})

    assert model.role_of(Extra, "remark") == model.FieldRole.NOTE
    assert model.role_of(Extra, "since") == model.FieldRole.MAIN
    assert model.fields_with(Extra, model.FieldRole.MAIN) == ("since",)
    # every consumer reads the role: search ranks, tables, ids
    plan = {name: rank for name, _, rank, _ in search.plan(Extra)}
    assert plan == {"name": 0, "remark": 2, "since": 0}
    assert table_drawer.column_kinds(Extra, "remark")[2]


def test_ids_keep_dates_and_codes_and_take_a_texts_first_words() -> None:
    event = {"date": "2015-12-09", "event": "The Continuation Agreement is signed in Astana."}
    assert ids.derive(model.Event, event) == (
        "history:2015-12-09/the-continuation-agreement-is-signed-in-astana"
    )
    officer = {"name": "Ronald F. Lehman II", "role": "board-chair"}
    assert ids.derive(model.Officer, officer) == "officer:ronald-f-lehman-ii/board-chair"


def _holds_records(hint: Any) -> bool:
    kind = field_types.type_spec(hint)
    item = kind.item if kind.kind == "list" else kind
    return item is not None and item.kind == "record"


def _dataset() -> model.Dataset:
    from istc_cli.loader import load

    return load(None).dataset
