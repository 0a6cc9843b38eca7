"""The `istc` process: guards first, then the fast path or the Typer app.

Whatever happens below, the user gets output or one clear line on stderr: a
closed pipe ends quietly (exit 141, like other Unix tools), Ctrl-C exits 130,
and an unexpected error prints one line and a hint (exit 1), never a traceback.
"""

from __future__ import annotations

import os
import sys


def _prepare_streams() -> None:
    """Never crash on a narrow encoding (LANG=C, PYTHONIOENCODING=ascii): escape instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _run(argv: list[str]) -> int:
    from .fast import run

    code = run(argv)
    if code is not None:
        return code
    from .cli import app_for

    try:
        app_for(argv)(args=argv, prog_name="istc")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def main(argv: list[str] | None = None) -> None:
    if sys.stdout is None:  # started with stdout closed (istc >&-): nowhere to answer
        if sys.stderr is not None:
            sys.stderr.write("istc: cannot write results: standard output is closed\n")
        sys.exit(1)
    _prepare_streams()
    args = sys.argv[1:] if argv is None else argv
    try:
        code = _run(args)
        sys.stdout.flush()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        code = 130
    except BrokenPipeError:
        _silence_stdout()
        code = 141
    except Exception as exc:  # the last guard: one line, never a traceback
        if os.environ.get("ISTC_DEBUG"):
            raise
        if sys.stderr is None:
            sys.exit(1)
        sys.stderr.write(
            f"istc: internal error: {type(exc).__name__}: {exc}\n"
            "istc: run again with ISTC_DEBUG=1 for the details, and please report it.\n"
        )
        code = 1
    sys.exit(code)
