"""JSON Schema (draft 2020-12) of each command's --json output, derived from the model.

Nothing here is written by hand per command: the schema follows the record classes'
type hints through the same specs the loader validates with, so a field added to
a record class appears in its schema (and the test of real output proves it).
"""

from __future__ import annotations

from . import model
from .field_docs import describe
from .field_types import TypeSpec, fields_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
ID_PATTERN_TEXT = r"^[a-z0-9][a-z0-9._:/-]{0,199}$"


def _type(spec: TypeSpec, defs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any]
    if spec.kind == "record":
        assert spec.record is not None
        _define(spec.record, defs)
        out = {"$ref": f"#/$defs/{spec.record.__name__}"}
    elif spec.kind == "list":
        assert spec.item is not None
        out = {"type": "array", "items": _type(spec.item, defs)}
    elif spec.kind == "choice":
        out = {"type": "string", "enum": list(spec.choices)}
    elif spec.kind == "integer":
        out = {"type": "integer"}
    elif spec.kind == "boolean":
        out = {"type": "boolean"}
    elif spec.kind == "number":
        out = {"type": "number"}
    else:
        out = {"type": "string"}
        if spec.semantic == "date":
            out["pattern"] = _DATE_PATTERN
            out["description"] = (
                "ISO 8601 date at the source's precision: YYYY, YYYY-MM or YYYY-MM-DD"
            )
        elif spec.semantic == "ref":
            out["description"] = "A source id (see `istc sources`)"
        elif spec.semantic == "url":
            out["pattern"] = "^https?://[^\\s]+$"
            out["description"] = "A web address: http or https"
        elif spec.semantic == "id":
            out["pattern"] = ID_PATTERN_TEXT
            out["description"] = "The record's stable id, unique across the dataset"
            return out  # given or derived by the loader: never null once loaded
    if spec.nullable:
        if "$ref" in out:
            return {"anyOf": [out, {"type": "null"}]}
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        out["type"] = [out["type"], "null"]
    return out


def _define(cls: type, defs: dict[str, Any]) -> None:
    name = cls.__name__
    if name in defs:
        return
    defs[name] = {}  # reserve the name first: records may nest
    specs = fields_of(cls)
    properties = {}
    for f in specs:
        prop = _type(f.type, defs)
        meaning = describe(cls, f.name)
        if meaning and "$ref" not in prop and "anyOf" not in prop:
            detail = prop.get("description")
            prop["description"] = f"{meaning}. {detail}" if detail else meaning
        properties[f.name] = prop
    defs[name] = {
        "type": "object",
        "properties": properties,
        "required": [f.name for f in specs],
        "additionalProperties": False,
    }


def command_schema(
    command: str, record_type: type[model.Record], *variants: type[model.Record]
) -> dict[str, Any]:
    """The schema of `istc COMMAND --json` (an array of records; `about`: one object).
    With `variants` (the records of `--at`, `--over-time`), the output is any one."""
    defs: dict[str, Any] = {}
    bodies = []
    for cls in (record_type, *variants):
        _define(cls, defs)
        ref = {"$ref": f"#/$defs/{cls.__name__}"}
        bodies.append(ref if cls.single else {"type": "array", "items": ref})
    body: dict[str, Any] = bodies[0] if len(bodies) == 1 else {"anyOf": bodies}
    return {
        "$schema": DIALECT,
        "$id": f"https://istc-cli.invalid/schema/{command}.json",
        "title": f"istc {command} --json",
        **body,
        "$defs": defs,
    }


def all_schemas(record_types: dict[str, tuple[type[model.Record], ...]]) -> dict[str, Any]:
    """One document mapping each command to its schema."""
    return {
        "$schema": DIALECT,
        "title": "istc --json outputs",
        "commands": {name: command_schema(name, *types) for name, types in record_types.items()},
    }
