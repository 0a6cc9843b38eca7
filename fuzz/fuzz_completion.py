"""Coverage-guided fuzzing of shell completion with atheris (not part of the test run).

    pip install atheris
    python fuzz/fuzz_completion.py -max_total_time=300

Takes the minimal test dataset and gives its records fuzzed names, aliases and ids,
then asks for completions of a fuzzed word after `istc show`, `istc cite` and an
option, in every shell and every quoting state (plain, after an open ' or ", after a
`member:` word break), and in the formats of older scripts. Every answer must be
`words` or `files` and then lines holding nothing `visible` would escape; zsh and
fish get only names, aliases or ids the dataset holds; each bash reply must read
back, through bash itself, as exactly one word that starts with what was typed, with
nothing expanded, globbed or run. Older scripts get plain words only. The typed
line itself is fuzzed too: never a crash. Wherever a listing command's words are
answered from its declarations (`listing_completion`, no Typer), the answer is the
whole app's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import atheris
import yaml

with atheris.instrument_imports(include=["istc_cli"]):
    import typer.main

    from istc_cli import cli, completion, listing_completion, loader, safe_text, show

MINIMAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "minimal.yaml"
BASE = yaml.safe_load(MINIMAL.read_text())
WORK = Path(tempfile.mkdtemp(prefix="istc-fuzz-completion-"))
DATA = WORK / "data.yaml"
CANARY = WORK / "cwd"  # bash runs here: a glob that expands would find `canary`
CANARY.mkdir()
(CANARY / "canary").write_text("")
ROOT = typer.main.get_command(cli.app)
WHOLE = partial(completion.resolve, ROOT)
PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/,@+=")
CHECK_IN_BASH = int(os.environ.get("FUZZ_BASH_EVERY", "1"))
_count = [0]


def _names(dataset: Any) -> set[str]:
    out: set[str] = set()
    for section, record in show.catalogue(dataset):
        out.add(show.record_id(record))
        for name in show.names(section, record):
            out |= {name, name.casefold()}
    return out


def _as_shown(answer: str) -> tuple[str, list[str]]:
    """An answer as a shell shows it: its kind, then its candidates sorted (click lists
    its help option's names from a set, in an order that changes between processes)."""
    kind, *candidates = answer.split("\n")
    return kind, sorted(candidates)


def _ask(environ: dict[str, str]) -> str:
    found = completion.answer(WHOLE, {**os.environ, **environ})
    assert found is not None
    answer, code = found
    assert code in (0, 1), code
    fast = listing_completion.answer({**os.environ, **environ})
    assert fast is None or (_as_shown(fast[0]), fast[1]) == (_as_shown(answer), code), (
        environ,
        fast,
        found,
    )
    return answer


def _ask_as_a_run(environ: dict[str, str]) -> str:
    """The answer through the app a completing run builds (`cli.app_for`: only the
    command the line names), which must be the whole app's."""
    saved = dict(os.environ)
    os.environ.update(environ)
    try:
        root = typer.main.get_command(cli.app_for([]))
        found = completion.answer(partial(completion.resolve, root), dict(os.environ))
        assert found is not None
        answer = found[0]
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return answer


def _bash_words(replies: list[str]) -> list[str]:
    """What bash makes of each reply, as a word of a command line."""
    script = "printf '%s\\0' " + " ".join(f"X{r}" for r in replies)
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True, cwd=CANARY, timeout=10, check=False,
    )  # fmt: skip
    assert result.returncode == 0, (replies, result.stderr)
    assert sorted(p.name for p in CANARY.iterdir()) == ["canary"], "a reply ran a command"
    return [w[1:] for w in result.stdout.decode("utf-8", "surrogateescape").split("\0")[:-1]]


def one_input(raw: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(raw)
    data = json.loads(json.dumps(BASE))
    member = data["members"][0]
    member["name"] = fdp.ConsumeUnicodeNoSurrogates(30) or "x"
    member["aliases"] = [fdp.ConsumeUnicodeNoSurrogates(20) or "y" for _ in range(2)]
    data["programs"][0]["name"] = fdp.ConsumeUnicodeNoSurrogates(20) or "z"
    if fdp.ConsumeBool():
        data["history"][0]["id"] = "history:" + (fdp.ConsumeUnicodeNoSurrogates(15) or "w")
    DATA.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        dataset = loader.load(str(DATA)).dataset
    except loader.DatasetError:
        return
    names = _names(dataset)
    typed = fdp.ConsumeUnicodeNoSurrogates(6)
    quote = fdp.PickValueInList(["", "'", '"', "member:"])
    command = fdp.PickValueInList(["show", "cite", "members --fields", "export"])
    line = f"istc {command} {quote}{typed}"
    env: dict[str, str] = {}  # the dataset: ISTC_DATA, which click reads itself
    for shell in completion.SHELLS:
        answer = _ask({**env, completion.VARIABLE: shell, completion.LINE: line})
        lines = answer.split("\n")
        assert lines[0] in ("words", "files") and lines[-1] == "", answer
        assert all(safe_text.visible(x) == x for x in lines[1:-1]), lines
        if shell != "bash" and command in ("show", "cite"):
            for candidate in lines[1:-1]:
                assert candidate in names, candidate
                assert (
                    not safe_text.has_unsafe(candidate)
                    and safe_text.visible(candidate) == candidate
                )
        if shell == "bash" and len(lines) > 2:
            _count[0] += 1
            if _count[0] % CHECK_IN_BASH == 0:
                _check_bash(line, lines[1:-1])
    for shell in completion.SHELLS:  # older scripts: plain words only
        legacy = {**env, completion.VARIABLE: f"complete_{shell}"}
        if shell == "bash":
            legacy |= {"COMP_WORDS": f"istc {command} {typed}", "COMP_CWORD": "2"}
        else:
            legacy["_TYPER_COMPLETE_ARGS"] = f"istc {command} {typed}"
        answer = _ask(legacy)
        body = answer.removeprefix("_arguments '*: :((").removesuffix("))'")
        for word in body.split("\n"):
            word = word.strip('"').replace("\\\\:", ":")
            assert all(c in PLAIN or (c.isalnum() and not c.isascii()) for c in word), word
    garbage = fdp.ConsumeUnicodeNoSurrogates(60)
    for shell in completion.SHELLS:  # any line at all: an answer, never a crash
        request = {**env, completion.VARIABLE: shell, completion.LINE: "istc " + garbage}
        answer = _ask(request)
        assert all(safe_text.visible(x) == x for x in answer.split("\n")), answer
        assert _ask_as_a_run(request) == answer, garbage


def _check_bash(line: str, replies: list[str]) -> None:
    """Each reply, put where bash puts it, reads back as the candidate it stands for."""
    current = completion.split(line).words[-1]
    start, quote = completion.completion_start(line, completion.BASH_BREAKS)
    kept = line[current.start : start]
    words = _bash_words([kept + r + (quote or "") for r in replies])
    assert len(words) == len(replies), (replies, words)
    for word in words:
        assert word.startswith(current.value) or not current.value, (line, word)


def main() -> None:
    os.environ["ISTC_NO_CACHE"] = "1"
    os.environ["ISTC_DATA"] = str(DATA)
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
