"""The same job written the obvious way: a small app on the latest Typer that loads
the YAML with PyYAML and prints JSON. The start-up benchmark runs it beside istc
(`obvious.py members`), so istc's design is measured against what a first version
of it would cost.

Usage: python benchmarks/obvious.py [members|history|about] [DATASET]
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml

DATASET = Path(__file__).resolve().parents[1] / "data" / "istc.yaml"
app = typer.Typer()


@app.command()
def main(section: str = "members", dataset: Path = DATASET) -> None:
    with dataset.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if section == "about":
        print(json.dumps(data["organization"], indent=2, ensure_ascii=False, default=str))
    else:
        current = [r for r in data[section] if r.get("status", "current") == "current"]
        print(json.dumps(current, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    app()
