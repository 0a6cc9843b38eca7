"""Trust, fourth pass (issue 29): each class of defect the fourth hostile trial found,
tried in real processes of the installed `istc`: what is about the process (pid
namespaces, a full disk) only in real ones; a matrix of arguments or formats in one,
its other cases, and a run that only makes a test's input, through `entry.main` in
this process (`run_here`).

Completion (classes 1 and 2) is in test_completion.py, the README's and docs' examples
(class 10) in test_examples.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import MINIMAL
from .flattened import read_list, split, unmarkdown, untsv
from .test_trust import run, run_here

ISTC = Path(sys.executable).with_name("istc")


def dataset(tmp_path: Path, edit: Any = None, name: str = "data.yaml") -> Path:
    data = yaml.safe_load(MINIMAL.read_text())
    if edit is not None:
        edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def one_sentence(stderr: bytes) -> str:
    """The message of a failed run: its last line, which must say what went wrong."""
    text = stderr.decode()
    assert "Traceback" not in text, text
    return text.strip().splitlines()[-1]


# ---------------------------------------------------------------- 9. --data= (empty)


@pytest.mark.parametrize(
    "args",
    [
        ["--data=", "members"],
        ["--data", "", "members"],
        ["members", "--data="],
        ["members", "--data", ""],
        ["--data=", "members", "--format", "table"],  # the Typer path, not the fast one
        ["--data=", "validate"],
        ["--data=", "cite", "doc"],
        ["--data=", "--version"],
        ["history", "--data=", "--json"],
    ],
)
def test_an_empty_data_path_is_a_usage_error_on_both_paths(args: list[str]) -> None:
    result = (run if args == ["--data=", "members"] else run_here)(*args)  # one real process
    assert result.returncode == 2, result
    assert result.stdout == b""
    message = one_sentence(result.stderr)
    assert "--data" in message and "empty" in message, message
    assert "invalid dataset" not in result.stderr.decode()


# ---------------------------------------------------------------- 3. the sweep of staging


def _dead_pid() -> int:
    """A process id that names no process: one that has run and been reaped."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _tree(path: Path) -> dict[str, str | bytes]:
    """Everything under path, links included (not followed), with their contents."""
    out: dict[str, str | bytes] = {}
    for item in sorted(path.rglob("*")):
        key = str(item.relative_to(path))
        if item.is_symlink():
            out[key] = "-> " + os.readlink(item)
        elif item.is_file():
            out[key] = item.read_bytes()
        else:
            out[key] = "dir"
    return out


def _staging_like(where: Path, name: str, mode: int = 0o700, marker: bool = True) -> Path:
    from istc_cli.export import files

    staged = where / f"{files.STAGING_PREFIX}{name}"
    staged.mkdir()
    staged.chmod(mode)
    if marker:
        (staged / files.MARKER).write_bytes(files.MARKER_TEXT)
    return staged


@pytest.mark.parametrize("kind", ["sqlite", "datapackage"])
def test_a_directory_merely_named_like_staging_is_never_touched(tmp_path: Path, kind: str) -> None:
    """The user's own directories whose names match the pattern and whose pid is dead:
    no marker, or the wrong mode, or a marker that is not istc's, or a link."""
    pid = _dead_pid()
    mine = []
    for n, (mode, marker) in enumerate([(0o700, False), (0o755, True), (0o700, False)]):
        d = _staging_like(tmp_path, f"{pid}-user{n}", mode, marker)
        (d / "thesis.tex").write_text("years of work")
        (d / "export.db").write_text("my own database, by this name")
        mine.append(d)
    forged = _staging_like(tmp_path, f"{pid}-forged", marker=False)
    (forged / ".istc-staging").write_text("not istc's text")
    (forged / "export.db").write_text("mine")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "export.db").write_text("behind a link")
    (tmp_path / f".istc-export-{pid}-link").symlink_to(elsewhere)
    before = _tree(tmp_path)
    target = tmp_path / ("x.db" if kind == "sqlite" else "pkg")
    result = (run if kind == "sqlite" else run_here)("export", kind, str(target))
    assert result.returncode == 0, result.stderr
    after = {k: v for k, v in _tree(tmp_path).items() if not k.startswith(target.name)}
    assert after == before


