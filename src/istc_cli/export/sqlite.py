"""The tables as a SQLite database that Datasette serves as it is.

Primary keys from the record ids, link tables for lists, every source reference a
declared foreign key to `sources`, CHECK constraints for the closed vocabularies, and
an index on each column other data joins on (ISO codes, Wikidata ids), an FTS5 index
`<table>_fts` over each table's text columns, declared with
`content=[<table>]` as sqlite-utils declares it, so Datasette shows a search box and
`sqlite-utils search` works with no metadata. Text goes in exactly as in JSON: no terminal escaping,
no spreadsheet neutralising. Beside it, Datasette metadata (`PATH.metadata.json`).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .. import model
from .tables import Table

_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "NUMERIC"}
LICENSE = "MIT"
LICENSE_URL = "https://opensource.org/licenses/MIT"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _bracketed(name: str) -> str:
    """A table name inside [ ]: ours are letters and underscores, never a bracket."""
    if not name.replace("_", "").isalnum() or not name.isascii():
        raise ValueError(f"not a table name istc makes: {name!r}")
    return name


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def create_sql(table: Table) -> str:
    parts = []
    for column in table.columns:
        line = f"{_q(column.name)} {_SQL_TYPES[column.type]}"
        if column.required:
            line += " NOT NULL"
        if column.enum:
            allowed = ", ".join(_literal(v) for v in column.enum)
            line += f" CHECK ({_q(column.name)} IN ({allowed}))"
        parts.append(line)
    parts.append(f"PRIMARY KEY ({', '.join(_q(k) for k in table.primary_key)})")
    parts += [
        f"FOREIGN KEY ({_q(k.column)}) REFERENCES {_q(k.table)}({_q(k.target)})"
        for k in table.foreign_keys
    ]
    return f"CREATE TABLE {_q(table.name)} (\n  " + ",\n  ".join(parts) + "\n)"


def write(tables: list[Table], path: str) -> None:
    """Create the database at `path` (a new file)."""
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = OFF")  # a new file, renamed into place when done
        db.execute("PRAGMA synchronous = OFF")
        with db:
            for table in tables:
                db.execute(create_sql(table))
                names = [c.name for c in table.columns]
                insert = (
                    f"INSERT INTO {_q(table.name)} ({', '.join(_q(n) for n in names)}) "
                    f"VALUES ({', '.join('?' for _ in names)})"
                )
                db.executemany(insert, ([row.get(n) for n in names] for row in table.rows))
                for column in table.indexed:  # ISO codes and Wikidata ids: what joins use
                    index = _q(f"idx_{table.name}_{column}")
                    db.execute(f"CREATE INDEX {index} ON {_q(table.name)} ({_q(column)})")
                if table.searchable:
                    cols = ", ".join(_q(c) for c in table.searchable)
                    fts = _q(f"{table.name}_fts")
                    # `content=[table]`, as sqlite-utils writes it: the form Datasette and
                    # sqlite-utils look for to find a table's full-text index
                    db.execute(
                        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, "
                        f"content=[{_bracketed(table.name)}])"
                    )
                    db.execute(
                        f"INSERT INTO {fts} (rowid, {cols}) "
                        f"SELECT rowid, {cols} FROM {_q(table.name)}"
                    )
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # the loader resolved every reference; this would be our bug
            raise RuntimeError(f"foreign key check failed: {problems[:3]}")
    finally:
        db.close()


def metadata(ds: model.Dataset, tables: list[Table], database: str) -> dict[str, Any]:
    """Datasette metadata: title, description, licence and sources for the database and
    each table, and a description for each column."""
    primary = [s for s in ds.sources if s.kind == "primary"]
    source = "; ".join(f"{s.label}, {s.publisher}" for s in primary)
    source += f"; and {len(ds.sources) - len(primary)} checked public pages (table sources)"
    described: dict[str, Any] = {}
    for table in tables:
        entry: dict[str, Any] = {
            "title": table.title,
            "description": table.description,
            "license": LICENSE,
            "license_url": LICENSE_URL,
            "source": source,
            "columns": {c.name: c.description for c in table.columns},
        }
        if table.searchable:
            entry["fts_table"] = f"{table.name}_fts"
        described[table.name] = entry
    return {
        "title": ds.meta.title,
        "description": (
            "Facts about the International Science and Technology Center (ISTC), each with "
            f"its source. Dataset version {ds.meta.version} ({ds.meta.date or 'undated'}), "
            "exported by istc."
        ),
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "source": source,
        "databases": {
            database: {
                "title": ds.meta.title,
                "description": "One table per section; list values in link tables.",
                "tables": described,
            }
        },
    }
