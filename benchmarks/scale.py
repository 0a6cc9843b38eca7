"""Scale benchmark: does istc stay linear on datasets 10x, 100x and 1000x the real one?

Usage (standard library plus the project's own PyYAML):
    python benchmarks/scale.py [--sizes 1,10,100,1000] [--runs 3] [--istc PATH]

Writes synthetic datasets that are valid under the schema (every section's records
repeated with unique names, ids and events; every source reference still resolves),
then times whole `istc` processes on each: the first (cold) run that parses the YAML,
validates it and writes the cache, then warm runs of `history --json`, `search
astana` and a forced table, and `validate`. It prints the medians and the time per
thousand records for each size, so a quadratic step shows up as a growing cost per
record. Target: the 1000x dataset answers `history --json` in under a second.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
KEYS = {
    "members": ("name",),
    "offices": ("city",),
    "history": ("event",),
    "figures": ("name",),
    "programs": ("name",),
    "regimes": ("name",),
    "initiatives": ("name",),
    "mission": ("text",),
    "strategy": ("text",),
    "statement": ("text",),
    "meetings": ("number",),
    "officers": ("name",),
    "glossary": ("term",),
}


def synthetic(base: dict[str, Any], factor: int) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for section, fields in KEYS.items():
        records = []
        for copy_number in range(factor):
            for record in base[section]:
                clone = copy.deepcopy(record)
                if copy_number:
                    for name in fields:
                        if isinstance(clone[name], int):
                            clone[name] += 1000 * copy_number  # meeting numbers stay numbers
                        else:
                            clone[name] = f"{clone[name]} #{copy_number}"
                    if clone.get("id"):
                        clone["id"] = f"{clone['id']}.{copy_number}"  # given ids stay unique
                records.append(clone)
        data[section] = records
    return data


def many_rows(base: dict[str, Any], events: int, figures: int) -> dict[str, Any]:
    """The real dataset with `events` history events, each naming Astana (so a search
    for it has a hit per event), and `figures` figures: the 20,000-row targets."""
    data = copy.deepcopy(base)
    history, real = [], base["history"]
    for n in range(events):
        clone = copy.deepcopy(real[n % len(real)])
        clone["event"] = f"#{n}, Astana: {clone['event']}"  # the derived id stays unique
        clone.pop("id", None)
        history.append(clone)
    data["history"] = history
    table, real = [], base["figures"]
    for n in range(figures):
        clone = copy.deepcopy(real[n % len(real)])
        clone["id"], clone["name"] = f"{clone['id']}.{n}", f"{clone['name']} #{n}"
        table.append(clone)
    data["figures"] = table
    return data


def count(data: dict[str, Any]) -> int:
    return sum(len(v) for v in data.values() if isinstance(v, list))


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--istc", help="the istc executable (default: beside this python)")
    parser.add_argument(
        "--rows", type=int, default=20_000, help="events for the long-table targets (0: skip)"
    )
    args = parser.parse_args()
    istc = args.istc or str(Path(sys.executable).with_name("istc"))
    if not Path(istc).exists():
        istc = shutil.which("istc") or sys.exit("istc is not installed")
    base = yaml.safe_load((ROOT / "data" / "istc.yaml").read_text(encoding="utf-8"))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    work = Path(tempfile.mkdtemp(prefix="istc-scale-"))
    env = {k: v for k, v in os.environ.items() if k not in ("ISTC_DATA", "ISTC_NO_CACHE")}
    env.update(ISTC_CACHE_DIR=str(work / "cache"), COLUMNS="120")
    print(f"istc = {istc}; medians of {args.runs} runs; ms per 1000 records in brackets")
    header = f"{'size':>6} {'records':>8} {'MiB':>6}  {'cold load':>16}  {'history --json':>16}"
    names = ("search astana", "table", "validate", "timeline", "chart", "search table",
             "show", "export sqlite", "export pkg")  # fmt: skip
    print(header + "".join(f"  {n:>16}" for n in names))
    at_1000: dict[str, float] = {}
    try:
        for factor in (int(s) for s in args.sizes.split(",")):
            data = synthetic(base, factor)
            path = work / f"istc-{factor}x.yaml"
            path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False))
            n = count(data)
            mib = path.stat().st_size / 2**20
            cold = timed([istc, "--data", str(path), "history", "--json"], env)
            cases = {
                "history --json": ["history", "--json"],
                "search astana": ["search", "astana"],
                "table": ["history", "--format", "table", "--color", "never"],
                "validate": ["validate", str(path)],
                "timeline": ["history", "--timeline", "--color", "never", "--no-pager"],
                "chart": ["figures", "--chart", "--color", "never", "--no-pager"],
                "search table": ["search", "astana", "--format", "table", "--color", "never"],
                "show": ["show", "kazakhstan", "--json"],
                "export sqlite": ["export", "sqlite", str(work / "x.db"), "--force"],
                "export pkg": ["export", "datapackage", str(work / "pkg"), "--force"],
            }
            medians = {
                name: statistics.median(
                    timed([istc, "--data", str(path), *argv], env) for _ in range(args.runs)
                )
                for name, argv in cases.items()
            }
            if factor == 1000:
                at_1000 = {"cold load": cold, **medians}
            cells = [f"{cold * 1000:7.0f} [{cold * 1e6 / n:6.1f}]"]
            cells += [f"{t * 1000:7.0f} [{t * 1e6 / n:6.1f}]" for t in medians.values()]
            print(f"{factor:>5}x {n:>8} {mib:>6.1f}  " + "  ".join(f"{c:>16}" for c in cells))
        rows = _rows_targets(base, args.rows, work, env, istc, args.runs, dumper)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # The speed pass's targets at 1000x, in seconds.
    targets = {
        "cold load": 3.0, "history --json": 1.5, "search astana": 1.5, "validate": 4.0,
        "table": 4.0, "timeline": 4.0, "chart": 4.0, "search table": 4.0, "show": 1.5,
        "export sqlite": 5.0, "export pkg": 5.0,
    }  # fmt: skip
    for name, seconds in at_1000.items():
        verdict = "ok" if seconds < targets[name] else "MISSED"
        print(f"1000x {name}: {seconds:.2f} s (target < {targets[name]} s): {verdict}")
    for name, (seconds, target) in rows.items():
        verdict = "ok" if seconds < target else "MISSED"
        print(f"{name}: {seconds:.2f} s (target < {target} s): {verdict}")
    return 0


def _rows_targets(
    base: dict[str, Any],
    events: int,
    work: Path,
    env: dict[str, str],
    istc: str,
    runs: int,
    dumper: Any,
) -> dict[str, tuple[float, float]]:
    """The long-table targets: tables of `events` rows (history, search) under 4 s,
    the timeline of as many events under 3 s, the chart of a twentieth as many
    figures under 3 s; each cached, median of `runs`."""
    if not events:
        return {}
    figures = max(1, events // 20)
    path = work / f"istc-{events}-events.yaml"
    data = many_rows(base, events, figures)
    path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False))
    timed([istc, "--data", str(path), "history", "--json"], env)  # fills the cache
    draw = ["--color", "never", "--no-pager"]
    cases = {
        f"history table, {events:,} rows": (["history", "--format", "table", *draw], 4.0),
        f"search table, {events:,} hits": (["search", "astana", "--format", "table", *draw], 4.0),
        f"history --timeline, {events:,} events": (["history", "--timeline", *draw], 3.0),
        f"figures --chart, {figures:,} figures": (["figures", "--chart", *draw], 3.0),
    }
    return {
        name: (
            statistics.median(timed([istc, "--data", str(path), *a], env) for _ in range(runs)),
            target,
        )
        for name, (a, target) in cases.items()
    }


if __name__ == "__main__":
    sys.exit(main())
