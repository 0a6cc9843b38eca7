"""The house: data flows down the layers once. No module imports one above it, and each
layer imports alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "istc_cli"

# Lower layers first; a module may import only modules of its own layer or below.
LAYERS: list[set[str]] = [
    {"text", "problems", "suggest", "__init__"},
    {"model"},
    {"ids", "spec"},
    {"fields"},
    {"rules"},
    {"validate"},
    {"loader"},
    {"search", "queries", "layout", "schema"},
    {"show", "rows"},
    {"cite", "output", "render"},
    {"commands"},
    {"fast", "cli"},
    {"entry", "__main__", "docs"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def imports_of(module: str) -> set[str]:
    tree = ast.parse((SRC / f"{module}.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("istc_cli"):
            found.add((node.module or "").split(".")[1] if "." in (node.module or "") else "")
    return found - {""}


def test_every_module_has_a_layer() -> None:
    modules = {p.stem for p in SRC.glob("*.py")}
    assert modules == set(RANK), modules ^ set(RANK)


@pytest.mark.parametrize("module", sorted(RANK))
def test_no_module_imports_one_above_it(module: str) -> None:
    above = {m for m in imports_of(module) if RANK.get(m, -1) > RANK[module]}
    assert not above, f"{module} imports {above}, above it"


def test_output_and_render_no_longer_call_each_other_and_loader_not_validate() -> None:
    assert "output" not in imports_of("render")
    assert "loader" not in imports_of("validate")


@pytest.mark.parametrize("module", sorted(set(RANK) - {"__main__"}))
def test_each_layer_imports_alone(module: str) -> None:
    name = "istc_cli" if module == "__init__" else f"istc_cli.{module}"
    result = subprocess.run(
        [sys.executable, "-c", f"import {name}"], capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()


def _generated(path: Path, marker: str) -> str:
    text = path.read_text()
    start = text.index(f"<!-- {marker}:start")
    return text[text.index("\n", start) + 1 : text.index(f"<!-- {marker}:end -->")]


def test_every_field_is_documented_and_the_docs_table_is_generated_from_it() -> None:
    from istc_cli import docs, fields

    assert fields.undocumented(docs.commands()) == []
    table = _generated(SRC.parent.parent / "docs" / "formats.md", "fields")
    assert table == fields.markdown_table(docs.commands()), "run: python -m istc_cli.docs fields"


def test_the_readme_command_table_is_generated_from_the_commands() -> None:
    from istc_cli import docs

    table = _generated(SRC.parent.parent / "README.md", "commands")
    assert table == docs.command_table(), "run: python -m istc_cli.docs commands"
    assert table.count("\n| `istc ") == len(docs.COMMANDS) + 4  # and cite, export, validate, schema


def test_the_readme_is_a_front_door() -> None:
    readme = (SRC.parent.parent / "README.md").read_text()
    assert len(readme.splitlines()) <= 300
    for link in ("docs/using.md", "docs/formats.md", "docs/dataset.md", "docs/design.md"):
        assert link in readme and (SRC.parent.parent / link).is_file()
    assert (SRC.parent.parent / "docs" / "performance.md").is_file()
    assert (SRC.parent.parent / "docs" / "citations-and-exports.md").is_file()