def test_a_stale_staging_directory_loses_only_what_istc_writes(tmp_path: Path) -> None:
    """istc's own (its mode, its marker, no lock held): the files an export writes go,
    by name; anything else stays, and with it the directory."""
    pid = _dead_pid()
    whole = _staging_like(tmp_path, f"{pid}-whole")
    (whole / "export.db").write_text("half a database")
    (whole / "metadata.json").write_text("{")
    (whole / "package").mkdir()
    (whole / "package" / "members.csv").write_text("a,b\n")
    mixed = _staging_like(tmp_path, f"{pid}-mixed")
    (mixed / "export.db").write_text("half a database")
    (mixed / "notes.txt").write_text("someone's")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    (mixed / "metadata.json").symlink_to(outside)
    (mixed / "package").mkdir()
    (mixed / "package" / "members.csv").write_text("a,b\n")
    (mixed / "package" / "keep.txt").write_text("someone's")
    assert run("export", "sqlite", str(tmp_path / "x.db")).returncode == 0
    assert not whole.exists()
    assert sorted(_tree(mixed)) == [".istc-staging", "metadata.json", "notes.txt", "package",
                                    "package/keep.txt"]  # fmt: skip
    assert outside.read_text() == "keep"


def test_a_live_export_in_another_pid_namespace_keeps_its_staging(tmp_path: Path) -> None:
    """Its pid means nothing here (it is dead in this namespace); its lock, held by the
    live export, is what tells. Where `unshare` can make a PID namespace, the holder
    runs in one."""
    import shutil

    pid = _dead_pid()
    live = _staging_like(tmp_path, f"{pid}-live")
    (live / "export.db").write_text("being written")
    hold = (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(live / '.istc-staging')!r}, os.O_RDONLY)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('held', os.getpid(), flush=True)\n"
        "time.sleep(120)\n"
    )
    argv = [sys.executable, "-c", hold]
    if (
        shutil.which("unshare")
        and subprocess.run(
            ["unshare", "--pid", "--fork", "true"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        argv = ["unshare", "--pid", "--fork", "--kill-child", *argv]
    holder = subprocess.Popen(argv, stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().startswith(b"held")
        before = _tree(live)
        assert run("export", "sqlite", str(tmp_path / "x.db")).returncode == 0
        assert run("export", "datapackage", str(tmp_path / "pkg")).returncode == 0
        assert _tree(live) == before
    finally:
        os.killpg(holder.pid, 9)
        holder.wait()
    time.sleep(0.2)  # the holder in its namespace is gone with unshare (--kill-child)
    assert run("export", "sqlite", str(tmp_path / "y.db")).returncode == 0  # now stale
    assert not live.exists()


def test_an_export_leaves_no_staging_behind(tmp_path: Path) -> None:
    assert run("export", "sqlite", str(tmp_path / "x.db")).returncode == 0
    assert run_here("export", "datapackage", str(tmp_path / "pkg")).returncode == 0
    assert run_here("export", "datapackage", str(tmp_path / "pkg"), "--force").returncode == 0
    assert run_here("export", "sqlite", str(tmp_path / "x.db"), "--force").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg", "x.db", "x.db.metadata.json"]


# ---------------------------------------------------------------- 4. --force and links


@pytest.mark.parametrize("planted", ["link-to-file", "link-to-dir", "dir", "descriptor-link"])
def test_force_refuses_a_package_holding_what_istc_did_not_write(
    tmp_path: Path, planted: str
) -> None:
    package = tmp_path / "pkg"
    assert run_here("export", "datapackage", str(package)).returncode == 0  # the input
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "data.txt").write_text("keep")
    members = package / "members.csv"
    members.unlink()
    if planted == "link-to-file":
        members.symlink_to(precious / "data.txt")
    elif planted == "link-to-dir":
        members.symlink_to(precious)
    elif planted == "dir":
        members.mkdir()
        (members / "inside.txt").write_text("keep")
    else:
        descriptor = package / "datapackage.json"
        (precious / "datapackage.json").write_text(descriptor.read_text())
        descriptor.unlink()
        descriptor.symlink_to(precious / "datapackage.json")
        members.write_text("a\n")
    before = _tree(tmp_path)
    refuse = run if planted == "descriptor-link" else run_here  # one in a real process
    result = refuse("export", "datapackage", str(package), "--force")
    assert result.returncode == 1
    assert "--force replaces only a package istc wrote" in one_sentence(result.stderr)
    assert _tree(tmp_path) == before


# ---------------------------------------------------------------- 8. errors keep their reason


def test_a_path_too_long_keeps_its_reason(tmp_path: Path) -> None:
    for runner, path in (
        (run, tmp_path / ("a" * 5000 + ".db")),
        (run_here, tmp_path / ("b" * 300)),
    ):
        result = runner("export", "sqlite", str(path))
        assert result.returncode == 1
        message = one_sentence(result.stderr)
        assert message.endswith("the name is too long."), message
        assert len(message) < 400
        assert "characters)" in message or len(str(path)) < 160
    deep = tmp_path / "/".join(["d" * 200] * 30) / "x.db"  # more than PATH_MAX
    result = run_here("export", "datapackage", str(deep))
    message = one_sentence(result.stderr)
    assert result.returncode == 1 and len(message) < 400, message
    assert message.endswith(("File name too long.", "does not exist.")), message


def _full_filesystem_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run istc with `tmp_path/full` a 4 KB tmpfs of its own (a mount namespace of its
    own: nothing is mounted for anyone else); skip where no namespace can be made."""
    import shutil

    full = tmp_path / "full"
    full.mkdir()
    if not shutil.which("unshare"):
        pytest.skip("no unshare to mount a full filesystem")
    for prefix in (["unshare", "--mount"], ["unshare", "--user", "--map-root-user", "--mount"]):
        probe = subprocess.run(
            [*prefix, "sh", "-c", f"mount -t tmpfs -o size=4k tmpfs {full}"],
            capture_output=True, check=False,
        )  # fmt: skip
        if probe.returncode == 0:
            script = 'mount -t tmpfs -o size=4k tmpfs "$1" && shift && exec "$@"'
            return subprocess.run(
                [*prefix, "sh", "-c", script, "sh", str(full), str(ISTC), *args],
                capture_output=True, timeout=120, check=False,
            )  # fmt: skip
    pytest.skip("cannot mount a tmpfs here")


def test_a_full_disk_under_metadata_names_the_metadata_file(tmp_path: Path) -> None:
    database = tmp_path / "x.db"
    meta = tmp_path / "full" / "meta.json"
    result = _full_filesystem_run(tmp_path, "export", "sqlite", str(database), "--metadata",
                                  str(meta))  # fmt: skip
    assert result.returncode == 1, result.stderr
    message = one_sentence(result.stderr)
    assert str(meta) in message and "space" in message.lower(), message
    assert not database.exists()  # the pair is published whole or not at all


# ---------------------------------------------------------------- issue 33 a: statements search


def test_the_statements_table_is_searched_by_datasette_and_sqlite_utils(tmp_path: Path) -> None:
    import asyncio
    import shutil

    database = tmp_path / "istc.db"
    assert run("export", "sqlite", str(database)).returncode == 0
    metadata = json.loads(Path(f"{database}.metadata.json").read_text())
    assert metadata["databases"]["istc"]["tables"]["statements"]["fts_table"] == "statements_fts"

    async def search() -> list[dict[str, Any]]:
        from datasette.app import Datasette

        ds = Datasette([str(database)])  # no metadata: the index is found as it is
        page = await ds.client.get("/istc/statements")
        assert 'name="_search"' in page.text
        found = await ds.client.get("/istc/statements.json?_search=astana&_shape=array")
        assert found.status_code == 200
        rows: list[dict[str, Any]] = found.json()
        return rows

    rows = asyncio.run(search())
    assert rows and all("astana" in (r["value"] + (r["locator"] or "")).lower() for r in rows)
    sqlite_utils = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent))
    assert sqlite_utils
    from click.testing import CliRunner
    from sqlite_utils.cli import cli  # what that script runs, run here

    result = CliRunner().invoke(cli, ["search", str(database), "statements", "astana", "--csv"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == len(rows) + 1


# ---------------------------------------------------------------- 5. flattened cells


FORGING_NAME = "Beta; Gamma, Delta=1 \\ x; Epsilon"
FORGING_LOCATOR = "p. 3; date=2030, value=999999, source=doc"


def _forging(data: dict[str, Any]) -> None:
    data["members"].append(
        {"name": FORGING_NAME, "kind": "state", "status": "current",
         "roles": ["party", "founder"], "source": "doc"}
    )  # fmt: skip
    data["organization"]["founders"].append(FORGING_NAME)
    for n, (date, value) in enumerate([("2001", 5), ("2005", 9), ("2007", 11), ("2009", 12)]):
        data["figures"].append(
            {"id": f"m-{n}", "name": "A series", "value": value, "unit": "things",
             "as_of": date, "source": "doc", "measure": "series",
             "locator": FORGING_LOCATOR if n == 0 else None}
        )  # fmt: skip


@pytest.fixture(scope="session")
def forging(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dataset(tmp_path_factory.mktemp("forging"), _forging)


def _json(data: Path, *args: str) -> Any:
    """The JSON the tests compare a flat format with, made in this process."""
    result = run_here("--data", str(data), *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _rows(data: Path, fmt: str, *args: str, real: bool = False) -> list[dict[str, str]]:
    """The rows of a flat format as a reader of that format gets them, cells unescaped
    for the format itself (TSV's escapes, Markdown's), still flattened; written by a
    real process if `real`, else in this one."""
    import csv
    import io

    flag = ["-o", fmt] if fmt != "plain" else []
    result = (run if real else run_here)("--data", str(data), *args, *flag)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    lines = text.splitlines()
    if fmt == "markdown":
        header = [h.strip() for h in lines[0].strip("|").split(" | ")]
        cells = [split(line[2:-2], " | ") for line in lines[2:]]
        return [dict(zip(header, map(unmarkdown, row), strict=True)) for row in cells]
    if fmt == "plain":  # `about` is one record: a field and its value a line
        return [{line.split("\t")[0]: untsv(line.split("\t", 1)[1]) for line in lines}]
    header = lines[0].split("\t")
    return [dict(zip(header, map(untsv, line.split("\t")), strict=True)) for line in lines[1:]]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "plain"])
def test_a_name_holding_the_separators_is_one_item_in_every_flat_format(
    forging: Path, fmt: str
) -> None:
    about = _json(forging, "about")
    (row,) = _rows(forging, fmt, "about", "--fields", "parties,party_names", real=fmt == "plain")
    names = read_list(row["party_names"])
    assert names == about["party_names"] and len(names) == about["parties"] == 2
    assert FORGING_NAME in names


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_locator_cannot_add_a_point_to_a_series(forging: Path, fmt: str) -> None:
    """A series is tidy (a row per point), so a locator is one cell of one row: what it
    holds can never read as another point."""
    series = {s["measure"]: s for s in _json(forging, "figures", "--over-time")}["series"]
    rows = _rows(forging, fmt, "figures", "--over-time", real=fmt == "csv")
    rows = [r for r in rows if r["measure"] == "series"]
    assert len(rows) == len(series["points"]) == 4
    assert [r["date"] for r in rows] == [p["date"] for p in series["points"]]
    assert rows[0]["locator"] == FORGING_LOCATOR


def test_drawn_points_are_one_row_each(forging: Path) -> None:
    """Markdown and piped lines: a row per point, whatever the locator holds."""
    assert len([r for r in _rows(forging, "markdown", "figures", "--over-time")
                if r["measure"] == "series"]) == 4  # fmt: skip
    result = run("--data", str(forging), "figures", "--over-time")
    lines = [x for x in result.stdout.decode().splitlines() if x.startswith("series\t")]
    assert len(lines) == 4


def test_the_exported_statements_flatten_lists_the_same_way(forging: Path, tmp_path: Path) -> None:
    import sqlite3

    database = tmp_path / "x.db"
    assert run("--data", str(forging), "export", "sqlite", str(database)).returncode == 0
    (founders,) = (
        sqlite3.connect(database)
        .execute(
            "SELECT value FROM statements WHERE section = 'organization' AND field = 'founders'"
        )
        .fetchone()
    )
    assert read_list(founders) == ["Alpha", FORGING_NAME]


# ---------------------------------------------------------------- 6. combining marks

FLOOD = "\u0301\u0316\u0334" * 40  # 120 marks on one letter


def _flooded(data: dict[str, Any]) -> None:
    data["members"][0]["aliases"] = ["Zalgo" + FLOOD]
    data["members"].append(
        {"name": "Zed" + FLOOD + "ed", "kind": "state", "status": "current",
         "roles": ["party"], "source": "doc", "note": "n" + FLOOD}
    )  # fmt: skip
    data["history"].append({"date": "2001", "event": "E" + FLOOD + "vent", "source": "doc"})
    data["sources"][0]["title"] = "A docu" + FLOOD + "ment"


def _longest_run(text: str) -> int:
    import unicodedata

    longest = run_ = 0
    for char in text:
        run_ = run_ + 1 if unicodedata.category(char) in ("Mn", "Me") else 0
        longest = max(longest, run_)
    return longest


@pytest.fixture(scope="session")
def flooded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dataset(tmp_path_factory.mktemp("flooded"), _flooded)


@pytest.mark.parametrize(
    "args",
    [
        ["members", "--format", "table"],
        ["members"],
        ["members", "-o", "markdown"],
        ["members", "-o", "csv"],
        ["members", "-o", "tsv"],
        ["members", "--sources", "--format", "table"],
        ["about", "--format", "table"],
        ["about", "--full"],
        ["show", "zed"],
        ["show", "zed", "--format", "table"],
        ["history", "--timeline"],
        ["history", "--format", "table"],
        ["search", "zed"],
        ["cite", "doc", "--format", "text"],
        ["sources", "--format", "table"],
    ],
)
def test_a_flood_of_combining_marks_is_capped_in_every_human_view(
    flooded: Path, args: list[str]
) -> None:
    from istc_cli.safe_text import MAX_MARKS

    runner = run if args == ["members", "--format", "table"] else run_here  # one real process
    result = runner("--data", str(flooded), *args, env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert _longest_run(out) <= MAX_MARKS
    assert "\\u0301" in out or "\\u0316" in out or "\\u0334" in out  # the rest, escaped


def test_a_flood_in_a_message_is_capped_and_json_stays_exact(flooded: Path) -> None:
    from istc_cli.safe_text import MAX_MARKS

    missing = run("--data", str(flooded), "show", "nobody" + FLOOD)
    assert missing.returncode == 1 and _longest_run(missing.stderr.decode()) <= MAX_MARKS
    exact = run_here("--data", str(flooded), "members", "--json")
    assert ("Zed" + FLOOD + "ed") in json.loads(exact.stdout)[1]["name"]


# ---------------------------------------------------------------- 7. BibTeX and RIS text

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
ODD_TITLE = f"Line one\nline\ttwo {FAMILY} zero\u200bwidth \u202eturned\u202c end"


def _odd_source(data: dict[str, Any]) -> None:
    data["sources"][0]["title"] = ODD_TITLE
    data["sources"][0]["publisher"] = "Some\u2028one"


@pytest.mark.parametrize("fmt", ["bibtex", "ris"])
def test_references_never_hold_escape_text(tmp_path: Path, fmt: str) -> None:
    """A tab or newline is a space, an emoji sequence keeps its joiners, any other
    invisible character is dropped: never `\\x09` or `\\u200d` written out."""
    data = dataset(tmp_path, _odd_source)
    result = (run if fmt == "bibtex" else run_here)("--data", str(data), "cite", "doc", "-o", fmt)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    for escape in ("\\x0", "\\x09", "\\u200", "\\u202", "\\u2028"):
        assert escape not in out, out
    assert FAMILY in out
    assert "\u200b" not in out and "\u202e" not in out and "\u2028" not in out
    words = "Line one line two" if fmt == "ris" else "{Line} one line two"
    assert words in out and "zerowidth" in out and "Some one" in out
    if fmt == "bibtex":
        import pybtex.database

        entries = pybtex.database.parse_string(out, "bibtex").entries
        assert list(entries) == ["doc"]
    else:
        import rispy

        assert len(rispy.loads(out)) == 1


ENGLAND = "\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in "gbeng") + "\U000e007f"
HIDDEN = "\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in "hidden note") + "\U000e007f"


@pytest.mark.parametrize("fmt", ["bibtex", "ris"])
def test_tag_characters_survive_only_as_a_subdivision_flag(tmp_path: Path, fmt: str) -> None:
    """Tag characters after a black flag make a region's flag (England's: 5 tags and a
    cancel); any other run of them is invisible text, and a reference drops it."""

    def titled(data: dict[str, Any]) -> None:
        data["sources"][0]["title"] = f"Flag {ENGLAND} and {HIDDEN} end \U000e0041x"

    runner = run if fmt == "ris" else run_here  # one real process
    result = runner("--data", str(dataset(tmp_path, titled)), "cite", "doc", "-o", fmt)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert ENGLAND in out
    tags = [c for c in out if 0xE0000 <= ord(c) <= 0xE007F]
    assert len(tags) == 6  # England's five and its cancel tag, nothing else
    assert f"{ENGLAND} and \U0001f3f4 end x" in out  # the hidden run gone, its flag left bare
