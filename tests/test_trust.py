"""Trust: no untrusted byte reaches a terminal or spreadsheet as a command, the cache
never serves what the file does not say, and every documented exit code is true.

Each class is tried both in-process and in real subprocesses of the installed istc.
What is about the process (exit codes as the OS sees them, closed or full streams,
terminals, the environment it starts with) runs in real processes; a check of what
is written, over many arguments or formats, runs one case in a real process and the
rest through `entry.main` in this process (`run_here`, `_on_terminal`).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import marshal
import os
import stat
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from istc_cli import loader, model, safe_text
from istc_cli.commands import COMMANDS
from istc_cli.context import Context
from istc_cli.output import FORMATS, OutputOptions, emit

from .conftest import MINIMAL, TEXT_CHARS, dump_yaml, examples, invoke, load_yaml, read_pty

ISTC = Path(sys.executable).with_name("istc")
OSC = "\x1b]0;pwned\x07\x1b[2J"  # sets the terminal title, clears the screen
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u061c\U000e0041"


def run(
    *args: str, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(ISTC), *args], capture_output=True, env=full_env, timeout=120, check=False, **kwargs
    )


def as_written(text: str) -> bytes:
    """The bytes a real process writes for text: UTF-8, and what UTF-8 cannot hold (a
    lone surrogate) escaped, as `entry._prepare_streams` sets its streams."""
    return text.encode("utf-8", "backslashreplace")


def run_here(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """`run` in this process: `istc ARGS` through `entry.main` (conftest's `invoke`),
    its exit code and its streams as the bytes the process would write."""
    result = invoke(*args, env=env)
    return subprocess.CompletedProcess(
        [str(ISTC), *args], result.exit_code, as_written(result.stdout), as_written(result.stderr)
    )


def dataset(tmp_path: Path, edit: Any = None, name: str = "data.yaml") -> Path:
    data = load_yaml(MINIMAL.read_text())
    if edit is not None:
        edit(data)
    path = tmp_path / name
    path.write_text(dump_yaml(data, allow_unicode=True), encoding="utf-8")
    return path


def no_raw_controls(raw: bytes, allow: bytes = b"\n") -> None:
    """No C0/C1 control, format or bidi character in the bytes, but those allowed."""
    decoded = raw.decode("utf-8", errors="replace")
    bad = [c for c in safe_text.unsafe_in(decoded) if c.encode() not in allow]
    assert not bad, f"raw unsafe characters {bad!r} in {decoded[:300]!r}"


# ---------------------------------------------------------------- 0. the escaping itself


def test_the_unsafe_class_covers_every_control_format_and_separator_character() -> None:
    missing = [
        f"U+{c:04X}"
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cc", "Cf", "Cs", "Zl", "Zp")
        and not safe_text.is_unsafe(chr(c))
    ]
    assert missing == []


# Default_Ignorable_Code_Point, Unicode 15.1 (DerivedCoreProperties.txt): unicodedata
# does not expose the property, so it is written out here from the standard.
DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
]  # fmt: skip


def test_every_default_ignorable_character_is_escaped_even_in_printable_text() -> None:
    missing = [
        f"U+{c:04X}"
        for first, last in DEFAULT_IGNORABLE
        for c in range(first, last + 1)
        if safe_text.visible("a" + chr(c) + "é") == "a" + chr(c) + "é"
    ]
    assert missing == []
    assert safe_text.visible("Nor\u034fway") == "Nor\\u034fway"


def test_printable_text_skips_escaping_only_when_nothing_hides_in_it() -> None:
    unsafe = [c for c in range(sys.maxunicode + 1) if safe_text.is_unsafe(chr(c))]
    assert len(unsafe) > 2000
    for c in unsafe:
        assert not safe_text.is_clean("x" + chr(c)), f"U+{c:04X}"
    assert safe_text.is_clean("Astana — Нур-Султан 日本 ✓ 🙂")


def test_visible_escapes_controls_formats_and_surrogates_and_keeps_the_rest() -> None:
    assert safe_text.visible("Nor\u200bway") == "Nor\\u200bway"
    assert safe_text.visible(OSC) == "\\x1b]0;pwned\\x07\\x1b[2J"
    assert safe_text.visible("\udcff") == "\\udcff"
    assert safe_text.visible("\U000e0041") == "\\U000e0041"
    assert safe_text.visible("Astana — Нур-Султан 日本 ✓ 🙂") == "Astana — Нур-Султан 日本 ✓ 🙂"
    assert safe_text.visible("a\nb\tc", keep="\n\t") == "a\nb\tc"


def test_json_safe_is_still_the_same_data() -> None:
    data = {"s": "x" + INVISIBLE + OSC + "\u2028\x85"}
    dumped = safe_text.json_safe(json.dumps(data, ensure_ascii=False))
    assert not safe_text.unsafe_in(dumped)
    assert json.loads(dumped) == data


def test_quote_bounds_a_long_value_with_its_length() -> None:
    quoted = safe_text.quote("x" * 5_000_000)
    assert len(quoted) < 120 and "5,000,000 characters" in quoted
    assert safe_text.quote("short") == "'short'"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("Astana", "Astana"),
        ("", ""),
    ],
)
def test_formula_safe_follows_owasp(cell: str, safe: str) -> None:
    assert safe_text.formula_safe(cell) == safe


# ---------------------------------------- 1. messages are escaped and bounded


def test_dataset_values_quoted_in_errors_are_escaped_and_bounded(tmp_path: Path) -> None:
    bad = dataset(tmp_path, lambda d: d["initiatives"][0].update(status=OSC + "x" * 5_000_000))
    for runner, args in (
        (run, ["--data", str(bad), "initiatives"]),
        (run_here, ["validate", str(bad)]),
    ):
        result = runner(*args)
        assert result.returncode == 3
        no_raw_controls(result.stderr)
        no_raw_controls(result.stdout)
        out = (result.stdout + result.stderr).decode()
        assert "\\x1b]0;pwned" in out
        assert "characters)" in out and len(out) < 3000, len(out)


def test_unknown_keys_and_source_ids_are_escaped(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["members"][0][OSC] = 1
        d["regimes"][0]["source"] = OSC

    result = run("validate", str(dataset(tmp_path, edit)))
    assert result.returncode == 3
    no_raw_controls(result.stdout + result.stderr)
    assert result.stdout.decode().count("\\x1b]0;pwned") == 3  # the key in path and message


def test_file_names_are_escaped_everywhere(tmp_path: Path) -> None:
    named = dataset(tmp_path, name=f"evil{OSC}.yaml")
    for runner, args in (
        (run, ["validate", str(named)]),
        (run_here, ["--data", str(named), "--version"]),
    ):
        result = runner(*args)
        assert result.returncode == 0, result.stderr
        no_raw_controls(result.stdout + result.stderr)
        assert "\\x1b]0;pwned" in (result.stdout + result.stderr).decode()
    missing = run_here("--data", str(tmp_path / f"nope{OSC}.yaml"), "members")
    assert missing.returncode == 3
    no_raw_controls(missing.stderr)
    assert "no such file" in missing.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["search", OSC],
        ["members", "--role", OSC],
        ["history", "--since", OSC],
        ["members", "--fields", OSC],
        ["members", f"--{OSC}"],
        [OSC],
        ["schema", OSC],
        ["search", "\udcff"],
    ],
)
def test_arguments_echoed_back_are_escaped(args: list[str]) -> None:
    # The undecodable argument in a real process, where it comes from the OS as the
    # byte 0xff (a lone surrogate in argv); the rest in this process.
    result = (run if "\udcff" in args[-1] else run_here)(*args)
    assert result.returncode in (1, 2), result
    assert result.stdout == b""
    no_raw_controls(result.stderr)
    assert b"Traceback" not in result.stderr


def test_a_huge_argument_is_not_echoed_whole() -> None:
    result = run("members", "--role", "y" * 100_000)
    assert result.returncode == 2
    assert len(result.stderr) < 3000 and b"100,000 characters" in result.stderr


# ---------------------------------------------------------------- 2. invisible characters


def test_invisible_characters_show_escaped_in_tables_and_lines_but_stay_data_in_json(
    tmp_path: Path,
) -> None:
    path = dataset(tmp_path, lambda d: d["members"][0].update(name="Nor\u200bway" + INVISIBLE))
    for fmt in ("table", "markdown", "csv", "tsv"):
        shown = (run if fmt == "table" else run_here)(
            "--data", str(path), "members", "--format", fmt
        )
        assert shown.returncode == 0
        no_raw_controls(shown.stdout, allow=b"\n\r\t")
        assert "Nor\\u200bway" in shown.stdout.decode()
    plain = run_here("--data", str(path), "members")
    assert plain.stdout.decode().startswith("Nor\\u200bway\\u200b")
    as_json = run_here("--data", str(path), "members", "--json")
    no_raw_controls(as_json.stdout)
    assert json.loads(as_json.stdout)[0]["name"] == "Nor\u200bway" + INVISIBLE
    as_yaml = run_here("--data", str(path), "members", "-o", "yaml")
    no_raw_controls(as_yaml.stdout)
    assert yaml.safe_load(as_yaml.stdout)[0]["name"] == "Nor\u200bway" + INVISIBLE


_UNSAFE_CHAR = st.sampled_from(
    [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0xFEFF, 0x200B)]
    + ["\u202e", "\u2066", "\u061c", "\U000e0001"]
)
_TEXT = st.lists(st.one_of(_UNSAFE_CHAR, TEXT_CHARS), max_size=30).map("".join)


@settings(max_examples=examples(75), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_TEXT)
def test_no_format_writes_an_unsafe_character_from_the_data(value: str) -> None:
    record = model.Statement(part="rebuttal", by=value, against=(value,), text=value, source="s")
    from istc_cli.queries import Result

    result = Result("statement", model.Statement, (record,), value, value)
    for fmt in (*FORMATS, "plain"):
        out = io.StringIO()
        out.isatty = lambda: False  # type: ignore[method-assign]
        emit(
            result,
            OutputOptions(format=None if fmt == "plain" else fmt, pager=False),
            Context.of(out),
        )
        written = out.getvalue()
        allowed = (
            {"\n"}
            | ({"\r", "\t"} if fmt in ("csv", "yaml") else set())
            | ({"\t"} if fmt in ("tsv", "plain") else set())
        )
        bad = [c for c in safe_text.unsafe_in(written) if c not in allowed]
        assert not bad, (fmt, bad, written)
        if fmt == "json":
            assert json.loads(written)[0]["text"] == value
        if fmt == "jsonl":
            assert json.loads(written)["by"] == value


# ---------------------------------------------------------------- 3. spreadsheet formulas


FORMULA = '=HYPERLINK("http://evil.example","click")'


def test_csv_and_tsv_never_start_a_formula_but_json_and_yaml_stay_exact(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["members"][0]["name"] = FORMULA
        d["members"][0]["aliases"] = ["@cmd", "-1+1"]
        d["figures"][0]["value"] = -5
        d["programs"][0]["name"] = "+SUM(1,2)"

    path = dataset(tmp_path, edit)
    rows = list(
        csv.reader(io.StringIO(run("--data", str(path), "members", "-o", "csv").stdout.decode()))
    )
    assert rows[1][0] == "'" + FORMULA and rows[1][1] == "'@cmd; -1+1"
    tsv = run_here("--data", str(path), "members", "-o", "tsv").stdout.decode().splitlines()
    assert tsv[1].split("\t")[0] == "'" + FORMULA
    plain = run_here("--data", str(path), "programs").stdout.decode()
    assert plain.startswith("'+SUM(1,2)")
    figures = list(
        csv.DictReader(
            io.StringIO(run_here("--data", str(path), "figures", "-o", "csv").stdout.decode())
        )
    )
    assert figures[0]["value"] == "-5"  # a number stays a number
    assert (
        json.loads(run_here("--data", str(path), "members", "--json").stdout)[0]["name"] == FORMULA
    )
    assert (
        yaml.safe_load(run_here("--data", str(path), "members", "-o", "yaml").stdout)[0]["name"]
        == FORMULA
    )
    jsonl = run_here("--data", str(path), "programs", "-o", "jsonl").stdout.decode()
    assert json.loads(jsonl.splitlines()[0])["name"] == "+SUM(1,2)"


# ---------------------------------------------------------------- 4. the cache


def _entry() -> Path:
    where = loader.cache_dir()
    assert where is not None
    entries = [p for p in Path(where).iterdir() if p.suffix == ".marshal"]
    assert len(entries) == 1, entries
    return entries[0]


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ISTC_CACHE_DIR", str(tmp_path / "cache"))
    path = dataset(tmp_path)
    assert invoke("--data", str(path), "offices", "--json").exit_code == 0
    return path


def _forge(data: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    forged = copy.deepcopy(data)
    change(forged)
    return forged


def test_an_edited_cache_entry_is_never_served(cached: Path) -> None:
    entry = _entry()
    raw = entry.read_bytes()
    seal, _, payload = raw.partition(b"\n")
    data = marshal.loads(payload)  # an entry holds the plain data, marshalled whole
    assert data["offices"][0]["city"] == "Astana"  # the entry is what the test thinks

    def packed(data: dict[str, Any]) -> bytes:
        return marshal.dumps({name: marshal.dumps(value) for name, value in data.items()})

    edits: list[Callable[[dict[str, Any]], None]] = [
        lambda d: d["offices"][0].update(city="Forged"),
        lambda d: d["figures"][0].update(value=9999),
        lambda d: d["offices"][0].update(source="nowhere"),
        lambda d: d["figures"][0].update(value="ten"),
        lambda d: d.clear(),
    ]
    for forged in (
        *(seal + b"\n" + marshal.dumps(_forge(data, edit)) for edit in edits),
        seal + b"\n" + packed(_forge(data, edits[0])),  # an earlier format: a section apiece
        raw.replace(b"Astana", b"Forged"),  # the same length: still valid marshal
        raw[: len(raw) // 2],
        seal + b"\n" + b"\xff" * 100,
        b"",
        b"\xff" * 100,
    ):
        entry.write_bytes(forged)
        result = invoke("--data", str(cached), "offices", "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)[0]["city"] == "Astana"
        figures = invoke("--data", str(cached), "figures", "--json")
        assert json.loads(figures.stdout)[0]["value"] == 10
        assert "internal error" not in figures.stderr


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory", "huge"])
def test_a_cache_entry_that_is_not_a_small_regular_file_cannot_stall_the_reader(
    cached: Path, kind: str
) -> None:
    entry = _entry()
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "dev-zero":
        entry.symlink_to("/dev/zero")
    elif kind == "directory":
        entry.mkdir()
    else:
        with entry.open("wb") as fh:
            fh.truncate(loader._CACHE_ENTRY_LIMIT + 1)  # sparse: no disk used
    start = time.monotonic()
    result = run(
        "--data", str(cached), "offices", "--json", env={"ISTC_CACHE_DIR": str(entry.parent)}
    )
    assert time.monotonic() - start < 20
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["city"] == "Astana"


def test_the_cache_is_private_and_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    where = tmp_path / "private-cache"
    monkeypatch.setenv("ISTC_CACHE_DIR", str(where))
    for i in range(loader.CACHE_MAX_ENTRIES + 5):
        path = dataset(tmp_path, lambda d, i=i: d["meta"].update(version=f"0.0.{i}"))
        assert invoke("--data", str(path), "about", "--json").exit_code == 0
        os.utime(_newest(where), (time.time() - 1000 + i, time.time() - 1000 + i))
    assert stat.S_IMODE(where.stat().st_mode) == 0o700
    entries = list(where.iterdir())
    assert len(entries) == loader.CACHE_MAX_ENTRIES
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in entries)


def test_eviction_touches_only_istc_entries_and_drops_the_old_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ISTC_CACHE_DIR may name a directory that holds other files: eviction removes only
    files named as istc names its entries, and entries of the old JSON format at once."""
    where = tmp_path / "shared-cache"
    where.mkdir(mode=0o700)
    foreign = [where / "notes.json", where / "data.marshal", where / "x.tmp"]
    for path in foreign:
        path.write_text("mine")
        os.utime(path, (0, 0))  # the oldest files there
    old = where / f"{'a' * 64}-{'b' * 16}.json"
    old.write_text("{}")
    monkeypatch.setenv("ISTC_CACHE_DIR", str(where))
    for i in range(loader.CACHE_MAX_ENTRIES + 2):
        path = dataset(tmp_path, lambda d, i=i: d["meta"].update(version=f"0.0.{i}"))
        assert invoke("--data", str(path), "about", "--json").exit_code == 0
    assert all(p.read_text() == "mine" for p in foreign)
    assert not old.exists()
    assert len([p for p in where.iterdir() if p.suffix == ".marshal"]) == (
        loader.CACHE_MAX_ENTRIES + 1  # data.marshal is not istc's
    )


def test_the_cache_names_its_own_files_and_no_one_elses() -> None:
    entry = f"{'a' * 64}-{'b' * 16}"
    kinds = {
        f"{entry}.marshal": "entry",
        f"{entry}.search.marshal": "old",  # an earlier version's search index
        f"{entry}.marshal.123.tmp": "tmp",
        f"{entry}.search.marshal.123.tmp": "tmp",
        f"{entry}.json": "old",
        f"{entry}.Search.marshal": None,
        f"{entry}.se-arch.marshal": None,
        f"{entry}.search.marshal.x.tmp": None,
        f"{entry}.txt.123.tmp": None,
        f"{'a' * 63}-{'b' * 16}.marshal": None,
        "data.marshal": None,
        "notes.json": None,
    }
    assert {name: loader._entry_kind(name) for name in kinds} == kinds


def _newest(where: Path) -> Path:
    return max(where.iterdir(), key=lambda p: p.stat().st_mtime_ns)


def test_a_cache_directory_others_can_write_to_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("ISTC_CACHE_DIR", str(shared))
    assert invoke("--data", str(dataset(tmp_path)), "about", "--json").exit_code == 0
    assert list(shared.iterdir()) == []


# ---------------------------------------------------------------- 5. dates and 6. tags


@pytest.mark.parametrize(
    "date", ["１９９２", "1992-１１", "0000", "0999", "2101", "٢٠١٥", "1992-11-3０"]
)
def test_dates_are_ascii_digits_in_the_year_range(tmp_path: Path, date: str) -> None:
    path = dataset(tmp_path, lambda d: d["history"][0].update(date=date))
    problems = loader.validate_path(str(path))
    assert len(problems) == 1 and "is not a valid date" in problems[0].message


@pytest.mark.parametrize(
    ("snippet", "where"),
    [
        ("programs: !foo\n  - name: x\n    source: doc\n", "programs"),
        ("programs:\n  - !foo\n    name: x\n    source: doc\n", "programs[0]"),
        ("programs:\n  - name: !foo x\n    source: doc\n", "programs[0].name"),
        ("programs:\n  - name: !!binary aGVsbG8=\n    source: doc\n", "programs[0].name"),
        ("programs: !!set\n  ? a\n", "programs"),
        ("programs: !!omap\n  - name: x\n", "programs"),
        ("programs:\n  - !!python/object:os.system\n    name: x\n", "programs[0]"),
    ],
)
def test_tags_the_schema_does_not_use_are_refused(tmp_path: Path, snippet: str, where: str) -> None:
    base = MINIMAL.read_text()
    start = base.index("programs:")
    end = base.index("regimes:")
    path = tmp_path / "tagged.yaml"
    path.write_text(base[:start] + snippet + base[end:])
    problems = loader.validate_path(str(path))
    assert problems, snippet
    assert any(p.path == where and "YAML tag" in p.message for p in problems), problems


# ---------------------------------------------------------------- 7. exit codes, in real processes


@pytest.mark.parametrize(
    "args",
    [
        ["history", "--json"],  # the fast path
        ["cite", "fact-sheet-2018"],  # the Typer path: click answers a closed pipe with 1
        ["schema"],
        ["--help"],
        ["--version"],
        [],  # the overview
    ],
    ids=lambda args: " ".join(args) or "istc",
)
def test_a_reader_that_closed_the_pipe_gives_141_and_silence(args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before istc writes a byte
    result = subprocess.run(
        [str(ISTC), *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    os.close(write_end)
    assert result.returncode == 141
    assert result.stderr == b""


def test_since_with_thousands_of_digits_is_a_usage_error() -> None:
    result = run("history", "--since", "9" * 5000)
    assert result.returncode == 2
    assert b"is not a year" in result.stderr and b"internal error" not in result.stderr
    assert run_here("history", "--until", "１９９５").returncode == 2


def test_a_full_disk_is_a_clear_write_error() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for args in (["history"], ["history", "--json"], ["--help"], ["validate", "--json"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [str(ISTC), *args], stdout=full, stderr=subprocess.PIPE, timeout=60, check=False
            )
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr.decode().endswith(
            "istc: cannot write results: No space left on device.\n"
        )
        assert "internal error" not in result.stderr.decode()


def test_with_stderr_closed_errors_never_reach_stdout(tmp_path: Path) -> None:
    bad = dataset(tmp_path, lambda d: d["initiatives"][0].update(status="nope"))
    for args in (
        ["--data", str(bad), "members"],
        ["search", "zzzzqqq"],
        ["members", "--role", "x"],
    ):
        result = subprocess.run(
            ["bash", "-c", '"$0" "$@" 2>&-', str(ISTC), *args],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert result.returncode in (1, 2, 3)
        assert result.stdout == b"", result.stdout
    ok = subprocess.run(
        ["bash", "-c", '"$0" members --json 2>&-', str(ISTC)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0 and len(json.loads(ok.stdout)) == 10


@pytest.mark.parametrize(
    ("args", "help_of"),
    [
        (["members", "--at", "3000"], "istc members"),
        (["frobnicate"], "istc"),
        (["membrs"], "istc"),  # with click's "Did you mean"
        (["members", "--jsno"], "istc members"),
        (["--data", "a.yaml", "--data", "b.yaml", "members"], "istc"),
        (["search"], "istc search"),
        (["cite", "-o", "bibtex", "--style", "apa", "fact-sheet-2018"], "istc cite"),
        (["members", "--json", "-o", "csv"], "istc members"),
    ],
)
def test_a_usage_error_is_one_line_that_says_where_to_read_more(
    args: list[str], help_of: str
) -> None:
    """As every message: one sentence on stderr, not click's usage, hint, blank line
    and error; it names the help that explains (`istc members -h`)."""
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("istc: ")
    assert f"see '{help_of} -h'" in result.stderr


def test_documented_exit_codes_in_real_processes(tmp_path: Path) -> None:
    assert run("members").returncode == 0
    assert run("members", "--role", "board", "--all").returncode == 0
    assert run("search", "zzzzqqq").returncode == 1
    unknown = run("frobnicate")
    assert unknown.returncode == 2 and unknown.stderr.count(b"\n") == 1
    assert run("members", "--fields", "nope").returncode == 2
    bad = dataset(tmp_path, lambda d: d["initiatives"][0].update(status="nope"))
    assert run("--data", str(bad), "members").returncode == 3
    assert run("validate", str(bad)).returncode == 3
    closed = subprocess.run(
        ["bash", "-c", '"$0" members >&-', str(ISTC)], capture_output=True, timeout=60, check=False
    )
    assert closed.returncode == 1 and b"standard output is closed" in closed.stderr


# ---------------------------------------- 8. terminals that are not what they seem


def _pty(args: list[str], env: dict[str, str], rows: int = 10, cols: int = 100) -> tuple[int, str]:
    return read_pty(args, env, rows=rows, cols=cols, stdin=True)


def _on_terminal(args: list[str], env: dict[str, str], rows: int = 10) -> tuple[int, str]:
    """`_pty`'s run in this process: `entry.main` with stdout a terminal, the environment
    as `read_pty` gives it (no LINES; COLUMNS and PAGER as env says). This terminal has
    no size, so the width must come from COLUMNS and paging must be off (PAGER empty):
    the height, `rows`, is read only to page."""
    assert env.get("COLUMNS", "").isdigit() and env.get("PAGER") == "", env
    del rows
    result = invoke(*args, env={"LINES": None, **env}, terminal=True)
    return result.exit_code, result.stdout


def test_a_dumb_terminal_is_never_paged() -> None:
    code, shown = _pty(["history"], {"TERM": "dumb", "PAGER": "sh -c 'cat > /dev/null'"})
    assert code == 0 and "2022-09-17" in shown
    code, shown = _pty(["history"], {"TERM": "dumb"})  # the default, less, would stop and ask
    assert code == 0 and "2022-09-17" in shown


@pytest.mark.parametrize("columns", ["0", "1", "3", "5", "19"])
def test_below_a_usable_width_every_fact_is_still_printed(columns: str) -> None:
    shown = {}
    for args in (
        ["members"],
        ["about"],
        ["history"],
        ["history", "--timeline"],
        ["figures", "--chart"],
    ):
        # One case on a real pseudo-terminal, the rest on one in this process.
        runner = _pty if columns == "0" and args == ["members"] else _on_terminal
        code, shown[args[-1]] = runner(
            args, {"COLUMNS": columns, "TERM": "xterm", "PAGER": ""}, rows=200
        )
        assert code == 0, (args, shown)
        assert shown[args[-1]].strip(), args
    assert "Kyrgyz Republic" in shown["members"] and "Tajikistan" in shown["members"]
    assert "2022-09-17" in shown["history"]


def test_every_listing_command_prints_something_at_width_zero() -> None:
    for spec in COMMANDS:
        args = [spec.name, "astana"] if spec.name in ("search", "show") else [spec.name]
        runner = _pty if spec.name == "show" else _on_terminal  # one on a real terminal
        code, shown = runner(args, {"COLUMNS": "0", "TERM": "xterm", "PAGER": ""}, rows=500)
        assert code == 0 and shown.strip(), spec.name


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://x.example/a", "https://a b", "https://x/\u200b", "x"]
)
def test_only_http_and_https_addresses_are_accepted(tmp_path: Path, url: str) -> None:
    path = dataset(tmp_path, lambda d: d["sources"][0].update(url=url))
    problems = loader.validate_path(str(path))
    assert len(problems) == 1 and "is not a web address" in problems[0].message


def test_validate_stdin_with_stdin_closed_is_a_clear_problem() -> None:
    result = subprocess.run(
        ["bash", "-c", '"$0" validate - <&-', str(ISTC)], capture_output=True, timeout=60
    )
    assert result.returncode == 3
    assert b"<stdin>:1:1: is empty" in result.stdout and b"internal error" not in result.stderr


def test_a_cache_directory_behind_a_link_is_used(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    result = run("members", "--json", env={"ISTC_CACHE_DIR": str(link)})
    assert result.returncode == 0
    assert [p.suffix for p in real.iterdir()] == [".marshal"]
