"""Hostile but valid dataset values: no citation they can rewrite, no cache they can
forge, nothing they can hide or run. Read back by the real tools (pybtex,
bibtexparser, rispy, markdown-it), in real processes of the installed `istc`: a
matrix of formats or values in one, its other cases, and a run that only makes a
test's input, through `entry.main` in this process (`run_here`)."""

from __future__ import annotations

import json
import marshal
import os
import re
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from istc_cli import cite, loader, queries

from .conftest import MINIMAL
from .test_exports_publish import istc
from .test_process import run
from .test_trust import run_here

HOSTILE = [
    "x} @misc(pwn, title={owned})",
    "unbalanced {",
    "ends in {",
    "\\input{/etc/passwd}",
    "}}}} closes",
    "a\\",
    "$%&#_~^ specials",
    "@comment{",
    'x" # "y',
    "line\nbreak\rER  - \nTY  - JOUR",
    "\\csname\\endcsname \\def\\x{}",
]
URLS = [
    "https://example.org/a\\input{b}",
    "https://example.org/{",
    "https://example.org/%7B}",
    "https://example.org/a^b|c\\x",
    "https://example.org/q?a=1&b=2#frag",
]


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = yaml.safe_load(MINIMAL.read_text())
    for n, value in enumerate(HOSTILE):
        data["sources"].append(
            {
                "id": f"h{n}",
                "title": value,
                "publisher": value,
                "date": "2020-05",
                "as_of": None,
                "url": URLS[n % len(URLS)] if n % 2 else None,
                "kind": "primary",
                "note": value,
            }
        )
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert run_here("--data", str(path), "validate").returncode == 0
    return path


