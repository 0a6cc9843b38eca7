"""The tables as a Frictionless Data Package: one CSV per table and `datapackage.json`.

Each resource has a Table Schema (field types and descriptions, required, enum and
date-pattern constraints, primary and foreign keys); the package names its licence
and its sources. CSV cells follow the same formula rule as `--format csv`: a text cell
that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) gets a leading apostrophe; everything else is exact.
"""

from __future__ import annotations

import csv
import json
import os
from typing import Any

from .. import model
from ..safe_text import formula_safe
from .sqlite import LICENSE, LICENSE_URL
from .tables import Table


def _field(column: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": column.description,
    }
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.pattern:
        constraints["pattern"] = column.pattern
    if constraints:
        out["constraints"] = constraints
    return out


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return formula_safe(value)
    return "" if value is None else value


def descriptor(ds: model.Dataset, tables: list[Table]) -> dict[str, Any]:
    resources: list[dict[str, Any]] = []
    for table in tables:
        schema: dict[str, Any] = {
            "fields": [_field(c) for c in table.columns],
            "primaryKey": list(table.primary_key),
            "missingValues": [""],
        }
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": k.column, "reference": {"resource": k.table, "fields": k.target}}
                for k in table.foreign_keys
            ]
        resources.append(
            {
                "name": table.name.replace("_", "-"),
                "path": f"{table.name}.csv",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    # Foreign keys name resources: use the resources' names.
    for resource in resources:
        for key in resource["schema"].get("foreignKeys", []):
            key["reference"]["resource"] = key["reference"]["resource"].replace("_", "-")
    sources = [
        {"title": s.label, "path": s.url} if s.url else {"title": s.label} for s in ds.sources
    ]
    package: dict[str, Any] = {
        "name": "istc",
        "title": ds.meta.title,
        "description": (
            "Facts about the International Science and Technology Center (ISTC), each with "
            "its source: one CSV per section, list values in link tables."
        ),
        "version": ds.meta.version,
        "licenses": [{"name": LICENSE, "path": LICENSE_URL, "title": "MIT License"}],
        "sources": sources,
        "resources": resources,
    }
    if ds.meta.date and len(ds.meta.date) == 10:  # a full date: the package's creation datetime
        package["created"] = f"{ds.meta.date}T00:00:00Z"
    return package


def write(ds: model.Dataset, tables: list[Table], directory: str) -> None:
    """Write the package into `directory` (new and empty)."""
    for table in tables:
        names = [c.name for c in table.columns]
        with open(
            os.path.join(directory, f"{table.name}.csv"), "w", newline="", encoding="utf-8"
        ) as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(names)
            writer.writerows([_cell(row.get(n)) for n in names] for row in table.rows)
    with open(os.path.join(directory, "datapackage.json"), "w", encoding="utf-8") as fh:
        json.dump(descriptor(ds, tables), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
