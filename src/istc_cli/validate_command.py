"""The body of `istc validate`: check dataset files and report every problem.

Each problem goes to stdout as `file:line:column: path: message` (escaped: problems
quote the file's text), or all of them as one JSON array; each file is named with its
result on stderr. Exit 0 when every file is valid, 3 when one is not.
"""

from __future__ import annotations

from dataclasses import asdict

from . import loader
from .context import Context
from .output import to_json
from .safe_text import counted, say, visible
from .status import ExitStatus


def run(targets: list[str], *, as_json: bool, context: Context) -> int:
    """Check each target (a path, or - for standard input) and report."""
    import sys

    found: list[loader.Problem] = []
    out = context.stdout
    for target in targets:
        if target == "-":
            problems = loader.validate_stream(sys.stdin.buffer)
            name = loader.STDIN_NAME
        else:
            problems = loader.validate_path(target)
            name = target
        found += problems
        for problem in [] if as_json else problems:
            out.write(visible(str(problem)) + "\n")
        say(f"{counted(len(problems), 'problem')} in {name}" if problems else f"{name} is valid")
    if as_json:
        out.write(to_json([asdict(p) for p in found]) + "\n")
    out.flush()
    return ExitStatus.DATASET if found else ExitStatus.OK
