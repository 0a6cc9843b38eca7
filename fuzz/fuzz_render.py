"""Coverage-guided fuzzing of rendering with atheris (not part of the test run).

    pip install atheris
    python fuzz/fuzz_render.py -max_total_time=300

Takes the minimal test dataset, replaces its text values with fuzzed text, and
renders every listing command in every format (tables, drawings and plain lines
too). Output must never carry a raw control, format or separator character (JSON
and YAML escape them, CSV keeps its line breaks), JSON must read back to the data,
and CSV/TSV cells never start a formula. Every table is also drawn by the long-table
path (drawn by Rich in parts), with and without colour: the same bytes as whole.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import atheris
import yaml

with atheris.instrument_imports(include=["istc_cli", "rich"]):
    from dataclasses import replace

    import rich.console
    import rich.table  # noqa: F401

    from istc_cli import layout, loader, queries, render, safe_text, validate  # noqa: F401
    from istc_cli.commands import COMMANDS
    from istc_cli.context import Context
    from istc_cli.output import FORMATS, MIN_TABLE_WIDTH, OutputOptions, emit

MINIMAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "minimal.yaml"
BASE = yaml.safe_load(MINIMAL.read_text())
TEXT_PATHS = [
    ("organization", "name"),
    ("members", 0, "name"),
    ("offices", 0, "city"),
    ("history", 0, "event"),
    ("figures", 0, "name"),
    ("programs", 0, "name"),
    ("statement", 0, "text"),
    ("strategy", 0, "text"),
]


class _Loaded:
    def __init__(self, dataset: Any) -> None:
        self.dataset = dataset
        self.path = "fuzz.yaml"


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def one_input(raw: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(raw)
    data = json.loads(json.dumps(BASE))
    for path in TEXT_PATHS:
        _set(data, path, fdp.ConsumeUnicodeNoSurrogates(40) or "x")
    try:
        dataset = loader.dataset_from_text(yaml.safe_dump(data, allow_unicode=True), "fuzz.yaml")
    except loader.DatasetError:
        return  # e.g. fuzzed text that makes a duplicate record
    loaded = _Loaded(dataset)
    width = fdp.ConsumeIntInRange(0, 130)
    os.environ["COLUMNS"] = str(width)
    for spec in COMMANDS:
        values: dict[str, Any] = {o.name: o.default for o in spec.options}
        if any(o.kind == "argument" for o in spec.options):  # search, show: fuzzed words
            values["text"] = [fdp.ConsumeUnicodeNoSurrogates(8) or "a"]
        result = spec.query(loaded, values)
        for fmt in (*FORMATS, "plain", "timeline", "chart"):
            if fmt in ("timeline", "chart") and fmt not in spec.views:
                continue
            out = io.StringIO()
            out.isatty = lambda: True  # type: ignore[method-assign]
            view = fmt if fmt in ("timeline", "chart") else None
            fmt_option = None if fmt in ("plain", "timeline", "chart") else fmt
            if fmt == "plain":
                out.isatty = lambda: False  # type: ignore[method-assign]
            options = OutputOptions(format=fmt_option, pager=False, view=view, color="never")
            emit(result, options, Context.of(out))
            written = out.getvalue()
            allowed = {"\n"} | ({"\r", "\t"} if fmt in ("csv", "yaml") else set())
            narrow = width < MIN_TABLE_WIDTH  # tables fall back to tab-separated plain lines
            allowed |= {"\t"} if fmt in ("tsv", "plain") or narrow else set()
            bad = [c for c in safe_text.unsafe_in(written) if c not in allowed]
            assert not bad, (spec.name, fmt, bad)
            if fmt == "json":
                as_json = json.loads(written)
            if fmt == "yaml":  # libyaml's or PyYAML's emitter: the same data either way
                assert yaml.load(written, Loader=yaml.SafeLoader) == as_json, spec.name
            if result.records and fmt in ("table", "plain") and not result.nothing_for_people:
                assert written.strip(), (spec.name, fmt, width)
            if fmt == "table":  # long tables' own row drawing: the bytes of Rich's table
                for color in ("never", "always"):
                    drawn = replace(options, color=color)
                    assert _link_ids(_table(result, drawn, 0)) == _link_ids(
                        _table(result, drawn, 10**9)
                    ), (spec.name, color, width)


def _table(result: Any, options: OutputOptions, chunk_rows: int) -> str:
    """The table as written when tables longer than `chunk_rows` are drawn in chunks."""
    saved, render.tables.CHUNK_ROWS = render.tables.CHUNK_ROWS, chunk_rows
    try:
        out = io.StringIO()
        out.isatty = lambda: True  # type: ignore[method-assign]
        emit(result, options, Context.of(out))
        return out.getvalue()
    finally:
        render.tables.CHUNK_ROWS = saved


def _link_ids(written: str) -> str:
    """Rich gives each link a random id as it draws it: those alone may differ."""
    import re

    return re.sub(r"id=\d+;", "id=;", written)


def main() -> None:
    os.environ.setdefault("ISTC_NO_CACHE", "1")
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
