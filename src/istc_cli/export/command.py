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
from ..text import say, visible
from . import datapackage, files, sqlite, tables

EXIT_EXPORT_FAILED = 1
_SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


def _metadata_target(path: str, meta_path: str, force: bool, dataset: str) -> files.Target:
    absolute = os.path.abspath(meta_path)
    database = os.path.abspath(path)
    if absolute == database or any(absolute == database + s for s in _SQLITE_SIDE_FILES):
        raise files.ExportError(
            f"cannot write the metadata to {visible(meta_path)}: "
            "it is the database or one of its own files."
        )
    return files.file_target(meta_path, force, dataset)


def export_sqlite(
    dataset: model.Dataset, dataset_path: str, path: str, force: bool, meta_path: str | None
) -> str:
    """Write the database and its metadata; return what to report."""
    built = tables.build(dataset)
    meta = meta_path or f"{path}.metadata.json"
    database_target = files.file_target(path, force, dataset_path)
    meta_target = _metadata_target(path, meta, force, dataset_path)
    name = os.path.splitext(os.path.basename(path))[0]
    document = json.dumps(sqlite.metadata(dataset, built, name), indent=2) + "\n"
    with files.staging(database_target) as db_dir, files.staging(meta_target) as meta_dir:
        staged_db = os.path.join(db_dir, "export.db")
        staged_meta = os.path.join(meta_dir, "metadata.json")
        try:
            sqlite.write(built, staged_db)
        except sqlite3.Error as exc:
            raise files.ExportError(f"cannot write {visible(path)}: {exc}.") from None
        files.create_text(staged_meta, document)
        files.publish([(staged_db, database_target), (staged_meta, meta_target)])
    return f"wrote {path} ({len(built)} tables) and {meta}"


def export_datapackage(dataset: model.Dataset, dataset_path: str, path: str, force: bool) -> str:
    built = tables.build(dataset)
    target = files.directory_target(path, force, dataset_path)
    with files.staging(target) as where:
        package = os.path.join(where, "package")
        os.mkdir(package, 0o700)
        datapackage.write(dataset, built, package)
        files.publish([(package, target)])
    return f"wrote {path} ({len(built)} CSV files and datapackage.json)"


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
        return EXIT_EXPORT_FAILED
    except OSError as exc:
        say(str(files.export_error(path, exc)))
        return EXIT_EXPORT_FAILED
    say(report)
    return 0
