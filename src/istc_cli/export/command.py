"""The body of `istc export`: check every path, write into staging, publish whole.

Nothing is written before every argument is checked (see `files`); the SQLite
database and its Datasette metadata are published as one pair, so a run that fails
leaves both as they were. Every failure is one line and exit 1.
"""

from __future__ import annotations

import json
import os
import sqlite3

from .. import model
from ..safe_text import path_shown as named
from ..safe_text import say
from ..status import ExitStatus
from . import datapackage, files, sqlite, tables

_SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


def _metadata_target(path: str, meta_path: str, force: bool, dataset: str) -> files.Target:
    absolute = os.path.abspath(meta_path)
    database = os.path.abspath(path)
    if absolute == database or any(absolute == database + s for s in _SQLITE_SIDE_FILES):
        raise files.ExportError(
            f"cannot write the metadata to {named(meta_path)}: "
            "it is the database or one of its own files."
        )
    return files.file_target(meta_path, force, dataset)


def _package_names(built: list[tables.Table]) -> frozenset[str]:
    """The files a Data Package of these tables holds (a stale one is removed by them)."""
    return frozenset(f"{table.name}.csv" for table in built)


def export_sqlite(
    dataset: model.Dataset, dataset_path: str, path: str, force: bool, meta_path: str | None
) -> str:
    """Write the database and its metadata; return what to report. A failure names the
    file it was writing: the database or the metadata."""
    meta = meta_path or f"{path}.metadata.json"
    database_target = files.file_target(path, force, dataset_path)
    meta_target = _metadata_target(path, meta, force, dataset_path)
    built = tables.build(dataset)  # after the targets: a refused export builds nothing
    names = _package_names(built)
    name = os.path.splitext(os.path.basename(path))[0]
    document = json.dumps(sqlite.metadata(dataset, built, name), indent=2) + "\n"
    with (
        files.staging(database_target, names) as db_dir,
        files.staging(meta_target, names) as meta_dir,
    ):
        staged_db = os.path.join(db_dir, files.STAGED_DATABASE)
        staged_meta = os.path.join(meta_dir, files.STAGED_METADATA)
        try:
            sqlite.write(built, staged_db)
        except sqlite3.Error as exc:
            raise files.ExportError(f"cannot write {named(path)}: {exc}.") from None
        except OSError as exc:
            raise files.export_error(path, exc) from None
        try:
            files.create_text(staged_meta, document)
        except OSError as exc:
            raise files.export_error(meta, exc) from None
        files.publish([(staged_db, database_target), (staged_meta, meta_target)])
    return f"wrote {named(path)} ({len(built)} tables) and {named(meta)}"


def export_datapackage(dataset: model.Dataset, dataset_path: str, path: str, force: bool) -> str:
    target = files.directory_target(path, force, dataset_path)
    built = tables.build(dataset)
    with files.staging(target, _package_names(built)) as where:
        package = os.path.join(where, files.STAGED_PACKAGE)
        try:
            os.mkdir(package, 0o700)
            datapackage.write(dataset, built, package)
        except OSError as exc:
            raise files.export_error(path, exc) from None
        files.publish([(package, target)])
    return f"wrote {named(path)} ({len(built)} CSV files and datapackage.json)"


def run(
    dataset: model.Dataset,
    dataset_path: str,
    kind: str,
    path: str,
    force: bool,
    meta_path: str | None,
) -> int:
    """Export; report on stderr; return the exit code."""
    try:
        if kind == "sqlite":
            report = export_sqlite(dataset, dataset_path, path, force, meta_path)
        else:
            report = export_datapackage(dataset, dataset_path, path, force)
    except files.ExportError as exc:
        say(str(exc))
        return ExitStatus.FAILED
    except OSError as exc:
        say(str(files.export_error(path, exc)))
        return ExitStatus.FAILED
    say(report)
    return ExitStatus.OK