def _cite(path: Path, *args: str) -> str:
    result = run("--data", str(path), "cite", "--all", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


@pytest.fixture(scope="session")
def hostile_bibtex(hostile: Path) -> str:
    """`cite --all -o bibtex` of the hostile values, in a real process, once for the
    tests that read it."""
    return _cite(hostile, "-o", "bibtex")


def test_bibtex_of_hostile_values_is_one_entry_each_to_pybtex_and_bibtexparser(
    hostile_bibtex: str,
) -> None:
    import bibtexparser
    from pybtex.database import parse_string

    text = hostile_bibtex
    expected = ["doc"] + [f"h{n}" for n in range(len(HOSTILE))]
    assert list(parse_string(text, "bibtex").entries) == expected  # pybtex: strict
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == expected
    # Every brace in the file is one BibTeX counts: balanced within each entry.
    for block in text.split("\n@")[1:]:
        depth = 0
        for char in block:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0
        assert depth == 0
    # No value reaches TeX as a command: each backslash starts one of ours.
    commands = set(re.findall(r"\\([A-Za-z]+|.)", text))
    assert commands <= {"textbackslash", "textbraceleft", "textbraceright", "textasciitilde"} | {
        "textasciicircum",
        "$",
        "%",
        "&",
        "#",
        "_",
    }, commands
    assert "input" not in commands and "csname" not in commands


def test_bibtex_urls_are_safe_inside_url(hostile_bibtex: str) -> None:
    from pybtex.database import parse_string

    entries = parse_string(hostile_bibtex, "bibtex").entries
    urls = [e.fields["url"] for e in entries.values() if "url" in e.fields]
    assert len(urls) == len(HOSTILE) // 2
    for url in urls:
        assert not set(url) & set("\\{}^| \t\n"), url
    assert "https://example.org/q?a=1&b=2#frag" in urls  # what a URL means is kept


def test_distinct_ids_get_distinct_bibtex_keys() -> None:
    ids = ["history:x/y", "history:x-y", "history:x_y", "history:x.y", "a b", "a_20_b", "é"]
    keys = [cite.bibtex_key(i) for i in ids]
    assert len(set(keys)) == len(ids)
    assert cite.bibtex_key("history:2015-12/continuation") == "history:2015-12/continuation"


def test_ris_of_hostile_values_is_one_record_each_to_rispy(hostile: Path) -> None:
    import rispy

    text = _cite(hostile, "-o", "ris")
    entries = rispy.loads(text)
    assert len(entries) == len(HOSTILE) + 1
    for line in text.split("\r\n"):
        assert line == "" or line[2:6] == "  - " or line == "ER  - ", repr(line)


@pytest.mark.parametrize("planted", ["file", "fifo", "directory"])
def test_a_style_is_never_read_from_the_current_directory(
    tmp_path: Path, planted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("harvard-cite-them-right", "apa", "apa.csl", "chicago-author-date"):
        where = tmp_path / name
        if planted == "file":
            where.write_text("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>")
        elif planted == "fifo":
            os.mkfifo(where)
        else:
            where.mkdir()
    # A fifo is tried in real processes: one opened by mistake would block, and only a
    # process can be timed out. A file or a directory is tried in this process.
    if planted != "fifo":
        monkeypatch.chdir(tmp_path)
    for style in ("harvard-cite-them-right", "apa", "chicago-author-date"):
        if planted == "fifo":
            result = run("cite", "fact-sheet-2018", "--style", style, cwd=tmp_path)
        else:
            result = run_here("cite", "fact-sheet-2018", "--style", style)
        assert result.returncode == 0, result.stderr
        assert b"what is the istc" in result.stdout.lower()


@pytest.mark.parametrize(
    "args",
    [
        ["--style", "./apa.csl"],
        ["--style", "/etc/passwd"],
        ["-o", "bibtex", "-o", "ris"],
        ["--style", "apa", "--style", "apa"],
        ["-o", "bibtex", "--style", "apa"],
    ],
)
def test_cite_option_misuse_is_a_usage_error(args: list[str]) -> None:
    runner = run if args == ["--style", "./apa.csl"] else run_here  # one real process
    result = runner("cite", "fact-sheet-2018", *args)
    assert result.returncode == 2
    assert result.stdout == b""


def test_styles_offered_are_exactly_the_shipped_ones() -> None:
    from istc_cli.options import CITE_STYLES

    for style in CITE_STYLES:
        assert Path(cite.style_file(style)).is_file()
    with pytest.raises(ValueError, match="no such style"):
        cite.style_file("../../etc/passwd")


# ---------------------------------------------------------------- the cache


def _forge(cache: Path) -> None:
    """Rewrite every cache entry as an attacker could: a member renamed, the SHA-256
    seal recomputed (it is no secret)."""
    entries = [p for p in cache.iterdir() if p.name.endswith(".marshal")]
    assert entries
    for entry in entries:
        raw = entry.read_bytes()
        data = marshal.loads(raw[65:])
        data["members"][0]["name"] = "FORGEDX"
        payload = marshal.dumps(data)
        digest, _, _ = entry.name.partition("-")
        head = f"{loader._CACHE_FORMAT}:{loader._fingerprint()}:{digest}:"
        seal = loader.sha256_hex(head.encode(), payload).encode()
        entry.write_bytes(seal + b"\n" + payload)


def test_a_forged_entry_in_a_directory_others_can_write_is_never_served(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    env = {"ISTC_CACHE_DIR": str(cache)}
    assert run_here("members", "--json", env=env).returncode == 0  # writes the entry
    _forge(cache)
    cache.chmod(0o777)  # another user could have written it
    shown = run("members", "--json", **env)
    assert shown.returncode == 0 and b"FORGEDX" not in shown.stdout
    cache.chmod(0o700)
    for entry in cache.iterdir():
        entry.chmod(0o666)  # the entry itself writable by others
    shown = run("members", "--json", **env)
    assert shown.returncode == 0 and b"FORGEDX" not in shown.stdout


def test_a_cache_directory_another_user_owns_is_never_read(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a directory to another user needs root")
    cache = tmp_path / "cache"
    env = {"ISTC_CACHE_DIR": str(cache)}
    assert run_here("members", "--json", env=env).returncode == 0  # writes the entry
    _forge(cache)
    os.chown(cache, 65534, 65534)
    shown = run("members", "--json", **env)
    assert shown.returncode == 0 and b"FORGEDX" not in shown.stdout


def test_an_entry_the_user_wrote_is_still_served(tmp_path: Path) -> None:
    """Ownership is the trust: the user's own private cache is read (and is fast)."""
    cache = tmp_path / "cache"
    env = {"ISTC_CACHE_DIR": str(cache)}
    assert run_here("members", "--json", env=env).returncode == 0  # writes the entry
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    _forge(cache)  # the user's own edit: as trusted as their own dataset
    assert b"FORGEDX" in run("members", "--json", **env).stdout


def test_a_dataset_built_in_this_process_follows_the_cache_as_it_is_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process reuses records it built from a cache entry only while a load would read
    that same entry: turned off, no longer private or rewritten, it is the file again."""
    from .conftest import invoke

    cache = tmp_path / "cache"
    monkeypatch.setenv("ISTC_CACHE_DIR", str(cache))
    data = tmp_path / "data.yaml"
    data.write_bytes(MINIMAL.read_bytes() + f"# {tmp_path}\n".encode())  # bytes of its own

    def first_member() -> str:
        result = invoke("--data", str(data), "members", "--json")
        assert result.exit_code == 0, result.output
        return str(json.loads(result.stdout)[0]["name"])

    parsed = first_member()  # parsed from the file, the entry written
    _forge(cache)
    assert first_member() == "FORGEDX"  # the user's own entry, built and kept
    assert first_member() == "FORGEDX"
    monkeypatch.setenv("ISTC_NO_CACHE", "1")
    assert first_member() == parsed
    monkeypatch.delenv("ISTC_NO_CACHE")
    cache.chmod(0o777)  # others could have written it: never read, nor what it built
    assert first_member() == parsed
    cache.chmod(0o700)
    for entry in cache.iterdir():  # damaged: its seal no longer holds
        entry.write_bytes(entry.read_bytes()[:-1])
    assert first_member() == parsed


@pytest.mark.parametrize("variable", ["XDG_CACHE_HOME", "ISTC_CACHE_DIR"])
def test_a_relative_cache_directory_is_ignored(tmp_path: Path, variable: str) -> None:
    env = {"ISTC_CACHE_DIR": "", "HOME": str(tmp_path / "home"), variable: "relative"}
    result = run("members", "--json", cwd=tmp_path, **env)
    assert result.returncode == 0
    assert not (tmp_path / "relative").exists()


def test_the_cache_key_covers_every_module_of_the_package() -> None:
    here = Path(loader.__file__).parent
    modules = {str(p.relative_to(here)) for p in here.rglob("*.py") if "__pycache__" not in p.parts}
    assert set(loader.package_files(str(here))) == modules
    assert "ids.py" in modules


# ---------------------------------------------------------------- smaller classes


def _dataset_with(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(MINIMAL.read_text())
    change(data)
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return path


def test_markdown_never_passes_html_or_links_through(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    def hostile_names(data: dict[str, Any]) -> None:
        data["members"][0]["name"] = "<script>alert(1)</script><img src=x onerror=alert(2)>"
        data["organization"]["founders"] = [data["members"][0]["name"]]
        data["history"][0]["event"] = "[click](javascript:alert(3)) ![i](http://x/y.png) & *b*"

    path = _dataset_with(tmp_path, hostile_names)
    for command in ("members", "history"):
        runner = run if command == "members" else run_here  # one real process
        result = runner("--data", str(path), command, "-o", "markdown")
        assert result.returncode == 0
        html = MarkdownIt("commonmark").enable("table").render(result.stdout.decode())
        for tag in ("<script", "<img", "<a ", "<em>", "<strong>"):
            assert tag not in html, html
    assert "&lt;script&gt;" in html or "alert(3)" in html


def test_a_default_ignorable_character_never_prints_raw(tmp_path: Path) -> None:
    def hidden(data: dict[str, Any]) -> None:
        data["members"][0]["name"] = "Al\u034fpha"
        data["organization"]["founders"] = ["Al\u034fpha"]

    path = _dataset_with(tmp_path, hidden)
    for fmt in ("table", "json", "csv", "tsv", "markdown", "yaml"):
        result = (run if fmt == "table" else run_here)("--data", str(path), "members", "-o", fmt)
        assert result.returncode == 0
        assert "\u034f" not in result.stdout.decode(), fmt
    plain = run_here("--data", str(path), "members").stdout.decode()
    assert plain.startswith("Al\\u034fpha\t")
    assert json.loads(run_here("--data", str(path), "members", "--json").stdout)[0]["name"] == (
        "Al\u034fpha"
    )  # still the same data to a JSON reader


def test_names_that_differ_only_by_an_invisible_character_are_refused(tmp_path: Path) -> None:
    def twins(data: dict[str, Any]) -> None:
        twin = dict(data["members"][0], name="Al\u034fpha")
        data["members"].append(twin)

    path = _dataset_with(tmp_path, twins)
    result = run("--data", str(path), "validate")
    assert result.returncode == 3
    first = result.stdout.decode().splitlines()[0]
    assert first.startswith(f"{path}:") and "members[1]" in first and "duplicate id" in first


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\u2009", "\u205f"])
def test_a_url_with_any_unicode_space_is_refused(tmp_path: Path, space: str) -> None:
    def spaced(data: dict[str, Any]) -> None:
        data["sources"][0]["url"] = f"https://example.org/a{space}b"

    path = _dataset_with(tmp_path, spaced)
    result = (run if space == "\u00a0" else run_here)("--data", str(path), "validate")
    assert result.returncode == 3
    assert "sources[0].url" in result.stdout.decode()


def test_a_search_of_many_words_suggests_for_a_few(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from istc_cli import suggest

    calls: list[str] = []
    real = suggest.closest

    def counted(word: str, *args: Any, **kwargs: Any) -> list[str]:
        calls.append(word)
        return real(word, *args, **kwargs)

    monkeypatch.setattr(suggest, "closest", counted)
    words = [f"zq{n}xw" for n in range(5000)]
    code, out, err = istc(capsys, "search", *words)
    assert code == 1 and out == ""
    assert len(calls) <= queries.SUGGESTED_WORDS
    assert len(err.splitlines()) == 1


def test_show_panels_keep_their_borders_on_an_ascii_terminal(tmp_path: Path) -> None:
    def cyrillic(data: dict[str, Any]) -> None:
        data["members"][0]["aliases"] = ["Альфа · 日本"]

    path = _dataset_with(tmp_path, cyrillic)
    for args in (["show", "alpha"], ["about"], ["show", "member:alpha"]):
        result = run(
            "--data",
            str(path),
            *args,
            "--format",
            "table",
            PYTHONIOENCODING="ascii",
            COLUMNS="80",
        )
        assert result.returncode == 0, result.stderr
        lines = [line for line in result.stdout.decode("ascii").splitlines() if line]
        framed = [line for line in lines if line.startswith(("|", "+"))]
        assert framed, lines
        assert len({len(line) for line in framed}) == 1, "\n".join(framed)


def test_every_documented_exit_holds_for_a_cut_citation(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", "-c", f'ulimit -f 0; "{run.__globals__["ISTC"]}" cite --all -o ris > out'],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1 and b"cannot write results" in result.stderr
