"""Coverage-guided fuzzing of `cite` (every format, every style) and `export` with
hostile datasets, with atheris (not part of the test run).

    pip install atheris pybtex
    python fuzz/fuzz_cite_export.py -max_total_time=300 -max_len=512 CORPUS_DIR

Takes the minimal test dataset, adds a few sources whose title, publisher, note and
address are fuzzed text (an address only where `validate` accepts it), dated or not
(the source, a page's reading, the dataset itself), and checks:

- BibTeX: pybtex (BibTeX's own brace rules) reads exactly one entry per source, under
  the key istc gives it; braces balance inside every entry; no backslash starts
  anything but the control words istc writes;
- RIS: rispy reads one record per source, and every line is a tag line;
- CSL-JSON: reads back as one item per source; text: no raw unsafe character;
- export: the SQLite database passes its foreign-key check and holds every source;
  a second export to the same place without --force fails, changing nothing; with
  --force it replaces only what the first wrote.
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

import atheris
import yaml

with atheris.instrument_imports(include=["istc_cli"]):
    from istc_cli import cite, loader, safe_text
    from istc_cli.export import command
    from istc_cli.options import CITE_STYLES

MINIMAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "minimal.yaml"
BASE = yaml.safe_load(MINIMAL.read_text())
OURS = {"textbackslash", "textbraceleft", "textbraceright", "textasciitilde"}
OURS |= {"textasciicircum", "$", "%", "&", "#", "_"}


# A date of each precision, or none: a dataset of your own may date neither a source,
# nor a page's reading, nor itself (`cite -o bibtex` once failed on such a page).
DATES = [None, "2020", "2020-02", "2020-02-29"]


def _dataset(fdp: atheris.FuzzedDataProvider) -> Any:
    data = json.loads(json.dumps(BASE))
    data["meta"]["date"] = fdp.PickValueInList(DATES)
    for n in range(fdp.ConsumeIntInRange(1, 3)):
        # the choices first, where a short input still has bytes for them
        web, date, accessed = fdp.ConsumeBool(), fdp.PickValueInList(DATES), None
        if web:
            accessed = fdp.PickValueInList(DATES)
        value = fdp.ConsumeUnicodeNoSurrogates(60) or "x"
        url = fdp.ConsumeUnicodeNoSurrogates(40)
        data["sources"].append(
            {
                "id": f"f{n}",
                "title": value,
                "publisher": fdp.ConsumeUnicodeNoSurrogates(30) or "p",
                "date": date,
                "as_of": None,
                "url": f"https://example.org/{url}" if web else None,
                "accessed": accessed,
                "kind": "primary",
                "note": fdp.ConsumeUnicodeNoSurrogates(30) or None,
            }
        )
    try:
        return loader.dataset_from_text(yaml.safe_dump(data, allow_unicode=True), "fuzz.yaml")
    except loader.DatasetError:
        return None  # refused by validate (an address with a space, say): fine


def _check_bibtex(written: str, keys: list[str]) -> None:
    from pybtex.database import parse_string

    entries = parse_string(written, "bibtex").entries
    assert list(entries) == keys, (list(entries), keys)
    for block in written.split("\n@")[1:]:
        depth = 0
        for char in block:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, block
        assert depth == 0, block
    commands = set(re.findall(r"\\([A-Za-z]+|.)", written))
    assert commands <= OURS, commands


def _check_export(dataset: Any, sources: int) -> None:
    with tempfile.TemporaryDirectory() as where:
        target = os.path.join(where, "x.db")
        assert command.run(dataset, "fuzz.yaml", "sqlite", target, False, None) == 0
        first = Path(target).read_bytes()
        with sqlite3.connect(target) as db:
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
            assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == sources
        db.close()
        assert command.run(dataset, "fuzz.yaml", "sqlite", target, False, None) == 1
        assert Path(target).read_bytes() == first
        assert command.run(dataset, "fuzz.yaml", "sqlite", target, True, None) == 0
        assert sorted(os.listdir(where)) == ["x.db", "x.db.metadata.json"]
        package = os.path.join(where, "pkg")
        assert command.run(dataset, "fuzz.yaml", "datapackage", package, False, None) == 0
        assert command.run(dataset, "fuzz.yaml", "datapackage", package, True, None) == 0
        json.loads(Path(package, "datapackage.json").read_text())


def one_input(raw: bytes) -> None:
    import rispy

    fdp = atheris.FuzzedDataProvider(raw)
    dataset = _dataset(fdp)
    if dataset is None:
        return
    cited = cite.everything(dataset)
    keys = [cite.bibtex_key(s.id) for s in dataset.sources]
    _check_bibtex(cite.render(dataset, cited, "bibtex"), keys)
    ris = cite.render(dataset, cited, "ris")
    assert len(rispy.loads(ris)) == len(keys)
    for line in ris.split("\r\n"):
        assert line == "" or line[2:6] == "  - ", repr(line)
    assert len(json.loads(cite.render(dataset, cited, "csl-json"))) == len(keys)
    if fdp.ConsumeIntInRange(0, 7) == 0:  # a CSL style is parsed per call: one in eight
        style = CITE_STYLES[fdp.ConsumeIntInRange(0, len(CITE_STYLES) - 1)]
        formatted = cite.render(dataset, cited, "text", style)
        assert not safe_text.has_unsafe(formatted, allow="\n"), formatted
    if fdp.ConsumeIntInRange(0, 7) == 0:  # an export costs 100 ms: one input in eight
        quiet, sys.stderr = sys.stderr, io.StringIO()  # its "wrote ..." reports
        try:
            _check_export(dataset, len(keys))
        finally:
            sys.stderr = quiet


def main() -> None:
    sys.stderr = io.TextIOWrapper(sys.stderr.buffer, errors="backslashreplace")
    os.environ.setdefault("ISTC_NO_CACHE", "1")
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
