"""Coverage-guided fuzzing of the flattened formats with atheris (not part of the test run).

    pip install atheris
    python fuzz/fuzz_flatten.py -max_total_time=300

Two properties. First, `rows.flatten` of any nested value (lists and records of
lists, records and fuzzed text full of `;`, `,`, `=` and backslashes) reads back, as
docs/formats.md says to read it, to the same structure: no item passes for two, no
field for another. Second (one input in eight), a dataset whose party names, aliases and
series locators are fuzzed gives, in `csv`, `tsv`, `markdown` and plain lines, cells
that read back to the JSON: as many parties as `parties` counts, and a row per point
of the series (tidy), the same dates in the same order, whatever a locator holds.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import atheris
import yaml

with atheris.instrument_imports(include=["istc_cli"]):
    from istc_cli import loader, output, queries, rows  # noqa: F401
    from istc_cli.commands import BY_NAME
    from istc_cli.context import Context

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the tests' reader of flattened cells, the one oracle
from tests.flattened import split, unescape, unmarkdown, untsv  # noqa: E402

MINIMAL = REPO / "tests" / "data" / "minimal.yaml"
BASE = yaml.safe_load(MINIMAL.read_text())
ALPHABET = ";,= \\ab\t\n"


def _text(fdp: atheris.FuzzedDataProvider, size: int) -> str:
    """Mostly separators and backslashes, sometimes anything."""
    if fdp.ConsumeBool():
        return fdp.ConsumeUnicodeNoSurrogates(size)
    return "".join(ALPHABET[b % len(ALPHABET)] for b in fdp.ConsumeBytes(size))


def _value(fdp: atheris.FuzzedDataProvider, depth: int) -> Any:
    kind = fdp.ConsumeIntInRange(0, 5 if depth < 3 else 1)
    if kind <= 1:
        return _text(fdp, 8)
    if kind == 2:
        return fdp.PickValueInList([None, True, False, 7, -2.5])
    if kind in (3, 4):
        return [_value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))]
    return {_text(fdp, 4): _value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 3))}


def read(text: str, like: Any) -> Any:
    """Read a flattened cell back, knowing the shape it has (as a reader knows its
    field's type)."""
    if isinstance(like, list):
        if not like:
            return []
        items = [unescape(item) for item in split(text, "; ")]
        return [read(item, shape) for item, shape in zip(items, like, strict=True)]
    if isinstance(like, dict):
        kept = {k: v for k, v in like.items() if v not in (None, [])}
        if not kept:
            return {}
        out = {}
        pairs = split(text, ", ")
        assert len(pairs) == len(kept), (text, kept)
        for pair, (key, shape) in zip(pairs, kept.items(), strict=True):
            name, _, value = pair.partition("=") if "\\" not in pair else _first_equals(pair)
            assert unescape(name) == key, (pair, key)
            out[key] = read(unescape(value), shape)
        return out
    return text


def _first_equals(pair: str) -> tuple[str, str, str]:
    parts = split(pair, "=")
    return parts[0], "=", "=".join(parts[1:])


def normal(value: Any) -> Any:
    """The structure a flattened value stands for: leaves as their text, a record
    without its empty fields."""
    if isinstance(value, list):
        return [normal(v) for v in value]
    if isinstance(value, dict):
        return {k: normal(v) for k, v in value.items() if v not in (None, [])}
    return rows.flatten(value)


def _ambiguous(value: Any) -> bool:
    """A list of one item that flattens to nothing reads as an empty list: the one
    thing the format cannot tell apart (an empty cell)."""
    if isinstance(value, list):
        if len(value) == 1 and rows.flatten(value[0]) == "":
            return True
        return any(_ambiguous(v) for v in value)
    if isinstance(value, dict):
        return any(_ambiguous(v) for v in value.values())
    return False


class _Loaded:
    def __init__(self, dataset: Any) -> None:
        self.dataset = dataset
        self.path = "fuzz.yaml"


def _table(fmt: str, written: str) -> list[dict[str, str]]:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(written)))
    cell = untsv
    lines = written.split("\n")[:-1]
    if fmt == "plain" and lines and lines[0].startswith("parties\t"):  # one record
        return [{ln.split("\t")[0]: cell(ln.split("\t", 1)[1]) for ln in lines}]
    if fmt == "plain":  # the series' rows, --fields measure,date,locator: no header
        return [dict(zip(("measure", "date", "locator"), map(cell, ln.split("\t")), strict=True))
                for ln in lines]  # fmt: skip
    if fmt == "markdown":
        header = lines[0].strip("| ").split(" | ")
        return [
            dict(zip(header, map(unmarkdown, split(ln[2:-2], " | ")), strict=True))
            for ln in lines[2:]
        ]
    header = lines[0].split("\t")
    return [dict(zip(header, map(cell, ln.split("\t")), strict=True)) for ln in lines[1:]]


def _render(loaded: Any, command: str, fmt: str, fields: str | None, **values: Any) -> str:
    spec = BY_NAME[command]
    options = {o.name: o.default for o in spec.options} | values
    result = spec.query(loaded, options)
    out = io.StringIO()
    out.isatty = lambda: False  # type: ignore[method-assign]
    chosen = None if fmt == "plain" else fmt
    output.emit(result, output.OutputOptions(format=chosen, fields=fields), Context.of(out))
    return out.getvalue()


def one_input(raw: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(raw)
    value = _value(fdp, 0)
    if not _ambiguous(value):
        flat = rows.flatten(value)
        assert read(flat, normal(value)) == normal(value), (value, flat)

    if fdp.ConsumeIntInRange(0, 7):
        return  # one input in eight also renders a dataset (the slow part)
    data = json.loads(json.dumps(BASE))
    names = [_text(fdp, 12).strip() or "p" for _ in range(fdp.ConsumeIntInRange(1, 3))]
    for n, name in enumerate(names):
        data["members"].append(
            {"name": f"{name} {n}", "kind": "state", "status": "current", "roles": ["party"],
             "source": "doc", "aliases": [_text(fdp, 6).strip() or "q"]}
        )  # fmt: skip
    for n in range(4):
        data["figures"].append(
            {"id": f"m{n}", "name": "Series", "value": n, "unit": "things", "as_of": str(2001 + n),
             "source": "doc", "measure": "series", "locator": _text(fdp, 12).strip() or None}
        )  # fmt: skip
    try:
        dataset = loader.dataset_from_text(yaml.safe_dump(data, allow_unicode=True), "fuzz.yaml")
    except loader.DatasetError:
        return
    loaded = _Loaded(dataset)
    about = json.loads(_render(loaded, "about", "json", None))
    tidy = json.loads(_render(loaded, "figures", "json", None, over_time=True))
    points = [p for p in tidy if p["measure"] == "series"]  # a row per point (tidy)
    assert len(points) == 4, points
    for fmt in ("csv", "tsv", "markdown", "plain"):
        (row,) = _table(fmt, _render(loaded, "about", fmt, "parties,party_names"))
        parties = [unescape(p) for p in split(row["party_names"], "; ")]
        assert len(parties) == about["parties"], (fmt, row["party_names"])
        fields = "measure,date,locator"
        drawn = _table(fmt, _render(loaded, "figures", fmt, fields, over_time=True))
        mine = [r for r in drawn if r["measure"] == "series"]
        assert len(mine) == len(points), (fmt, mine)  # no locator adds or hides a point
        assert [r["date"] for r in mine] == [p["date"] for p in points], (fmt, mine)


def main() -> None:
    os.environ["ISTC_NO_CACHE"] = "1"
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
