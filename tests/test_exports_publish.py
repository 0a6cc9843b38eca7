"""Exports publish whole or not at all, and never over what istc did not write.

Real processes of the installed `istc` where the class is about processes and files
(concurrent runs, FIFOs, links, modes); `entry.main` in this process where a failure
has to be made to happen at one moment (a writer racing the export, a full disk).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from istc_cli import entry
from istc_cli.export import files

from .conftest import MINIMAL, dump_yaml, invoke, load_yaml
from .test_process import ISTC, run

# The exports here are about publishing (races, what --force may replace, staging), not
# the data: they export the one-member dataset, whose database has every table the
# bundled one has (test_export reads the bundled dataset's export with real tools).
SMALL = ("--data", str(MINIMAL))


def istc(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`istc ARGS` through the process's own entry point, in this process."""
    with pytest.raises(SystemExit) as ended:
        entry.main(list(args))
    out, err = capsys.readouterr()
    code = ended.value.code
    return (code if isinstance(code, int) else 0), out, err


def _members(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        count: int = connection.execute("SELECT count(*) FROM members").fetchone()[0]
    connection.close()
    return count


def _listing(where: Path) -> list[str]:
    return sorted(p.name for p in where.iterdir())


# ---------------------------------------------------------------- racing exports


def test_of_six_exports_to_one_new_path_exactly_one_wins(tmp_path: Path) -> None:
    target = tmp_path / "istc.db"
    runs = [
        subprocess.Popen(
            [str(ISTC), *SMALL, "export", "sqlite", str(target)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(6)
    ]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in runs if p.stderr]
    winners = [err for code, err in results if code == 0]
    losers = [err for code, err in results if code != 0]
    assert len(winners) == 1, results
    assert all(code in (0, 1) for code, _ in results)
    for err in losers:
        assert len(err.splitlines()) == 1 and str(target) in err, err
    assert _members(target) == 1
    assert json.loads((tmp_path / "istc.db.metadata.json").read_text())["databases"]["istc"]
    assert _listing(tmp_path) == ["istc.db", "istc.db.metadata.json"]  # nothing left over


def test_two_datasets_racing_never_mix_a_database_with_the_others_metadata(
    tmp_path: Path,
) -> None:
    """Two small datasets, each its own title and number of members, exported by two
    processes each: about as quick as each other, so they finish together."""
    other = load_yaml(MINIMAL.read_text())
    other["meta"]["title"] = "Another test dataset"
    other["members"].append({**other["members"][0], "name": "Beta", "roles": ["party"]})
    second = tmp_path / "other.yaml"
    second.write_text(dump_yaml(other, sort_keys=False))
    for data in (second, MINIMAL):  # valid, and cached: neither side parses it in the race
        assert invoke("--data", str(data), "members", "--json").exit_code == 0
    target = tmp_path / "out.db"
    runs = [
        subprocess.Popen(
            [str(ISTC), "--data", str(data), "export", "sqlite", str(target)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for data in (second, MINIMAL, second, MINIMAL)
    ]
    codes = [p.wait(timeout=120) for p in runs]
    assert sorted(codes) == [0, 1, 1, 1], codes
    metadata = json.loads((tmp_path / "out.db.metadata.json").read_text())
    members = {load_yaml(MINIMAL.read_text())["meta"]["title"]: 1, other["meta"]["title"]: 2}
    assert _members(target) == members[metadata["title"]]


def test_a_file_that_appears_during_the_export_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from istc_cli.export import sqlite

    target = tmp_path / "new.db"
    real = sqlite.write

    def racing(tables: Any, path: str) -> None:
        real(tables, path)
        target.write_text("someone else's")  # appears while the export runs

    monkeypatch.setattr(sqlite, "write", racing)
    for force in ([], ["--force"]):  # checked absent, so --force does not cover it either
        code, out, err = istc(capsys, *SMALL, "export", "sqlite", str(target), *force)
        assert code == 1 and out == ""
        assert len(err.splitlines()) == 1 and "appeared while the export" in err
        assert target.read_text() == "someone else's"
        assert _listing(tmp_path) == ["new.db"]  # no metadata published without its database
        target.unlink()


def test_a_directory_that_appears_during_a_package_export_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from istc_cli.export import datapackage

    target = tmp_path / "pkg"
    real = datapackage.write

    def racing(ds: Any, tables: Any, directory: str) -> None:
        real(ds, tables, directory)
        target.mkdir()  # empty: a plain rename would silently replace it

    monkeypatch.setattr(datapackage, "write", racing)
    code, _, err = istc(capsys, *SMALL, "export", "datapackage", str(target))
    assert code == 1 and "appeared while the export" in err
    assert target.is_dir() and list(target.iterdir()) == []


# ---------------------------------------------------------------- what --force may replace


def test_force_never_replaces_a_fifo_a_link_or_a_foreign_directory(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    result = run(*SMALL, "export", "sqlite", str(fifo), "--force")
    assert result.returncode == 1 and b"not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)

    real = tmp_path / "real.db"
    real.write_text("mine")
    link = tmp_path / "link.db"
    link.symlink_to(real)
    result = run(*SMALL, "export", "sqlite", str(link), "--force")
    assert result.returncode == 1 and link.is_symlink() and real.read_text() == "mine"

    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.txt").write_text("years of work")
    (home / "datapackage.json").write_text(json.dumps({"name": "istc", "resources": []}))
    result = run(*SMALL, "export", "datapackage", str(home), "--force")
    assert result.returncode == 1 and b"not an istc Data Package" in result.stderr
    assert (home / "thesis.txt").read_text() == "years of work"

    linked = tmp_path / "linked"
    linked.symlink_to(home, target_is_directory=True)
    result = run(*SMALL, "export", "datapackage", str(linked), "--force")
    assert result.returncode == 1 and linked.is_symlink()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".istc-")]


def test_force_replaces_a_package_istc_wrote_and_keeps_the_modes(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    assert run(*SMALL, "export", "datapackage", str(package)).returncode == 0
    package.chmod(0o2750)
    assert run(*SMALL, "export", "datapackage", str(package), "--force").returncode == 0
    assert stat.S_IMODE(package.stat().st_mode) == 0o2750
    assert (package / "datapackage.json").exists()

    db = tmp_path / "x.db"
    db.write_text("old")
    db.chmod(0o640)
    assert run(*SMALL, "export", "sqlite", str(db), "--force").returncode == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o640 and _members(db) == 1
    assert _listing(tmp_path) == ["pkg", "x.db", "x.db.metadata.json"]


# ---------------------------------------------------------------- every argument first


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ("missing/dir/m.json", "does not exist"),
        (".", "is a directory"),
        ("m" * 300 + ".json", "too long"),
        ("DATASET", "is the dataset"),
        ("old.db-journal", "the database or one of its own files"),
        ("old.db", "the database or one of its own files"),
    ],
)
def test_a_bad_metadata_path_fails_before_anything_is_written(
    tmp_path: Path, metadata: str, message: str
) -> None:
    dataset = tmp_path / "mine.yaml"
    dataset.write_text(MINIMAL.read_text())
    old = tmp_path / "old.db"
    old.write_text("precious")
    where = str(dataset) if metadata == "DATASET" else str(tmp_path / metadata)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    # through entry.main (a real process's exit 1: the next test)
    result = invoke(
        "--data", str(dataset), "export", "sqlite", str(old), "--force", "--metadata", where
    )
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and message in lines[0], lines
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_the_dataset_itself_is_never_an_export_target(tmp_path: Path) -> None:
    dataset = tmp_path / "mine.yaml"
    dataset.write_text(MINIMAL.read_text())
    result = run("--data", str(dataset), "export", "sqlite", str(dataset), "--force")
    assert result.returncode == 1 and b"is the dataset" in result.stderr
    assert dataset.read_text() == MINIMAL.read_text()


@pytest.mark.parametrize(
    "args",
    [
        ["export", "datapackage", "PKG", "--metadata", "m.json"],
        ["export", "sqlite", "x.db", "--metadata", "a.json", "--metadata", "b.json"],
    ],
)
def test_metadata_misuse_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    result = run(*[str(tmp_path / a) if a in ("PKG", "x.db") else a for a in args], cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert _listing(tmp_path) == []


def test_an_unwritable_directory_is_one_line_even_as_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The permission error is simulated, so the test runs as root (CI) too."""
    real_mkdir = os.mkdir

    def denied(path: Any, mode: int = 0o777, *args: Any, **kwargs: Any) -> None:
        if str(path).startswith(str(tmp_path)):
            raise PermissionError(13, "Permission denied", str(path))
        real_mkdir(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", denied)
    code, _, err = istc(capsys, *SMALL, "export", "sqlite", str(tmp_path / "x.db"))
    assert code == 1 and err.splitlines() == [
        f"istc: cannot write {tmp_path}/x.db: Permission denied."
    ]
    monkeypatch.setattr(os, "access", lambda *_: False)
    code, _, err = istc(capsys, *SMALL, "export", "sqlite", str(tmp_path / "x.db"))
    assert code == 1 and "is not writable" in err and len(err.splitlines()) == 1


def test_a_full_disk_is_one_line_and_exit_1_never_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from istc_cli.export import sqlite

    def full(tables: Any, path: str) -> None:
        sqlite3.connect(path).close()
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite, "write", full)
    code, _, err = istc(capsys, *SMALL, "export", "sqlite", str(tmp_path / "x.db"))
    assert code == 1 and len(err.splitlines()) == 1
    assert "internal error" not in err and "x.db" in err
    assert _listing(tmp_path) == []


def test_a_killed_exports_staging_is_removed_by_the_next_export(tmp_path: Path) -> None:
    """A staging directory as istc makes it (mode 0700, its marker), whose lock no
    process holds; one merely named like it is never touched (test_trust4 tries more)."""
    stale = tmp_path / f"{files.STAGING_PREFIX}999999999-abc"
    stale.mkdir(mode=0o700)
    (stale / files.MARKER).write_bytes(files.MARKER_TEXT)
    (stale / "export.db").write_text("half")
    kept = tmp_path / ".istc-export-notapid"  # not named by istc: never touched
    kept.mkdir()
    assert run(*SMALL, "export", "sqlite", str(tmp_path / "x.db")).returncode == 0
    assert not stale.exists() and kept.exists()


def test_staging_is_private_and_never_reopened_through_a_planted_link(tmp_path: Path) -> None:
    """The export is written inside a fresh 0700 directory (mkdtemp): another user can
    plant nothing in it, so no name inside can be redirected."""
    seen: list[int] = []
    real = files.staging

    from contextlib import contextmanager

    @contextmanager
    def watching(target: files.Target, *more: Any) -> Any:
        with real(target, *more) as where:
            seen.append(stat.S_IMODE(os.lstat(where).st_mode))
            yield where

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "staging", watching)
        from istc_cli.export import command
        from istc_cli.loader import load

        loaded = load(str(MINIMAL))
        assert (
            command.run(loaded.dataset, loaded.path, "sqlite", str(tmp_path / "x.db"), False, None)
            == 0
        )
    assert seen == [0o700, 0o700]


# ---------------------------------------------------------------- numbers


def test_a_whole_number_past_64_bits_is_refused_with_its_place(tmp_path: Path) -> None:
    data = yaml.safe_load(MINIMAL.read_text())
    data["figures"][0]["value"] = 123456789012345678901234567890
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = run("--data", str(path), "validate")
    assert result.returncode == 3
    assert result.stdout.decode().startswith(f"{path}:")
    assert "figures[0].value" in result.stdout.decode()
    exported = run("--data", str(path), "export", "sqlite", str(tmp_path / "x.db"))
    assert exported.returncode == 3 and not (tmp_path / "x.db").exists()


def test_the_largest_whole_number_keeps_every_digit_in_every_format(tmp_path: Path) -> None:
    largest = 2**63 - 1
    data = yaml.safe_load(MINIMAL.read_text())
    data["figures"][0]["value"] = largest
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    as_json = json.loads(run("--data", str(path), "figures", "--json").stdout)
    assert as_json[0]["value"] == largest
    csv_text = run("--data", str(path), "figures", "-o", "csv").stdout.decode()
    assert str(largest) in csv_text
    plain = run("--data", str(path), "figures").stdout.decode()
    assert "9,223,372,036,854,775,807" in plain
    assert run("--data", str(path), "export", "sqlite", str(tmp_path / "x.db")).returncode == 0
    with sqlite3.connect(tmp_path / "x.db") as db:
        assert db.execute("SELECT value FROM figures").fetchone()[0] == largest


def _flock_failing(number: int) -> Any:
    def flock(fd: int, operation: int) -> None:
        raise OSError(number, os.strerror(number))

    return flock


def test_a_file_system_without_locks_still_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOLCK or EOPNOTSUPP from flock: no sweep can take the lock either, so the
    staging directory counts as live, and the export is published."""
    import errno

    if files._fcntl is None:  # pragma: no cover - no fcntl here
        pytest.skip("no fcntl")
    monkeypatch.setattr(files._fcntl, "flock", _flock_failing(errno.ENOLCK))
    target = tmp_path / "istc.db"
    assert invoke(*SMALL, "export", "sqlite", str(target)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["istc.db", "istc.db.metadata.json"]


def test_a_staging_directory_that_cannot_be_marked_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    if files._fcntl is None:  # pragma: no cover - no fcntl here
        pytest.skip("no fcntl")
    monkeypatch.setattr(files._fcntl, "flock", _flock_failing(errno.EIO))
    result = invoke(*SMALL, "export", "sqlite", str(tmp_path / "istc.db"))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
