"""Coverage-guided fuzzing of the loader with atheris (not part of the test run).

    pip install atheris
    python fuzz/fuzz_loader.py fuzz/corpus-loader -max_total_time=300

Any input must give a dataset or a DatasetError with problems located in the text
(a line of it, a column at most one past that line's end) whose text is safe to
print: never another exception, a hang or a crash. A dataset must hold what
PyYAML's own safe loader makes of the same text (the walker adds only the model's
defaults and derived ids), and the bytes must read as their text does. The corpus
starts from the test datasets (`--seed` copies them in).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["istc_cli", "yaml"]):
    import yaml  # instrumented: the pure-Python parts the loader reaches

    from istc_cli import field_types, loader, problems, safe_text, suggest, validate  # noqa: F401

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent / "tests"
SEEDS = [TESTS / "data" / "minimal.yaml", *sorted((TESTS / "bad").iterdir())]


def one_input(data: bytes) -> None:
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # read_text reports these before parsing; tested separately
    plain, found = loader.check_text(source, "fuzz.yaml")
    assert loader.check_text(data, "fuzz.yaml") == (plain, found)  # the parser reads UTF-8
    if plain is not None:
        _contains(plain, yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    try:
        loader.dataset_from_text(source, "fuzz.yaml")
    except loader.DatasetError as exc:
        assert plain is None and exc.problems == found
        assert exc.problems, "a DatasetError without problems"
        lines = source.replace("\r\n", "\n")
        for mark in "\r\x85\u2028\u2029":  # where YAML breaks lines
            lines = lines.replace(mark, "\n")
        split = lines.split("\n")
        for problem in exc.problems:  # a place in the text: a line of it, a column in it
            assert 1 <= problem.line <= len(split), problem
            assert 1 <= problem.column <= len(split[problem.line - 1]) + 1, problem
            shown = safe_text.visible(str(problem))
            assert not safe_text.unsafe_in(shown), shown
            assert len(problem.message) < 2000, len(problem.message)


def _contains(ours: object, theirs: object) -> None:
    if isinstance(theirs, dict):
        assert isinstance(ours, dict), (ours, theirs)
        for key, value in theirs.items():
            _contains(ours[key], value)
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), (ours, theirs)
        for mine, their in zip(ours, theirs, strict=True):
            _contains(mine, their)
    else:
        assert ours == theirs and type(ours) is type(theirs), (ours, theirs)


def main() -> None:
    args = list(sys.argv)
    if len(args) > 1 and not args[1].startswith("-"):
        corpus = Path(args[1])
        corpus.mkdir(parents=True, exist_ok=True)
        for seed in SEEDS:
            target = corpus / f"seed-{seed.name}"
            if not target.exists() and seed.is_file():
                shutil.copy(seed, target)
    os.environ.setdefault("ISTC_NO_CACHE", "1")
    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
