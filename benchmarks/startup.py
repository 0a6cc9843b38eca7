"""Start-up benchmark: whole-process medians of istc commands, as ratios to two floors.

Usage (standard library only):
    python benchmarks/startup.py [--rounds N] [--check] [--istc PATH]
    (needs PyYAML and Typer; sqlite-utils for the third floor, skipped without it)

Runs each command as a fresh process, interleaved round by round after a warm-up,
and prints medians, the ratios to `python -c pass` and `python -c "import typer"`
(both run by the same interpreter, in the same rounds), and each command's peak
memory. Ratios, not milliseconds, are the targets: absolute times on a shared
machine drift, the ratio to a floor measured in the same rounds does not.

Measure an installed copy (`pip install .`, not editable) and let Python write
bytecode (unset PYTHONDONTWRITEBYTECODE): that is what users run.
--check exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Targets (the developers' guide, docs/performance.md): machine formats (and piped
# plain lines, search's included) at most 1.3x `import typer` and at most half the
# time of `sqlite-utils rows` reading the same records from istc's own SQLite export;
# tables, panels and help at most 1.7x `import typer`; peak memory. `python -c pass`
# and the same job written the obvious way (benchmarks/obvious.py) are shown for
# reference.
MACHINE_TYPER, MACHINE_SQLITE_UTILS = 1.3, 0.5
TABLE, HELP = 1.7, 1.7
MACHINE_PEAK_MIB, PEAK_MIB = 20.0, 25.0
OBVIOUS = Path(__file__).with_name("obvious.py")


def istc_command(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    beside = Path(sys.executable).with_name("istc")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("istc")
    return [found] if found else [sys.executable, "-m", "istc_cli"]


def run_once(argv: list[str], env: dict[str, str]) -> float:
    """Seconds of one whole process."""
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


GNU_TIME = "/usr/bin/time"


def peak_mib(argv: list[str], env: dict[str, str]) -> tuple[float, bool]:
    """(peak resident MiB, exact?) of one process.

    A child forked from this benchmark starts with the benchmark's own resident
    pages, and Linux keeps that high-water mark across exec, so wait4() cannot
    report less than this script's size. GNU time forks from a tiny process and
    measures the command alone; without it the figure is an upper bound.
    """
    if os.access(GNU_TIME, os.X_OK):
        result = subprocess.run(
            [GNU_TIME, "-f", "%M", *argv], capture_output=True, env=env, check=False
        )
        last = result.stderr.decode().strip().splitlines()[-1:]
        if last and last[0].isdigit():
            return int(last[0]) / 1024, True
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024, False  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--istc", help="the istc executable (default: beside this python)")
    args = parser.parse_args()

    istc = istc_command(args.istc)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["COLUMNS"] = "100"
    py = sys.executable
    # (name, argv, kind): "machine", "table" and "help" are held to their targets
    # above; None is a floor or a figure shown for reference.
    sqlite_utils = shutil.which("sqlite-utils") or str(Path(py).with_name("sqlite-utils"))
    database = Path(tempfile.mkdtemp(prefix="istc-bench-")) / "istc.db"
    subprocess.run([*istc, "export", "sqlite", str(database)], capture_output=True, check=True)
    rows = [sqlite_utils, "rows", str(database), "members"]
    have_rows = (
        Path(sqlite_utils).exists() and subprocess.run(rows, capture_output=True).returncode == 0
    )
    cases: list[tuple[str, list[str], str | None]] = [
        ("python -c pass", [py, "-c", "pass"], None),
        ('python -c "import typer"', [py, "-c", "import typer"], None),
        ("obvious.py members", [py, str(OBVIOUS), "--section", "members"], None),
        *([("sqlite-utils rows istc.db members", rows, None)] if have_rows else []),
        ("istc about --json", [*istc, "about", "--json"], "machine"),
        ("istc members --json", [*istc, "members", "--json"], "machine"),
        ("istc members -o jsonl", [*istc, "members", "-o", "jsonl"], None),
        ("istc history --format csv", [*istc, "history", "--format", "csv"], "machine"),
        ("istc history -o tsv", [*istc, "history", "-o", "tsv"], None),
        ("istc members (piped: plain)", [*istc, "members"], None),
        ("istc search astana (plain)", [*istc, "search", "astana"], "machine"),
        ("istc show russia --json", [*istc, "show", "russia", "--json"], None),
        ("istc members --format table", [*istc, "members", "--format", "table"], "table"),
        ("istc about --format table", [*istc, "about", "--format", "table"], "table"),
        ("istc --help", [*istc, "--help"], "help"),
        (
            "istc cite fact-sheet-2018 -o bibtex",
            [*istc, "cite", "fact-sheet-2018", "-o", "bibtex"],
            None,
        ),
        ("istc cite fact-sheet-2018 (text)", [*istc, "cite", "fact-sheet-2018"], None),
    ]
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    for _ in range(args.warmup):
        for _, argv, _ in cases:
            run_once(argv, env)
    for _ in range(args.rounds):
        for name, argv, _ in cases:
            times[name].append(run_once(argv, env))
    peaks: dict[str, float] = {}
    exact = True
    for name, argv, _ in cases:
        measured = [peak_mib(argv, env) for _ in range(3)]
        peaks[name] = max(m for m, _ in measured)
        exact = exact and all(ok for _, ok in measured)

    median = {name: statistics.median(values) * 1000 for name, values in times.items()}
    floor, typer_ms = median["python -c pass"], median['python -c "import typer"']
    rows_ms = median.get("sqlite-utils rows istc.db members")
    print(f"{len(cases)} cases x {args.rounds} rounds, interleaved; istc = {' '.join(istc)}")
    if rows_ms is None:
        print("sqlite-utils not found: its target is not checked (pip install sqlite-utils)")
    print(f"{'command':36} {'median ms':>9} {'x pass':>7} {'x typer':>8} {'peak MiB':>9}  target")
    missed = 0
    for name, _, kind in cases:
        ratio = median[name] / typer_ms
        to_pass = median[name] / floor
        verdict = ""
        if kind == "machine":
            to_rows = median[name] / rows_ms if rows_ms else 0.0
            ok = (
                ratio <= MACHINE_TYPER
                and to_rows <= MACHINE_SQLITE_UTILS
                and peaks[name] <= MACHINE_PEAK_MIB
            )
            target = (
                f"<= {MACHINE_TYPER}x typer, <= {MACHINE_SQLITE_UTILS}x sqlite-utils rows "
                f"({to_rows:.2f}), <= {MACHINE_PEAK_MIB:.0f} MiB"
            )
        elif kind is not None:
            limit = TABLE if kind == "table" else HELP
            ok = ratio <= limit and peaks[name] <= PEAK_MIB
            target = f"<= {limit}x typer, <= {PEAK_MIB:.0f} MiB"
        if kind is not None:
            missed += not ok
            verdict = f"{target}: {'ok' if ok else 'MISSED'}"
        print(
            f"{name:36} {median[name]:9.1f} {to_pass:7.2f} {ratio:8.2f} "
            f"{peaks[name]:9.1f}  {verdict}"
        )
    how = "GNU time" if exact else "wait4(), an upper bound (install GNU time for exact figures)"
    print(f"peak memory measured with {how}")
    print(f"{missed} target(s) missed")
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
