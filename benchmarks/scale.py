"""Scale benchmark: does istc's time grow in proportion to the dataset, 10x to 100x?

Usage (the project installed, with its own PyYAML):
    python benchmarks/scale.py [--sizes 1,10,100] [--runs 3] [--istc PATH] [--rows N]

Writes synthetic datasets that are valid under the schema (every listed section's
records repeated under new keys, the keys read from the model; every source reference
still resolves), then times whole `istc` processes on each: the first (cold) run that
parses the YAML, validates it and writes the cache, warm runs of the listing commands,
`validate`, and the same file loaded the obvious way (`yaml.load` with PyYAML's C
loader, in a process of its own). It prints the medians and the time per thousand
records, then the targets: the first run, cached `history --json` and `validate` grow
within 1.5x of proportional from 10x to 100x; the 100x first run takes at most 1.5x
what `yaml.load` takes on the same file; tables of 20,000 rows under 4 s and a
timeline of 20,000 events under 3 s. Exit 1 when a target is missed.
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


def _keys() -> dict[str, tuple[str, ...]]:
    """Each listed section's key fields that a copy can vary (its texts and names, and
    numbers), as the model declares them; a date or a code stays a valid one, and an
    id takes its copy's number. Sources stay as they are: every copy cites them."""
    from istc_cli.field_types import listed_sections
    from istc_cli.model import FieldRole, role_of

    varied = (FieldRole.MAIN, FieldRole.NAME, FieldRole.TEXT, FieldRole.NUMBER)
    return {
        name: tuple(k for k in cls.key if role_of(cls, k) in varied)
        for name, cls in listed_sections()
        if name != "sources"
    }


def synthetic(base: dict[str, Any], factor: int) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for section, fields in _keys().items():
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
    parser.add_argument("--sizes", default="1,10,100")
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
    print(header + "".join(f"  {n:>16}" for n in names) + f"  {'yaml.load':>16}")
    seen: dict[int, dict[str, float]] = {}
    sizes: dict[int, int] = {}
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
            load = statistics.median(
                timed([sys.executable, "-c", _YAML_LOAD, str(path)], env) for _ in range(args.runs)
            )
            seen[factor] = {"cold load": cold, "yaml.load": load, **medians}
            sizes[factor] = n
            cells = [f"{cold * 1000:7.0f} [{cold * 1e6 / n:6.1f}]"]
            cells += [f"{t * 1000:7.0f} [{t * 1e6 / n:6.1f}]" for t in medians.values()]
            cells += [f"{load * 1000:7.0f} [{load * 1e6 / n:6.1f}]"]
            print(f"{factor:>5}x {n:>8} {mib:>6.1f}  " + "  ".join(f"{c:>16}" for c in cells))
        rows = _rows_targets(base, args.rows, work, env, istc, args.runs, dumper)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    missed = 0
    if 10 in seen and 100 in seen:
        # Time in proportion to size: from 10x to 100x, within 1.5x of proportional.
        growth = sizes[100] / sizes[10]
        for name in ("cold load", "history --json", "validate"):
            ratio = seen[100][name] / seen[10][name] / growth
            verdict = "ok" if ratio <= 1.5 else "MISSED"
            missed += verdict != "ok"
            print(f"{name}, 10x to 100x: {ratio:.2f}x proportional (target <= 1.5): {verdict}")
        ratio = seen[100]["cold load"] / seen[100]["yaml.load"]
        verdict = "ok" if ratio <= 1.5 else "MISSED"
        missed += verdict != "ok"
        print(f"100x first run: {ratio:.2f}x yaml.load with CSafeLoader (target <= 1.5): {verdict}")
    for name, (measured, target) in rows.items():
        verdict = "ok" if measured <= target else "MISSED"
        missed += verdict != "ok"
        unit = "" if name.endswith("proportional") else " s"
        print(f"{name}: {measured:.2f}{unit} (target <= {target}{unit}): {verdict}")
    return 1 if missed else 0


# The same file read the obvious way: PyYAML's C loader, in a process of its own.
_YAML_LOAD = (
    "import sys, yaml\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    yaml.load(f, Loader=yaml.CSafeLoader)\n"
)


def _rows_targets(
    base: dict[str, Any],
    events: int,
    work: Path,
    env: dict[str, str],
    istc: str,
    runs: int,
    dumper: Any,
) -> dict[str, tuple[float, float]]:
    """The long-table targets, each cached, median of `runs`: the first screen of a
    table of `events` rows (history, search) reaches stdout within a second; the whole
    table costs time in proportion to its rows (a tenth as many rows, within 1.5x of a
    tenth the time); the timeline of as many events under 3 s, the chart of a twentieth
    as many figures under 3 s. Returns (measured, target) by name; a proportion is
    given as its ratio to proportional."""
    if not events:
        return {}
    draw = ["--color", "never", "--no-pager"]
    tables = {
        "history table": ["history", "--format", "table", *draw],
        "search table": ["search", "astana", "--format", "table", *draw],
    }
    out: dict[str, tuple[float, float]] = {}
    whole: dict[tuple[str, int], float] = {}
    for size in (events // 10, events):
        figures = max(1, size // 20)
        path = work / f"istc-{size}-events.yaml"
        path.write_text(
            yaml.dump(many_rows(base, size, figures), Dumper=dumper, allow_unicode=True)
        )
        timed([istc, "--data", str(path), "history", "--json"], env)  # fills the cache
        for name, argv in tables.items():
            whole[name, size] = statistics.median(
                timed([istc, "--data", str(path), *argv], env) for _ in range(runs)
            )
            if size == events:
                first = statistics.median(
                    _first_screen([istc, "--data", str(path), *argv], env) for _ in range(runs)
                )
                out[f"{name}, {size:,} rows: first screen"] = (first, 1.0)
        if size == events:
            for name, argv, target in (
                (f"history --timeline, {size:,} events", ["history", "--timeline", *draw], 3.0),
                (f"figures --chart, {figures:,} figures", ["figures", "--chart", *draw], 3.0),
            ):
                out[name] = (
                    statistics.median(
                        timed([istc, "--data", str(path), *argv], env) for _ in range(runs)
                    ),
                    target,
                )
    for name in tables:
        ratio = whole[name, events] / whole[name, events // 10] / 10
        out[f"{name}, {events // 10:,} to {events:,} rows: x proportional"] = (ratio, 1.5)
        print(f"{name}: {whole[name, events] * 1000:.0f} ms for {events:,} rows")
    return out


def _first_screen(argv: list[str], env: dict[str, str]) -> float:
    """Seconds until the process has written its first 4 KiB (a screenful) to stdout."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert process.stdout is not None
    got = 0
    while got < 4096:
        chunk = process.stdout.read1(4096 - got)  # type: ignore[attr-defined]
        if not chunk:
            break
        got += len(chunk)
    elapsed = time.perf_counter() - start
    process.stdout.read()
    process.wait()
    return elapsed


if __name__ == "__main__":
    sys.exit(main())
