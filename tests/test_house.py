"""The house: data flows down the layers once. No module imports one above it, and each
layer imports alone."""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "istc_cli"

# Lower layers first; a module may import only modules of its own layer or below.
# A package's modules are named with a dot (`render.cells`); the package itself by its
# name (`render`, its __init__).
LAYERS: list[set[str]] = [
    {"status", "safe_text", "problems", "suggest", "context", "__init__"},
    {"model.base"},
    {"model.claims"},
    {"model.records"},
    {"model.views", "model"},
    {"ids", "field_types", "model.dated"},
    {"field_docs"},
    {"rules"},
    {"validate"},
    {"loader"},
    {"model.time"},
    {"search", "queries", "layout", "schema", "series", "changes"},
    {"overview"},
    {"show", "rows"},
    {"render.cells"},
    {"render.tables", "render.panels", "render.drawings"},
    {"cite", "output", "render"},
    {"validate_command"},
    {"export.tables", "export.files"},
    {"export.sqlite", "export.datapackage"},
    {"export.command", "export"},
    {"options"},
    {"commands", "completion"},
    {"listing_completion"},
    {"typer_run"},
    {"tools"},
    {"fast", "cli"},
    {"entry", "__main__", "docs"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _path(module: str) -> Path:
    parts = module.split(".")
    package = SRC.joinpath(*parts)
    return (
        package / "__init__.py"
        if package.is_dir()
        else SRC.joinpath(*parts[:-1], f"{parts[-1]}.py")
    )


def _module_name(path: Path) -> str:
    relative = path.relative_to(SRC).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imports_of(module: str) -> set[str]:
    """The istc modules `module` imports, by their names in LAYERS."""
    path = _path(module)
    package = module.split(".") if path.name == "__init__.py" and module != "__init__" else (
        module.split(".")[:-1]
    )  # fmt: skip
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            target = [*base, *(node.module.split(".") if node.module else [])]
            if node.module:
                found.add(_known(target))
            else:
                found.update(_known([*target, alias.name]) for alias in node.names)
        elif (node.module or "").startswith("istc_cli."):
            found.add(_known((node.module or "").split(".")[1:]))
    return found - {"", module}


def _known(parts: list[str]) -> str:
    """The longest dotted prefix of `parts` that names a module in LAYERS."""
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in RANK:
            return ".".join(parts[:n])
    return ""


def test_every_module_has_a_layer() -> None:
    modules = {_module_name(p) for p in SRC.rglob("*.py") if "__pycache__" not in p.parts}
    assert modules == set(RANK), modules ^ set(RANK)


@pytest.mark.parametrize("module", sorted(RANK))
def test_no_module_imports_one_above_it(module: str) -> None:
    above = {m for m in imports_of(module) if RANK.get(m, -1) > RANK[module]}
    assert not above, f"{module} imports {above}, above it"


def test_output_and_render_no_longer_call_each_other_and_loader_not_validate() -> None:
    assert "output" not in imports_of("render")
    assert "loader" not in imports_of("validate")
    assert imports_of("render.cells") & {"render.tables", "render.panels", "render"} == set()


# One interpreter starts, imports nothing more, and forks a child per module: each child
# is the interpreter `python -c "import istc_cli.X"` would be when it reaches its import
# (nothing of istc, nor anything a module might lean on, imported before), without
# paying the interpreter's start once per module. `json` and `traceback` are imported
# only after the children (a child imports `traceback` once its import has failed).
_IMPORT_EACH_ALONE = """
import os, sys
results = []
for name in sys.argv[1:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.dup2(write, 2)
        try:
            __import__(name)
        except BaseException:
            import traceback
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        err = pipe.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    results.append((name, os.waitstatus_to_exitcode(status), err))
import json
print(json.dumps(results))
"""


def _import_name(module: str) -> str:
    return "istc_cli" if module == "__init__" else f"istc_cli.{module}"


@pytest.fixture(scope="session")  # once per worker, whatever runs between its tests
def imported_alone(request: pytest.FixtureRequest) -> dict[str, tuple[int, str]]:
    """Each module this run tests, imported first in a fresh interpreter: its exit code
    and what it wrote to stderr."""
    modules = sorted(
        {
            item.callspec.params["module"]
            for item in request.session.items
            if getattr(item, "originalname", "") == "test_each_layer_imports_alone"
            and hasattr(item, "callspec")
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH_ALONE, *map(_import_name, modules)],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return {name: (code, err) for name, code, err in json.loads(result.stdout)}


@pytest.mark.parametrize("module", sorted(set(RANK) - {"__main__"}))
def test_each_layer_imports_alone(module: str, imported_alone: dict[str, tuple[int, str]]) -> None:
    code, err = imported_alone[_import_name(module)]
    assert code == 0, err


def _generated(path: Path, marker: str) -> str:
    text = path.read_text()
    start = text.index(f"<!-- {marker}:start")
    return text[text.index("\n", start) + 1 : text.index(f"<!-- {marker}:end -->")]


def test_every_field_is_documented_and_the_docs_table_is_generated_from_it() -> None:
    from istc_cli import docs, field_docs

    assert field_docs.undocumented(docs.commands()) == []
    table = _generated(SRC.parent.parent / "docs" / "formats.md", "fields")
    assert table == field_docs.markdown_table(docs.commands()), (
        "run: python -m istc_cli.docs fields"
    )


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


def test_no_module_is_over_600_lines() -> None:
    """Rooms: a module that grows past 600 lines is split by what it holds."""
    sizes = {str(p.relative_to(SRC)): len(p.read_text().splitlines()) for p in SRC.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 600} == {}


def test_exit_statuses_are_the_readme_table() -> None:
    """One enum holds every exit code, and it is the README's table, no more, no less."""
    from istc_cli.status import ExitStatus

    readme = (SRC.parent.parent / "README.md").read_text()
    table = readme[readme.index("## Exit codes") :].split("\n## ", 1)[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.M)}
    assert documented == {int(status) for status in ExitStatus}


# A measurement: a time, a ratio of times, a speed-up. Limits and sizes are not.
_NUMBER = r"\b\d[\d,.]*"
_MEASURED = re.compile(
    rf"{_NUMBER}\s?(?:ms|µs|ns|secs?|seconds?|mins?|minutes?|milliseconds?|microseconds?)\b"
    rf"|{_NUMBER}\ss\b|\b\d+\.\d+s\b"  # 0.3 s, 0.3s (not the 1990s)
    rf"|{_NUMBER}(?:x\b|×)"  # 1.3x, 3× (not 80x24, nor 80 x 24)
    rf"|{_NUMBER}\s?%\s(?:faster|slower|cheaper|less|more|of the time)\b"
    r"|\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+times\s+"
    r"(?:faster|slower|cheaper|the cost|the time|as fast|as long|as slow)\b"
    r"|\btwice\s+as\s+(?:fast|slow|long)\b",
    re.IGNORECASE,
)


def _comments_and_docstrings(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of each comment and each string written as a statement of a
    module: its docstrings, and those of its attributes."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        value = node.value if isinstance(node, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            yield node.lineno, value.value


def test_no_docstring_or_comment_carries_a_measurement() -> None:
    """Timings and speed-ups go out of date where they are written: they belong in
    docs/performance.md, with the date and machine they were measured on."""
    found = [
        f"{path.relative_to(SRC)}:{line}: {match.group(0)}"
        for path in sorted(SRC.rglob("*.py"))
        for line, text in _comments_and_docstrings(path)
        for match in _MEASURED.finditer(text)
    ]
    assert found == []
